/**
 * A buyer who paid always ends with a succeeded checkout (issue 15), end to end: the real CheckoutService on the
 * memory store, the real Stripe adapter and SDK against the fake Stripe over HTTP, faults injected at Stripe and on
 * the buyer's side (a client that gives up mid-call), the expiry sweep, the reconciliation and a shutdown.
 */
import { describe, expect, it } from "@effect/vitest"
import { CheckoutConfig, CheckoutService, type CheckoutView } from "@checkout-kit/domain"
import { DateTime, Duration, Effect, Exit, Fiber, Option, Scope } from "effect"
import { FakeStripe } from "../../../stripe/test/support/index.ts"
import * as W from "./EndToEndWorld.ts"

const { Tokens } = FakeStripe
const intentsPath = { method: "POST" as const, path: "/v1/payment_intents" }

/** Waits (polling, real time) until `check` holds, or fails after `ms`. */
const eventually = <A, E>(read: Effect.Effect<A, E>, check: (a: A) => boolean, ms = 5_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + ms
    while (true) {
      const value = yield* read
      if (check(value)) return value
      if (Date.now() > deadline) return yield* Effect.die(new Error(`condition not met within ${ms} ms: ${JSON.stringify(value)}`))
      yield* Effect.sleep("20 millis")
    }
  })

/** Delivers every charge.succeeded Stripe emitted for the checkout (what Stripe's webhook does). */
const deliverSuccesses = (world: W.World, checkoutId: string) => W.deliver(world, W.stripeEventsOf(world, checkoutId, "charge.succeeded"))

const reconcile = (world: W.World) =>
  world.run(CheckoutService.CheckoutService.use((s) => s.reconcilePayments({ notificationGrace: Duration.zero })))

/** The buyer presses pay and gives up after `ms` (curl -m): the request fiber is interrupted. */
const confirmWithClientTimeout = (world: W.World, view: CheckoutView.CheckoutView, token: string, ms: number) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(W.confirmExit(world, view, token))
    const done = yield* Fiber.await(fiber).pipe(Effect.timeoutOption(Duration.millis(ms)))
    if (Option.isSome(done)) return "answered"
    yield* Fiber.interrupt(fiber)
    return "aborted"
  })

