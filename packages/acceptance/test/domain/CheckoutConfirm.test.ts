/**
 * Reference catalogue, TestConfirm (spec 5, 7.1) plus the payment-attempt guarantees of our design: a declined
 * confirm leaves nothing behind and rotates the idempotency key; an unknown outcome keeps it, so a retry replays the
 * same charge. Runs the real service over the in-memory store with the scripted processor.
 */
import { assert, describe, it } from "@effect/vitest"
import { MemoryStore } from "@checkout-kit/store-memory"
import { Effect, Option } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import { Catalog } from "../../../domain/src/ports/Catalog.ts"
import { Customers } from "../../../domain/src/ports/Customers.ts"
import { FakePaymentProcessor } from "../../../domain/src/testing/FakePaymentProcessor.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput, caller: CheckoutService.Caller = W.caller) =>
  W.service.use((s) => s.create(caller, input))
const confirm = (secret: string, input: CheckoutService.ConfirmInput) => W.service.use((s) => s.confirm(secret, input))
const why = <A, E extends { readonly _tag: string }, R>(e: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(e), (x) => ({ tag: x._tag, locs: W.locsOf(x), msgs: W.msgsOf(x) }))
const clientGet = (secret: string) => W.service.use((s) => s.clientGet(secret))
const calls = FakePaymentProcessor.use((f) => f.confirmCalls)
const redemption = (checkoutId: string) => Catalog.use((c) => c.findRedemption(checkoutId))

const complete = { customerEmail: "buyer@example.com", customerBillingAddress: W.frAddress, confirmationTokenId: "ctok_1" }

