/**
 * What the fake payment processor keeps (`Script.retain`): by default every call and every idempotency key (the
 * tests' recorder); with a bound, as the server's long-running local test mode runs it, no call lists and at most
 * that many keys, the oldest forgotten first; a held key still replays, and lookups (by intent id, by checkout) and
 * refunds find what is held however many attempts came before.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Option, Queue } from "effect"
import type { ConfirmInput, ConfirmOutcome, LookupInput } from "../src/ports/PaymentProcessor.ts"
import * as FakePaymentProcessor from "../src/testing/FakePaymentProcessor.ts"
import * as HeldAttempts from "../src/testing/HeldAttempts.ts"

const checkout = (n: number) => `6f7c2a52-46a5-4a6b-9d2c-${n.toString(16).padStart(12, "0")}`

const input = (n: number, overrides: Partial<ConfirmInput> = {}): ConfirmInput => ({
  kind: "payment",
  checkoutId: checkout(n),
  organizationId: "0e4b8f3e-7b1a-4b7e-9a59-3b1f0f1c2d3e",
  confirmationTokenId: "tok_visa",
  amount: 1000 + n,
  currency: "usd",
  processorCustomerId: "cus_local_x",
  metadata: { checkout_id: checkout(n) },
  returnUrl: "http://127.0.0.1:8000/checkout/x/confirmation",
  description: "Demo",
  statementDescriptorSuffix: "DEMO",
  setupFutureUsage: false,
  idempotencyKey: `checkout:${n}:confirm:1`,
  ...overrides
})

const byCheckout = (n: number, kind: LookupInput["kind"] = null): LookupInput => ({
  kind,
  checkoutId: checkout(n),
  idempotencyKey: `checkout:${n}:confirm:1`,
  processorCustomerId: "cus_local_x",
  intentId: null
})
const byIntent = (intentId: string): LookupInput => ({ ...byCheckout(0), intentId })

const refundOf = (intentId: string, idempotencyKey: string) => ({ checkoutId: checkout(0), intentId, idempotencyKey, reason: "test" })

const intentIdOf = (outcome: ConfirmOutcome | { readonly _tag: "NotFound" }): string =>
  "intentId" in outcome && outcome.intentId !== null ? outcome.intentId : outcome._tag

const testCards = { otherwise: "test_card" } as const

describe("FakePaymentProcessor retain", () => {
  it.effect("by default (\"all\") every call is recorded and every key held, however many", () =>
    Effect.gen(function*() {
      for (const script of [testCards, { ...testCards, retain: "all" } as const]) {
        const { processor, recorder } = yield* FakePaymentProcessor.make(script)
        const first = yield* processor.confirm(input(0))
        for (let n = 1; n < 300; n++) yield* processor.confirm(input(n))
        yield* processor.confirm(input(0))
        yield* Effect.exit(processor.confirm(input(0, { amount: 1 })))
        yield* processor.upsertCustomer({ existingId: null, email: "a@b.c", name: null, address: null, taxId: null })
        yield* processor.lookup(byCheckout(0))
        const calls = yield* recorder.confirmCalls
        assert.strictEqual(calls.length, 301)
        assert.deepStrictEqual(calls.filter((c) => c.replayed).map((c) => c.input.idempotencyKey), [input(0).idempotencyKey])
        assert.strictEqual((yield* recorder.rejectedCalls).length, 1)
        assert.strictEqual((yield* recorder.customerCalls).length, 1)
        assert.strictEqual((yield* recorder.lookups).length, 1)
        assert.deepStrictEqual(yield* recorder.answerFor(input(0).idempotencyKey), Option.some(first))
        assert.strictEqual(yield* recorder.charges, 300)
      }
    }))

  it.effect("beyond the bound the oldest keys are forgotten: their answers, lookups and refunds; a forgotten key is a new request", () =>
    Effect.gen(function*() {
      const { processor, recorder } = yield* FakePaymentProcessor.make({ ...testCards, retain: { attempts: 3 } })
      const outcomes: Array<ConfirmOutcome> = []
      for (let n = 0; n < 5; n++) outcomes.push(yield* processor.confirm(input(n)))
      const held = yield* Effect.forEach([0, 1, 2, 3, 4], (n) => recorder.answerFor(input(n).idempotencyKey))
      assert.deepStrictEqual(held.map(Option.isSome), [false, false, true, true, true])
      assert.deepStrictEqual(yield* processor.lookup(byIntent(intentIdOf(outcomes[0]!))), { _tag: "NotFound" })
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(1)), { _tag: "NotFound" })
      const refund = yield* processor.refund(refundOf(intentIdOf(outcomes[0]!), "refund:0"))
      assert.deepStrictEqual(refund, { _tag: "Nothing" })
      // Stripe after 24 hours: the same key is a new request (a new intent), and other parameters are no defect.
      const again = yield* processor.confirm(input(0))
      assert.notStrictEqual(intentIdOf(again), intentIdOf(outcomes[0]!))
      assert.strictEqual(yield* recorder.charges, 6)
      assert.isTrue(Exit.isSuccess(yield* Effect.exit(processor.confirm(input(1, { amount: 1 })))))
      // No call lists in bounded mode.
      yield* processor.upsertCustomer({ existingId: null, email: "a@b.c", name: null, address: null, taxId: null })
      assert.deepStrictEqual(
        [(yield* recorder.confirmCalls).length, (yield* recorder.customerCalls).length, (yield* recorder.lookups).length],
        [0, 0, 0]
      )
    }))

  it.effect("within the bound a key replays its answer (no new charge, no settlement) and other parameters are a defect", () =>
    Effect.gen(function*() {
      const { processor, recorder } = yield* FakePaymentProcessor.make({ ...testCards, retain: { attempts: 3 } })
      for (let n = 0; n < 5; n++) yield* processor.confirm(input(n))
      assert.strictEqual((yield* Queue.clear(recorder.settlements)).length, 5)
      const first = yield* recorder.answerFor(input(2).idempotencyKey)
      const replayed = yield* processor.confirm(input(2))
      assert.deepStrictEqual(Option.some(replayed), first)
      assert.strictEqual(yield* recorder.charges, 5)
      assert.strictEqual(yield* Queue.size(recorder.settlements), 0)
      assert.isTrue(Exit.hasDies(yield* Effect.exit(processor.confirm(input(2, { amount: 1 })))))
      assert.deepStrictEqual((yield* recorder.rejectedCalls).length, 0)
    }))

  it.effect("after many attempts lookups by intent id and by checkout, and refunds, find what is held", () =>
    Effect.gen(function*() {
      const { processor, recorder } = yield* FakePaymentProcessor.make({ ...testCards, retain: { attempts: 1000 } })
      // 3000 checkouts, each a declined payment, a setup, then a payment (the newest): 9000 keys, the last 1000 held.
      const last = new Map<number, { setup: ConfirmOutcome; payment: ConfirmOutcome }>()
      for (let n = 0; n < 3000; n++) {
        yield* processor.confirm(input(n, { confirmationTokenId: "tok_chargeDeclined", idempotencyKey: `d${n}` }))
        const setup = yield* processor.confirm(input(n, { kind: "setup", amount: 0, idempotencyKey: `s${n}` }))
        const payment = yield* processor.confirm(input(n, { idempotencyKey: `p${n}` }))
        last.set(n, { setup, payment })
      }
      assert.strictEqual(yield* recorder.charges, 6000)
      const recent = last.get(2900)!
      assert.deepStrictEqual(yield* processor.lookup(byIntent(intentIdOf(recent.payment))), recent.payment)
      assert.deepStrictEqual(yield* processor.lookup(byIntent(intentIdOf(recent.setup))), recent.setup)
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(2900)), recent.payment)
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(2900, "setup")), recent.setup)
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(2900, "payment")), recent.payment)
      // Checkout 2666: its declined payment and its setup are forgotten (keys 7998, 7999), its payment (key 8000) held.
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(2666, "setup")), { _tag: "NotFound" })
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(2666)), last.get(2666)!.payment)
      assert.deepStrictEqual(yield* processor.lookup(byCheckout(5)), { _tag: "NotFound" })
      const refund = yield* processor.refund(refundOf(intentIdOf(recent.payment), "refund:r"))
      assert.deepStrictEqual([refund._tag, refund._tag === "Refunded" ? refund.amount : null], ["Refunded", 1000 + 2900])
      assert.deepStrictEqual(yield* processor.refund(refundOf(intentIdOf(recent.payment), "refund:r")), refund)
      assert.deepStrictEqual(
        yield* processor.refund(refundOf(intentIdOf(recent.setup), "refund:s")),
        { _tag: "Nothing" }
      )
    }))
})

describe("HeldAttempts", () => {
  const held = (checkoutId: string, intentId: string): HeldAttempts.Held => ({
    outcome: { _tag: "Succeeded", intentId, clientSecret: `${intentId}_secret`, intentStatus: "succeeded" } as ConfirmOutcome,
    params: "{}",
    checkoutId,
    kind: "payment",
    amount: 1000
  })

  it("never holds more keys than its limit, and forgets every index of a forgotten key", () => {
    const store = HeldAttempts.make(100)
    for (let n = 0; n < 10_000; n++) {
      store.add(`k${n}`, held(`c${n % 7}`, `pi_${n}`))
      assert.isAtMost(store.size(), 100)
    }
    assert.strictEqual(store.charges(), 10_000)
    assert.isUndefined(store.get("k9899"))
    assert.isUndefined(store.byIntentId("pi_9899"))
    assert.strictEqual(store.get("k9900")?.checkoutId, "c2")
    assert.strictEqual(store.byIntentId("pi_9999")?.checkoutId, "c3")
    // The newest of checkout c3 (9999 % 7 = 3), and after another 100 keys of other checkouts, nothing of c3.
    assert.strictEqual(store.newestFor("c3", null), store.byIntentId("pi_9999"))
    for (let n = 0; n < 100; n++) store.add(`x${n}`, held("other", `pi_x${n}`))
    assert.isUndefined(store.newestFor("c3", null))
  })

  it("BoundedMap keeps the newest keys and says which it forgets; without a limit it forgets none", () => {
    const forgotten: Array<string> = []
    const map = new HeldAttempts.BoundedMap<string, number>(3, (key) => forgotten.push(key))
    for (let n = 0; n < 5000; n++) map.set(`k${n}`, n)
    assert.deepStrictEqual([...map.values()], [4997, 4998, 4999])
    assert.deepStrictEqual([forgotten.length, forgotten[0], forgotten.at(-1)], [4997, "k0", "k4996"])
    const all = new HeldAttempts.BoundedMap<string, number>(Infinity)
    for (let n = 0; n < 5000; n++) all.set(`k${n}`, n)
    assert.deepStrictEqual([all.size, all.get("k0")], [5000, 0])
  })
})
