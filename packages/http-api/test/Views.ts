/**
 * Generated checkout views and checkout links for the response tests: catalog prices of every amount type,
 * discounts, custom fields of every type, benefits, media, addresses, metadata with floats, custom field data,
 * timestamps, checkouts in every status.
 */
import type { CheckoutLink, CustomField, Organization, Product } from "@checkout-kit/domain"
import { CheckoutView } from "@checkout-kit/domain"
import { Arbitraries, Fixtures as F } from "@checkout-kit/domain/testing"
import { DateTime } from "effect"
import * as fc from "fast-check"
import * as Responses from "../src/Responses.ts"

export const timestamp = fc.date({
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
export const orgId = F.uuidOf(0xa1)

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
export const catalog = fc.record({
  organization,
  products: fc.array(product, { minLength: 1, maxLength: 3 }),
  discount: maybe(Arbitraries.discount(orgId))
})
export type Catalog = typeof catalog extends fc.Arbitrary<infer A> ? A : never

/** The checkout's own values. */
export const checkoutFields = fc.record({
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
export type CheckoutFields = typeof checkoutFields extends fc.Arbitrary<infer A> ? A : never
export const sampleFields: CheckoutFields = fc.sample(checkoutFields, { numRuns: 1, seed: 1 })[0]!

export const viewOf = (c: Catalog, g: CheckoutFields): CheckoutView.CheckoutView => {
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

export const view: fc.Arbitrary<CheckoutView.CheckoutView> = fc.record({ c: catalog, g: checkoutFields }).map(({ c, g }) =>
  viewOf(c, g)
)

export const link = fc.record({
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
