/**
 * `Responses` maps domain values to the typed wire values the endpoints' success schemas encode. These properties
 * encode and decode them with those schemas (what HttpApi does with a handler's answer), for generated checkout
 * views (catalog prices of every amount type, discounts, custom fields of every type, benefits, media, addresses,
 * metadata with floats, custom field data, timestamps) and checkout links, in every representation.
 */
import { describe, expect, it } from "@effect/vitest"
import type { CheckoutLink, CustomField, Organization, Product } from "@checkout-kit/domain"
import { CheckoutView } from "@checkout-kit/domain"
import { Arbitraries, Fixtures as F } from "@checkout-kit/domain/testing"
import { DateTime, Schema } from "effect"
import * as fc from "fast-check"
import { CheckoutLinkList, CheckoutList } from "../src/Api.ts"
import * as Responses from "../src/Responses.ts"
import * as Wire from "../src/wire/index.ts"
import { makePagination } from "../src/wire/ListResource.ts"

const timestamp = fc.date({
  min: new Date("2000-01-01T00:00:00.000Z"),
  max: new Date("2099-12-31T23:59:59.999Z"),
  noInvalidDate: true
}).map((d) => DateTime.fromDateUnsafe(d))

const maybe = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null })
const text = fc.string({ maxLength: 12 })

const organization: fc.Arbitrary<Organization.Organization> = fc.record({
  modifiedAt: maybe(timestamp),
  avatarUrl: maybe(fc.constant("https://img.example/a.png")),
  defaultPresentmentCurrency: Arbitraries.currency,
  prorationBehavior: fc.constantFrom("invoice" as const, "prorate" as const),
  allowCustomerUpdates: fc.boolean()
}).map((o) => F.organization({ id: F.uuidOf(0xa1), ...o }))
const orgId = F.uuidOf(0xa1)

const customField: fc.Arbitrary<CustomField.CustomField> = fc.record({
  type: fc.constantFrom<CustomField.Type>("text", "number", "date", "checkbox", "select"),
  modifiedAt: maybe(timestamp),
  formLabel: fc.option(text, { nil: undefined }),
  helpText: fc.option(text, { nil: undefined }),
  textarea: fc.option(fc.boolean(), { nil: undefined }),
  minLength: fc.option(fc.nat(100), { nil: undefined }),
  ge: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }),
  options: fc.array(fc.record({ value: text, label: text }), { minLength: 1, maxLength: 3 }),
  metadata: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/u), fc.oneof(text, fc.integer(), fc.boolean()), {
    maxKeys: 2
  })
}).map(({ type, modifiedAt, metadata, options, ...p }) => {
  const properties: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(p)) if (v !== undefined) properties[k] = v
  // A select always keeps one usable option (the schema requires at least one).
  if (type === "select") properties.options = [{ value: "a", label: "A" }, ...options]
  return F.customField({ organizationId: orgId, slug: `f_${type}`, type, modifiedAt, metadata, properties })
})

const media = (organizationId: string): Product.Media => ({
  id: F.uuid(),
  organizationId,
  name: "cover.png",
  path: "org/cover.png",
  mimeType: "image/png",
  size: 1536,
  storageVersion: null,
  checksumEtag: "etag",
  checksumSha256Base64: null,
  checksumSha256Hex: null,
  lastModifiedAt: F.epoch,
  version: null,
  isUploaded: true,
  createdAt: F.epoch,
  publicUrl: "https://img.example/cover.png"
})

const product: fc.Arbitrary<Product.Product> = fc.record({
  base: Arbitraries.product(orgId),
  benefits: fc.array(fc.constantFrom<"public" | "private">("public", "private"), { maxLength: 2 }),
  withMedia: fc.boolean(),
  fields: fc.array(customField, { maxLength: 3 }),
  trial: fc.boolean(),
  description: maybe(text)
}).map(({ base, benefits, withMedia, fields, trial, description }) => ({
  ...base,
  description,
  ...(trial ? { trialInterval: "week" as const, trialIntervalCount: 2 } : {}),
  benefits: benefits.map((v) => F.benefit(orgId, v)),
  medias: withMedia ? [media(orgId)] : [],
  attachedCustomFields: fields.map((f, i) => F.attach(f, i % 2 === 0, i))
}))

const scalarMap = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,8}$/u),
  fc.oneof(text, fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true })
    // Integral doubles beyond the safe range fail the schema's `Int` (the domain never holds them).
    .filter((x) => !Number.isInteger(x) || Number.isSafeInteger(x))),
  { maxKeys: 4 }
)

