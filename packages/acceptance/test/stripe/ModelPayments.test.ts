/**
 * Model-based test of the payment path (issue 15), with fast-check's `fc.commands` driving the REAL CheckoutService
 * (memory store) through the REAL Stripe adapter and SDK against the fake Stripe over HTTP. Commands: create,
 * confirm (scenario, same or new token, a Stripe fault: delay / lost response / 5xx / stored 5xx / idempotency
 * error, and a client that gives up at any point), the buyer finishing or failing 3-D Secure (also re-confirming a
 * failed intent), webhooks delivered late, twice or out of order, expiry sweeps, clock jumps, reconciliation runs.
 *
 * The invariant, checked whenever the system has settled (in-flight calls done, every webhook delivered until Stripe
 * would stop retrying, a reconciliation run): for every checkout C and every PaymentIntent of C holding a succeeded
 * charge, either C is succeeded on that very intent, or that charge was refunded. At every step: never two
 * unrefunded successful charges for one checkout.
 *
 * Runs: a fixed seed and MODEL_RUNS runs (default 8). More: `MODEL_RUNS=200 MODEL_SEED=<n> pnpm exec vitest run
 * packages/stripe/test/ModelPayments.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { CheckoutConfig, CheckoutService, type CheckoutView } from "@checkout-kit/domain"
import { Clock, Duration, Effect, Exit, Fiber, Option, Scope } from "effect"
import * as fc from "fast-check"
import { FakeStripe } from "../../../stripe/test/support/index.ts"
import * as W from "./EndToEndWorld.ts"

const RUNS = Number(process.env["MODEL_RUNS"] ?? 8)
const SEED = Number(process.env["MODEL_SEED"] ?? 1_515)

type Scenario = "success" | "decline" | "requires_action" | "processing"
type StripeFault = "none" | "delay" | "lost_response" | "lost_twice" | "server_error" | "server_error_stored" | "idempotency_error"

interface Real {
  readonly world: W.World
  /** Added to the real clock for the service: clock jumps. */
  readonly offset: { ms: number }
  readonly clock: Clock.Clock
  readonly checkouts: Array<CheckoutView.CheckoutView>
  /** The last token each checkout was confirmed with (a retry may reuse it). */
  readonly tokens: Map<string, string>
  /** Event ids Stripe considers delivered (answered 2xx). */
  readonly delivered: Set<string>
  readonly log: Array<string>
}

/** Nothing is modelled beyond how many checkouts exist: the invariant is about the real system's end state. */
interface Model {
  count: number
}

const run = <A, E>(real: Real, effect: Effect.Effect<A, E, W.Services>) =>
  Effect.runPromise(Effect.exit(real.world.run(effect).pipe(Effect.provideService(Clock.Clock, real.clock))))

const pick = <A>(all: ReadonlyArray<A>, i: number): A | undefined => (all.length === 0 ? undefined : all[i % all.length])

