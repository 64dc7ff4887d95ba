/**
 * `Responses` maps domain values to the typed wire values the endpoints' success schemas encode. These properties
 * encode and decode them with those schemas (what HttpApi does with a handler's answer), for generated checkout
 * views (catalog prices of every amount type, discounts, custom fields of every type, benefits, media, addresses,
 * metadata with floats, custom field data, timestamps) and checkout links, in every representation.
 */
import { describe, expect, it } from "@effect/vitest"
import type { CheckoutView, Product } from "@checkout-kit/domain"
import { DateTime, Schema } from "effect"
import * as fc from "fast-check"
import { CheckoutLinkList, CheckoutList } from "../src/Api.ts"
import * as Responses from "../src/Responses.ts"
import * as Wire from "../src/wire/index.ts"
import { makePagination } from "../src/wire/ListResource.ts"
import { catalog, link, sampleFields, view, viewOf } from "./Views.ts"

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
          // (through JSON, as the body went: -0 is written as 0)
          expect(org.customer_metadata[key]).toEqual(
            JSON.parse(JSON.stringify(typeof value === "number" && !Number.isInteger(value) ? String(value) : value))
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