/** What a checkout view shows from the catalog, shared by every checkout over the same catalog objects. */
const catalog = fc.record({
  organization,
  products: fc.array(product, { minLength: 1, maxLength: 3 }),
  discount: maybe(Arbitraries.discount(orgId))
})
type Catalog = typeof catalog extends fc.Arbitrary<infer A> ? A : never

/** The checkout's own values. */
const checkoutFields = fc.record({
  selected: fc.nat(),
  status: fc.constantFrom<"open" | "expired" | "confirmed" | "succeeded" | "failed">(
    "open",
    "expired",
    "confirmed",
    "succeeded",
    "failed"
  ),
  createdAt: timestamp,
  modifiedAt: maybe(timestamp),
  trialEnd: maybe(timestamp),
  allowTrial: maybe(fc.boolean()),
  taxAmount: maybe(fc.nat(10_000)),
  taxBehavior: maybe(fc.constantFrom("inclusive" as const, "exclusive" as const)),
  seats: maybe(fc.integer({ min: 1, max: 20 })),
  address: maybe(Arbitraries.address),
  customerEmail: maybe(fc.constant("buyer@example.com")),
  externalCustomerId: maybe(text),
  customerTaxId: maybe(fc.constant({ number: "FR40303265045", format: "eu_vat" })),
  metadata: scalarMap,
  customerMetadata: scalarMap,
  customFieldData: fc.dictionary(
    fc.stringMatching(/^[a-z_]{1,8}$/u),
    fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
    { maxKeys: 3 }
  ),
  processorMetadata: fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/u), text, { maxKeys: 2 }),
  token: maybe(fc.constant("polar_cst_abc"))
})
type CheckoutFields = typeof checkoutFields extends fc.Arbitrary<infer A> ? A : never
const sampleFields: CheckoutFields = fc.sample(checkoutFields, { numRuns: 1, seed: 1 })[0]!

const viewOf = (c: Catalog, g: CheckoutFields): CheckoutView.CheckoutView => {
  const selected = c.products[g.selected % c.products.length]!
  const price = selected.prices[g.selected % selected.prices.length]!
  const checkout = F.checkout({
    organizationId: orgId,
    status: g.status,
    createdAt: g.createdAt,
    modifiedAt: g.modifiedAt,
    trialEnd: g.trialEnd,
    allowTrial: g.allowTrial,
    taxAmount: g.taxAmount,
    taxBehavior: g.taxBehavior,
    seats: g.seats,
    productIds: c.products.map((p) => p.id),
    productId: selected.id,
    productPriceId: price.id,
    currency: price.priceCurrency,
    discountId: c.discount?.id ?? null,
    customerEmail: g.customerEmail,
    externalCustomerId: g.externalCustomerId,
    customerTaxId: g.customerTaxId,
    customerBillingAddress: g.address === null
      ? null
      : { line1: null, line2: null, postalCode: null, city: null, state: null, ...g.address },
    metadata: g.metadata,
    customerMetadata: g.customerMetadata,
    customFieldData: g.customFieldData,
    paymentProcessorMetadata: g.processorMetadata
  })
  return CheckoutView.make({
    checkout,
    organization: c.organization,
    products: c.products,
    discount: c.discount,
    frontendBaseUrl: "https://pay.example.com",
    customerSessionToken: g.token
  })
}

const view: fc.Arbitrary<CheckoutView.CheckoutView> = fc.record({ c: catalog, g: checkoutFields }).map(({ c, g }) =>
  viewOf(c, g)
)

const link = fc.record({
  products: fc.array(product, { minLength: 1, maxLength: 3 }),
  discount: maybe(Arbitraries.discount(orgId)),
  defaultCurrency: Arbitraries.currency,
  createdAt: timestamp,
  modifiedAt: maybe(timestamp),
  label: maybe(text),
  seats: maybe(fc.integer({ min: 1, max: 20 })),
  successUrl: maybe(fc.constant("https://shop.example/ok")),
  metadata: scalarMap,
  productMetadata: scalarMap
}).map((g) => {
  const products = g.products.map((p) => ({ ...p, metadata: g.productMetadata }))
  const value: CheckoutLink.CheckoutLink = {
    id: F.uuid(),
    createdAt: g.createdAt,
    modifiedAt: g.modifiedAt,
    deletedAt: null,
    version: 1,
    paymentProcessor: "stripe",
    clientSecret: "polar_cl_abc",
    successUrl: g.successUrl,
    returnUrl: null,
    label: g.label,
    allowDiscountCodes: true,
    requireBillingAddress: false,
    seats: g.seats,
    discountId: g.discount?.id ?? null,
    organizationId: orgId,
    trialInterval: null,
    trialIntervalCount: null,
    metadata: g.metadata,
    productIds: [products[0]!.id, ...products.slice(1).map((p) => p.id)]
  }
  const context = {
    products,
    discount: g.discount,
    defaultCurrency: g.defaultCurrency,
    baseUrl: "https://pay.example.com/"
  }
  return { typed: Responses.checkoutLink(value, context) }
})

