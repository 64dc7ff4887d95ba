/**
 * The PostgreSQL store under the real use cases (CheckoutService with the scripted processor): concurrent confirms of
 * one checkout reach the processor once, a capped discount is redeemed exactly up to its cap by concurrent confirms,
 * the events of a create/confirm are in the outbox, and the demo seed loads once (a second load keeps counters).
 */
import { Catalog, CheckoutRepository, CheckoutService, Organizations } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator, RepositoryContract } from "@checkout-kit/domain/testing"
import { Seed } from "@checkout-kit/http-api"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { PostgresStore } from "../../../store-postgres/src/Admin.ts"
import { PostgresEvents } from "../../../store-postgres/src/Events.ts"
import * as TestDatabase from "../../../store-postgres/src/testing/TestDatabase.ts"

const { makeDiscount, makeFixedPrice, makeOrganization, makeProduct, uuid } = RepositoryContract
const org = uuid(0xc01)
const product = uuid(0xc02)
const launch = uuid(0xc03)

const world = () =>
  CheckoutService.CheckoutService.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      TestDatabase.layerStore({
        organizations: [makeOrganization(org)],
        products: [makeProduct(product, org, { prices: [makeFixedPrice(uuid(0xc04), product, 1000)] })],
        discounts: [makeDiscount(launch, org, { code: "LAUNCH", basisPoints: 2000, maxRedemptions: 3 })]
      }),
      FakePaymentProcessor.FakePaymentProcessor.layer(),
      FakeTaxCalculator.FakeTaxCalculator.layer()
    ))
  )

const complete = { customerEmail: "buyer@example.com", customerBillingAddress: { country: "FR" }, confirmationTokenId: "ctok_1" }

describe("CheckoutService over the PostgreSQL store", () => {
  it.live("50 concurrent confirms of one checkout: the processor is called once; events are in the outbox", () =>
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
      const events = yield* PostgresEvents.use((e) => e.all)
      assert.deepStrictEqual(events.map((e) => e.type).slice(0, 1), ["checkout.created"])
      assert.isTrue(events.every((e) => e.checkout.id === created.checkout.id))
      assert.isTrue(events.some((e) => e.type === "checkout.updated" && e.checkout.status === "confirmed"))
    }).pipe(Effect.provide(world())))

  it.live("concurrent confirms sharing a discount capped at 3: exactly 3 redeem it, the rest are refused", () =>
    Effect.gen(function*() {
      const service = yield* CheckoutService.CheckoutService
      const catalog = yield* Catalog
      const processor = yield* FakePaymentProcessor.FakePaymentProcessor
      const checkouts = yield* Effect.forEach(
        Array.from({ length: 12 }),
        () => service.create({ organizationId: org }, { products: [product], discountId: launch })
      )
      const results = yield* Effect.forEach(
        checkouts,
        (c, i) => Effect.result(service.confirm(c.checkout.clientSecret, { ...complete, customerEmail: `buyer${i}@example.com` })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter((r) => r._tag === "Success").length, 3)
      for (const r of results) if (r._tag === "Failure") assert.strictEqual(r.failure._tag, "RequestValidationError")
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(launch)).redemptionsCount, 3)
      const refused = checkouts.filter((_, i) => results[i]!._tag === "Failure")
      for (const c of refused) {
        assert.isTrue(Option.isNone(yield* catalog.findRedemption(c.checkout.id)))
        assert.strictEqual((yield* service.clientGet(c.checkout.clientSecret)).checkout.status, "open")
      }
      assert.strictEqual(yield* processor.charges, 3)
    }).pipe(Effect.provide(world())))
})

describe("seed", () => {
  it.live("the demo seed loads; loading it again (insertMissing) keeps what changed since", () =>
    Effect.gen(function*() {
      const seed = yield* Seed.readFileSeed(Seed.demoSeedPath)
      const admin = yield* PostgresStore
      const organizations = yield* Organizations
      const catalog = yield* Catalog
      yield* admin.load(seed, "insertMissing")
      const grant = Option.getOrThrow(yield* organizations.authenticate(Redacted.make("polar_oat_demo_checkout_kit_local_only")))
      assert.strictEqual(grant.organizationId, "11111111-1111-4111-8111-000000000001")
      assert.isTrue(grant.scopes.has("checkouts:write"))
      assert.isTrue(Option.isNone(yield* organizations.authenticate(Redacted.make("polar_oat_not_a_token"))))
      const launch10 = "44444444-4444-4444-8444-000000000004"
      yield* catalog.redeemDiscount({ discountId: launch10, checkoutId: uuid(0xd01), now: RepositoryContract.at(0) })
      yield* admin.load(seed, "insertMissing")
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(launch10)).redemptionsCount, 1)
      const price = Option.getOrThrow(yield* catalog.getPrice("33333333-3333-4333-8333-000000000001"))
      assert.strictEqual(price.product.id, "22222222-2222-4222-8222-000000000001")
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscountByCode("11111111-1111-4111-8111-000000000001", "halfoff")).code, "HALFOFF")
      // The seed's example checkouts are stored as they are (status and version included).
      const repo = yield* CheckoutRepository
      assert.isAbove(seed.checkouts.length, 0)
      for (const c of seed.checkouts) {
        const stored = Option.getOrThrow(yield* repo.findByClientSecret(c.clientSecret))
        assert.deepStrictEqual([stored.id, stored.status, stored.version], [c.id, c.status, c.version])
      }
    }).pipe(Effect.provide(TestDatabase.layerStore())))
})
