/**
 * The PostgreSQL store under the real use cases (the domain's ServiceContract, CheckoutService with the scripted
 * processor): concurrent confirms of one checkout reach the processor once, a capped discount is redeemed exactly up
 * to its cap by concurrent confirms, the events of a create/confirm are in the outbox, and the demo seed loads once
 * (a second load keeps counters).
 */
import { Catalog, CheckoutRepository, Organizations } from "@checkout-kit/domain"
import { RepositoryContract, ServiceContract } from "@checkout-kit/domain/testing"
import { Seed } from "@checkout-kit/http-api"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { PostgresStore } from "../../../store-postgres/src/Admin.ts"
import { PostgresEvents } from "../../../store-postgres/src/Events.ts"
import * as TestDatabase from "../../../store-postgres/src/testing/TestDatabase.ts"

const { uuid } = RepositoryContract

ServiceContract.runConcurrentConfirmContract("PostgreSQL", {
  makeLayer: (fixtures) => TestDatabase.layerStore(fixtures),
  publishedEvents: PostgresEvents.use((e) => e.all)
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
