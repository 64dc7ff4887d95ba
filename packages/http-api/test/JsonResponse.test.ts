/**
 * `JsonResponse` writes the big success bodies with `JSON.stringify` instead of the schema encoder. These properties
 * check that the bytes are the same as the schema's JSON codec would write, for generated checkout views (catalog
 * prices of every amount type, discounts, custom fields of every type, benefits, media, addresses, metadata with
 * floats, custom field data, timestamps) and checkout links, in every representation the handlers send that way.
 *
 * The checkout bodies are sent as `Responses.text`, composed from JSON fragments cached per catalog object, so those
 * tests also exercise the caches: repeated calls, checkouts sharing catalog objects, and catalog objects replaced by
 * updated copies (a stale fragment would show the old values), plus catalogs read as fresh objects every time.
 */
import { describe, expect, it } from "@effect/vitest"
import type { CheckoutLink, CustomField, Organization, Product } from "@checkout-kit/domain"
import { CheckoutView } from "@checkout-kit/domain"
import { Arbitraries, Fixtures as F } from "@checkout-kit/domain/testing"
import { DateTime, Schema } from "effect"
import * as fc from "fast-check"
import { CheckoutLinkList, CheckoutList } from "../src/Api.ts"
import * as JsonResponse from "../src/JsonResponse.ts"
import * as Responses from "../src/Responses.ts"
import * as Wire from "../src/wire/index.ts"
import { makePagination } from "../src/wire/ListResource.ts"

/**
 * The body JsonResponse sends for the JSON form of a value must be the text the schema's JSON codec writes for the
 * typed value.
 */
const sameBytes = <S extends Schema.Codec<any, any, never, never>>(
  schema: S,
  typed: S["Type"],
  json: JsonResponse.Json<S["Type"]>
) => {
  const response = JsonResponse.make(schema, json, 201)
  expect(response.status).toBe(201)
  const body = response.body
  if (body._tag !== "Uint8Array") throw new Error(`expected a byte body, got ${body._tag}`)
  expect(body.contentType).toBe("application/json")
  expect(new TextDecoder().decode(body.body)).toBe(JSON.stringify(Schema.encodeSync(Schema.toCodecJson(schema))(typed)))
}

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
    // Integral doubles beyond the safe range fail the schema's `Int` (see the header of JsonResponse.ts).
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
  return { typed: Responses.checkoutLink(value, context), json: Responses.json.checkoutLink(value, context) }
})

describe("JsonResponse writes the bytes of the schema's JSON codec", () => {
  it("Checkout, CheckoutPublic, CheckoutPublicConfirmed and the checkout list", () => {
    fc.assert(
      fc.property(view, (v) => {
        sameBytes(Wire.Checkout, Responses.checkout(v), Responses.json.checkout(v))
        sameBytes(Wire.CheckoutPublic, Responses.checkoutPublic(v), Responses.json.checkoutPublic(v))
        sameBytes(
          Wire.CheckoutPublicConfirmed,
          Responses.checkoutPublicConfirmed(v),
          Responses.json.checkoutPublicConfirmed(v)
        )
        const pagination = makePagination(21, 10)
        sameBytes(
          CheckoutList,
          { items: [Responses.checkout(v)], pagination },
          { items: [Responses.json.checkout(v)], pagination }
        )
      }),
      { numRuns: 150 }
    )
  })

  it("CheckoutLink and the link list", () => {
    fc.assert(
      fc.property(link, ({ typed, json }) => {
        sameBytes(Wire.CheckoutLink, typed, json)
        const pagination = makePagination(2, 10)
        sameBytes(CheckoutLinkList, { items: [typed, typed], pagination }, { items: [json, json], pagination })
      }),
      { numRuns: 100 }
    )
  })
})

/**
 * The three checkout bodies as `Responses.text` writes them, checked against the schema encoder (the bytes clients
 * get) and against `JSON.stringify` of the `Responses.json` value (what the text is defined to be).
 */
const texts = (v: CheckoutView.CheckoutView) => ({
  checkout: Responses.text.checkout(v),
  checkoutPublic: Responses.text.checkoutPublic(v),
  checkoutPublicConfirmed: Responses.text.checkoutPublicConfirmed(v)
})

const expectedTexts = (v: CheckoutView.CheckoutView) => {
  const expected = {
    checkout: JSON.stringify(Schema.encodeSync(Schema.toCodecJson(Wire.Checkout))(Responses.checkout(v))),
    checkoutPublic: JSON.stringify(
      Schema.encodeSync(Schema.toCodecJson(Wire.CheckoutPublic))(Responses.checkoutPublic(v))
    ),
    checkoutPublicConfirmed: JSON.stringify(
      Schema.encodeSync(Schema.toCodecJson(Wire.CheckoutPublicConfirmed))(Responses.checkoutPublicConfirmed(v))
    )
  }
  expect(expected).toEqual({
    checkout: JSON.stringify(Responses.json.checkout(v)),
    checkoutPublic: JSON.stringify(Responses.json.checkoutPublic(v)),
    checkoutPublicConfirmed: JSON.stringify(Responses.json.checkoutPublicConfirmed(v))
  })
  return expected
}

