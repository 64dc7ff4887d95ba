/**
 * Reference catalogue, TestUpdate and TestClientUpdate (spec 7.1, 7.2): org updates (PATCH /v1/checkouts/{id}) and
 * client updates (PATCH /v1/checkouts/client/{secret}) against the in-memory store.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput) => W.service.use((s) => s.create(W.caller, input))
const update = (id: string, patch: CheckoutService.UpdateInput) => W.service.use((s) => s.update(W.caller, id, patch))
const clientUpdate = (secret: string, patch: CheckoutService.ClientUpdateInput) =>
  W.service.use((s) => s.clientUpdate(secret, patch))
/** A checkout of the fixed product for a French business customer with a valid VAT number. */
const businessCheckout: CheckoutService.CreateInput = {
  products: [W.fixed.id],
  isBusinessCustomer: true,
  customerBillingName: "Biz",
  customerBillingAddress: W.frAddress,
  customerTaxId: "FR61954506077"
}
const why = <A, E extends { readonly _tag: string }, R>(e: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(e), (x) => ({ tag: x._tag, locs: W.locsOf(x), msgs: W.msgsOf(x) }))

describe("TestUpdate", () => {
  it.effect("test_not_existing_product / test_product_not_on_checkout", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { productId: F.uuidOf(0x999) }))).locs, ["body.product_id"])
      const e = yield* why(update(c.checkout.id, { productId: W.fixed4242.id }))
      assert.deepStrictEqual(e.msgs, ["Product is not available in this checkout."])
    })))

  it.effect("test_amount_update_stripe_gap / test_amount_update_invalid_limits", () =>
    W.run(Effect.gen(function*() {
      const gap = yield* create({ products: [W.pwywZeroMetered.id] })
      for (const amount of [10, 25, 49]) {
        const e = yield* why(update(gap.checkout.id, { amount }))
        assert.deepStrictEqual([e.locs, e.msgs], [["body.amount"], ["Amount must be 0 or at least $0.50."]])
      }
      const bounded = yield* create({ products: [W.pwywBounded.id] })
      for (const amount of [500, 10_000]) assert.deepStrictEqual((yield* why(update(bounded.checkout.id, { amount }))).locs, ["body.amount"])
    })))

  it.effect("test_not_open", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      yield* W.service.use((s) =>
        s.confirm(c.checkout.clientSecret, { customerEmail: "a@b.co", customerBillingAddress: W.frAddress, confirmationTokenId: "tok" })
      )
      const e = yield* why(update(c.checkout.id, { customerName: "x" }))
      assert.strictEqual(e.tag, "NotOpenCheckout")
    })))

  it.effect("test_not_writable (another organization's checkout does not exist)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const e = yield* Effect.flip(W.service.use((s) => s.update({ organizationId: W.otherOrg.id }, c.checkout.id, {})))
      assert.strictEqual(e._tag, "ResourceNotFound")
      const g = yield* Effect.flip(W.service.use((s) => s.get({ organizationId: W.otherOrg.id }, c.checkout.id)))
      assert.strictEqual(g._tag, "ResourceNotFound")
    })))

  it.effect("test_invalid_tax_id", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { customerTaxId: "FR61954506077" }))).locs, [
        "body.customer_billing_address"
      ])
      yield* update(c.checkout.id, { customerBillingAddress: W.frAddress, customerTaxId: "FR61954506077" })
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { customerBillingAddress: W.usAddress }))).locs, [
        "body.customer_tax_id"
      ])
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { customerTaxId: "123" }))).locs, ["body.customer_tax_id"])
    })))

  it.effect("test_invalid_discount_id / test_invalid_discount_id_not_applicable", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { discountId: F.uuidOf(0x77) }))).msgs, ["Discount does not exist."])
      const f = yield* create({ products: [W.free.id] })
      assert.deepStrictEqual((yield* why(update(f.checkout.id, { discountId: W.fixedOnce.id }))).msgs, [
        "Discounts are not applicable to this product."
      ])
    })))

  it.effect("test_valid_product_change (+ applicable / not applicable discount)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id, W.fixed4242.id], discountId: W.half.id })
      const v = yield* update(c.checkout.id, { productId: W.fixed4242.id })
      assert.deepStrictEqual([v.checkout.productId, v.checkout.amount, v.checkout.currency], [W.fixed4242.id, 4242, "usd"])
      assert.strictEqual(v.checkout.productPriceId, W.fixed4242.prices[0]!.id)
      assert.strictEqual(v.discount?.id, W.half.id)
      const r = yield* create({ products: [W.fixed.id, W.fixed4242.id], discountId: W.onlyFixed.id })
      const moved = yield* update(r.checkout.id, { productId: W.fixed4242.id })
      assert.deepStrictEqual([moved.checkout.discountId, moved.checkout.discountAmount], [null, 0])
    })))

  it.effect("test_valid_fixed/custom/free_price_amount_update", () =>
    W.run(Effect.gen(function*() {
      const f = yield* create({ products: [W.fixed.id] })
      assert.strictEqual((yield* update(f.checkout.id, { amount: 4242 })).checkout.amount, 1000)
      const p = yield* create({ products: [W.pwyw.id] })
      assert.strictEqual((yield* update(p.checkout.id, { amount: 4242 })).checkout.amount, 4242)
      const z = yield* create({ products: [W.free.id] })
      const zv = yield* update(z.checkout.id, { amount: 4242 })
      assert.deepStrictEqual([zv.checkout.amount, zv.checkout.currency], [0, "usd"])
    })))

  it.effect("test_valid_tax_id / test_valid_unset_tax_id", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const v = yield* update(c.checkout.id, { customerBillingAddress: W.frAddress, customerTaxId: "FR61954506077" })
      assert.strictEqual(v.checkout.customerTaxId?.format, "eu_vat")
      const cleared = yield* update(c.checkout.id, { customerBillingAddress: W.usAddress, customerTaxId: null })
      assert.strictEqual(cleared.checkout.customerTaxId, null)
    })))

  it.effect("test_disabling_business_customer_clears_tax_id (+ billing name sent in request)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create(businessCheckout)
      const v = yield* update(c.checkout.id, { isBusinessCustomer: false, customerBillingName: "Again" })
      assert.deepStrictEqual([v.checkout.isBusinessCustomer, v.checkout.customerTaxId, v.checkout.customerBillingName], [
        false,
        null,
        null
      ])
    })))

  it.effect("test_silent_calculate_tax_error / test_valid_calculate_tax", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.taxExclusive.id] })
        const bad = yield* update(c.checkout.id, { customerBillingAddress: W.usAddress })
        assert.deepStrictEqual([bad.checkout.taxAmount, bad.checkout.customerBillingAddress?.country], [null, "US"])
        const ok = yield* update(c.checkout.id, { customerBillingAddress: W.frAddress })
        assert.deepStrictEqual([ok.checkout.taxAmount, ok.checkout.totalAmount], [200, 1200])
      }),
      { tax: { rates: { FR: 2000 }, logicalErrors: { US: "Postal code does not match state" } } }
    ))

  it.effect("test_ignore_email_update_if_customer_set", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], customerId: W.customer.id })
      const v = yield* update(c.checkout.id, { customerEmail: "other@example.com" })
      assert.strictEqual(v.checkout.customerEmail, "known@example.com")
    })))

  it.effect("test_valid_metadata / _reset / _untouched / test_valid_customer_metadata", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], metadata: { a: 1 } })
      assert.deepStrictEqual((yield* update(c.checkout.id, { metadata: { b: "x" } })).checkout.metadata, { b: "x" })
      assert.deepStrictEqual((yield* update(c.checkout.id, {})).checkout.metadata, { b: "x" })
      assert.deepStrictEqual((yield* update(c.checkout.id, { metadata: {} })).checkout.metadata, {})
      assert.deepStrictEqual((yield* update(c.checkout.id, { customerMetadata: { k: true } })).checkout.customerMetadata, {
        k: true
      })
    })))

  it.effect("test_invalid/valid_custom_field_data, preserved when unset, merged on partial update", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.withFields.id] })
      const e = yield* why(update(c.checkout.id, { customFieldData: { select: "c" } }))
      assert.isTrue(e.locs.every((l) => l.startsWith("body.custom_field_data")))
      yield* update(c.checkout.id, { customFieldData: { text: "first", select: "a" } })
      assert.deepStrictEqual((yield* update(c.checkout.id, {})).checkout.customFieldData, { text: "first", select: "a" })
      const merged = yield* update(c.checkout.id, { customFieldData: { text: "updated" } })
      assert.deepStrictEqual(merged.checkout.customFieldData, { text: "updated", select: "a" })
    })))

  it.effect("test_valid_embed_origin / test_valid_tax_not_applicable", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.notTaxable.id] })
      const v = yield* update(c.checkout.id, { embedOrigin: "https://e.test", customerBillingAddress: W.frAddress })
      assert.deepStrictEqual([v.checkout.embedOrigin, v.checkout.taxAmount, v.checkout.taxProcessorId], ["https://e.test", 0, null])
    })))

  it.effect("test_valid_discount_id", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const v = yield* update(c.checkout.id, { discountId: W.half.id })
      assert.deepStrictEqual([v.checkout.discountAmount, v.checkout.netAmount, v.discount?.id], [500, 500, W.half.id])
      assert.strictEqual((yield* update(c.checkout.id, { discountId: null })).checkout.discountAmount, 0)
    })))

  it.effect("test_update_seats_* (recompute, non-seat, bounds, checkout min/max)", () =>
    W.run(Effect.gen(function*() {
      const s = yield* create({ products: [W.fixedAndSeats.id], seats: 5 })
      assert.strictEqual((yield* update(s.checkout.id, { seats: 12 })).checkout.amount, 99_900 + 12 * 2000)
      assert.strictEqual((yield* update(s.checkout.id, { seats: 3 })).checkout.amount, 99_900 + 3 * 2000)
      const f = yield* create({ products: [W.fixed.id] })
      assert.deepStrictEqual((yield* why(update(f.checkout.id, { seats: 3 }))).locs, ["body.seats"])
      const b = yield* create({ products: [W.seats3to10.id] })
      assert.match((yield* why(update(b.checkout.id, { seats: 1 }))).msgs[0]!, /Minimum 3/u)
      assert.match((yield* why(update(b.checkout.id, { seats: 15 }))).msgs[0]!, /Maximum 10/u)
      const w = yield* create({ products: [W.seats2to20.id] })
      assert.strictEqual((yield* update(w.checkout.id, { seats: 15 })).checkout.seats, 15)
      const m = yield* create({ products: [W.seats.id], minSeats: 3, maxSeats: 8 })
      assert.match((yield* why(update(m.checkout.id, { seats: 2 }))).msgs[0]!, /Minimum 3/u)
      assert.match((yield* why(update(m.checkout.id, { seats: 10 }))).msgs[0]!, /Maximum 8/u)
      assert.strictEqual((yield* update(m.checkout.id, { seats: 7 })).checkout.seats, 7)
    })))

  it.effect("test_switching_to/from_seat_based_product", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id, W.seats.id] })
      const toSeats = yield* update(c.checkout.id, { productId: W.seats.id })
      assert.deepStrictEqual([toSeats.checkout.seats, toSeats.checkout.amount], [1, 1000])
      const back = yield* update(c.checkout.id, { productId: W.fixed.id })
      assert.deepStrictEqual([back.checkout.seats, back.checkout.amount], [null, 1000])
    })))

  it.effect("test_trial_update / test_trial_disable", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.recurring.id], trialInterval: "day", trialIntervalCount: 7 })
      const v = yield* update(c.checkout.id, { trialIntervalCount: 14 })
      assert.isTrue(DateTime.isGreaterThan(v.checkout.trialEnd!, c.checkout.trialEnd!))
      assert.deepStrictEqual([v.activeTrialInterval, v.activeTrialIntervalCount], ["day", 14])
      const off = yield* clientUpdate(c.checkout.clientSecret, { allowTrial: false })
      assert.deepStrictEqual([off.checkout.trialEnd, off.activeTrialInterval, off.activeTrialIntervalCount], [null, null, null])
    })))

  it.effect("test_multi_currencies_* (product and currency changes)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.multiCurrency.id, W.usdOnly.id], currency: "eur" })
      assert.strictEqual(c.checkout.currency, "eur")
      const fallback = yield* update(c.checkout.id, { productId: W.usdOnly.id })
      assert.deepStrictEqual([fallback.checkout.currency, fallback.checkout.amount], ["usd", 2000])
      const again = yield* update(c.checkout.id, { productId: W.multiCurrency.id, currency: "eur" })
      assert.deepStrictEqual([again.checkout.currency, again.checkout.amount], ["eur", 900])
      const usd = yield* update(c.checkout.id, { currency: "usd" })
      assert.deepStrictEqual([usd.checkout.currency, usd.checkout.amount], ["usd", 1000])
      yield* update(c.checkout.id, { productId: W.usdOnly.id })
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { currency: "eur" }))).locs, ["body.currency"])
    })))

  it.effect("test_full_discount_resets_is_business_customer / _clears_business_tax_fields / _resets_payment_method", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create(businessCheckout)
      yield* clientUpdate(c.checkout.clientSecret, { paymentMethodType: "upi" })
      const v = yield* clientUpdate(c.checkout.clientSecret, { discountCode: "FULLONCE" })
      assert.isFalse(v.flags.isPaymentFormRequired)
      assert.deepStrictEqual(
        [v.checkout.isBusinessCustomer, v.checkout.customerTaxId, v.checkout.customerBillingName, v.checkout.paymentMethodType],
        [false, null, null, null]
      )
      assert.isFalse(v.isBillingAddressRequired)
    })))
})

