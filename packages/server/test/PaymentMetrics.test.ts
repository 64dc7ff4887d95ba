/**
 * The payment metrics wrapper: a confirm call shows in `checkout.payment.attempts.in_flight` while the processor
 * holds it (and leaves it when it answers or is interrupted), and each answer counts in `checkout.payment.attempts`
 * by outcome; the pending sampler writes the store's count of confirmed, unsettled checkouts (capped) every interval
 * and skips a failed read.
 */
import { assert, describe, it } from "@effect/vitest"
import { CheckoutRepository, type ConfirmInput, ConfirmOutcome, PaymentProcessor } from "@checkout-kit/domain"
import { Deferred, Effect, Fiber, Layer, Metric, Ref } from "effect"
import * as PaymentMetrics from "../src/PaymentMetrics.ts"

const gauge = (id: string) =>
  Effect.map(Metric.snapshot, (all) => {
    const found = all.find((m) => m.id === id && m.attributes === undefined)
    return found === undefined ? 0 : Number((found.state as { value: number }).value)
  })

const count = (outcome: string) =>
  Effect.map(Metric.snapshot, (all) => {
    const found = all.find((m) => m.id === "checkout.payment.attempts" && m.attributes?.["outcome"] === outcome)
    return found === undefined ? 0 : Number((found.state as { count: number }).count)
  })

const input = { checkoutId: "c1", idempotencyKey: "k1" } as unknown as ConfirmInput

describe("PaymentMetrics.instrument", () => {
  it.live("counts confirm calls in flight and their outcomes", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const processor = Layer.succeed(PaymentProcessor, PaymentProcessor.of({
        upsertCustomer: () => Effect.die("unused"),
        getConfirmationTokenPreview: () => Effect.die("unused"),
        confirm: () =>
          Effect.as(Deferred.await(gate), ConfirmOutcome.Declined({ code: "card_declined", declineCode: null, message: null })),
        lookup: () => Effect.die("unused"),
        refund: () => Effect.die("unused"),
        publishableKey: null
      }))
      yield* Effect.gen(function*() {
        const wrapped = yield* PaymentProcessor
        const declinedBefore = yield* count("declined")
        const before = yield* gauge("checkout.payment.attempts.in_flight")
        const first = yield* Effect.forkChild(wrapped.confirm(input))
        const second = yield* Effect.forkChild(wrapped.confirm(input))
        yield* Effect.sleep(20)
        assert.strictEqual(yield* gauge("checkout.payment.attempts.in_flight"), before + 2)
        // An interrupted call leaves the gauge too.
        yield* Fiber.interrupt(second)
        assert.strictEqual(yield* gauge("checkout.payment.attempts.in_flight"), before + 1)
        yield* Deferred.succeed(gate, undefined)
        const outcome = yield* Fiber.join(first)
        assert.strictEqual(outcome._tag, "Declined")
        assert.strictEqual(yield* gauge("checkout.payment.attempts.in_flight"), before)
        assert.strictEqual(yield* count("declined"), declinedBefore + 1)
      }).pipe(Effect.provide(PaymentMetrics.instrument(processor)))
    }))
})

describe("PaymentMetrics.pendingSampler", () => {
  it.live("samples the confirmed checkouts awaiting an outcome, asking for at most pendingCap, and survives a failed read", () =>
    Effect.gen(function*() {
      const pending = yield* Ref.make<number | "fail">(3)
      const limits: Array<number> = []
      const repo = {
        listConfirmed: (_: unknown, limit: number) =>
          Effect.flatMap(Ref.get(pending), (n) => {
            limits.push(limit)
            return n === "fail" ? Effect.die("database down") : Effect.succeed(Array.from({ length: Math.min(n, limit) }))
          })
      } as unknown as CheckoutRepository["Service"]
      const value = gauge("checkout.payment.attempts.pending")
      yield* Effect.gen(function*() {
        yield* Effect.sleep(300)
        assert.strictEqual(yield* value, 3)
        yield* Ref.set(pending, "fail")
        yield* Effect.sleep(300)
        assert.strictEqual(yield* value, 3)
        yield* Ref.set(pending, 5000)
        yield* Effect.sleep(300)
        assert.strictEqual(yield* value, PaymentMetrics.pendingCap)
      }).pipe(Effect.provide(PaymentMetrics.pendingSampler("10 millis").pipe(Layer.provide(Layer.succeed(CheckoutRepository, repo)))))
      assert.isTrue(limits.every((l) => l === PaymentMetrics.pendingCap))
    }))
})
