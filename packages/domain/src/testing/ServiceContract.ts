/**
 * The use cases over a store: one suite that every storage adapter runs against its own layer, with the real
 * CheckoutService and the scripted payment processor. Concurrent confirms of one checkout reach the processor once
 * (the row lock), and concurrent confirms of different checkouts sharing a capped discount redeem it exactly up to
 * the cap (the reservation), the others being refused with nothing written.
 *
 * Usage, in an adapter's test file:
 *   ServiceContract.runConcurrentConfirmContract("memory", { makeLayer: (fixtures) => MemoryStore.layerTest(fixtures) })
 * `makeLayer` must build a fresh store seeded with the fixtures on every call (each test builds its own).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { CheckoutService } from "../CheckoutService.ts"
import { Catalog } from "../ports/Catalog.ts"
import type { CheckoutEvent } from "../ports/Events.ts"
import type { RepositoryPorts } from "../ports/index.ts"
import type { Secrets } from "../ports/Secrets.ts"
import { FakePaymentProcessor } from "./FakePaymentProcessor.ts"
import { FakeTaxCalculator } from "./FakeTaxCalculator.ts"
import { type Fixtures, makeDiscount, makeFixedPrice, makeOrganization, makeProduct, uuid } from "./RepositoryContract.ts"

export interface Adapter<R = never, E = never> {
  /** A fresh store seeded with the fixtures; called once per test. */
  readonly makeLayer: (fixtures: Fixtures) => Layer.Layer<RepositoryPorts | Secrets | R, E>
  /** Events committed so far, when the adapter can tell: then the suite also checks what a confirm published. */
  readonly publishedEvents?: Effect.Effect<ReadonlyArray<CheckoutEvent>, never, RepositoryPorts | Secrets | R>
}

const org = uuid(0xc01)
const product = uuid(0xc02)
const launch = uuid(0xc03)

const fixtures: Fixtures = {
  organizations: [makeOrganization(org)],
  products: [makeProduct(product, org, { prices: [makeFixedPrice(uuid(0xc04), product, 1000)] })],
  discounts: [makeDiscount(launch, org, { code: "LAUNCH", basisPoints: 2000, maxRedemptions: 3 })],
  customers: []
}

const complete = { customerEmail: "buyer@example.com", customerBillingAddress: { country: "FR" }, confirmationTokenId: "ctok_1" }

export const runConcurrentConfirmContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  const world = () =>
    CheckoutService.layer.pipe(
      Layer.provideMerge(Layer.mergeAll(
        adapter.makeLayer(fixtures),
        FakePaymentProcessor.layer(),
        FakeTaxCalculator.layer()
      ))
    )
  const published = adapter.publishedEvents

  describe(`CheckoutService over the ${name} store`, () => {
    it.live(
      `50 concurrent confirms of one checkout: the processor is called once${published ? "; events are in the outbox" : ""}`,
      () =>
        Effect.gen(function*() {
          const service = yield* CheckoutService
          const processor = yield* FakePaymentProcessor
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
          if (published) {
            const events = yield* published
            assert.deepStrictEqual(events.map((e) => e.type).slice(0, 1), ["checkout.created"])
            assert.isTrue(events.every((e) => e.checkout.id === created.checkout.id))
            assert.isTrue(events.some((e) => e.type === "checkout.updated" && e.checkout.status === "confirmed"))
          }
        }).pipe(Effect.provide(world()))
    )

    it.live("concurrent confirms sharing a discount capped at 3: exactly 3 redeem it, the rest are refused", () =>
      Effect.gen(function*() {
        const service = yield* CheckoutService
        const catalog = yield* Catalog
        const processor = yield* FakePaymentProcessor
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
      }).pipe(Effect.provide(world())))
  })
}
