/**
 * Row <-> domain value. Each table keeps the entity's full value in `data` as the JSON encoding of its domain Schema
 * (DateTimes as ISO strings), decoded back with the same Schema, so a stored row is validated as it comes back.
 * Columns that duplicate a field (version, redemptions_count) are the truth and override `data`.
 *
 * Hot reads select `data::text`: a decoder given text remembers the value it decoded for the last texts it saw
 * (`remembered`), so a row read again unchanged is neither parsed nor validated again and comes back as the same
 * object. The same text always decodes to the same value, so this holds whatever wrote the row; and a stable
 * identity lets the layers above keep what they derived from it (the checkout's view and response body).
 */
import { Checkout, CheckoutLink, Customer, Discount, Lru, Organization, Product } from "@checkout-kit/domain"
import { Schema } from "effect"

/**
 * The values decoded from the last `size` JSON texts, least recently used forgotten first (the domain's `Lru`). The
 * texts are the keys: a hit costs hashing and comparing the text, against parsing and validating it.
 */
export const remembered = <A>(size: number, decode: (json: unknown) => A) => {
  const values = Lru.make<string, A>(size)
  return (data: unknown): A => {
    if (typeof data !== "string") return decode(data)
    let value = values.get(data)
    if (value === undefined) {
      value = decode(JSON.parse(data))
      values.set(data, value)
    }
    return value
  }
}

/** Decodes `data` given as JSON text (`data::text`, remembered) or as the driver's parsed JSON. */
const codec = <A>(schema: Schema.Top, rememberedTexts = 256) => {
  const json = Schema.toCodecJson(schema) as unknown as Schema.Codec<A, unknown>
  const decode = Schema.decodeUnknownSync(json) as (value: unknown) => A
  return {
    encode: Schema.encodeSync(json) as (value: A) => unknown,
    decode: remembered(rememberedTexts, decode)
  }
}

export const checkout = codec<Checkout.Checkout>(Checkout.Checkout, 1024)
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

/**
 * A row's value with its `version` column, which `data` also holds (both are written together): the decoded value
 * itself when they agree, so a remembered value keeps its identity.
 */
const withVersion = <A extends { readonly version: number }>(value: A, version: number): A =>
  value.version === version ? value : { ...value, version }

export const decodeCheckout = (row: VersionedRow): Checkout.Checkout => withVersion(checkout.decode(row.data), row.version)
export const decodeLink = (row: VersionedRow): CheckoutLink.CheckoutLink => withVersion(link.decode(row.data), row.version)

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
