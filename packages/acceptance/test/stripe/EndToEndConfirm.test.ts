/**
 * Never charging twice, end to end: the real CheckoutService (memory store) confirms through the real Stripe adapter
 * and SDK against the fake Stripe over HTTP. The business idempotency key is `checkoutId:paymentAttempt`; the attempt
 * moves only after a definite outcome. Each test checks Stripe's side (PaymentIntents, charges, the keys sent) as well
 * as the checkout.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option } from "effect"
import * as StripePaymentProcessor from "../../../stripe/src/StripePaymentProcessor.ts"
import { FakeStripe } from "../../../stripe/test/support/index.ts"
import * as W from "./EndToEndWorld.ts"

const { Tokens } = FakeStripe
const intentsPath = { method: "POST" as const, path: "/v1/payment_intents" }

describe("confirm through Stripe, end to end", () => {
  it.live("a plain confirm: one PaymentIntent for the taxed total, our key, the checkout confirmed", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      const confirmed = yield* W.confirm(world, view, Tokens.success)

      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.intents[0]!.amount).toBe(confirmed.checkout.totalAmount)
      expect(confirmed.checkout.taxAmount).toBeGreaterThan(0)
      expect(side.createRequests.map((r) => r.idempotencyKey)).toEqual([`${view.checkout.id}:0`])
      expect(confirmed.checkout.status).toBe("confirmed")
      expect(confirmed.checkout.currentIntentId).toBe(side.intents[0]!.id)
      expect(confirmed.checkout.paymentProcessorMetadata["intent_client_secret"]).toBe(side.intents[0]!.client_secret)
    }))

  it.live("a lost response then the SDK's own retry: exactly one PaymentIntent, the checkout confirmed", () =>
    Effect.gen(function*() {
      // Production retry settings: the SDK retries the dropped connection with the same key (~0.5-1 s backoff).
      const world = yield* W.makeWorld({ maxNetworkRetries: 2 })
      const view = yield* W.createCheckout(world)
      world.fake.injectFault("lost_response", intentsPath)

      const confirmed = yield* W.confirm(world, view, Tokens.success)

      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      // Two requests on the wire, one key, the second answered from Stripe's idempotency store.
      expect(side.createRequests.map((r) => [r.idempotencyKey, r.status, r.replayed])).toEqual([
        [`${view.checkout.id}:0`, "destroyed", false],
        [`${view.checkout.id}:0`, 200, true]
      ])
      expect(confirmed.checkout.status).toBe("confirmed")
      expect(confirmed.checkout.currentIntentId).toBe(side.intents[0]!.id)
    }))

  it.live("20 sequential resubmits of a confirmed checkout: one charge, the rest refused as not open", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      const exits = []
      for (let i = 0; i < 20; i++) exits.push(yield* W.confirmExit(world, view, Tokens.success))

      expect(exits.map(W.tagOf)).toEqual(["Success", ...Array(19).fill("NotOpenCheckout")])
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      expect(side.createRequests).toHaveLength(1)
      expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("confirmed")
    }))

  it.live("20 concurrent confirms of one checkout: one charge; the others meet the lock or a confirmed checkout", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      // Stripe answers slowly, so every other submit arrives while the first one holds the checkout.
      world.fake.injectFault({ delayReplyMs: 150 }, intentsPath)

      const exits = yield* Effect.all(
        Array.from({ length: 20 }, () => W.confirmExit(world, view, Tokens.success)),
        { concurrency: "unbounded" }
      )

      const tags = exits.map(W.tagOf)
      expect(tags.filter((t) => t === "Success")).toHaveLength(1)
      expect(tags.filter((t) => t !== "Success").every((t) => t === "CheckoutLocked" || t === "NotOpenCheckout")).toBe(
        true
      )
      expect(tags).toContain("CheckoutLocked")
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      expect(side.createRequests).toHaveLength(1)
    }))

  it.live("a decline: PaymentError with the reference text, the checkout still open, no redemption; the next confirm uses a new key and succeeds", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world, { discountId: W.half.id })
      expect(view.checkout.discountAmount).toBe(1250)

      const declined = yield* W.confirmExit(world, view, Tokens.decline)
      const error = Exit.findErrorOption(declined)
      expect(Option.map(error, (e) => e._tag)).toEqual(Option.some("PaymentError"))
      const paymentError = Option.getOrThrow(error)
      if (paymentError._tag !== "PaymentError") throw new Error("unreachable")
      expect([paymentError.code, paymentError.declineCode]).toEqual(["card_declined", "generic_decline"])
      expect(StripePaymentProcessor.declineMessage(paymentError)).toBe(
        "The payment failed: Your card was declined. Please try again with a different payment method."
      )

      const afterDecline = yield* W.checkoutOf(world, view.checkout.id)
      expect(afterDecline.status).toBe("open")
      expect(afterDecline.paymentAttempt).toBe(1)
      expect(afterDecline.currentIntentId).toBeNull()
      expect(yield* W.redemptionOf(world, view.checkout.id)).toEqual(Option.none())
      expect((yield* W.discountOf(world, W.half.id)).redemptionsCount).toBe(0)

      const confirmed = yield* W.confirm(world, view, Tokens.success)
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.createRequests.map((r) => [r.idempotencyKey, r.status])).toEqual([
        [`${view.checkout.id}:0`, 402],
        [`${view.checkout.id}:1`, 200]
      ])
      expect(side.succeededCharges).toHaveLength(1)
      expect(confirmed.checkout.status).toBe("confirmed")
      expect(yield* W.redemptionOf(world, view.checkout.id)).toEqual(Option.some({ discountId: W.half.id }))
      expect((yield* W.discountOf(world, W.half.id)).redemptionsCount).toBe(1)
    }))

  it.live("an unknown outcome (5xx, not retried) is PaymentOutcomeUnknown, and the buyer's retry reuses the same key", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world, { returning: true })
      world.fake.injectFault("server_error", intentsPath)

      const first = yield* W.confirmExit(world, view, Tokens.success)
      expect(W.tagOf(first)).toBe("PaymentOutcomeUnknown")
      // Recorded before the call: confirmed, the attempt pending with an unknown outcome, the key kept.
      const between = yield* W.checkoutOf(world, view.checkout.id)
      expect([between.status, between.paymentAttempt, between.pendingPayment?.state]).toEqual(["confirmed", 0, "unknown"])

      const confirmed = yield* W.confirm(world, view, Tokens.success)
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.createRequests.map((r) => [r.idempotencyKey, r.status])).toEqual([
        [`${view.checkout.id}:0`, 500],
        [`${view.checkout.id}:0`, 200]
      ])
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      expect(confirmed.checkout.currentIntentId).toBe(side.intents[0]!.id)
    }))

  it.live("a charge whose answers were all lost: unknown outcome, then every retry replays that one charge", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world, { returning: true })
      // The charge is made, then the answer and the SDK's one reconnect retry are both cut (~0.5 s backoff).
      world.fake.injectFault("lost_response", { ...intentsPath, times: 2 })

      const first = yield* W.confirmExit(world, view, Tokens.success)
      expect(W.tagOf(first)).toBe("PaymentOutcomeUnknown")
      expect(world.fake.chargeCount("succeeded")).toBe(1)

      // The buyer presses "Pay" again, several times; the key has not moved, so Stripe replays the first charge.
      const retries = []
      for (let i = 0; i < 3; i++) retries.push(yield* W.confirmExit(world, view, Tokens.success))
      expect(retries.map(W.tagOf)).toEqual(["Success", "NotOpenCheckout", "NotOpenCheckout"])

      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      expect(new Set(side.createRequests.map((r) => r.idempotencyKey))).toEqual(new Set([`${view.checkout.id}:0`]))
      expect(side.createRequests.at(-1)!.replayed).toBe(true)
      expect((yield* W.checkoutOf(world, view.checkout.id)).currentIntentId).toBe(side.intents[0]!.id)
    }))

  it.live("an unknown outcome retried with other parameters (first-time buyer, re-minted token): the stored request is replayed, confirmed, one charge", () =>
    Effect.gen(function*() {
      // The rolled-back confirm records its attempt (request, new Stripe Customer) on the checkout, so the retry
      // re-sends the same parameters under the same key although Stripe.js minted a new ConfirmationToken.
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault("lost_response", { ...intentsPath, times: 2 })
      const firstToken = world.fake.mintConfirmationToken({ scenario: "success" }).id
      const first = yield* W.confirmExit(world, view, firstToken)
      expect(W.tagOf(first)).toBe("PaymentOutcomeUnknown")
      const pending = (yield* W.checkoutOf(world, view.checkout.id)).pendingPayment
      expect([pending?.idempotencyKey, pending?.confirmationTokenId]).toEqual([`${view.checkout.id}:0`, firstToken])

      const retry = yield* W.confirmExit(world, view, world.fake.mintConfirmationToken({ scenario: "success" }).id)
      expect(W.tagOf(retry)).toBe("Success")
      for (let i = 0; i < 2; i++) {
        expect(W.tagOf(yield* W.confirmExit(world, view, world.fake.mintConfirmationToken({ scenario: "success" }).id)))
          .toBe("NotOpenCheckout")
      }

      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(1)
      expect(side.succeededCharges).toHaveLength(1)
      expect(world.fake.chargeCount()).toBe(1)
      expect(new Set(side.createRequests.map((r) => r.idempotencyKey))).toEqual(new Set([`${view.checkout.id}:0`]))
      const stored = yield* W.checkoutOf(world, view.checkout.id)
      expect([stored.status, stored.currentIntentId, stored.pendingPayment]).toEqual(["confirmed", side.intents[0]!.id, null])
    }))

  it.live("a SetupIntent (trial) is confirmed once under the same key scheme", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world, { productId: W.trial.id })
      const confirmed = yield* W.confirm(world, view, Tokens.success)
      const side = W.stripeSideOf(world, view.checkout.id)
      expect(side.intents).toHaveLength(0)
      expect(side.setupIntents).toHaveLength(1)
      expect(side.createRequests.map((r) => [r.path, r.idempotencyKey])).toEqual([
        ["/v1/setup_intents", `${view.checkout.id}:0`]
      ])
      expect(confirmed.checkout.currentIntentId).toBe(side.setupIntents[0]!.id)
    }))

  it.live("a confirm still waiting on Stripe holds the checkout: a second submit meets the lock, never Stripe", () =>
    Effect.gen(function*() {
      const world = yield* W.makeWorld()
      const view = yield* W.createCheckout(world)
      world.fake.injectFault({ delayReplyMs: 300 }, intentsPath)
      const slow = yield* Effect.forkChild(W.confirm(world, view, Tokens.success))
      yield* Effect.sleep("100 millis")
      expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("CheckoutLocked")
      yield* Fiber.join(slow)
      expect(W.stripeSideOf(world, view.checkout.id).createRequests).toHaveLength(1)
    }))
})
