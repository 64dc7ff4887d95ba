/**
 * Reference catalogue, TestCheckoutLinkCreate (spec 4.3, 7.1): the building block the link service calls when a
 * link is opened. Invalid prefills are dropped, never reported; only "no valid products" and an unavailable currency
 * fail.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import * as W from "./CheckoutWorld.ts"

const open = (input: Partial<CheckoutService.FromLinkInput>) => W.service.use((s) => s.createFromLink(F.fromLinkInput(W.org, [W.fixed], input)))

describe("TestCheckoutLinkCreate", () => {
  it.effect("test_all_archived_products / test_some_archived_products", () =>
    W.run(Effect.gen(function*() {
      const e = yield* Effect.flip(open({ products: [W.archived, W.draft] }))
      assert.deepStrictEqual([W.locsOf(e), W.msgsOf(e)], [["body.products"], ["No valid products."]])
      const v = yield* open({ products: [W.archived, W.fixed4242] })
      assert.deepStrictEqual([v.product?.id, v.products.map((p) => p.id)], [W.fixed4242.id, [W.fixed4242.id]])
    })))

  it.effect("test_valid (success_url, metadata, allowTrial copied; product_id selection)", () =>
    W.run(Effect.gen(function*() {
      const v = yield* open({
        products: [W.fixed, W.fixed4242],
        selectedProductId: W.fixed4242.id,
        successUrl: "https://shop.test/ok?c={CHECKOUT_ID}",
        metadata: { reference_id: "r1" },
        customerIpAddress: "10.0.0.1"
      })
      assert.strictEqual(v.product?.id, W.fixed4242.id)
      assert.strictEqual(v.successUrl, `https://shop.test/ok?c=${v.checkout.id}`)
      assert.deepStrictEqual([v.checkout.metadata, v.checkout.allowTrial, v.checkout.customerIpAddress], [
        { reference_id: "r1" },
        true,
        "10.0.0.1"
      ])
      assert.strictEqual((yield* W.eventsOf("checkout.created")).length, 1)
    })))

  it.effect("test_valid_custom_price_honors_zero_prefill / test_query_prefill_amount_custom_price / test_custom_price_amount", () =>
    W.run(Effect.gen(function*() {
      const zero = F.product({ organizationId: W.org.id, prices: [F.custom({ minimumAmount: 0, presetAmount: 700 })] })
      assert.strictEqual((yield* open({ products: [zero], amount: 0 })).checkout.amount, 0)
      assert.strictEqual((yield* open({ products: [zero] })).checkout.amount, 700)
      assert.strictEqual((yield* open({ products: [W.pwyw], amount: 1000 })).checkout.amount, 1000)
      assert.strictEqual((yield* open({ products: [W.pwyw], amount: 10 })).checkout.amount, 50)
    })))

  it.effect("test_valid_seat_based_defaults_to_minimum_seats / test_valid_seat_lock / test_seat_lock_drift_falls_back_to_minimum", () =>
    W.run(Effect.gen(function*() {
      const d = yield* open({ products: [W.seats2to20] })
      assert.deepStrictEqual([d.checkout.seats, d.checkout.amount], [2, 3000])
      const l = yield* open({ products: [W.seats2to20], seatLock: 5 })
      assert.deepStrictEqual([l.checkout.seats, l.checkout.minSeats, l.checkout.maxSeats], [5, 5, 5])
      const drift = yield* open({ products: [W.seats3to10], seatLock: 2 })
      assert.deepStrictEqual([drift.checkout.seats, drift.checkout.minSeats, drift.checkout.maxSeats], [3, null, null])
    })))

  it.effect("test_valid_with_discount / test_query_prefill_discount_code_invalid", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* open({ discountId: W.half.id })).checkout.discountAmount, 500)
      assert.strictEqual((yield* open({ discountId: W.fixedOnce.id, products: [W.free] })).checkout.discountId, null)
      assert.strictEqual((yield* open({ discountCode: "NOPE" })).checkout.discountId, null)
      assert.strictEqual((yield* open({ discountCode: "half" })).checkout.discountId, W.half.id)
      assert.strictEqual((yield* open({ discountCode: "half", allowDiscountCodes: false })).checkout.discountId, null)
    })))

  it.effect("test_valid_product_trial / test_valid_set_trial", () =>
    W.run(Effect.gen(function*() {
      const p = yield* open({ products: [W.recurringTrial] })
      assert.deepStrictEqual([p.checkout.trialInterval, p.checkout.trialEnd !== null], [null, true])
      const s = yield* open({ products: [W.recurring], trialInterval: "day", trialIntervalCount: 7 })
      assert.deepStrictEqual([s.activeTrialInterval, s.activeTrialIntervalCount], ["day", 7])
    })))

  it.effect("test_query_prefill_customer_email_invalid / test_query_prefill_multiple_fields", () =>
    W.run(Effect.gen(function*() {
      assert.strictEqual((yield* open({ customerEmail: "not-an-email" })).checkout.customerEmail, null)
      const v = yield* open({
        products: [W.withFields],
        customerEmail: "buyer@example.com",
        customerName: "Buyer",
        customFieldData: { text: "hello", select: "zzz", unknown: "x" }
      })
      assert.deepStrictEqual([v.checkout.customerEmail, v.checkout.customerName], ["buyer@example.com", "Buyer"])
      assert.deepStrictEqual(v.checkout.customFieldData, { text: "hello" })
    })))
})
