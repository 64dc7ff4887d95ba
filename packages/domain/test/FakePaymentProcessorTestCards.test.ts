/**
 * The fake payment processor's test cards, as the server's local test mode runs it (`otherwise: "test_card"`, label
 * "local", random ids): outcomes by confirmation token like Stripe's test cards, Stripe's idempotency (a replay never
 * charges twice; a key reused with other parameters is a defect), settlements, customers and keys.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option, Queue } from "effect"
import { randomBytes } from "node:crypto"
import { type ConfirmInput, PaymentProcessor } from "../src/ports/PaymentProcessor.ts"
import * as FakePaymentProcessor from "../src/testing/FakePaymentProcessor.ts"

/** The script of the server's test mode (App.ts), without its `retain` bound: these tests read the call lists. */
const testMode: FakePaymentProcessor.Script = { otherwise: "test_card", label: "local", uniqueId: () => randomBytes(12).toString("hex") }

const make = Effect.map(FakePaymentProcessor.make(testMode), ({ processor, recorder }) => ({
  processor,
  charges: recorder.charges,
  confirmCalls: recorder.confirmCalls,
  settlements: recorder.settlements
}))

const input = (overrides: Partial<ConfirmInput> = {}): ConfirmInput => ({
  kind: "payment",
  checkoutId: "6f7c2a52-46a5-4a6b-9d2c-0c2a6d1f7d10",
  organizationId: "0e4b8f3e-7b1a-4b7e-9a59-3b1f0f1c2d3e",
  confirmationTokenId: "tok_visa",
  amount: 1999,
  currency: "usd",
  processorCustomerId: "cus_local_x",
  metadata: { checkout_id: "6f7c2a52-46a5-4a6b-9d2c-0c2a6d1f7d10" },
  returnUrl: "http://127.0.0.1:8000/checkout/x/confirmation",
  description: "Demo",
  statementDescriptorSuffix: "DEMO",
  setupFutureUsage: false,
  idempotencyKey: "checkout:6f7c2a52:confirm:1",
  ...overrides
})

