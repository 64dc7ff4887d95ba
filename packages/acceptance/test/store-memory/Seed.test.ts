/**
 * Seeds in the memory store: http-api's `Seed` decodes the file into domain values and `MemoryStore.layerFrom`
 * loads them. The shipped demo seed gives the catalog the README promises; tokens authenticate by digest; seeded
 * checkouts are found by id and client secret; a seed with any problem fails the layer and loads nothing.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"
import { tmpdir } from "node:os"
import { assert, describe, it } from "@effect/vitest"
import { Catalog, CheckoutRepository, Customers, Organizations } from "@checkout-kit/domain"
import { Seed } from "@checkout-kit/http-api"
import { MemoryStore } from "@checkout-kit/store-memory"
import { Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { acme, acmeOrganization, checkoutId, fixed, fixedProduct, secret, token } from "../../../http-api/test/SeedFixtures.ts"

const globex = "11111111-1111-4111-8111-000000000002"
const demoToken = "polar_oat_demo_checkout_kit_local_only"
const allScopes = ["checkout_links:read", "checkout_links:write", "checkouts:read", "checkouts:write", "webhooks:read", "webhooks:write"]

describe("demo seed in the memory store", () => {
  it.live("loads the documented organizations, tokens, catalog and customer", () =>
    Effect.gen(function*() {
      const organizations = yield* Organizations
      const catalog = yield* Catalog
      const customers = yield* Customers
      const org = Option.getOrThrow(yield* organizations.findById(acme))
      assert.strictEqual(org.name, "Acme")
      assert.strictEqual(org.defaultPresentmentCurrency, "usd")
      assert.isTrue(org.canAcceptPayments)
      assert.isFalse(org.isBlocked)
      assert.strictEqual(Option.getOrThrow(yield* organizations.findById(globex)).defaultPresentmentCurrency, "eur")

      const grant = Option.getOrThrow(yield* organizations.authenticate(Redacted.make(demoToken)))
      assert.strictEqual(grant.organizationId, acme)
      assert.deepStrictEqual([...grant.scopes].sort(), allScopes)
      const readOnly = Option.getOrThrow(yield* organizations.authenticate(Redacted.make("polar_oat_demo_readonly_local_only")))
      assert.deepStrictEqual([...readOnly.scopes].sort(), ["checkout_links:read", "checkouts:read"])
      assert.strictEqual(Option.getOrThrow(yield* organizations.authenticate(Redacted.make("polar_oat_demo_globex_local_only"))).organizationId, globex)
      assert.isTrue(Option.isNone(yield* organizations.authenticate(Redacted.make(`${demoToken}x`))))

      const product = (n: number) => Effect.map(catalog.getProduct(`22222222-2222-4222-8222-00000000000${n}`), Option.getOrThrow)
      const starter = yield* product(1)
      assert.deepStrictEqual(starter.prices.map((p) => [p.priceCurrency, p.amountType, p.amountType === "fixed" ? p.priceAmount : null]), [
        ["usd", "fixed", 1000],
        ["eur", "fixed", 1000]
      ])
      assert.deepStrictEqual(starter.attachedCustomFields.map((a) => [a.customField.slug, a.customField.type, a.required]), [
        ["company", "text", false],
        ["team_size", "select", true]
      ])
      const pro = yield* product(2)
      assert.deepStrictEqual([pro.recurringInterval, pro.trialInterval, pro.trialIntervalCount], ["month", "day", 7])
      const pwyw = (yield* product(3)).prices[0]!
      assert.deepStrictEqual(pwyw.amountType === "custom" ? [pwyw.minimumAmount, pwyw.presetAmount] : null, [50, 1000])
      const graduated = (yield* product(4)).prices[0]!
      assert.strictEqual(graduated.amountType === "seat_based" ? graduated.seatTiers.seatTierType : null, "graduated")
      const volume = (yield* product(5)).prices[0]!
      assert.strictEqual(volume.amountType === "seat_based" ? volume.seatTiers.seatTierType : null, "volume")
      const free = (yield* product(6)).prices[0]!
      assert.strictEqual(free.amountType === "fixed" ? free.priceAmount : null, 0)
      assert.deepStrictEqual((yield* product(7)).prices.map((p) => p.amountType), ["fixed", "metered_unit"])
      const archived = yield* product(8)
      assert.isTrue(archived.isArchived && archived.prices.every((p) => p.isArchived))

      const eurPrice = Option.getOrThrow(yield* catalog.getPrice("33333333-3333-4333-8333-000000000002"))
      assert.strictEqual(eurPrice.product.id, starter.id)
      const fixedOnce = Option.getOrThrow(yield* catalog.getDiscountByCode(acme, "discountfixedonce"))
      assert.deepStrictEqual(fixedOnce.type === "fixed" ? fixedOnce.amounts : null, { usd: 1000, eur: 1000 })
      const half = Option.getOrThrow(yield* catalog.getDiscountByCode(acme, "HALFOFF"))
      assert.strictEqual(half.type === "percentage" ? half.basisPoints : null, 5000)
      const forever = Option.getOrThrow(yield* catalog.getDiscountByCode(acme, "FREEFOREVER"))
      assert.deepStrictEqual([forever.duration, forever.type === "percentage" ? forever.basisPoints : null], ["forever", 10000])
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscountByCode(acme, "LAUNCH10")).maxRedemptions, 10)
      assert.isTrue(Option.isNone(yield* catalog.getDiscountByCode(acme, "GLOBEX10")))

      assert.strictEqual(Option.getOrThrow(yield* customers.findByEmail(acme, "JANE@example.com")).externalId, "user_123")
      // The seeded expired checkout (live clock: seed validation checks expires_at against the Clock).
      const expired = Option.getOrThrow(yield* (yield* CheckoutRepository).findByClientSecret("polar_c_demoExpiredCheckout0000000000000000004Fyv4o"))
      assert.deepStrictEqual([expired.id, expired.status, expired.amount, expired.currency], ["99999999-9999-4999-8999-000000000001", "expired", 1000, "usd"])
    }).pipe(Effect.provide(MemoryStore.layerFrom(Seed.demo))))
})

const base = { organizations: [acmeOrganization], products: [fixedProduct] }

describe("seed loading", () => {
  it.effect("token_sha256 authenticates the token it hashes; the digest itself is no token", () =>
    Effect.gen(function*() {
      const plain = "polar_oat_only_its_digest_is_in_the_file"
      const digest = createHash("sha256").update(plain).digest("hex")
      const [found, digestAsToken] = yield* Effect.gen(function*() {
        const organizations = yield* Organizations
        return [yield* organizations.authenticate(Redacted.make(plain)), yield* organizations.authenticate(Redacted.make(digest))] as const
      }).pipe(Effect.provide(MemoryStore.layerFrom(Seed.decode({
        organizations: [{ id: acme, name: "Acme", access_tokens: [{ token_sha256: digest, scopes: ["checkouts:write"] }] }]
      }))))
      assert.deepStrictEqual([...Option.getOrThrow(found).scopes], ["checkouts:write"])
      assert.isTrue(Option.isNone(digestAsToken))
    }))

  it.effect("seeded checkouts are found by id and client secret", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-06-01T00:00:00.000Z"))
      const found = yield* Effect.gen(function*() {
        const repository = yield* CheckoutRepository
        return [
          Option.map(yield* repository.findByClientSecret(secret(2)), (c) => c.id),
          Option.map(yield* repository.findById(checkoutId(1)), (c) => c.status)
        ]
      }).pipe(Effect.provide(MemoryStore.layerFrom(Seed.decode({
        ...base,
        checkouts: [
          { id: checkoutId(1), product_id: fixed, status: "succeeded", client_secret: secret(1) },
          { id: checkoutId(2), product_id: fixed, status: "expired", client_secret: secret(2), expires_at: "2026-05-01T00:00:00Z" }
        ]
      }))))
      assert.deepStrictEqual(found, [Option.some(checkoutId(2)), Option.some("succeeded")])
    }))

  it.effect("a seed with a bad checkout loads nothing: the layer fails and no organization or token exists", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-06-01T00:00:00.000Z"))
      const document = { ...base, checkouts: [{ id: checkoutId(1), product_id: fixed, status: "expired", expires_at: "2027-01-01T00:00:00Z" }] }
      const error = yield* Effect.flip(Layer.build(MemoryStore.layerFrom(Seed.decode(document))).pipe(Effect.scoped))
      assert.strictEqual(error._tag, "SeedError")
      assert.include(error.message, "checkouts[0].expires_at")
      // The same document without the bad entry authenticates: the failure above was the checkout, not the rest.
      const grant = yield* Effect.gen(function*() {
        return yield* (yield* Organizations).authenticate(Redacted.make(token))
      }).pipe(Effect.provide(MemoryStore.layerFrom(Seed.decode({ ...base, checkouts: [] }))))
      assert.isTrue(Option.isSome(grant))
    }))

  it.effect("a missing file fails the layer with a SeedError naming it", () =>
    Effect.gen(function*() {
      const missing = join(tmpdir(), `checkout-kit-no-such-seed-${process.pid}.json`)
      const error = yield* Effect.flip(Layer.build(MemoryStore.layerFrom(Seed.readFileSeed(missing))).pipe(Effect.scoped))
      assert.strictEqual(error._tag, "SeedError")
      assert.include(error.message, missing)
      assert.include(error.message, "cannot be read")
    }))
})
