/**
 * Row <-> domain value. Each table keeps the entity's full value in `data` as the JSON encoding of its domain Schema
 * (DateTimes as ISO strings), decoded back with the same Schema on every read, so a stored row is validated as it
 * comes back. Columns that duplicate a field (version, redemptions_count) are the truth and override `data`.
 */
import { Checkout, CheckoutLink, Customer, Discount, Organization, Product } from "@checkout-kit/domain"
import { Schema } from "effect"

const codec = <A>(schema: Schema.Top) => {
  const json = Schema.toCodecJson(schema) as unknown as Schema.Codec<A, unknown>
  return {
    encode: Schema.encodeSync(json) as (value: A) => unknown,
    decode: Schema.decodeUnknownSync(json) as (value: unknown) => A
  }
}

export const checkout = codec<Checkout.Checkout>(Checkout.Checkout)
export const link = codec<CheckoutLink.CheckoutLink>(CheckoutLink.CheckoutLink)
export const customer = codec<Customer.Customer>(Customer.Customer)
export const discount = codec<Discount.Discount>(Discount.Discount)
export const organization = codec<Organization.Organization>(Organization.Organization)
export const product = codec<Product.Product>(Product.Product)

export interface VersionedRow {
  readonly data: unknown
  readonly version: number
}

const checkoutTexts = new WeakMap<Checkout.Checkout, string>()

/**
 * The JSON text of a checkout's encoding, kept per checkout value (domain values are immutable): the value a write
 * stored is the one the domain then publishes in its events (often twice), so each is encoded once.
 */
export const checkoutJson = (value: Checkout.Checkout): string => {
  let text = checkoutTexts.get(value)
  if (text === undefined) {
    text = JSON.stringify(checkout.encode(value))
    checkoutTexts.set(value, text)
  }
  return text
}

export const decodeCheckout = (row: VersionedRow): Checkout.Checkout => ({ ...checkout.decode(row.data), version: row.version })
export const decodeLink = (row: VersionedRow): CheckoutLink.CheckoutLink => ({ ...link.decode(row.data), version: row.version })

export const decodeDiscount = (row: { readonly data: unknown; readonly redemptions_count: number }): Discount.Discount => ({
  ...discount.decode(row.data),
  redemptionsCount: row.redemptions_count
})

/** Epoch milliseconds of a DateTime or null, for timestamptz parameters. */
export const millis = (value: { readonly epochMilliseconds: number } | null): Date | null =>
  value === null ? null : new Date(value.epochMilliseconds)

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether `id` is a UUID PostgreSQL accepts; lookups of anything else find nothing instead of raising 22P02. */
export const isUuid = (id: string): boolean => uuidPattern.test(id)
