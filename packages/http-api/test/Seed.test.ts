/**
 * Seeds: the shipped demo seed decodes into domain values the domain schemas accept; a bad seed is an error naming
 * the file, the path inside it and what was expected (never echoing a token); defaults fill what a seed author
 * leaves out; the entries are the wire schemas' shapes (custom-field properties, currencies, countries, e-mails).
 * (Loading a seed into a store: acceptance's test/store-memory/Seed.test.ts.)
 */
import { createHash } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Seed, Wire } from "../src/index.ts"

const acme = "11111111-1111-4111-8111-000000000001"
const globex = "11111111-1111-4111-8111-000000000002"
const demoToken = "polar_oat_demo_checkout_kit_local_only"
const product = "22222222-2222-4222-8222-000000000001"
const price = "33333333-3333-4333-8333-000000000001"

const dir = mkdtempSync(join(tmpdir(), "store-memory-seed-"))
const writeSeed = (name: string, content: unknown): string => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2))
  return path
}

/** The SeedError reading a seed file fails with. */
const seedError = (path: string) => Effect.flip(Seed.readFileSeed(path))

const minimalOrg = { id: acme, name: "Acme", access_tokens: [{ token: demoToken, scopes: ["checkouts:read"] }] }

describe("demo seed", () => {
  it.live("its values satisfy the domain schemas", () =>
    Effect.gen(function*() {
      const seed = yield* Seed.readFileSeed(Seed.demoSeedPath)
      yield* Seed.assertDomainShapes(seed)
      assert.strictEqual(seed.products.length, 9)
      assert.isTrue(seed.tokens.every((t) => /^[0-9a-f]{64}$/u.test(t.digest)))
      assert.deepStrictEqual(seed.organizations.map((o) => [o.slug, o.defaultPresentmentCurrency, o.isBlocked]), [
        ["acme", "usd", false],
        ["globex", "eur", false],
        ["initech", "usd", true]
      ])
      assert.deepStrictEqual(seed.products[0]!.attachedCustomFields.map((a) => [a.customField.slug, a.customField.properties]), [
        ["company", { formLabel: "Company name", maxLength: 100 }],
        ["team_size", {
          formLabel: "How large is your team?",
          options: [{ value: "1", label: "Just me" }, { value: "2-10", label: "2 to 10" }, { value: "11+", label: "More than 10" }]
        }]
      ])
      const metered = seed.products[6]!.prices[1]!
      assert.deepStrictEqual(metered.amountType === "metered_unit" ? [metered.unitAmount, metered.meter.name] : null, ["0.5", "API calls"])
      assert.strictEqual(Seed.demoSeedPath.endsWith("/http-api/seed/demo.json"), true)
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
      const error = yield* seedError(path)
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
      const error = yield* seedError(path)
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
      const parse = yield* seedError(broken)
      assert.include(parse.message, broken)
      assert.include(parse.message, "not valid JSON")
      const missing = join(dir, "missing.json")
      const read = yield* seedError(missing)
      assert.include(read.message, missing)
      assert.include(read.message, "cannot be read")
    }))

  it.effect("defaults fill everything optional; token_sha256 is kept as the digest", () =>
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
    }))

  it.effect("entries are the wire's shapes: custom-field properties, presentment currencies, countries, e-mails", () =>
    Effect.gen(function*() {
      const field = (n: number, type: string, properties?: unknown) => ({
        id: `55555555-5555-4555-8555-00000000000${n}`,
        organization_id: acme,
        slug: `f${n}`,
        name: `F${n}`,
        type,
        ...(properties === undefined ? {} : { properties })
      })
      const seed = yield* Seed.decode({
        organizations: [minimalOrg],
        custom_fields: [
          field(1, "text", { form_label: "Company", form_help_text: "As registered", form_placeholder: "Acme Ltd", textarea: true }),
          field(2, "checkbox")
        ],
        customers: [{
          id: "66666666-6666-4666-8666-000000000001",
          organization_id: acme,
          email: "Ada@Example.COM",
          billing_address: { line1: "1 Rue", postal_code: "75001", city: "Paris", country: "fr" }
        }]
      })
      assert.deepStrictEqual(seed.customers.map((c) => [c.email, c.billingAddress?.postalCode, c.billingAddress?.country]), [
        ["Ada@example.com", "75001", "FR"]
      ])

      const bad = yield* Effect.flip(Seed.decode({
        organizations: [minimalOrg],
        custom_fields: [field(1, "select", { form_label: "Size" }), field(2, "text", { help_text: "old key" })],
        products: [{ id: product, organization_id: acme, name: "X", prices: [{ id: price, amount_type: "fixed", price_amount: 100, price_currency: "xyz" }] }],
        discounts: [{ id: "44444444-4444-4444-8444-000000000001", organization_id: acme, name: "D", type: "fixed", amounts: { usd: 100, XYZ: 5 } }],
        customers: [
          { id: "66666666-6666-4666-8666-000000000001", organization_id: acme, billing_address: { country: "ZZ" } }
        ]
      }))
      const paths = bad.issues.map((i) => i.path)
      for (const expected of [
        "custom_fields[0].properties.options",
        "custom_fields[1].properties.help_text",
        "products[0].prices[0].price_currency",
        "customers[0].billing_address.country"
      ]) assert.include(paths, expected, paths.join(", "))
      assert.isTrue(paths.some((p) => p.startsWith("discounts[0].amounts")), paths.join(", "))
      // The wire's e-mail codec (its failure ends that customer's decoding, so it is checked on its own).
      const email = yield* Effect.flip(Seed.decode({
        organizations: [minimalOrg],
        customers: [{ id: "66666666-6666-4666-8666-000000000001", organization_id: acme, email: "nobody" }]
      }))
      assert.include(email.message, "customers[0].email: value is not a valid email address")
    }))

  it("the document's entries are the wire's schemas, not copies of them", () => {
    assert.strictEqual(Seed.OrganizationSeed.fields.id, Wire.CheckoutOrganization.fields.id)
    assert.strictEqual(Seed.ProductSeed.fields.organization_id, Wire.CheckoutLinkProduct.fields.organization_id)
    assert.strictEqual(Seed.PriceSeed.members[0].fields.tax_behavior, Wire.ProductPriceFixedCreate.fields.tax_behavior)
    assert.strictEqual(Seed.PriceSeed.members[2].fields.minimum_amount, Wire.ProductPriceCustomCreate.fields.minimum_amount)
    assert.strictEqual(Seed.CustomFieldSeed.members[4].fields.properties, Wire.CustomFieldSelect.fields.properties)
    assert.strictEqual(Seed.DiscountSeed.members[1].fields.type, Wire.DiscountPercentageRepeatDurationBase.fields.type)
    assert.strictEqual(Seed.CheckoutSeed.fields.id, Wire.Checkout.fields.id)
  })
})