const injectFor = (fake: FakeStripe.FakeStripe, fault: StripeFault, path: string) => {
  const target = { method: "POST" as const, path }
  switch (fault) {
    case "none":
      return
    case "delay":
      return fake.injectFault({ delayReplyMs: 350 }, target)
    case "lost_response":
      return fake.injectFault("lost_response", target)
    case "lost_twice":
      return fake.injectFault("lost_response", { ...target, times: 2 })
    case "server_error":
      return fake.injectFault("server_error", target)
    case "server_error_stored":
      return fake.injectFault("server_error_stored", target)
    case "idempotency_error":
      return fake.injectFault({
        reply: { status: 400, body: { error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters." } } }
      }, target)
  }
}

/** Delivers every event about our checkouts not yet acknowledged, in the given order, maybe twice. */
const deliverPending = async (real: Real, options: { readonly reverse: boolean; readonly duplicate: boolean; readonly only?: number }) => {
  const ids = new Set(real.checkouts.map((c) => c.checkout.id))
  const pending = real.world.fake.events().filter((e) => {
    const object = e.data.object as { readonly metadata?: Record<string, string> }
    return !real.delivered.has(e.id) && ids.has(object.metadata?.["checkout_id"] ?? "")
  })
  const batch = options.only === undefined ? pending : pending.slice(0, options.only)
  if (batch.length === 0) return
  const results = await real.world.fake.deliverEvents(real.world.webhookUrl, batch, {
    reverse: options.reverse,
    duplicate: options.duplicate
  })
  for (const r of results) {
    if (r.status >= 200 && r.status < 300) real.delivered.add(r.eventId)
    // A 5xx is a bug here (defect); a 409/503 is "retry later", which Stripe does.
    expect(r.status, `webhook ${r.eventId}: ${r.body}`).not.toBe(500)
  }
}

/** Safety at every step: never two successful charges kept for one checkout. */
const checkNoDoubleCharge = (real: Real) => {
  const refunded = new Set(real.world.fake.refunds().map((r) => r.payment_intent))
  for (const view of real.checkouts) {
    const kept = W.stripeSideOf(real.world, view.checkout.id).succeededCharges.filter((c) => !refunded.has(c.payment_intent))
    expect(kept.length, `${view.checkout.id}: ${real.log.join(" | ")}`).toBeLessThanOrEqual(1)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------------

class Create implements fc.AsyncCommand<Model, Real> {
  readonly returning: boolean
  readonly ttlMinutes: number
  constructor(returning: boolean, ttlMinutes: number) {
    this.returning = returning
    this.ttlMinutes = ttlMinutes
  }
  check = () => true
  async run(m: Model, r: Real) {
    const exit = await run(
      r,
      W.createCheckout(r.world, this.returning ? { returning: true } : {}).pipe(
        Effect.provideService(CheckoutConfig.Ttl, Duration.minutes(this.ttlMinutes))
      )
    )
    if (Exit.isSuccess(exit)) {
      r.checkouts.push(exit.value)
      m.count += 1
    }
    r.log.push(this.toString())
  }
  toString = () => `Create(${this.returning ? "returning" : "new"}, ttl ${this.ttlMinutes}m)`
}

class Confirm implements fc.AsyncCommand<Model, Real> {
  readonly i: number
  readonly scenario: Scenario
  readonly newToken: boolean
  readonly fault: StripeFault
  readonly abortAfterMs: number | null
  constructor(i: number, scenario: Scenario, newToken: boolean, fault: StripeFault, abortAfterMs: number | null) {
    this.i = i
    this.scenario = scenario
    this.newToken = newToken
    this.fault = fault
    this.abortAfterMs = abortAfterMs
  }
  check = (m: Readonly<Model>) => m.count > 0
  async run(_m: Model, r: Real) {
    const view = pick(r.checkouts, this.i)!
    const previous = r.tokens.get(view.checkout.id)
    const token = !this.newToken && previous !== undefined
      ? previous
      : r.world.fake.mintConfirmationToken({ scenario: this.scenario }).id
    r.tokens.set(view.checkout.id, token)
    injectFor(r.world.fake, this.fault, "/v1/payment_intents")
    const abort = this.abortAfterMs
    const confirming = Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(W.confirmExit(r.world, view, token))
      if (abort === null) return yield* Fiber.join(fiber)
      const done = yield* Fiber.await(fiber).pipe(Effect.timeoutOption(Duration.millis(abort)))
      if (Option.isNone(done)) yield* Fiber.interrupt(fiber)
      return Option.isSome(done) ? done.value : Exit.void
    })
    const exit = await run(r, confirming)
    // Whatever the buyer saw, a confirm never crashes (no defect reaches the buyer).
    const answer = Exit.isSuccess(exit) ? (exit.value as Exit.Exit<unknown, { readonly _tag: string }>) : Exit.void
    if (Exit.isFailure(answer) && !Exit.hasInterrupts(answer)) expect(W.tagOf(answer), this.toString()).not.toBe("Defect")
    r.log.push(this.toString())
    checkNoDoubleCharge(r)
  }
  toString = () => `Confirm(${this.i}, ${this.scenario}, ${this.newToken ? "new" : "same"} token, ${this.fault}, abort ${this.abortAfterMs ?? "never"})`
}

class Resolve implements fc.AsyncCommand<Model, Real> {
  readonly i: number
  readonly outcome: "succeed" | "fail"
  constructor(i: number, outcome: "succeed" | "fail") {
    this.i = i
    this.outcome = outcome
  }
  check = (m: Readonly<Model>) => m.count > 0
  async run(_m: Model, r: Real) {
    const view = pick(r.checkouts, this.i)!
    // The buyer finishes (or fails) 3-D Secure or a debit settles; a failed intent may be re-confirmed by the browser.
    const candidates = W.stripeSideOf(r.world, view.checkout.id).intents.filter((pi) =>
      pi.status === "requires_action" || pi.status === "processing" ||
      (this.outcome === "succeed" && pi.status === "requires_payment_method" && pi.payment_method !== null)
    )
    const target = candidates.at(-1)
    if (target !== undefined) r.world.fake.resolveIntent(target.id, this.outcome)
    r.log.push(this.toString() + (target === undefined ? " (nothing)" : ` ${target.id}`))
    checkNoDoubleCharge(r)
  }
  toString = () => `Resolve(${this.i}, ${this.outcome})`
}

/** The buyer's browser re-confirms a failed intent with the client secret it still holds (a retried 3-D Secure). */
class Reconfirm implements fc.AsyncCommand<Model, Real> {
  readonly i: number
  constructor(i: number) {
    this.i = i
  }
  check = (m: Readonly<Model>) => m.count > 0
  async run(_m: Model, r: Real) {
    const view = pick(r.checkouts, this.i)!
    const failed = W.stripeSideOf(r.world, view.checkout.id).intents.filter((pi) =>
      pi.status === "requires_payment_method" && pi.payment_method !== null && pi.last_payment_error?.code === "payment_intent_authentication_failure"
    )
    const target = failed.at(0)
    if (target !== undefined) r.world.fake.resolveIntent(target.id, "succeed")
    r.log.push(this.toString() + (target === undefined ? " (nothing)" : ` ${target.id}`))
    checkNoDoubleCharge(r)
  }
  toString = () => `Reconfirm(${this.i})`
}

class Webhooks implements fc.AsyncCommand<Model, Real> {
  readonly reverse: boolean
  readonly duplicate: boolean
  readonly only: number | undefined
  constructor(reverse: boolean, duplicate: boolean, only: number | undefined) {
    this.reverse = reverse
    this.duplicate = duplicate
    this.only = only
  }
  check = () => true
  async run(_m: Model, r: Real) {
    await deliverPending(r, { reverse: this.reverse, duplicate: this.duplicate, ...(this.only === undefined ? {} : { only: this.only }) })
    r.log.push(this.toString())
    checkNoDoubleCharge(r)
  }
  toString = () => `Webhooks(${this.reverse ? "reversed" : "in order"}, ${this.duplicate ? "twice" : "once"}, ${this.only ?? "all"})`
}

class Sweep implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(_m: Model, r: Real) {
    await run(r, CheckoutService.CheckoutService.use((s) => s.expireOpenCheckouts()))
    r.log.push("Sweep")
  }
  toString = () => "Sweep"
}

class Jump implements fc.AsyncCommand<Model, Real> {
  readonly minutes: number
  constructor(minutes: number) {
    this.minutes = minutes
  }
  check = () => true
  async run(_m: Model, r: Real) {
    r.offset.ms += this.minutes * 60_000
    r.log.push(this.toString())
  }
  toString = () => `Jump(+${this.minutes}m)`
}

class Reconcile implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(_m: Model, r: Real) {
    const exit = await run(r, CheckoutService.CheckoutService.use((s) => s.reconcilePayments()))
    expect(Exit.isSuccess(exit)).toBe(true)
    r.log.push("Reconcile")
    checkNoDoubleCharge(r)
  }
  toString = () => "Reconcile"
}

