import { assert, describe, it } from "@effect/vitest"
import { PaymentProcessor } from "@checkout-kit/domain"
import type { ConfirmInput } from "@checkout-kit/domain"
import { Effect, Exit, Option, Queue } from "effect"
import * as LocalTestProcessor from "../src/LocalTestProcessor.ts"

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

describe("LocalTestProcessor", () => {
  it.effect("tok_visa and unknown tokens succeed with a payment intent", () =>
    Effect.gen(function*() {
      const { processor } = yield* LocalTestProcessor.make
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
      const { processor, charges } = yield* LocalTestProcessor.make
      const generic = yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined", idempotencyKey: "a" }))
      assert.deepStrictEqual(
        generic._tag === "Declined" ? [generic.code, generic.declineCode, generic.message] : generic._tag,
        ["card_declined", "generic_decline", "Your card was declined."]
      )
      const funds = yield* processor.confirm(
        input({ confirmationTokenId: "tok_chargeDeclinedInsufficientFunds", idempotencyKey: "b" })
      )
      assert.strictEqual(funds._tag === "Declined" ? funds.declineCode : funds._tag, "insufficient_funds")
      assert.strictEqual((yield* charges).length, 0)
    }))

  it.effect("3-D Secure and processing tokens", () =>
    Effect.gen(function*() {
      const { processor } = yield* LocalTestProcessor.make
      const action = yield* processor.confirm(input({ confirmationTokenId: "tok_threeDSecure2Required", idempotencyKey: "a" }))
      assert.strictEqual(action._tag, "RequiresAction")
      assert.strictEqual(action._tag === "RequiresAction" ? action.intentStatus : "", "requires_action")
      const processing = yield* processor.confirm(input({ confirmationTokenId: "tok_processing", idempotencyKey: "b" }))
      assert.strictEqual(processing._tag === "Processing" ? processing.intentStatus : processing._tag, "processing")
    }))

  it.effect("setup confirms create a SetupIntent and charge nothing", () =>
    Effect.gen(function*() {
      const { processor, charges } = yield* LocalTestProcessor.make
      const outcome = yield* processor.confirm(input({ kind: "setup", amount: 0 }))
      assert.match(outcome._tag === "Succeeded" ? outcome.intentId : "", /^seti_local_/u)
      assert.deepStrictEqual((yield* charges).map((c) => [c.kind, c.amount]), [["setup", 0]])
    }))

  it.effect("the same idempotency key replays the same outcome and never charges twice", () =>
    Effect.gen(function*() {
      const { processor, charges } = yield* LocalTestProcessor.make
      const first = yield* processor.confirm(input())
      // A resubmitted confirm may carry a freshly minted token: still the same charge.
      const again = yield* processor.confirm(input({ confirmationTokenId: "tok_visa_2" }))
      const concurrent = yield* Effect.all(
        Array.from({ length: 10 }, () => processor.confirm(input({ idempotencyKey: "parallel" }))),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(again, first)
      assert.strictEqual(new Set(concurrent.map((o) => (o._tag === "Succeeded" ? o.intentId : o._tag))).size, 1)
      assert.strictEqual((yield* charges).length, 2)
      const declined = yield* processor.confirm(input({ confirmationTokenId: "tok_chargeDeclined", idempotencyKey: "d" }))
      const declinedAgain = yield* processor.confirm(input({ idempotencyKey: "d" }))
      assert.deepStrictEqual(declinedAgain, declined)
    }))

  it.effect("a lost response charged once; the retry with the same key gets that charge", () =>
    Effect.gen(function*() {
      const { processor, charges } = yield* LocalTestProcessor.make
      const lost = yield* processor.confirm(input({ confirmationTokenId: "tok_lostResponse" }))
      assert.strictEqual(lost._tag, "Unknown")
      const retried = yield* processor.confirm(input({ confirmationTokenId: "tok_lostResponse" }))
      assert.strictEqual(retried._tag, "Succeeded")
      const made = yield* charges
      assert.strictEqual(made.length, 1)
      assert.strictEqual(retried._tag === "Succeeded" ? retried.intentId : "", made[0]?.intentId)
      assert.strictEqual(lost._tag === "Unknown" ? lost.intentId : "", made[0]?.intentId)
    }))

  it.effect("every charge that went through settles once; declines, replays and 3-D Secure do not", () =>
    Effect.gen(function*() {
      const { processor, settlements } = yield* LocalTestProcessor.make
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

  it.effect("reusing a key for another amount is a defect", () =>
    Effect.gen(function*() {
      const { processor } = yield* LocalTestProcessor.make
      yield* processor.confirm(input())
      const exit = yield* Effect.exit(processor.confirm(input({ amount: 5000 })))
      assert.isTrue(Exit.hasDies(exit))
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
    }).pipe(Effect.provide(LocalTestProcessor.layer)))
})
