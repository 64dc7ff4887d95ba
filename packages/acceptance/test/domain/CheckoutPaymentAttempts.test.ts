/**
 * Payment attempts whose outcome is unknown (the processor may have charged, the answer was lost): the attempt is
 * recorded on the checkout, so the buyer's retry re-sends exactly the same request under the same idempotency key
 * (the processor replays it: one charge), a late notification of the processor completes or rotates it, and nothing
 * may change what the pending attempt charges meanwhile. The scripted processor refuses a reused key with other
 * parameters like Stripe's idempotency_error (a defect), which is how the "charged but never confirmed" bug showed.
 */
import { assert, describe, it } from "@effect/vitest"
import { MemoryStore } from "@checkout-kit/store-memory"
import { Cause, DateTime, Effect, Exit, Option } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import { Catalog } from "../../../domain/src/ports/Catalog.ts"
import { CheckoutRepository } from "../../../domain/src/ports/CheckoutRepository.ts"
import { Customers } from "../../../domain/src/ports/Customers.ts"
import { FakePaymentProcessor } from "../../../domain/src/testing/FakePaymentProcessor.ts"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput) => W.service.use((s) => s.create(W.caller, input))
const confirm = (secret: string, input: CheckoutService.ConfirmInput) => W.service.use((s) => s.confirm(secret, input))
const clientUpdate = (secret: string, input: CheckoutService.ClientUpdateInput) =>
  W.service.use((s) => s.clientUpdate(secret, input))
const update = (id: string, input: CheckoutService.UpdateInput) => W.service.use((s) => s.update(W.caller, id, input))
const succeeded = (n: CheckoutService.PaymentNotification) => W.service.use((s) => s.paymentSucceeded(n))
const failed = (n: CheckoutService.PaymentNotification) => W.service.use((s) => s.paymentFailed(n))
const stored = (id: string) => Effect.map(CheckoutRepository.use((r) => r.findById(id)), Option.getOrThrow)
const fake = FakePaymentProcessor
const calls = fake.use((f) => f.confirmCalls)
const charges = fake.use((f) => f.charges)

/** A first-time buyer: no customer with this email exists yet. */
const newBuyer = { customerEmail: "first@example.com", customerBillingAddress: W.frAddress }

/** The intent the processor really created for a key whose answer was lost. */
const realIntent = (key: string) =>
  Effect.map(fake.use((f) => f.answerFor(key)), (o) => {
    const outcome = Option.getOrThrow(o)
    if (outcome._tag !== "Succeeded") throw new Error(`expected a charge behind ${key}, got ${outcome._tag}`)
    return outcome.intentId
  })