describe("a buyer who paid ends with a succeeded checkout", () => {
  it.live("client abort while Stripe answers late (1.5 s, client gives up at 0.5 s): succeeded, exactly one PaymentIntent", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault({ delayReplyMs: 1_500 }, intentsPath)

      expect(yield* confirmWithClientTimeout(world, view, Tokens.success, 500)).toBe("aborted")
      // The attempt was recorded before the call: the checkout is confirmed at once, never rolled back.
      expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("confirmed")
      // The call finishes in the background and its answer is recorded.
      const answered = yield* eventually(W.checkoutOf(world, view.checkout.id), (c) => c.currentIntentId !== null)
      expect([answered.status, answered.pendingPayment]).toEqual(["confirmed", null])

      const deliveries = yield* deliverSuccesses(world, view.checkout.id)
      expect(deliveries.map((d) => d.status)).toEqual([200])
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("succeeded")
      expect(yield* W.eventsOf(world, view.checkout.id, "checkout.succeeded")).toHaveLength(1)
    }), { timeout: 20_000 })

  it.live("the buyer's retries while the call is in flight meet CheckoutLocked, never Stripe; after it, NotOpenCheckout", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault({ delayReplyMs: 800 }, intentsPath)
      expect(yield* confirmWithClientTimeout(world, view, Tokens.success, 200)).toBe("aborted")
      const fresh = world.fake.mintConfirmationToken({ scenario: "success" }).id
      expect(W.tagOf(yield* W.confirmExit(world, view, fresh))).toBe("CheckoutLocked")
      yield* eventually(W.checkoutOf(world, view.checkout.id), (c) => c.currentIntentId !== null)
      expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("NotOpenCheckout")
      expect(W.stripeSideOf(world, view.checkout.id).createRequests).toHaveLength(1)
    }), { timeout: 20_000 })

  it.live("two checkouts of the same new buyer are not serialised behind a slow Stripe call", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const first = yield* W.createCheckout(world)
      const second = yield* W.createCheckout(world)
      // Only the first PaymentIntent call is slow.
      world.fake.injectFault({ delayReplyMs: 1_500 }, { ...intentsPath, times: 1 })
      const slow = yield* Effect.forkChild(W.confirm(world, first, Tokens.success))
      yield* eventually(Effect.sync(() => W.stripeSideOf(world, first.checkout.id).createRequests.length), (n) => n === 1)

      const started = Date.now()
      const quick = yield* W.confirm(world, second, world.fake.mintConfirmationToken({ scenario: "success" }).id)
      const elapsed = Date.now() - started
      expect(quick.checkout.status).toBe("confirmed")
      // Well under the 1.5 s the first call is held (the customer row is not locked across the call).
      expect(elapsed).toBeLessThan(700)
      const done = yield* Fiber.join(slow)
      expect(done.checkout.customerId).toBe(quick.checkout.customerId)
    }), { timeout: 20_000 })

  it.live("confirms fired around expires_at with short client timeouts: 0 paid-but-expired checkouts", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const ttl = Duration.millis(3_000)
      const views: Array<CheckoutView.CheckoutView> = []
      for (let i = 0; i < 16; i++) {
        views.push(
          yield* W.createCheckout(world).pipe(Effect.provideService(CheckoutConfig.Ttl, ttl))
        )
      }
      // Stripe is slow on every call (0.3-0.9 s); buyers give up after 0.25 s; sweeps run all along.
      for (let i = 0; i < 16; i++) world.fake.injectFault({ delayReplyMs: 300 + 40 * i }, { ...intentsPath, times: 1 })
      const sweeping = yield* Effect.forkChild(
        world.run(CheckoutService.CheckoutService.use((s) => s.expireOpenCheckouts())).pipe(
          Effect.andThen(Effect.sleep("50 millis")),
          Effect.forever
        )
      )
      // Around each checkout's expires_at: from 200 ms before it to 175 ms after, some landing before, some after.
      yield* Effect.forEach(
        views,
        (view, i) =>
          Effect.sleep(Duration.millis(Math.max(0, DateTime.toEpochMillis(view.checkout.expiresAt) - Date.now() - 200 + 25 * i))).pipe(
            Effect.andThen(confirmWithClientTimeout(world, view, world.fake.mintConfirmationToken({ scenario: "success" }).id, 250))
          ),
        { concurrency: "unbounded", discard: true }
      )
      // Every call in flight ends; then Stripe's webhooks arrive, and a reconciliation runs.
      yield* Effect.sleep(Duration.millis(1_200))
      yield* Fiber.interrupt(sweeping)
      for (const view of views) yield* deliverSuccesses(world, view.checkout.id)
      yield* reconcile(world)

      let paid = 0
      let paidButNotSucceeded = 0
      for (const view of views) {
        const side = W.stripeSideOf(world, view.checkout.id)
        const checkout = yield* W.checkoutOf(world, view.checkout.id)
        expect(side.succeededCharges.length).toBeLessThanOrEqual(1)
        if (side.succeededCharges.length > 0) {
          paid += 1
          if (checkout.status !== "succeeded") paidButNotSucceeded += 1
        } else {
          expect(checkout.status === "expired" || checkout.status === "open").toBe(true)
        }
      }
      expect(paidButNotSucceeded).toBe(0)
      // The run really straddled the deadline: some paid, some expired before their confirm.
      expect(paid).toBeGreaterThan(0)
    }), { timeout: 30_000 })
})

