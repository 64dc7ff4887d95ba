/**
 * The store under the real use cases: concurrent confirms of one checkout reach the payment processor once (the
 * row lock), and concurrent confirms of different checkouts sharing a capped discount redeem it exactly up to the
 * cap (the reservation), the others being refused with nothing written.
 */
import { assert, describe, it } from "@effect/vitest"
import { Catalog, CheckoutService } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator } from "@checkout-kit/domain/testing"
import { Effect, Layer, Option } from "effect"
import { MemoryStore } from "../src/index.ts"
import { makeDiscount, makeFixedPrice, makeOrganization, makeProduct, uuid } from "./Rows.ts"

const org = uuid(0xc01)
const product = uuid(0xc02)
const launch = uuid(0xc03)

const world = CheckoutService.CheckoutService.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(
    MemoryStore.layerTest({
      organizations: [makeOrganization(org)],
      products: [makeProduct(product, org, { prices: [makeFixedPrice(uuid(0xc04), product, 1000)] })],
      discounts: [makeDiscount(launch, org, { code: "LAUNCH", basisPoints: 2000, maxRedemptions: 3 })]
    }),
    FakePaymentProcessor.FakePaymentProcessor.layer(),
    FakeTaxCalculator.FakeTaxCalculator.layer()
  ))
)

const complete = { customerEmail: "buyer@example.com", customerBillingAddress: { country: "FR" }, confirmationTokenId: "ctok_1" }

describe("CheckoutService over the memory store", () => {
  it.effect("50 concurrent confirms of one checkout: the processor is called once", () =>
    Effect.gen(function*() {
      const service = yield* CheckoutService.CheckoutService
      const processor = yield* FakePaymentProcessor.FakePaymentProcessor
      const created = yield* service.create({ organizationId: org }, { products: [product] })
      const results = yield* Effect.all(
        Array.from({ length: 50 }, () => Effect.result(service.confirm(created.checkout.clientSecret, complete))),
        { concurrency: "unbounded" }
      )
      const tags = results.map((r) => (r._tag === "Success" ? "ok" : r.failure._tag))
      assert.strictEqual(tags.filter((t) => t === "ok").length, 1, tags.join(","))
      assert.isTrue(tags.every((t) => t === "ok" || t === "CheckoutLocked" || t === "NotOpenCheckout"), tags.join(","))
      assert.strictEqual((yield* processor.confirmCalls).length, 1)
      assert.strictEqual(yield* processor.charges, 1)
    }).pipe(Effect.provide(world)))

  it.effect("concurrent confirms sharing a discount capped at 3: exactly 3 redeem it, the rest are refused", () =>
    Effect.gen(function*() {
      const service = yield* CheckoutService.CheckoutService
      const catalog = yield* Catalog
      const processor = yield* FakePaymentProcessor.FakePaymentProcessor
      const checkouts = yield* Effect.forEach(
        Array.from({ length: 12 }),
        () => service.create({ organizationId: org }, { products: [product], discountId: launch })
      )
      // Distinct buyers: the same new email confirmed concurrently would create the customer twice, which the
      // customers' unique email index refuses (a defect, as in SQL).
      const results = yield* Effect.forEach(
        checkouts,
        (c, i) => Effect.result(service.confirm(c.checkout.clientSecret, { ...complete, customerEmail: `buyer${i}@example.com` })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter((r) => r._tag === "Success").length, 3)
      for (const r of results) if (r._tag === "Failure") assert.strictEqual(r.failure._tag, "RequestValidationError")
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(launch)).redemptionsCount, 3)
      // Refused confirms left nothing behind: no redemption, no charge, the checkout still open.
      const refused = checkouts.filter((_, i) => results[i]!._tag === "Failure")
      for (const c of refused) {
        assert.isTrue(Option.isNone(yield* catalog.findRedemption(c.checkout.id)))
        assert.strictEqual((yield* service.clientGet(c.checkout.clientSecret)).checkout.status, "open")
      }
      assert.strictEqual(yield* processor.charges, 3)
    }).pipe(Effect.provide(world)))
})