describe("TestConfirm", () => {
  it.effect("test_missing_required_field", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const s = c.checkout.clientSecret
      assert.deepStrictEqual((yield* why(confirm(s, {}))).locs, [
        "body.customer_email",
        "body.customer_billing_address",
        "body.customer_billing_address.country",
        "body.confirmation_token_id"
      ])
      assert.deepStrictEqual((yield* why(confirm(s, { confirmationTokenId: "t" }))).locs, [
        "body.customer_email",
        "body.customer_billing_address",
        "body.customer_billing_address.country"
      ])
      const us = yield* why(confirm(s, { ...complete, customerBillingAddress: { country: "US" } }))
      assert.deepStrictEqual(us.locs, [
        "body.customer_billing_address.state",
        "body.customer_billing_address.line1",
        "body.customer_billing_address.city",
        "body.customer_billing_address.postal_code"
      ])
      const ny = yield* why(confirm(s, { ...complete, customerBillingAddress: { country: "US", state: "NY" } }))
      assert.deepStrictEqual(ny.locs, [
        "body.customer_billing_address.line1",
        "body.customer_billing_address.city",
        "body.customer_billing_address.postal_code"
      ])
      const ca = yield* why(confirm(s, { ...complete, customerBillingAddress: { country: "CA" } }))
      assert.deepStrictEqual(ca.locs, ["body.customer_billing_address.state"])
      assert.strictEqual((yield* calls).length, 0)
    })))

  it.effect("test_full_billing_address_required_for_payment_method", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const e = yield* why(confirm(c.checkout.clientSecret, { ...complete, paymentMethodType: "upi", customerBillingAddress: { country: "IN" } }))
      assert.include(e.locs, "body.customer_billing_address")
      assert.include(e.msgs, "Full billing address is required.")
    })))

  it.effect("test_wallet_name_from_confirmation_token / test_wallet_name_missing_succeeds", () =>
    W.run(
      Effect.gen(function*() {
        const a = yield* create({ products: [W.fixed.id] })
        const v = yield* confirm(a.checkout.clientSecret, { ...complete, confirmationTokenId: "ctok_wallet" })
        assert.deepStrictEqual([v.checkout.status, v.checkout.customerName], ["confirmed", "Beppe Boris"])
        const b = yield* create({ products: [W.fixed.id] })
        const n = yield* confirm(b.checkout.clientSecret, { ...complete, confirmationTokenId: "ctok_unknown" })
        assert.deepStrictEqual([n.checkout.status, n.checkout.customerName], ["confirmed", null])
        const c = yield* create({ products: [W.fixed.id] })
        const kept = yield* confirm(c.checkout.clientSecret, { ...complete, customerName: "Given", confirmationTokenId: "ctok_wallet" })
        assert.strictEqual(kept.checkout.customerName, "Given")
      }),
      { script: { tokens: { ctok_wallet: { billingName: "Beppe Boris", cardFingerprint: null } } } }
    ))

  it.effect("test_not_open", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      yield* confirm(c.checkout.clientSecret, complete)
      assert.strictEqual((yield* why(confirm(c.checkout.clientSecret, complete))).tag, "NotOpenCheckout")
      assert.strictEqual((yield* calls).length, 1)
    })))

  it.effect("test_deleted_customer", () =>
    W.run(Effect.gen(function*() {
      const linked = F.customer({ organizationId: W.org.id, email: "soon-gone@example.com" })
      yield* Customers.use((c) => c.insert(linked))
      const c = yield* create({ products: [W.fixed.id], customerId: linked.id })
      yield* Customers.use((c) => c.update({ ...linked, deletedAt: F.epoch }))
      assert.strictEqual((yield* why(confirm(c.checkout.clientSecret, complete))).tag, "CheckoutCustomerDeleted")
    })))

  it.effect("test_external_id_mismatch / test_external_id_no_mismatch_same_email", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], externalCustomerId: "ext-late" })
      yield* Customers.use((cs) => cs.insert(F.customer({ organizationId: W.org.id, email: "owner@example.com", externalId: "ext-late" })))
      assert.strictEqual((yield* why(confirm(c.checkout.clientSecret, complete))).tag, "CheckoutCustomerExternalIdMismatch")
      const same = yield* confirm(c.checkout.clientSecret, { ...complete, customerEmail: "owner@example.com" })
      assert.strictEqual(same.checkout.status, "confirmed")
      const owner = yield* Customers.use((cs) => cs.findByEmail(W.org.id, "owner@example.com"))
      assert.strictEqual(same.checkout.customerId, Option.getOrThrow(owner).id)
    })))

  it.effect("test_archived_price", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const price = W.fixed.prices[0]!
      yield* MemoryStore.MemoryStore.use((m) => m.putProduct({ ...W.fixed, prices: [{ ...price, isArchived: true }] }))
      const e = yield* why(confirm(c.checkout.clientSecret, complete))
      assert.deepStrictEqual([e.locs, e.msgs], [["body.product_price_id"], ["Price is archived."]])
    })))

  it.effect("test_missing_required_custom_field / test_validate_custom_fields_even_if_data_unset", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.withFields.id], customFieldData: { select: "a" } })
      assert.deepStrictEqual((yield* why(confirm(c.checkout.clientSecret, complete))).locs, ["body.custom_field_data.select"])
      const e = yield* why(confirm(c.checkout.clientSecret, { ...complete, customFieldData: { text: "x" } }))
      assert.deepStrictEqual(e.locs, ["body.custom_field_data.select"])
      const ok = yield* confirm(c.checkout.clientSecret, { ...complete, customFieldData: { select: "b" } })
      assert.deepStrictEqual(ok.checkout.customFieldData, { select: "b" })
    })))

  it.effect("test_calculate_tax_error / test_setup_intent_address_validation", () =>
    W.run(
      Effect.gen(function*() {
        for (const product of [W.fixed, W.recurringTrial]) {
          const c = yield* create({ products: [product.id] })
          const e = yield* why(confirm(c.checkout.clientSecret, { ...complete, customerBillingAddress: W.usAddress }))
          assert.deepStrictEqual([e.locs, e.msgs], [["body.customer_billing_address"], ["Invalid postal code provided"]])
        }
      }),
      { tax: { logicalErrors: { US: "Invalid postal code provided" } } }
    ))

  it.effect("test_business_customer_missing_fields", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const noAddress = yield* why(confirm(c.checkout.clientSecret, { ...complete, isBusinessCustomer: true, customerBillingName: "Biz" }))
      assert.includeMembers([...noAddress.locs], ["body.customer_billing_address.line1", "body.customer_billing_address.city"])
      const noName = yield* why(confirm(c.checkout.clientSecret, {
        ...complete,
        isBusinessCustomer: true,
        customerBillingAddress: { country: "FR", line1: "1 rue", city: "Paris", postalCode: "75001" }
      }))
      assert.deepStrictEqual(noName.locs, ["body.customer_billing_name"])
    })))

  it.effect("test_valid_stripe (FR and CA/QC)", () =>
    W.run(Effect.gen(function*() {
      const fr = yield* create({ products: [W.fixed.id], customerMetadata: { plan: "pro" } })
      const v = yield* confirm(fr.checkout.clientSecret, complete)
      assert.strictEqual(v.checkout.status, "confirmed")
      assert.deepStrictEqual(Object.keys(v.checkout.paymentProcessorMetadata).sort(), [
        "customer_id",
        "intent_client_secret",
        "intent_status",
        "publishable_key"
      ])
      assert.strictEqual(v.checkout.paymentProcessorMetadata["intent_status"], "succeeded")
      assert.isNotNull(v.customerSessionToken)
      const [call] = yield* calls
      assert.deepStrictEqual(call!.input.metadata, {
        organization_id: W.org.id,
        checkout_id: v.checkout.id,
        type: "product",
        tax_amount: String(v.checkout.taxAmount),
        tax_country: "FR"
      })
      assert.deepStrictEqual(
        [call!.input.kind, call!.input.amount, call!.input.currency, call!.input.statementDescriptorSuffix],
        ["payment", v.checkout.totalAmount, "usd", "acme-corporatio"]
      )
      assert.strictEqual(call!.input.idempotencyKey, `${v.checkout.id}:0`)
      assert.strictEqual(call!.input.returnUrl, `http://localhost:3000/checkout/${v.checkout.clientSecret}/confirmation`)
      const buyer = Option.getOrThrow(yield* Customers.use((c) => c.findByEmail(W.org.id, "buyer@example.com")))
      assert.deepStrictEqual([buyer.metadata, v.checkout.customerId], [{ plan: "pro" }, buyer.id])
      assert.strictEqual(v.checkout.paymentProcessorMetadata["customer_id"], buyer.processorCustomerId)

      const ca = yield* create({ products: [W.fixed.id] })
      yield* confirm(ca.checkout.clientSecret, {
        ...complete,
        customerBillingAddress: { country: "CA", state: "QC", line1: "1 rue", city: "Montreal", postalCode: "H2X 1Y4" }
      })
      const caCall = (yield* calls)[1]!
      assert.deepStrictEqual([caCall.input.metadata["tax_country"], caCall.input.metadata["tax_state"]], ["CA", "QC"])
    })))

  it.effect("test_valid_fully_discounted_subscription (SetupIntent, redemption recorded)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.recurring.id], discountId: W.fullOnce.id })
      const v = yield* confirm(c.checkout.clientSecret, complete)
      assert.strictEqual(v.checkout.status, "confirmed")
      assert.strictEqual((yield* calls)[0]!.input.kind, "setup")
      assert.deepStrictEqual(Option.getOrThrow(yield* redemption(v.checkout.id)), { discountId: W.fullOnce.id })
    })))

  it.effect("test_valid_fully_discounted_forever_subscription (no intent, succeeded at once)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.recurring.id], discountId: W.fullForever.id })
      const v = yield* confirm(c.checkout.clientSecret, { customerEmail: "buyer@example.com" })
      assert.strictEqual(v.checkout.status, "confirmed")
      assert.strictEqual((yield* calls).length, 0)
      assert.strictEqual((yield* FakePaymentProcessor.use((f) => f.customerCalls)).length, 1)
      assert.isTrue(Option.isSome(yield* redemption(v.checkout.id)))
      assert.strictEqual((yield* clientGet(c.checkout.clientSecret)).checkout.status, "succeeded")
      assert.strictEqual((yield* W.eventsOf("checkout.succeeded")).length, 1)
    })))

  it.effect("test_full_discount_resets_payment_method / _resets_is_business_customer (code at confirm)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const v = yield* confirm(c.checkout.clientSecret, {
        customerEmail: "buyer@example.com",
        paymentMethodType: "upi",
        isBusinessCustomer: true,
        discountCode: "FULLONCE"
      })
      assert.deepStrictEqual([v.checkout.paymentMethodType, v.checkout.isBusinessCustomer], [null, false])
      assert.strictEqual((yield* calls).length, 0)
    })))

  it.effect("test_valid_custom_pricing_discount", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.pwyw.id], amount: 2000 })
      const v = yield* confirm(c.checkout.clientSecret, { ...complete, customerBillingAddress: { country: "FR" }, discountCode: "HALF" })
      assert.deepStrictEqual([v.checkout.amount, v.checkout.discountAmount, v.checkout.totalAmount], [2000, 1000, 1000])
      assert.strictEqual((yield* calls)[0]!.input.kind, "payment")
      assert.isTrue(Option.isSome(yield* redemption(v.checkout.id)))
    })))

  it.effect("test_valid_stripe_free", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.free.id] })
      const v = yield* confirm(c.checkout.clientSecret, { customerEmail: "free@example.com" })
      assert.strictEqual(v.checkout.status, "confirmed")
      assert.strictEqual((yield* calls).length, 0)
      assert.strictEqual((yield* FakePaymentProcessor.use((f) => f.customerCalls)).length, 1)
      assert.strictEqual((yield* clientGet(c.checkout.clientSecret)).checkout.status, "succeeded")
    })))

  it.effect("test_valid_stripe_existing_customer (update, metadata merged, email kept)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], customerId: W.customer.id, customerMetadata: { key: "updated" } })
      // The prefilled business customer keeps its full address: the body does not resend it.
      yield* confirm(c.checkout.clientSecret, { customerEmail: "changed@example.com", confirmationTokenId: "ctok_1" })
      const [upsert] = yield* FakePaymentProcessor.use((f) => f.customerCalls)
      assert.strictEqual(upsert!.existingId, "cus_existing")
      const stored = Option.getOrThrow(yield* Customers.use((cs) => cs.findById(W.customer.id)))
      assert.deepStrictEqual(stored.metadata, { key: "updated", key2: "kept" })
      assert.strictEqual(stored.email, "known@example.com")
      assert.strictEqual(stored.name, "Known Buyer")
    })))

  it.effect("test_customer_email_association (matched by email: no session token)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const v = yield* confirm(c.checkout.clientSecret, { ...complete, customerEmail: "known@example.com" })
      assert.deepStrictEqual([v.checkout.customerId, v.customerSessionToken], [W.customer.id, null])
    })))

  it.effect("test_payment_not_ready_* (paid, recurring, 100% once recurring refused; free, 100% forever, 100% once one-time allowed)", () =>
    W.run(Effect.gen(function*() {
      const nr = { organizationId: W.notReadyOrg.id }
      const attempt = (input: CheckoutService.CreateInput, body: CheckoutService.ConfirmInput = complete) =>
        Effect.flatMap(create(input, nr), (c) => Effect.map(Effect.result(confirm(c.checkout.clientSecret, body)), (r) =>
          r._tag === "Success" ? r.success.checkout.status : r.failure._tag))
      assert.strictEqual(yield* attempt({ products: [W.notReadyProduct.id] }), "PaymentNotReady")
      assert.strictEqual(yield* attempt({ products: [W.notReadyRecurring.id] }), "PaymentNotReady")
      assert.strictEqual(yield* attempt({ products: [W.notReadyRecurring.id], discountId: W.notReadyFullOnce.id }), "PaymentNotReady")
      assert.strictEqual(yield* attempt({ products: [W.notReadyFree.id] }, { customerEmail: "a@b.co" }), "confirmed")
      assert.strictEqual(
        yield* attempt({ products: [W.notReadyRecurring.id], discountId: W.notReadyFullForever.id }, { customerEmail: "a@b.co" }),
        "confirmed"
      )
      assert.strictEqual(
        yield* attempt({ products: [W.notReadyProduct.id], discountId: W.notReadyFullOnce.id }, { customerEmail: "a@b.co" }),
        "confirmed"
      )
      assert.strictEqual((yield* calls).length, 0)
    })))

  it.effect("a discount that is no longer redeemable at confirm is a 422 on discount_id", () =>
    W.run(Effect.gen(function*() {
      const a = yield* create({ products: [W.fixed.id], discountId: W.cappedOnce.id })
      const b = yield* create({ products: [W.fixed.id], discountId: W.cappedOnce.id })
      yield* confirm(a.checkout.clientSecret, complete)
      const e = yield* why(confirm(b.checkout.clientSecret, complete))
      assert.deepStrictEqual([e.locs, e.msgs], [["body.discount_id"], ["Discount is no longer redeemable."]])
      assert.isTrue(Option.isNone(yield* redemption(b.checkout.id)))
      assert.strictEqual((yield* calls).length, 1)
    })))

  it.effect("requires_action and processing outcomes confirm the checkout with the intent status", () =>
    W.run(
      Effect.gen(function*() {
        for (const status of ["requires_action", "processing"]) {
          const c = yield* create({ products: [W.fixed.id] })
          const v = yield* confirm(c.checkout.clientSecret, complete)
          assert.deepStrictEqual([v.checkout.status, v.checkout.paymentProcessorMetadata["intent_status"]], ["confirmed", status])
          assert.isNotNull(v.checkout.currentIntentId)
        }
      }),
      { script: { steps: ["requires_action", "processing"] } }
    ))
})