class Wait implements fc.AsyncCommand<Model, Real> {
  readonly ms: number
  constructor(ms: number) {
    this.ms = ms
  }
  check = () => true
  async run(_m: Model, r: Real) {
    await new Promise((resolve) => setTimeout(resolve, this.ms))
    r.log.push(this.toString())
  }
  toString = () => `Wait(${this.ms}ms)`
}

const commands = [
  fc.tuple(fc.boolean(), fc.constantFrom(5, 30, 24 * 60)).map(([returning, ttl]) => new Create(returning, ttl)),
  fc.tuple(
    fc.nat({ max: 3 }),
    fc.constantFrom<Scenario>("success", "decline", "requires_action", "requires_action", "processing"),
    fc.boolean(),
    fc.constantFrom<StripeFault>("none", "none", "none", "delay", "lost_response", "lost_twice", "server_error", "server_error_stored", "idempotency_error"),
    fc.constantFrom<number | null>(null, null, 40, 150)
  ).map(([i, s, t, f, a]) => new Confirm(i, s, t, f, a)),
  fc.tuple(fc.nat({ max: 3 }), fc.constantFrom<"succeed" | "fail">("succeed", "fail")).map(([i, o]) => new Resolve(i, o)),
  fc.tuple(fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined })).map(([r, d, o]) => new Webhooks(r, d, o)),
  fc.constant(new Sweep()),
  fc.constantFrom(2, 10, 60, 3 * 60).map((m) => new Jump(m)),
  fc.constant(new Reconcile()),
  fc.constantFrom(50, 200).map((ms) => new Wait(ms)),
  fc.nat({ max: 3 }).map((i) => new Reconfirm(i))
]