describe("Unknown outcome, then the buyer retries", () => {
  it.effect("a first-time buyer retrying with a NEW token: same key, identical request replayed, one charge, confirmed", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const s = c.checkout.clientSecret
        const lost = yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        assert.strictEqual(lost._tag, "PaymentOutcomeUnknown")
        // Stripe.js mints a new ConfirmationToken on every submit.
        const retry = yield* Effect.exit(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_second" }))
        assert.isTrue(Exit.isSuccess(retry), Exit.isFailure(retry) ? Cause.pretty(retry.cause) : "")
        const v = Exit.isSuccess(retry) ? retry.value : undefined
        assert.strictEqual(v?.checkout.status, "confirmed")
        const all = yield* calls
        assert.deepStrictEqual(all.map((x) => [x.input.idempotencyKey, x.replayed]), [
          [`${c.checkout.id}:0`, false],
          [`${c.checkout.id}:0`, true]
        ])
        const [first, second] = [all[0]!.input, all[1]!.input]
        assert.deepStrictEqual(second, first)
        assert.strictEqual(second.confirmationTokenId, "ctok_first")
        assert.strictEqual(yield* charges, 1)
        assert.deepStrictEqual(yield* fake.use((f) => f.rejectedCalls), [])
        // One customer, one processor customer; the checkout is linked to it and the attempt is settled.
        const customer = Option.getOrThrow(yield* Customers.use((cs) => cs.findByEmail(W.org.id, "first@example.com")))
        assert.strictEqual(customer.processorCustomerId, first.processorCustomerId)
        const after = yield* stored(c.checkout.id)
        assert.deepStrictEqual([after.customerId, after.pendingPayment, after.currentIntentId], [
          customer.id,
          null,
          yield* realIntent(`${c.checkout.id}:0`)
        ])
      }),
      { script: { steps: ["unknown"] } }
    ))

  it.effect("the retry of an attempt whose request never reached the processor sends the same request, charged once", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const s = c.checkout.clientSecret
        assert.strictEqual((yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_first" })))._tag, "PaymentOutcomeUnknown")
        const v = yield* confirm(s, { ...newBuyer, confirmationTokenId: "ctok_second" })
        assert.strictEqual(v.checkout.status, "confirmed")
        const all = yield* calls
        assert.deepStrictEqual(all.map((x) => [x.input.idempotencyKey, x.input.confirmationTokenId, x.replayed]), [
          [`${c.checkout.id}:0`, "ctok_first", false],
          [`${c.checkout.id}:0`, "ctok_first", false]
        ])
        assert.strictEqual(yield* charges, 1)
      }),
      { script: { steps: [{ _tag: "unknown", charged: false }] } }
    ))

  it.effect("a replay that is declined settles the attempt: PaymentError, new key next time, a fresh token accepted", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const s = c.checkout.clientSecret
        yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        assert.strictEqual((yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_second" })))._tag, "PaymentError")
        const declined = yield* stored(c.checkout.id)
        assert.deepStrictEqual([declined.status, declined.paymentAttempt, declined.pendingPayment], ["open", 1, null])
        const v = yield* confirm(s, { ...newBuyer, confirmationTokenId: "ctok_third" })
        assert.strictEqual(v.checkout.status, "confirmed")
        assert.deepStrictEqual((yield* calls).map((x) => [x.input.idempotencyKey, x.input.confirmationTokenId]), [
          [`${c.checkout.id}:0`, "ctok_first"],
          [`${c.checkout.id}:0`, "ctok_first"],
          [`${c.checkout.id}:1`, "ctok_third"]
        ])
      }),
      { script: { steps: [{ _tag: "unknown", charged: false }, "decline"] } }
    ))

  it.effect("the retry re-sends the stored request even when the catalog changed meanwhile (product renamed)", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const s = c.checkout.clientSecret
        yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        yield* MemoryStore.MemoryStore.use((admin) => admin.putProduct({ ...W.fixed, name: "Fixed (renamed)" }))
        const v = yield* confirm(s, { ...newBuyer, confirmationTokenId: "ctok_second" })
        assert.strictEqual(v.checkout.status, "confirmed")
        const [first, second] = yield* calls
        assert.deepStrictEqual([second!.input, second!.replayed], [first!.input, true])
        assert.strictEqual(second!.input.description, "Acme — Fixed")
        assert.deepStrictEqual(yield* fake.use((f) => f.rejectedCalls), [])
      }),
      { script: { steps: ["unknown"] } }
    ))

  it.effect("the pending attempt is stored with the checkout as charged and the new customer linked", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        yield* Effect.flip(confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const [sent] = yield* calls
        const after = yield* stored(c.checkout.id)
        const customer = Option.getOrThrow(yield* Customers.use((cs) => cs.findByEmail(W.org.id, "first@example.com")))
        assert.deepStrictEqual(
          [after.status, after.paymentAttempt, after.customerId, after.customerEmail, after.customerBillingAddress?.country],
          ["confirmed", 0, customer.id, "first@example.com", "FR"]
        )
        assert.deepStrictEqual(after.pendingPayment, {
          attempt: 0,
          idempotencyKey: sent!.input.idempotencyKey,
          kind: "payment",
          confirmationTokenId: "ctok_first",
          amount: sent!.input.amount,
          currency: "usd",
          processorCustomerId: customer.processorCustomerId!,
          productPriceId: c.checkout.productPriceId,
          metadata: sent!.input.metadata,
          returnUrl: sent!.input.returnUrl,
          description: sent!.input.description,
          statementDescriptorSuffix: sent!.input.statementDescriptorSuffix,
          setupFutureUsage: false,
          intentId: null,
          state: "unknown",
          sentAt: yield* DateTime.now
        })
      }),
      { script: { steps: ["unknown"] } }
    ))
})