const bodyOf = (response: ReturnType<typeof JsonResponse.fromText>): string => {
  const body = response.body
  if (body._tag !== "Uint8Array") throw new Error(`expected a byte body, got ${body._tag}`)
  expect(body.contentType).toBe("application/json")
  return new TextDecoder().decode(body.body)
}

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

describe("Responses.text writes the checkout bodies from cached catalog fragments", () => {
  it("is the schema encoder's JSON, on the first call and on cache hits", () => {
    fc.assert(
      fc.property(view, (v) => {
        const expected = expectedTexts(v)
        expect(texts(v)).toEqual(expected)
        expect(texts(v)).toEqual(expected)
        const response = JsonResponse.fromText(Wire.Checkout, Responses.text.checkout(v), 201)
        expect(response.status).toBe(201)
        expect(bodyOf(response)).toBe(expected.checkout)
        expect(JSON.parse(expected.checkoutPublicConfirmed).status).toBe("confirmed")
      }),
      { numRuns: 150 }
    )
  })

  it("gives each checkout its own bytes when checkouts share the catalog objects", () => {
    fc.assert(
      fc.property(catalog, checkoutFields, checkoutFields, (c, a, b) => {
        const first = viewOf(c, a)
        const second = viewOf(c, b)
        expect(second.products).toEqual(first.products.map((p) => expect.objectContaining({ id: p.id })))
        expect(second.products[0]).toBe(first.products[0])
        expect(second.organization).toBe(first.organization)
        const expectedFirst = expectedTexts(first)
        const expectedSecond = expectedTexts(second)
        expect(texts(first)).toEqual(expectedFirst)
        expect(texts(second)).toEqual(expectedSecond)
        expect(texts(first)).toEqual(expectedFirst)
      }),
      { numRuns: 100 }
    )
  })

  it("shows an updated product or organization (a new object), while a view of the old one keeps the old bytes", () => {
    fc.assert(
      fc.property(catalog, checkoutFields, fc.nat(), (c, g, which) => {
        const before = viewOf(c, g)
        const expectedBefore = expectedTexts(before)
        expect(texts(before)).toEqual(expectedBefore)

        const i = which % c.products.length
        const changed = updated(c.products[i]!)
        const after = viewOf({
          ...c,
          organization: { ...c.organization, name: `${c.organization.name} (new)` },
          products: c.products.map((p, j) => (j === i ? changed : p))
        }, g)
        const expectedAfter = expectedTexts(after)
        const got = texts(after)
        expect(got).toEqual(expectedAfter)
        expect(JSON.parse(got.checkout).products[i].name).toBe(changed.name)
        expect(JSON.parse(got.checkoutPublic).organization.name).toBe(`${c.organization.name} (new)`)
        expect(got.checkoutPublic).not.toBe(expectedBefore.checkoutPublic)

        expect(texts(before)).toEqual(expectedBefore)
        expect(texts(after)).toEqual(expectedAfter)
      }),
      { numRuns: 100 }
    )
  })

  it("shows a discount's fixed amount in the organization's current default currency", () => {
    const discount = F.fixedDiscount({ organizationId: orgId, amounts: { usd: 500, eur: 450 } })
    const products = [F.product({ organizationId: orgId })]
    const usd = F.organization({ id: orgId, defaultPresentmentCurrency: "usd" })
    const eur = { ...usd, defaultPresentmentCurrency: "eur" }
    const [inUsd, inEur] = [usd, eur].map((organization) =>
      viewOf({ organization, products, discount }, { ...sampleFields, selected: 0 })
    )
    const discountOf = (v: CheckoutView.CheckoutView) => JSON.parse(Responses.text.checkoutPublic(v)).discount
    expect(discountOf(inUsd!)).toMatchObject({ amount: 500, currency: "usd" })
    expect(discountOf(inEur!)).toMatchObject({ amount: 450, currency: "eur" })
    expect(discountOf(inUsd!)).toMatchObject({ amount: 500, currency: "usd" })
    expect(texts(inEur!)).toEqual(expectedTexts(inEur!))
  })

  it("stays right when every read returns fresh catalog objects (no cache hits)", () => {
    fc.assert(
      fc.property(catalog, checkoutFields, (c, g) => {
        const fresh = (): Catalog => ({
          organization: { ...c.organization },
          discount: c.discount === null ? null : { ...c.discount },
          products: c.products.map((p) => ({ ...p, prices: p.prices.map((x) => ({ ...x })) }))
        })
        const first = viewOf(fresh(), g)
        const second = viewOf(fresh(), g)
        expect(second.products[0]).not.toBe(first.products[0])
        expect(texts(first)).toEqual(expectedTexts(first))
        expect(texts(second)).toEqual(expectedTexts(second))
      }),
      { numRuns: 50 }
    )
  })
})
