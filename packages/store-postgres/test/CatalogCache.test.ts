/**
 * The catalog cache (src/CatalogCache.ts) through the store's ports: a product or organization read within the ttl
 * is served without a statement (a change made behind the store's back, as another node would, is not seen yet),
 * after the ttl it is read again; this process's own catalog writes (Admin) are seen at once; a missing row is
 * never cached (a product created elsewhere is found at once); access tokens are never cached.
 */
import { Catalog, Organizations } from "@checkout-kit/domain"
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Admin from "../src/Admin.ts"
import * as CatalogCache from "../src/CatalogCache.ts"
import { tokenDigest } from "../src/Organizations.ts"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

const { makeOrganization, makeProduct, uuid } = RepositoryContract
const org = uuid(0x9101)
const product = uuid(0x9102)
const later = uuid(0x9103)
const fixtures = { organizations: [makeOrganization(org)], products: [makeProduct(product, org, { name: "Before" })] }

/** Renames the product in its stored JSON, as another node's write would. */
const renameBehindTheBack = Effect.fnUntraced(function*(id: string, name: string) {
  const sql = yield* SqlClient
  yield* sql`UPDATE products SET data = jsonb_set(data, '{name}', to_jsonb(${name}::text)) WHERE id = ${id}`
})

const nameOf = Effect.fnUntraced(function*(id: string) {
  const catalog = yield* Catalog
  return Option.map(yield* catalog.getProduct(id), (p) => p.name)
})

describe("catalog cache", () => {
  it.live("serves a read product for the ttl, then reads it again; local writes and missing rows are never stale", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* nameOf(product), Option.some("Before"))
      yield* renameBehindTheBack(product, "Elsewhere")
      assert.deepStrictEqual(yield* nameOf(product), Option.some("Before"), "within the ttl: the cached value")
      yield* Effect.sleep(CatalogCache.defaultTtl)
      yield* Effect.sleep("50 millis")
      assert.deepStrictEqual(yield* nameOf(product), Option.some("Elsewhere"), "after the ttl: read again")

      // A local write clears the cache at once.
      const admin = yield* Admin.PostgresStore
      yield* admin.putProduct(makeProduct(product, org, { name: "Local" }))
      assert.deepStrictEqual(yield* nameOf(product), Option.some("Local"))

      // A missing row is not cached: created elsewhere, it is found at once.
      assert.isTrue(Option.isNone(yield* nameOf(later)))
      yield* admin.load({ products: [makeProduct(later, org, { name: "New" })] })
      assert.deepStrictEqual(yield* nameOf(later), Option.some("New"))
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))), 20_000)

  it.live("organizations are cached like products; access tokens are looked up every time (revocation is immediate)", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations
      const sql = yield* SqlClient
      const admin = yield* Admin.PostgresStore
      const token = Redacted.make("polar_oat_cache_test")
      yield* admin.putAccessToken(token, { organizationId: org, scopes: new Set(["checkouts:write"]) })
      assert.isTrue(Option.isSome(yield* orgs.findById(org)))
      yield* sql`UPDATE organizations SET data = jsonb_set(data, '{name}', '"Renamed"') WHERE id = ${org}`
      assert.notStrictEqual(Option.getOrThrow(yield* orgs.findById(org)).name, "Renamed", "within the ttl: the cached value")

      assert.isTrue(Option.isSome(yield* orgs.authenticate(token)))
      yield* sql`DELETE FROM access_tokens WHERE token_sha256 = ${tokenDigest(Redacted.value(token))}`
      assert.isTrue(Option.isNone(yield* orgs.authenticate(token)), "a deleted token fails at once")
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))), 20_000)
})
