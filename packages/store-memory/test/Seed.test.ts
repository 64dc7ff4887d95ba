/**
 * Seeds: the shipped demo seed loads with the catalog the README promises; a bad seed stops the layer with an
 * error naming the file, the path inside it and what was expected (never echoing a token); tokens authenticate
 * by digest; CHECKOUT_SEED_FILE selects the file.
 */
import { createHash } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Catalog, CheckoutRepository, Customers, Organizations } from "@checkout-kit/domain"
import { ConfigProvider, Effect, Layer, Option, Redacted } from "effect"
import { MemoryStore, Seed } from "../src/index.ts"

const acme = "11111111-1111-4111-8111-000000000001"
const globex = "11111111-1111-4111-8111-000000000002"
const demoToken = "polar_oat_demo_checkout_kit_local_only"
const allScopes = ["checkout_links:read", "checkout_links:write", "checkouts:read", "checkouts:write"]

const dir = mkdtempSync(join(tmpdir(), "store-memory-seed-"))
const writeSeed = (name: string, content: unknown): string => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2))
  return path
}

/** The SeedError a layer fails with. */
const seedError = <A>(layer: Layer.Layer<A, Seed.SeedError>) =>
  Effect.flip(Layer.build(layer)).pipe(Effect.scoped)

const minimalOrg = { id: acme, name: "Acme", access_tokens: [{ token: demoToken, scopes: ["checkouts:read"] }] }

describe("demo seed", () => {
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
    }).pipe(Effect.provide(MemoryStore.layerDemo())))

  it.live("its values satisfy the domain schemas", () =>
    Effect.gen(function*() {
      const seed = yield* Seed.readFileSeed(Seed.demoSeedPath)
      yield* Seed.assertDomainShapes(seed)
      assert.strictEqual(seed.products.length, 9)
      assert.isTrue(seed.tokens.every((t) => /^[0-9a-f]{64}$/u.test(t.digest)))
    }))
})