/** Confirms, 3-D Secure outcomes and webhooks are the interesting interleavings: they come most often. */
const weights = [1, 5, 4, 4, 1, 1, 1, 1, 2]
const weighted = commands.map((arbitrary, i) => ({ arbitrary: arbitrary as fc.Arbitrary<fc.AsyncCommand<Model, Real>>, weight: weights[i]! }))

/**
 * Lets everything settle: calls in flight end (the longest injected delay is 0.35 s, plus the SDK's one reconnect
 * retry of a lost response), then rounds of "Stripe retries every undelivered webhook, the reconciliation runs".
 */
const settle = async (r: Real) => {
  await new Promise((resolve) => setTimeout(resolve, 1_200))
  for (let round = 0; round < 4; round++) {
    await deliverPending(r, { reverse: false, duplicate: false })
    const exit = await run(r, CheckoutService.CheckoutService.use((s) => s.reconcilePayments({ notificationGrace: Duration.zero })))
    expect(Exit.isSuccess(exit)).toBe(true)
  }
  await deliverPending(r, { reverse: false, duplicate: false })
}

/** The invariant: money Stripe holds for a checkout is that checkout's success, or it was given back. */
const checkInvariant = async (r: Real) => {
  const refunded = new Set(r.world.fake.refunds().map((x) => x.payment_intent))
  for (const view of r.checkouts) {
    const exit = await run(r, W.checkoutOf(r.world, view.checkout.id))
    if (!Exit.isSuccess(exit)) throw new Error("checkout vanished")
    const checkout = exit.value
    const side = W.stripeSideOf(r.world, view.checkout.id)
    for (const charge of side.succeededCharges) {
      const kept = !refunded.has(charge.payment_intent)
      const ok = !kept || (checkout.status === "succeeded" && checkout.currentIntentId === charge.payment_intent)
      expect(
        ok,
        `paid ${charge.payment_intent} but checkout ${checkout.id} is ${checkout.status} on ${checkout.currentIntentId}\n${r.log.join("\n")}`
      ).toBe(true)
    }
  }
}

describe("Model: a paid checkout is succeeded, or its charge refunded", () => {
  it("random command sequences against the fake Stripe over HTTP", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands([fc.oneof(...weighted)], { maxCommands: 24, size: "max" }), async (cmds) => {
        const scope = Effect.runSync(Scope.make())
        try {
          const world = await Effect.runPromise(W.makeWorld().pipe(Scope.provide(scope)))
          const offset = { ms: 0 }
          const live = Effect.runSync(Clock.clockWith(Effect.succeed))
          const clock: Clock.Clock = {
            currentTimeMillisUnsafe: () => live.currentTimeMillisUnsafe() + offset.ms,
            currentTimeMillis: Effect.sync(() => live.currentTimeMillisUnsafe() + offset.ms),
            currentTimeNanosUnsafe: () => live.currentTimeNanosUnsafe() + BigInt(offset.ms) * 1_000_000n,
            currentTimeNanos: Effect.sync(() => live.currentTimeNanosUnsafe() + BigInt(offset.ms) * 1_000_000n),
            monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
            monotonicTimeNanos: live.monotonicTimeNanos,
            sleep: (d) => live.sleep(d)
          }
          const real: Real = { world, offset, clock, checkouts: [], tokens: new Map(), delivered: new Set(), log: [] }
          // Two checkouts to start with (a new buyer, a returning one); Create adds more.
          const model: Model = { count: 0 }
          await new Create(false, 30).run(model, real)
          await new Create(true, 24 * 60).run(model, real)
          await fc.asyncModelRun(() => ({ model, real }), cmds)
          await settle(real)
          await checkInvariant(real)
          if (process.env["MODEL_VERBOSE"] !== undefined) {
            console.log(`${real.world.fake.chargeCount("succeeded")} charges, ${real.world.fake.refunds().length} refunds: ${real.log.join(" | ")}`)
          }
        } finally {
          await Effect.runPromise(Scope.close(scope, Exit.void))
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true }
    )
  }, 120_000)
})