describe("FakePaymentProcessor test cards (the server's local test mode)", () => {
  it("test cards map to the outcomes of the table", () => {
    assert.deepStrictEqual(
      ["tok_visa", "pm_card_chargeDeclined", "tok_chargeDeclinedInsufficientFunds", "tok_authenticationRequired", "tok_processing", "tok_lostResponse"]
        .map(FakePaymentProcessor.testCardOf),
      ["succeeded", "declined", "insufficient_funds", "requires_action", "processing", "lost_response"]
    )
  })

  it.effect("without test cards, the script's default step wins whatever the token, and previews stay empty", () =>
    Effect.gen(function*() {
      const { processor } = yield* FakePaymentProcessor.make({})
      const outcome = yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined" }))
      assert.strictEqual(outcome._tag, "Succeeded")
      assert.match(outcome._tag === "Succeeded" ? outcome.intentId : "", /^pi_fake_\d+$/u)
      assert.isTrue(Option.isNone(yield* processor.getConfirmationTokenPreview("tok_chargeDeclined")))
      assert.strictEqual(processor.publishableKey, "pk_test_fake")
    }))

  it.effect("tok_visa and unknown tokens succeed with a payment intent", () =>
    Effect.gen(function*() {
      const { processor } = yield* make
      for (const token of ["tok_visa", "tok_mastercard", "whatever"]) {
        const outcome = yield* processor.confirm(input({ confirmationTokenId: token, idempotencyKey: `k-${token}` }))
        assert.strictEqual(outcome._tag, "Succeeded")
        if (outcome._tag !== "Succeeded") return
        assert.match(outcome.intentId, /^pi_local_[0-9a-f]{24}$/u)
        assert.isTrue(outcome.clientSecret.startsWith(`${outcome.intentId}_secret_`))
        assert.strictEqual(outcome.intentStatus, "succeeded")
      }
    }))

  it.effect("declines like Stripe's decline test cards", () =>
    Effect.gen(function*() {
      const { processor, charges } = yield* make
      const generic = yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined", idempotencyKey: "a" }))
      assert.deepStrictEqual(
        generic._tag === "Declined" ? [generic.code, generic.declineCode, generic.message] : generic._tag,
        ["card_declined", "generic_decline", "Your card was declined."]
      )
      const funds = yield* processor.confirm(
        input({ confirmationTokenId: "tok_chargeDeclinedInsufficientFunds", idempotencyKey: "b" })
      )
      assert.strictEqual(funds._tag === "Declined" ? funds.declineCode : funds._tag, "insufficient_funds")
      assert.strictEqual(yield* charges, 0)
    }))

  it.effect("3-D Secure and processing tokens", () =>
    Effect.gen(function*() {
      const { processor } = yield* make
      const action = yield* processor.confirm(input({ confirmationTokenId: "tok_threeDSecure2Required", idempotencyKey: "a" }))
      assert.strictEqual(action._tag, "RequiresAction")
      assert.strictEqual(action._tag === "RequiresAction" ? action.intentStatus : "", "requires_action")
      const processing = yield* processor.confirm(input({ confirmationTokenId: "tok_processing", idempotencyKey: "b" }))
      assert.strictEqual(processing._tag === "Processing" ? processing.intentStatus : processing._tag, "processing")
    }))

  it.effect("setup confirms create a SetupIntent and charge nothing", () =>
    Effect.gen(function*() {
      const { processor, charges, confirmCalls } = yield* make
      const outcome = yield* processor.confirm(input({ kind: "setup", amount: 0 }))
      assert.match(outcome._tag === "Succeeded" ? outcome.intentId : "", /^seti_local_[0-9a-f]{24}$/u)
      assert.strictEqual(yield* charges, 1)
      assert.deepStrictEqual((yield* confirmCalls).map((c) => [c.input.kind, c.input.amount]), [["setup", 0]])
    }))

  it.effect("the same idempotency key replays the same outcome and never charges twice", () =>
    Effect.gen(function*() {
      const { processor, charges } = yield* make
      const first = yield* processor.confirm(input())
      // The domain re-sends the stored request byte for byte: the same charge, not a new one.
      const again = yield* processor.confirm(input())
      const concurrent = yield* Effect.all(
        Array.from({ length: 10 }, () => processor.confirm(input({ idempotencyKey: "parallel" }))),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(again, first)
      assert.strictEqual(new Set(concurrent.map((o) => (o._tag === "Succeeded" ? o.intentId : o._tag))).size, 1)
      assert.strictEqual(yield* charges, 2)
      const declined = yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined", idempotencyKey: "d" }))
      const declinedAgain = yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined", idempotencyKey: "d" }))
      assert.deepStrictEqual(declinedAgain, declined)
    }))

  it.effect("a lost response charged once; the retry with the same key gets that charge", () =>
    Effect.gen(function*() {
      const { processor, charges, confirmCalls } = yield* make
      const lost = yield* processor.confirm(input({ confirmationTokenId: "tok_lostResponse" }))
      assert.strictEqual(lost._tag, "Unknown")
      const retried = yield* processor.confirm(input({ confirmationTokenId: "tok_lostResponse" }))
      assert.strictEqual(retried._tag, "Succeeded")
      assert.strictEqual(yield* charges, 1)
      const made = (yield* confirmCalls)[0]
      assert.isFalse(made?.replayed)
      assert.strictEqual(lost._tag === "Unknown" ? lost.intentId : "", retried._tag === "Succeeded" ? retried.intentId : "none")
      assert.isTrue((yield* confirmCalls)[1]?.replayed)
    }))

  it.effect("every charge that went through settles once; declines, replays and 3-D Secure do not", () =>
    Effect.gen(function*() {
      const { processor, settlements } = yield* make
      const paid = yield* processor.confirm(input({ idempotencyKey: "paid" }))
      yield* processor.confirm(input({ idempotencyKey: "paid" }))
      yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined", idempotencyKey: "declined" }))
      yield* processor.confirm(input({ confirmationTokenId: "tok_threeDSecure2Required", idempotencyKey: "3ds" }))
      const processing = yield* processor.confirm(input({ confirmationTokenId: "tok_processing", idempotencyKey: "slow" }))
      const settled = yield* Queue.takeAll(settlements)
      assert.deepStrictEqual(settled, [
        { checkoutId: input().checkoutId, intentId: paid._tag === "Succeeded" ? paid.intentId : "" },
        { checkoutId: input().checkoutId, intentId: processing._tag === "Processing" ? processing.intentId : "" }
      ])
    }))

  it.effect("reusing a key for another amount, or with another token, is a defect (Stripe's idempotency_error)", () =>
    Effect.gen(function*() {
      const { processor } = yield* make
      yield* processor.confirm(input())
      assert.isTrue(Exit.hasDies(yield* Effect.exit(processor.confirm(input({ amount: 5000 })))))
      assert.isTrue(Exit.hasDies(yield* Effect.exit(processor.confirm(input({ confirmationTokenId: "tok_visa_2" })))))
    }))

  it.effect("customers and keys", () =>
    Effect.gen(function*() {
      const processor = yield* PaymentProcessor
      const created = yield* processor.upsertCustomer({ existingId: null, email: "a@b.c", name: null, address: null, taxId: null })
      assert.match(created.processorCustomerId, /^cus_local_[0-9a-f]{24}$/u)
      const other = yield* processor.upsertCustomer({ existingId: null, email: "d@b.c", name: null, address: null, taxId: null })
      assert.notStrictEqual(other.processorCustomerId, created.processorCustomerId)
      const updated = yield* processor.upsertCustomer({
        existingId: created.processorCustomerId, email: "a@b.c", name: "A", address: null, taxId: null
      })
      assert.strictEqual(updated.processorCustomerId, created.processorCustomerId)
      assert.strictEqual(processor.publishableKey, "pk_test_local")
      const preview = yield* processor.getConfirmationTokenPreview("tok_chargeDeclined")
      assert.strictEqual(Option.getOrThrow(preview).cardFingerprint, "fp_local_declined")
    }).pipe(Effect.provide(Layer.fresh(FakePaymentProcessor.layer(testMode)))))
})