describe("reconciliation of unknown outcomes", () => {
  it.live("a charge whose answers were all lost, and no retry: reconciliation finds it (customer's intents) and succeeds the checkout", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault("lost_response", { ...intentsPath, times: 2 })
      expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("PaymentOutcomeUnknown")
      expect((yield* W.checkoutOf(world, view.checkout.id)).pendingPayment?.state).toBe("unknown")

      const report = yield* reconcile(world)
      expect(report.resolved).toEqual([view.checkout.id])
      const checkout = yield* W.checkoutOf(world, view.checkout.id)
      const side = W.stripeSideOf(world, view.checkout.id)
      expect([checkout.status, checkout.currentIntentId, checkout.pendingPayment]).toEqual(["succeeded", side.intents[0]!.id, null])
      expect(side.createRequests).toHaveLength(2) // the lost call and the SDK's reconnect: no replay was needed
      expect(world.fake.requests({ method: "GET", path: "/v1/payment_intents" })).toHaveLength(1)
      // The webhook arriving afterwards is a harmless duplicate success.
      const late = yield* deliverSuccesses(world, view.checkout.id)
      expect(late.map((d) => JSON.parse(d.body).status)).toEqual(["ignored"])
      expect(yield* W.eventsOf(world, view.checkout.id, "checkout.succeeded")).toHaveLength(1)
    }), { timeout: 20_000 })

  it.live("a 5xx Stripe stored under our key (replayed forever before): reconciliation settles it as not charged, the next confirm pays once", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault("server_error_stored", intentsPath)
      expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("PaymentOutcomeUnknown")
      // The hole: every retry replays the stored 500.
      expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("PaymentOutcomeUnknown")
      expect(W.stripeSideOf(world, view.checkout.id).createRequests.map((r) => [r.status, r.replayed])).toEqual([
        [500, false],
        [500, true]
      ])

      const report = yield* reconcile(world)
      expect(report.resolved).toEqual([view.checkout.id])
      const settled = yield* W.checkoutOf(world, view.checkout.id)
      expect([settled.status, settled.paymentAttempt, settled.pendingPayment]).toEqual(["open", 1, null])
      expect(world.fake.chargeCount()).toBe(0)

      const confirmed = yield* W.confirm(world, view, world.fake.mintConfirmationToken({ scenario: "success" }).id)
      expect(confirmed.checkout.status).toBe("confirmed")
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.createRequests.map((r) => r.idempotencyKey).at(-1)).toBe(`${view.checkout.id}:1`)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
    }), { timeout: 20_000 })

  it.live("idempotency_error from Stripe is a clean CheckoutLocked (409), never a defect; reconciliation then finds the truth", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault({
        reply: {
          status: 400,
          body: {
            error: {
              type: "idempotency_error",
              message: "Keys for idempotent requests can only be used with the same parameters they were first used with."
            }
          }
        }
      }, intentsPath)
      const exit = yield* W.confirmExit(world, view, Tokens.success)
      expect(W.tagOf(exit)).toBe("CheckoutLocked")
      expect((yield* W.checkoutOf(world, view.checkout.id)).pendingPayment?.state).toBe("unknown")
      // Nothing at Stripe under the key: the reconciliation replays the recorded request, which now goes through.
      yield* reconcile(world)
      const checkout = yield* W.checkoutOf(world, view.checkout.id)
      expect(checkout.status).toBe("succeeded")
      expect(W.stripeSideOf(world, view.checkout.id).succeededCharges).toHaveLength(1)
    }), { timeout: 20_000 })

  it.live("a lost webhook: a confirmed checkout whose intent succeeded is completed by the reconciliation", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      yield* W.confirm(world, view, Tokens.success)
      const report = yield* reconcile(world)
      expect(report.resolved).toEqual([view.checkout.id])
      expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("succeeded")
    }), { timeout: 20_000 })
})

describe("refunds", () => {
  it.live("3-D Secure failed, the buyer paid with a new attempt, then completed the old intent too: the old one is refunded at Stripe", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      const first = yield* W.confirm(world, view, Tokens.requiresAction)
      const oldIntent = first.checkout.currentIntentId!
      world.fake.resolveIntent(oldIntent, "fail")
      yield* W.deliver(world, W.stripeEventsOf(world, view.checkout.id, "payment_intent.payment_failed"))
      expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("open")
      const second = yield* W.confirm(world, view, world.fake.mintConfirmationToken({ scenario: "success" }).id)
      // The buyer's browser still completes the first intent (Stripe.js with its client secret).
      world.fake.resolveIntent(oldIntent, "succeed")
      const deliveries = yield* deliverSuccesses(world, view.checkout.id)
      const statuses = deliveries.map((d) => JSON.parse(d.body).status).sort()
      expect(statuses).toEqual(["applied", "refunded"])
      expect(world.fake.refunds().map((r) => r.payment_intent)).toEqual([oldIntent])
      const checkout = yield* W.checkoutOf(world, view.checkout.id)
      expect([checkout.status, checkout.currentIntentId]).toEqual(["succeeded", second.checkout.currentIntentId])
      const refunded = yield* W.eventsOf(world, view.checkout.id, "checkout.payment_refunded")
      expect(refunded.map((e) => e.refund?.intentId)).toEqual([oldIntent])
      // Stripe delivers the same event again: the refund is not repeated (the event is a duplicate; the key too).
      yield* deliverSuccesses(world, view.checkout.id)
      expect(world.fake.refunds()).toHaveLength(1)
    }), { timeout: 20_000 })
})

describe("shutdown", () => {
  it.live("closing the service waits for a payment call in flight and records its outcome", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const world = yield* W.makeWorld().pipe(Scope.provide(scope))
      const view = yield* W.createCheckout(world)
      world.fake.injectFault({ delayReplyMs: 1_000 }, intentsPath)
      expect(yield* confirmWithClientTimeout(world, view, Tokens.success, 200)).toBe("aborted")
      const started = Date.now()
      yield* Scope.close(scope, Exit.void)
      expect(Date.now() - started).toBeGreaterThan(500)
      // The store outlives the closed layer in memory: the outcome is there.
      const checkout = yield* W.checkoutOf(world, view.checkout.id)
      expect([checkout.status, checkout.pendingPayment, checkout.currentIntentId !== null]).toEqual(["confirmed", null, true])
    }), { timeout: 20_000 })
})