describe("TestClientUpdate", () => {
  it.effect("test_valid (name updated, metadata not accepted)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], metadata: { k: "v" } })
      const v = yield* clientUpdate(c.checkout.clientSecret, { customerName: "Buyer" })
      assert.deepStrictEqual([v.checkout.customerName, v.checkout.metadata], ["Buyer", { k: "v" }])
    })))

  it.effect("test_not_existing", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* why(clientUpdate("polar_c_nope", {}))).tag, "ResourceNotFound")
    })))

  it.effect("test_valid_discount_code / _with_whitespace / code case-insensitive", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const v = yield* clientUpdate(c.checkout.clientSecret, { discountCode: " \thalf \t" })
      assert.deepStrictEqual([v.discount?.id, v.checkout.netAmount], [W.half.id, 500])
      const cleared = yield* clientUpdate(c.checkout.clientSecret, { discountCode: null })
      assert.deepStrictEqual([cleared.checkout.discountId, cleared.checkout.netAmount], [null, 1000])
    })))

  it.effect("test_invalid_discount_code / test_invalid_discount_code_not_applicable", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const e = yield* why(clientUpdate(c.checkout.clientSecret, { discountCode: "NOPE" }))
      assert.deepStrictEqual([e.locs, e.msgs], [["body.discount_code"], ["Discount does not exist."]])
      const f = yield* create({ products: [W.free.id] })
      assert.deepStrictEqual((yield* why(clientUpdate(f.checkout.clientSecret, { discountCode: "HALF" }))).msgs, [
        "Discounts are not applicable to this product."
      ])
    })))

  it.effect("a discount code is silently ignored when the checkout disallows codes", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], allowDiscountCodes: false })
      const v = yield* clientUpdate(c.checkout.clientSecret, { discountCode: "NOPE-OR-HALF" })
      assert.strictEqual(v.checkout.discountId, null)
      const h = yield* clientUpdate(c.checkout.clientSecret, { discountCode: "HALF" })
      assert.strictEqual(h.checkout.discountId, null)
    })))

  it.effect("test_payment_method_updates_billing_address_fields", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const upi = yield* clientUpdate(c.checkout.clientSecret, { paymentMethodType: "upi" })
      assert.deepStrictEqual([upi.billingAddressFields.line1, upi.billingAddressFields.city, upi.billingAddressFields.postalCode], [
        "required",
        "required",
        "required"
      ])
      const card = yield* clientUpdate(c.checkout.clientSecret, { paymentMethodType: "card" })
      assert.strictEqual(card.billingAddressFields.line1, "disabled")
    })))

  it.effect("a rejected update leaves the stored checkout and the events untouched", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.pwyw.id] })
      yield* Effect.flip(clientUpdate(c.checkout.clientSecret, { customerName: "Changed", amount: 10 }))
      const after = yield* W.service.use((s) => s.clientGet(c.checkout.clientSecret))
      assert.deepStrictEqual([after.checkout.customerName, after.checkout.version], [null, 1])
      assert.strictEqual((yield* W.eventsOf("checkout.updated")).length, 0)
    })))
})