describe("Unknown outcome, then the processor's notification", () => {
  it.effect("a late success with the attempt's key confirms and succeeds the open checkout, without any retry", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id], discountId: W.half.id })
        yield* Effect.flip(confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const key = `${c.checkout.id}:0`
        const intentId = yield* realIntent(key)
        const r = yield* succeeded({ checkoutId: c.checkout.id, intentId, idempotencyKey: key })
        assert.strictEqual(r._tag, "Applied")
        const after = yield* stored(c.checkout.id)
        assert.deepStrictEqual(
          [after.status, after.currentIntentId, after.pendingPayment, after.paymentProcessorMetadata["intent_status"]],
          ["succeeded", intentId, null, "succeeded"]
        )
        assert.isTrue(Option.isSome(yield* Catalog.use((cat) => cat.findRedemption(c.checkout.id))))
        assert.deepStrictEqual((yield* W.eventsOf("checkout.succeeded")).map((e) => e.checkout.id), [c.checkout.id])
        assert.strictEqual((yield* calls).length, 1)
        assert.strictEqual(yield* charges, 1)
        // A duplicate delivery is a no-op, and the buyer's late retry finds the checkout done.
        const again = yield* succeeded({ checkoutId: c.checkout.id, intentId, idempotencyKey: key })
        assert.deepStrictEqual([again._tag, again._tag === "Ignored" ? again.reason : null], ["Ignored", "already_succeeded"])
        const late = yield* Effect.flip(confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_second" }))
        assert.strictEqual(late._tag, "NotOpenCheckout")
        assert.strictEqual((yield* calls).length, 1)
      }),
      { script: { steps: ["unknown"] } }
    ))

  it.effect("without a key, a success is matched on the intent id when the adapter learnt it", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        yield* Effect.flip(confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const intentId = yield* realIntent(`${c.checkout.id}:0`)
        assert.strictEqual((yield* stored(c.checkout.id)).pendingPayment?.intentId, intentId)
        const other = yield* Effect.flip(succeeded({ checkoutId: c.checkout.id, intentId: "pi_other" }))
        assert.strictEqual(other._tag, "NotConfirmedCheckout")
        const r = yield* succeeded({ checkoutId: c.checkout.id, intentId })
        assert.deepStrictEqual([r._tag, r.checkout.status], ["Applied", "succeeded"])
      }),
      { script: { steps: [{ _tag: "unknown", charged: true, intentKnown: true }] } }
    ))

  it.effect("a notification with another attempt's key does not settle the pending attempt", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        yield* Effect.flip(confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const intentId = yield* realIntent(`${c.checkout.id}:0`)
        const e = yield* Effect.flip(succeeded({ checkoutId: c.checkout.id, intentId, idempotencyKey: `${c.checkout.id}:9` }))
        assert.strictEqual(e._tag, "NotConfirmedCheckout")
        const ignored = yield* failed({ checkoutId: c.checkout.id, intentId, idempotencyKey: `${c.checkout.id}:9` })
        assert.deepStrictEqual([ignored._tag, ignored._tag === "Ignored" ? ignored.reason : null], ["Ignored", "superseded_intent"])
        assert.strictEqual((yield* stored(c.checkout.id)).pendingPayment?.attempt, 0)
      }),
      { script: { steps: ["unknown"] } }
    ))

  it.effect("a failure notification rotates the attempt: the next confirm is a new charge under a new key", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const s = c.checkout.clientSecret
        yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const r = yield* failed({ checkoutId: c.checkout.id, intentId: "pi_failed", idempotencyKey: `${c.checkout.id}:0` })
        assert.strictEqual(r._tag, "Applied")
        const after = yield* stored(c.checkout.id)
        assert.deepStrictEqual([after.status, after.paymentAttempt, after.pendingPayment], ["open", 1, null])
        // Settled: a change of the amount is allowed again, and the new token is used.
        yield* clientUpdate(s, { discountCode: "HALF" })
        const v = yield* confirm(s, { ...newBuyer, confirmationTokenId: "ctok_second" })
        assert.strictEqual(v.checkout.status, "confirmed")
        const all = yield* calls
        assert.deepStrictEqual(all.map((x) => [x.input.idempotencyKey, x.input.confirmationTokenId, x.replayed]), [
          [`${c.checkout.id}:0`, "ctok_first", false],
          [`${c.checkout.id}:1`, "ctok_second", false]
        ])
        assert.strictEqual(all[1]!.input.amount, all[0]!.input.amount / 2)
      }),
      { script: { steps: [{ _tag: "unknown", charged: false }] } }
    ))
})

describe("Unknown outcome: what is charged is frozen until the attempt is settled", () => {
  it.effect("the checkout is confirmed with the attempt pending, so an org or client update is CheckoutLocked; nothing changes", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.pwyw.id], amount: 1000 })
        yield* Effect.flip(confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const before = yield* stored(c.checkout.id)
        assert.strictEqual((yield* Effect.flip(update(c.checkout.id, { amount: 2000 })))._tag, "CheckoutLocked")
        assert.strictEqual((yield* Effect.flip(clientUpdate(c.checkout.clientSecret, { discountCode: "HALF" })))._tag, "CheckoutLocked")
        assert.strictEqual((yield* stored(c.checkout.id)).version, before.version)
        // The retry still replays the one charge.
        const v = yield* confirm(c.checkout.clientSecret, { ...newBuyer, confirmationTokenId: "ctok_second" })
        assert.strictEqual(v.checkout.status, "confirmed")
        assert.deepStrictEqual((yield* calls).map((x) => x.replayed), [false, true])
        assert.strictEqual(yield* charges, 1)
        // Answered: now an update is a final "not open".
        assert.strictEqual((yield* Effect.flip(update(c.checkout.id, { amount: 2000 })))._tag, "NotOpenCheckout")
      }),
      { script: { steps: ["unknown"] } }
    ))

  it.effect("a retry whose body would change the total re-sends the recorded request, unchanged: one charge", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const s = c.checkout.clientSecret
        yield* Effect.flip(confirm(s, { ...newBuyer, confirmationTokenId: "ctok_first" }))
        const v = yield* confirm(s, { ...newBuyer, confirmationTokenId: "ctok_second", discountCode: "HALF", customerBillingAddress: W.usAddress })
        assert.strictEqual(v.checkout.status, "confirmed")
        const [first, second] = yield* calls
        assert.deepStrictEqual([second!.input, second!.replayed], [first!.input, true])
        const after = yield* stored(c.checkout.id)
        assert.deepStrictEqual([after.discountId, after.customerBillingAddress?.country, after.pendingPayment], [null, "FR", null])
        assert.isTrue(Option.isNone(yield* Catalog.use((cat) => cat.findRedemption(c.checkout.id))))
        assert.strictEqual(yield* charges, 1)
        assert.deepStrictEqual(yield* fake.use((f) => f.rejectedCalls), [])
      }),
      { script: { steps: ["unknown"] } }
    ))
})