describe("Payment attempts", () => {
  // The attempt is recorded (confirmed) before the processor is called, so a decline is a recorded outcome: the
  // checkout goes back to open (two checkout.updated events), the redemption is released, and the customer created
  // for it stays, linked to its processor customer, which the next attempt reuses (no orphan at the processor).
  it.effect("a declined confirm leaves the checkout open with no redemption, the customer kept, and a new key next time", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id], discountId: W.half.id })
        const e = yield* Effect.flip(confirm(c.checkout.clientSecret, complete))
        assert.strictEqual(e._tag, "PaymentError")
        assert.strictEqual(e._tag === "PaymentError" ? e.message : null, "Your card was declined.")
        const after = yield* clientGet(c.checkout.clientSecret)
        assert.deepStrictEqual([after.checkout.status, after.checkout.paymentAttempt], ["open", 1])
        assert.isTrue(Option.isNone(yield* redemption(c.checkout.id)))
        assert.strictEqual((yield* Catalog.use((cat) => cat.getDiscount(W.half.id))).pipe(Option.getOrThrow).redemptionsCount, 0)
        const customer = Option.getOrThrow(yield* Customers.use((cs) => cs.findByEmail(W.org.id, "buyer@example.com")))
        assert.isNotNull(customer.processorCustomerId)
        assert.deepStrictEqual((yield* W.eventsOf("checkout.updated")).map((x) => x.checkout.status), ["confirmed", "open"])
        const v = yield* confirm(c.checkout.clientSecret, complete)
        const upserts = yield* FakePaymentProcessor.use((f) => f.customerCalls)
        assert.deepStrictEqual(upserts.map((u) => u.existingId), [null, customer.processorCustomerId])
        assert.strictEqual(v.checkout.status, "confirmed")
        assert.deepStrictEqual((yield* calls).map((x) => x.input.idempotencyKey), [`${c.checkout.id}:0`, `${c.checkout.id}:1`])
        assert.isTrue(Option.isSome(yield* redemption(c.checkout.id)))
      }),
      { script: { steps: ["decline"] } }
    ))

  it.effect("an unknown outcome stays recorded (confirmed, pending), and the retry uses the SAME key: one charge in total", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        const e = yield* Effect.flip(confirm(c.checkout.clientSecret, complete))
        assert.strictEqual(e._tag, "PaymentOutcomeUnknown")
        const after = yield* clientGet(c.checkout.clientSecret)
        assert.deepStrictEqual([after.checkout.status, after.checkout.paymentAttempt], ["confirmed", 0])
        const v = yield* confirm(c.checkout.clientSecret, complete)
        assert.strictEqual(v.checkout.status, "confirmed")
        const all = yield* calls
        assert.deepStrictEqual(all.map((x) => [x.input.idempotencyKey, x.replayed]), [
          [`${c.checkout.id}:0`, false],
          [`${c.checkout.id}:0`, true]
        ])
        assert.strictEqual(yield* FakePaymentProcessor.use((f) => f.charges), 1)
      }),
      { script: { steps: ["unknown"] } }
    ))

  it.effect("fail N times then succeed: each attempt a new key, exactly one charge", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id] })
        for (let i = 0; i < 3; i++) assert.strictEqual((yield* Effect.flip(confirm(c.checkout.clientSecret, complete)))._tag, "PaymentError")
        const v = yield* confirm(c.checkout.clientSecret, complete)
        assert.deepStrictEqual([v.checkout.status, v.checkout.paymentAttempt], ["confirmed", 3])
        assert.strictEqual(new Set((yield* calls).map((x) => x.input.idempotencyKey)).size, 4)
        assert.strictEqual(yield* FakePaymentProcessor.use((f) => f.charges), 1)
      }),
      { script: { steps: ["decline", "decline", "decline"] } }
    ))

  it.effect("50 concurrent confirms of one checkout: exactly one reaches the processor", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const results = yield* Effect.all(
        Array.from({ length: 50 }, () => Effect.result(confirm(c.checkout.clientSecret, complete))),
        { concurrency: "unbounded" }
      )
      const tags = results.map((r) => (r._tag === "Success" ? "ok" : r.failure._tag))
      assert.strictEqual(tags.filter((t) => t === "ok").length, 1)
      assert.isTrue(tags.every((t) => t === "ok" || t === "CheckoutLocked" || t === "NotOpenCheckout"), tags.join(","))
      // The processor call yields, so the others really met the row lock.
      assert.isTrue(tags.includes("CheckoutLocked"))
      assert.strictEqual((yield* calls).length, 1)
      // Two writes: the recorded attempt (confirmed) and the processor's answer.
      assert.strictEqual((yield* clientGet(c.checkout.clientSecret)).checkout.version, 3)
    })))
})