/**
 * What HttpApi does with a handler's answer: encode it with the endpoint's success schema to JSON text. It must
 * succeed (a failing output check would be a 500), and decoding that text gives back a value that encodes to the
 * same text (nothing lost or reshaped on the way).
 */
const encodes = <S extends Schema.Codec<any, any, never, never>>(schema: S, value: S["Type"]): string => {
  const codec = Schema.toCodecJson(schema)
  const text = JSON.stringify(Schema.encodeSync(codec)(value))
  const back = Schema.decodeUnknownSync(codec)(JSON.parse(text))
  expect(JSON.stringify(Schema.encodeSync(codec)(back))).toBe(text)
  return text
}

describe("Responses give values their success schemas encode", () => {
  it("Checkout, CheckoutPublic, CheckoutPublicConfirmed and the checkout list", () => {
    fc.assert(
      fc.property(view, (v) => {
        const org = JSON.parse(encodes(Wire.Checkout, Responses.checkout(v)))
        const pub = JSON.parse(encodes(Wire.CheckoutPublic, Responses.checkoutPublic(v)))
        const confirmed = JSON.parse(encodes(Wire.CheckoutPublicConfirmed, Responses.checkoutPublicConfirmed(v)))
        expect(org.status).toBe(v.checkout.status)
        expect(confirmed.status).toBe("confirmed")
        for (const key of ["metadata", "customer_metadata", "external_customer_id", "subscription_id"]) {
          expect(org).toHaveProperty(key)
          expect(pub).not.toHaveProperty(key)
          expect(confirmed).not.toHaveProperty(key)
        }
        // Floats in customer metadata are sent as decimal strings (the contract types it without floats).
        for (const [key, value] of Object.entries(v.checkout.customerMetadata)) {
          expect(org.customer_metadata[key]).toEqual(
            typeof value === "number" && !Number.isInteger(value) ? String(value) : value
          )
        }
        expect(org.created_at).toBe(DateTime.formatIso(v.checkout.createdAt))
        encodes(CheckoutList, { items: [Responses.checkout(v)], pagination: makePagination(21, 10) })
      }),
      { numRuns: 60 }
    )
  }, 60_000)

  it("CheckoutLink and the link list", () => {
    fc.assert(
      fc.property(link, ({ typed }) => {
        const body = JSON.parse(encodes(Wire.CheckoutLink, typed))
        expect(body.url).toBe(`https://pay.example.com/v1/checkout-links/${typed.client_secret}/redirect`)
        encodes(CheckoutLinkList, { items: [typed, typed], pagination: makePagination(2, 10) })
      }),
      { numRuns: 50 }
    )
  }, 60_000)

  it("shows a product as it is now: an updated catalog object gives the new values", () => {
    const [c] = fc.sample(catalog, { numRuns: 1, seed: 7 })
    const before = viewOf(c!, sampleFields)
    const after = viewOf({ ...c!, products: c!.products.map(updated) }, sampleFields)
    const name = (v: CheckoutView.CheckoutView) => JSON.parse(encodes(Wire.CheckoutPublic, Responses.checkoutPublic(v))).products[0].name
    expect(name(after)).toBe(`${name(before)} (new)`)
  })
})

/**
 * A catalog product changed the way a store changes one: a new object, here with a new name and billing interval
 * (which the unchanged price objects show as their deprecated `type`/`recurring_interval`) and new fixed prices.
 */
const updated = (p: Product.Product): Product.Product => ({
  ...p,
  name: `${p.name} (new)`,
  ...(p.recurringInterval === null
    ? { recurringInterval: "month" as const, recurringIntervalCount: 1 }
    : { recurringInterval: null, recurringIntervalCount: null }),
  prices: p.prices.map((x) => (x.amountType === "fixed" ? { ...x, priceAmount: x.priceAmount + 1 } : x))
})