describe("seed validation", () => {
  it.effect("a bad value names the file, the path inside it and what was expected", () =>
    Effect.gen(function*() {
      const path = writeSeed("bad-amount.json", {
        organizations: [minimalOrg],
        products: [{ id: "22222222-2222-4222-8222-000000000001", organization_id: acme, name: "X", prices: [
          { id: "33333333-3333-4333-8333-000000000001", amount_type: "fixed", price_amount: 10.5 }
        ] }]
      })
      const error = yield* seedError(MemoryStore.layerSeedFile(path))
      assert.strictEqual(error._tag, "SeedError")
      assert.include(error.message, path)
      assert.include(error.message, "products[0].prices[0].price_amount")
      assert.match(error.message, /Expected .*integer/u)
    }))

  it.effect("every problem is reported, including unknown keys, wrong types and broken references", () =>
    Effect.gen(function*() {
      const path = writeSeed("many.json", {
        organizations: [{ ...minimalOrg, default_presentment_currency: "USD", colour: "red" }],
        discounts: [{ id: "not-a-uuid", organization_id: acme, name: "D", type: "percentage", basis_points: 20000 }]
      })
      const error = yield* seedError(MemoryStore.layerSeedFile(path))
      const paths = error.issues.map((i) => i.path)
      assert.include(paths, "organizations[0].default_presentment_currency")
      assert.include(paths, "organizations[0].colour")
      assert.include(paths, "discounts[0].id")
      assert.include(paths, "discounts[0].basis_points")

      const refs = yield* Effect.flip(Seed.decode({
        organizations: [minimalOrg],
        products: [{ id: "22222222-2222-4222-8222-000000000001", organization_id: globex, name: "X", prices: [{ id: "33333333-3333-4333-8333-000000000001", amount_type: "free" }] }],
        discounts: [{ id: "44444444-4444-4444-8444-000000000001", organization_id: acme, name: "D", type: "fixed", amounts: {}, code: "abc", products: ["22222222-2222-4222-8222-000000000009"] }],
        customers: [
          { id: "66666666-6666-4666-8666-000000000001", organization_id: acme, email: "a@x.com" },
          { id: "66666666-6666-4666-8666-000000000002", organization_id: acme, email: "A@X.com" }
        ]
      }))
      const byPath = Object.fromEntries(refs.issues.map((i) => [i.path, i.message]))
      assert.include(byPath["products[0].organization_id"], globex)
      assert.include(byPath["discounts[0].amounts"], "at least one currency")
      assert.include(byPath["discounts[0].products[0]"], "22222222-2222-4222-8222-000000000009")
      assert.include(byPath["customers[1].email"], "unique")
      assert.include(refs.message, "(inline seed)")
    }))

  it.effect("a token is never echoed in an error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Seed.decode({ organizations: [{ id: acme, name: "Acme", access_tokens: [{ token: "SECRET42", scopes: [] }] }] }))
      assert.include(error.message, "organizations[0].access_tokens[0].token")
      assert.notInclude(error.message, "SECRET42")
    }))

  it.effect("unparsable and missing files are errors naming the file", () =>
    Effect.gen(function*() {
      const broken = writeSeed("broken.json", "{ \"organizations\": [")
      const parse = yield* seedError(MemoryStore.layerSeedFile(broken))
      assert.include(parse.message, broken)
      assert.include(parse.message, "not valid JSON")
      const missing = join(dir, "missing.json")
      const read = yield* seedError(MemoryStore.layerSeedFile(missing))
      assert.include(read.message, missing)
      assert.include(read.message, "cannot be read")
    }))

  it.effect("defaults fill everything optional; token_sha256 authenticates the token it hashes", () =>
    Effect.gen(function*() {
      const token = "polar_oat_only_its_digest_is_in_the_file"
      const digest = createHash("sha256").update(token).digest("hex")
      const seed = yield* Seed.decode({
        organizations: [{ id: acme, name: "Acme & Co", access_tokens: [{ token_sha256: digest, scopes: ["checkouts:write"] }] }],
        products: [{ id: "22222222-2222-4222-8222-000000000001", organization_id: acme, name: "X", recurring_interval: "year", prices: [{ id: "33333333-3333-4333-8333-000000000001", amount_type: "custom" }] }]
      })
      const org = seed.organizations[0]!
      assert.deepStrictEqual([org.slug, org.defaultPresentmentCurrency, org.canAcceptPayments, org.isBlocked], ["acme-co", "usd", true, false])
      const product = seed.products[0]!
      assert.strictEqual(product.recurringIntervalCount, 1)
      const price = product.prices[0]!
      assert.deepStrictEqual(price.amountType === "custom" ? [price.priceCurrency, price.minimumAmount, price.presetAmount] : null, ["usd", 50, null])
      assert.strictEqual(seed.tokens[0]!.digest, digest)
      // The token whose digest the file holds authenticates; its digest itself is not a token.
      const [found, digestAsToken] = yield* Effect.gen(function*() {
        const organizations = yield* Organizations
        return [yield* organizations.authenticate(Redacted.make(token)), yield* organizations.authenticate(Redacted.make(digest))] as const
      }).pipe(Effect.provide(MemoryStore.layer(seed)))
      assert.deepStrictEqual([...Option.getOrThrow(found).scopes], ["checkouts:write"])
      assert.isTrue(Option.isNone(digestAsToken))
    }))

  it.effect("layerConfig reads the file named by CHECKOUT_SEED_FILE", () =>
    Effect.gen(function*() {
      const path = writeSeed("config.json", { organizations: [{ ...minimalOrg, name: "Configured" }] })
      const organizations = yield* Organizations.pipe(
        Effect.provide(MemoryStore.layerConfig().pipe(
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ CHECKOUT_SEED_FILE: path })))
        ))
      )
      const name = yield* Effect.map(organizations.findById(acme), (o) => Option.getOrThrow(o).name)
      assert.strictEqual(name, "Configured")
      const bad = writeSeed("config-bad.json", { organizations: [{ id: acme }] })
      const error = yield* Effect.flip(Layer.build(MemoryStore.layerConfig().pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ CHECKOUT_SEED_FILE: bad })))
      ))).pipe(Effect.scoped)
      assert.strictEqual(error._tag, "SeedError")
      assert.include(error.message, "organizations[0].name")
    }))
})
