/**
 * Reference catalogue, TestCreate (spec 7.1): the API create use case against the in-memory store, one test per
 * reference test that is in scope (ad-hoc prices, subscriptions and IP geolocation are not).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput, caller: CheckoutService.Caller = W.caller) =>
  W.service.use((s) => s.create(caller, input))

const rejected = (input: CheckoutService.CreateInput, caller?: CheckoutService.Caller) =>
  Effect.map(Effect.flip(create(input, caller)), (e) => ({ tag: e._tag, locs: W.locsOf(e), msgs: W.msgsOf(e) }))

describe("TestCreate", () => {
  it.effect("test_not_existing_price", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ productPriceId: F.uuidOf(0xdead) })
      assert.deepStrictEqual(e, { tag: "RequestValidationError", locs: ["body.product_price_id"], msgs: ["Price does not exist."] })
    })))

  it.effect("test_not_writable_price", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ productPriceId: W.foreign.prices[0]!.id })
      assert.deepStrictEqual(e.msgs, ["Price does not exist."])
    })))

  it.effect("test_archived_price", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ productPriceId: W.archivedPrice.prices[1]!.id })
      assert.deepStrictEqual(e.msgs, ["Price is archived."])
    })))

  it.effect("test_archived_product", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ productPriceId: W.archived.prices[0]!.id })
      assert.deepStrictEqual(e.msgs, ["Product is archived."])
    })))

  it.effect("test_amount_invalid_limits", () =>
    W.run(Effect.gen(function*() {
      for (const amount of [500, 10_000]) {
        const e = yield* rejected({ products: [W.pwywBounded.id], amount })
        assert.deepStrictEqual(e.locs, ["body.amount"])
      }
    })))

  it.effect("test_invalid_tax_id", () =>
    W.run(Effect.gen(function*() {
      const noAddress = yield* rejected({ products: [W.fixed.id], customerTaxId: "123" })
      assert.deepStrictEqual(noAddress.locs, ["body.customer_billing_address"])
      const fr = yield* rejected({ products: [W.fixed.id], customerTaxId: "123", customerBillingAddress: W.frAddress })
      assert.deepStrictEqual(fr.locs, ["body.customer_tax_id"])
    })))

  it.effect("test_invalid_not_existing_discount", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ products: [W.fixed.id], discountId: F.uuidOf(0xbad) })
      assert.deepStrictEqual(e, { tag: "RequestValidationError", locs: ["body.discount_id"], msgs: ["Discount does not exist."] })
    })))

  it.effect("test_invalid_not_applicable_discount", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ products: [W.free.id], discountId: W.fixedOnce.id })
      assert.deepStrictEqual(e.msgs, ["Discounts are not applicable to this product."])
    })))

  it.effect("test_valid_fixed_price", () =>
    W.run(Effect.gen(function*() {
      for (const amount of [null, 4242]) {
        const v = yield* create({ productPriceId: W.fixed.prices[0]!.id, amount, metadata: { key: "value" } })
        assert.strictEqual(v.checkout.amount, 1000)
        assert.strictEqual(v.checkout.currency, "usd")
        assert.deepStrictEqual(v.checkout.metadata, { key: "value" })
        assert.deepStrictEqual(v.products.map((p) => p.id), [W.fixed.id])
        assert.strictEqual(v.checkout.status, "open")
      }
    })))

  it.effect("test_valid_free_price", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.free.id], customerIpAddress: "127.0.0.1" })
      assert.strictEqual(v.checkout.amount, 0)
      assert.strictEqual(v.checkout.currency, "usd")
      assert.isTrue(v.flags.isFreeProductPrice)
      assert.isFalse(v.flags.isPaymentFormRequired)
    })))

  it.effect("test_valid_custom_price", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* create({ products: [W.pwywPreset.id] })).checkout.amount, 4242)
      assert.strictEqual((yield* create({ products: [W.pwywPreset.id], amount: 1000 })).checkout.amount, 1000)
    })))

  it.effect("test_custom_price_amount (minimum when no preset)", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* create({ products: [W.pwyw.id] })).checkout.amount, 50)
    })))

  it.effect("test_valid_metered_price", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.metered.id] })
      assert.strictEqual(v.productPrice?.amountType, "metered_unit")
      assert.strictEqual(v.checkout.amount, 0)
    })))

  it.effect("test_valid_fixed_and_metered_price", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixedAndMetered.id] })
      assert.strictEqual(v.productPrice?.amountType, "fixed")
      assert.strictEqual(v.checkout.amount, 1500)
      assert.isTrue(v.flags.hasMeteredPrices)
    })))

  it.effect("test_custom_price_with_metered_requires_payment_setup", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.pwywZeroMetered.id] })
      assert.strictEqual(v.checkout.amount, 0)
      assert.isTrue(v.flags.hasMeteredPrices)
      assert.isTrue(v.flags.isPaymentSetupRequired)
      assert.isFalse(v.flags.isPaymentRequired)
    })))

  it.effect("test_valid_tax_id", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed.id], customerBillingAddress: W.frAddress, customerTaxId: "FR61954506077" })
      assert.deepStrictEqual(v.checkout.customerTaxId, { number: "FR61954506077", format: "eu_vat" })
    })))

  it.effect("test_valid_success_url_with_interpolation (raw kept, resolved on read)", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed.id], successUrl: "https://shop.test/ok?checkout_id={CHECKOUT_ID}" })
      assert.strictEqual(v.checkout.successUrl, "https://shop.test/ok?checkout_id={CHECKOUT_ID}")
      assert.strictEqual(v.successUrl, `https://shop.test/ok?checkout_id=${v.checkout.id}`)
      const d = yield* create({ products: [W.fixed.id] })
      assert.strictEqual(d.successUrl, `http://localhost:3000/checkout/${d.checkout.clientSecret}/confirmation`)
      assert.strictEqual(d.url, `http://localhost:3000/checkout/${d.checkout.clientSecret}`)
    })))

  it.effect("test_silent_calculate_tax_error", () =>
    W.run(
      Effect.gen(function*() {
        const v = yield* create({ products: [W.fixed.id], customerBillingAddress: W.usAddress })
        assert.strictEqual(v.checkout.taxAmount, null)
        assert.strictEqual(v.checkout.customerBillingAddress?.country, "US")
        assert.strictEqual(v.checkout.totalAmount, 1000)
      }),
      { tax: { logicalErrors: { US: "Postal code does not match state" } } }
    ))

  it.effect("test_valid_calculate_tax (exclusive and inclusive)", () =>
    W.run(
      Effect.gen(function*() {
        const ex = yield* create({ products: [W.taxExclusive.id], customerBillingAddress: W.frAddress })
        assert.deepStrictEqual(
          [ex.checkout.netAmount, ex.checkout.taxAmount, ex.checkout.totalAmount, ex.checkout.taxBehavior],
          [1000, 100, 1100, "exclusive"]
        )
        assert.strictEqual(ex.checkout.taxProcessor, "fake")
        assert.strictEqual(ex.checkout.taxBreakdown?.length, 1)
        const inc = yield* create({ products: [W.taxInclusive.id], customerBillingAddress: W.frAddress })
        assert.deepStrictEqual(
          [inc.checkout.netAmount, inc.checkout.taxAmount, inc.checkout.totalAmount, inc.checkout.taxBehavior],
          [909, 91, 1000, "inclusive"]
        )
      }),
      { tax: { rates: { FR: 1000 } } }
    ))

  it.effect("test_valid_tax_not_applicable", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.notTaxable.id], customerBillingAddress: W.frAddress })
      assert.strictEqual(v.checkout.taxAmount, 0)
      assert.strictEqual(v.checkout.taxProcessorId, null)
    })))

  it.effect("test_invalid_custom_field_data", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ products: [W.withFields.id], customFieldData: { select: "c" } })
      assert.isTrue(e.locs.length > 0 && e.locs.every((l) => l.startsWith("body.custom_field_data")))
    })))

  it.effect("test_valid_custom_field_data / test_valid_missing_required_custom_field", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.withFields.id], customFieldData: { text: "abc", select: "a", unknown: 1 } })
      assert.deepStrictEqual(v.checkout.customFieldData, { text: "abc", select: "a" })
      const partial = yield* create({ products: [W.withFields.id], customFieldData: { text: "abc" } })
      assert.deepStrictEqual(partial.checkout.customFieldData, { text: "abc" })
      assert.strictEqual(partial.attachedCustomFields.length, 2)
    })))

  it.effect("test_valid_embed_origin", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed.id], embedOrigin: "https://example.com" })
      assert.strictEqual(v.checkout.embedOrigin, "https://example.com")
    })))

  it.effect("test_valid_discount", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed4242.id], discountId: W.fixedOnce.id })
      assert.strictEqual(v.checkout.amount, 4242)
      assert.strictEqual(v.checkout.discountAmount, 1000)
      assert.strictEqual(v.checkout.netAmount, 3242)
      assert.strictEqual(v.discount?.id, W.fixedOnce.id)
    })))

  it.effect("test_product_not_existing / test_product_not_writable / test_product_archived", () =>
    W.run(Effect.gen(function*() {
      assert.deepStrictEqual((yield* rejected({ productId: F.uuidOf(0xabc) })).msgs, ["Product does not exist."])
      assert.deepStrictEqual((yield* rejected({ productId: W.foreign.id })).msgs, ["Product does not exist."])
      assert.deepStrictEqual((yield* rejected({ productId: W.archived.id })).msgs, ["Product is archived."])
      assert.deepStrictEqual((yield* rejected({ productId: W.draft.id })).msgs, ["Product is a draft."])
    })))

  it.effect("test_blocked_organization (its products do not exist)", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ productId: W.fixed.id }, { organizationId: W.blockedOrg.id })
      assert.deepStrictEqual(e.locs, ["body.product_id"])
    })))

  it.effect("test_product_valid", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ productId: W.fixed.id })
      assert.strictEqual(v.product?.id, W.fixed.id)
      assert.strictEqual(v.productPrice?.id, W.fixed.prices[0]!.id)
      assert.deepStrictEqual(v.products.map((p) => p.id), [W.fixed.id])
    })))

  it.effect("test_multi_currencies_auto (organization default)", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* create({ products: [W.multiCurrency.id] })).checkout.currency, "usd")
      const eur = yield* create({ products: [W.eurProduct.id] }, { organizationId: W.eurOrg.id })
      assert.deepStrictEqual([eur.checkout.currency, eur.checkout.amount], ["eur", 900])
    })))

  it.effect("test_multi_currencies_set / test_multi_currencies_set_unavailable", () =>
    W.run(Effect.gen(function*() {
      for (const [currency, amount] of [["usd", 1000], ["eur", 900], ["gbp", 800]] as const) {
        const v = yield* create({ products: [W.multiCurrency.id], currency })
        assert.deepStrictEqual([v.checkout.currency, v.checkout.amount, v.productPrice?.priceCurrency], [currency, amount, currency])
      }
      for (const currency of ["sek", "aud"]) {
        const e = yield* rejected({ products: [W.multiCurrency.id], currency })
        assert.deepStrictEqual(e.msgs, ["Product is not available in the specified currency."])
      }
    })))

  it.effect("test_products_archived / test_products_different_organizations (all collected)", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ products: [W.fixed.id, W.archived.id, W.foreign.id] })
      assert.deepStrictEqual(e.locs, ["body.products.1", "body.products.2"])
      assert.deepStrictEqual(e.msgs, ["Product is archived.", "Product does not exist."])
      const dup = yield* rejected({ products: [W.fixed.id, W.fixed.id] })
      assert.deepStrictEqual(dup.locs, ["body.products"])
    })))

  it.effect("test_products_valid", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed4242.id, W.fixed.id, W.free.id] })
      assert.deepStrictEqual(v.products.map((p) => p.id), [W.fixed4242.id, W.fixed.id, W.free.id])
      assert.strictEqual(v.product?.id, W.fixed4242.id)
      assert.strictEqual(v.checkout.amount, 4242)
      assert.deepStrictEqual(Object.keys(v.prices).sort(), [W.fixed4242.id, W.fixed.id, W.free.id].sort())
    })))

  it.effect("test_excludes_non_public_benefits", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.withBenefits.id] })
      assert.deepStrictEqual(v.product?.benefits.map((b) => b.visibility), ["public"])
    })))

  it.effect("test_invalid_customer", () =>
    W.run(Effect.gen(function*() {
      assert.deepStrictEqual((yield* rejected({ products: [W.fixed.id], customerId: F.uuidOf(0xc0) })).locs, ["body.customer_id"])
    })))

  it.effect("test_valid_customer (prefill)", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed.id], customerId: W.customer.id })
      const c = v.checkout
      assert.deepStrictEqual(
        [c.customerId, c.customerEmail, c.customerName, c.customerBillingName, c.customerTaxId?.number],
        [W.customer.id, "known@example.com", "Known Buyer", "Known Ltd", "FR61954506077"]
      )
      assert.deepStrictEqual(c.customerBillingAddress, W.customer.billingAddress)
      assert.isTrue(c.isBusinessCustomer)
    })))

  it.effect("test_customer_metadata", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed.id], customerMetadata: { plan: "pro", seats: 3 } })
      assert.deepStrictEqual(v.checkout.customerMetadata, { plan: "pro", seats: 3 })
    })))

  it.effect("test_existing_external_customer_id / test_new_customer_external_id", () =>
    W.run(Effect.gen(function*() {
      const known = yield* create({ products: [W.fixed.id], externalCustomerId: "ext-known" })
      assert.strictEqual(known.checkout.customerId, W.customer.id)
      assert.strictEqual(known.checkout.customerEmail, "known@example.com")
      const fresh = yield* create({ products: [W.fixed.id], externalCustomerId: "ext-new" })
      assert.strictEqual(fresh.checkout.customerId, null)
      assert.strictEqual(fresh.checkout.externalCustomerId, "ext-new")
    })))

  it.effect("test_implicit_require_billing_address", () =>
    W.run(Effect.gen(function*() {
      const cases = [
        [null, false],
        [{ country: "FR" }, false],
        [{ country: "FR", city: "Lyon" }, true],
        [{ country: "CA", state: "QC" }, false],
        [{ country: "CA", state: "QC", city: "Montreal" }, true]
      ] as const
      for (const [address, expected] of cases) {
        const v = yield* create({ products: [W.fixed.id], customerBillingAddress: address })
        assert.strictEqual(v.checkout.requireBillingAddress, expected, JSON.stringify(address))
      }
    })))

  it.effect("test_products_trial", () =>
    W.run(Effect.gen(function*() {
      const now = yield* DateTime.now
      const v = yield* create({ products: [W.recurringTrial.id] })
      assert.strictEqual(v.checkout.trialInterval, null)
      assert.isTrue(DateTime.Equivalence(v.checkout.trialEnd!, DateTime.add(now, { months: 1 })))
      assert.deepStrictEqual([v.activeTrialInterval, v.activeTrialIntervalCount], ["month", 1])
      assert.isFalse(v.flags.isPaymentRequired)
      assert.isTrue(v.flags.isPaymentSetupRequired)
    })))

  it.effect("test_set_trial / test_set_trial_non_recurring_product", () =>
    W.run(Effect.gen(function*() {
      const now = yield* DateTime.now
      const v = yield* create({ products: [W.recurring.id], trialInterval: "day", trialIntervalCount: 7 })
      assert.isTrue(DateTime.Equivalence(v.checkout.trialEnd!, DateTime.add(now, { days: 7 })))
      assert.isTrue(v.flags.isPaymentSetupRequired)
      const oneTime = yield* create({ products: [W.fixed.id], trialInterval: "day", trialIntervalCount: 7 })
      assert.deepStrictEqual([oneTime.checkout.trialInterval, oneTime.checkout.trialEnd], ["day", null])
      assert.isTrue(oneTime.flags.isPaymentRequired)
      assert.isFalse(oneTime.flags.isPaymentSetupRequired)
      const half = yield* rejected({ products: [W.recurring.id], trialInterval: "day" })
      assert.deepStrictEqual(half.locs, ["body"])
    })))

  it.effect("test_seat_based_price_with_seats / test_seat_based_amount_calculation", () =>
    W.run(Effect.gen(function*() {
      for (const seats of [1, 5, 10, 100]) {
        const v = yield* create({ products: [W.seats.id], seats })
        assert.deepStrictEqual([v.checkout.seats, v.checkout.amount], [seats, seats * 1000])
      }
    })))

  it.effect("test_fixed_and_seat_price_combined_amount / _discount_on_combined_amount", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixedAndSeats.id], seats: 10 })
      assert.strictEqual(v.productPrice?.amountType, "fixed")
      assert.strictEqual(v.checkout.amount, 119_900)
      const d = yield* create({ products: [W.fixedAndSeats.id], seats: 10, discountId: W.quarterForever.id })
      assert.deepStrictEqual([d.checkout.discountAmount, d.checkout.netAmount], [29_975, 89_925])
    })))

  it.effect("test_seat_based_price_without_seats_defaults_to_minimum / test_min_seats_sets_default", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* create({ products: [W.seats.id] })).checkout.seats, 1)
      assert.strictEqual((yield* create({ products: [W.seats3to10.id] })).checkout.seats, 3)
      const m = yield* create({ products: [W.seats.id], minSeats: 5 })
      assert.deepStrictEqual([m.checkout.seats, m.checkout.minSeats, m.checkout.maxSeats], [5, 5, null])
    })))

  it.effect("test_non_seat_based_price_with_seats", () =>
    W.run(Effect.gen(function*() {
      const e = yield* rejected({ products: [W.fixed.id], seats: 3 })
      assert.deepStrictEqual(e.locs, ["body.seats"])
      assert.match(e.msgs[0]!, /seat-based/u)
    })))

  it.effect("test_seat_based_with_minimum/maximum_seats (limits and at limits)", () =>
    W.run(Effect.gen(function*() {
      assert.match((yield* rejected({ products: [W.seats3to10.id], seats: 2 })).msgs[0]!, /Minimum 3/u)
      assert.match((yield* rejected({ products: [W.seats3to10.id], seats: 15 })).msgs[0]!, /Maximum 10/u)
      assert.strictEqual((yield* create({ products: [W.seats3to10.id], seats: 3 })).checkout.seats, 3)
      assert.strictEqual((yield* create({ products: [W.seats3to10.id], seats: 10 })).checkout.seats, 10)
    })))

  it.effect("test_min_max_seats_outside_tier_rejected", () =>
    W.run(Effect.gen(function*() {
      assert.deepStrictEqual((yield* rejected({ products: [W.seats2to20.id], minSeats: 1 })).locs, ["body.min_seats"])
      assert.deepStrictEqual((yield* rejected({ products: [W.seats2to20.id], maxSeats: 50 })).locs, ["body.max_seats"])
    })))
})

describe("TestCheckoutCreatedEvent", () => {
  it.effect("test_event_created", () =>
    W.run(Effect.gen(function*() {
      const v = yield* create({ products: [W.fixed.id] })
      const events = yield* W.eventsOf("checkout.created")
      assert.deepStrictEqual(events.map((e) => [e.checkout.id, e.checkout.status, e.checkout.productId]), [
        [v.checkout.id, "open", W.fixed.id]
      ])
    })))

  it.effect("a rejected create stores and emits nothing", () =>
    W.run(Effect.gen(function*() {
      yield* Effect.flip(create({ products: [W.archived.id] }))
      assert.strictEqual((yield* W.eventsOf("checkout.created")).length, 0)
    })))
})
