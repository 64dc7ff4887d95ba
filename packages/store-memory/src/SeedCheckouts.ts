/**
 * Checkouts in a seed document, so that an embedder's or a black-box suite's tests can start from a known state:
 * a checkout of one of the seed's products in any status (open, expired, confirmed, succeeded, failed), priced as
 * the domain prices it (`Pricing.upfrontAmount`; no discount), validated like the rest of the seed (every problem
 * is an issue naming the entry and the field; a seed with any problem loads nothing).
 */
import { Checkout, CheckoutStatus, ClientSecret, Price, Pricing, Tiers } from "@checkout-kit/domain"
import type { Organization, Product } from "@checkout-kit/domain"
import { DateTime, Effect, Result, Schema } from "effect"
import * as Randomness from "./Randomness.ts"
import { uuidKey } from "./SqlOrder.ts"

const optional = <S extends Schema.Top>(schema: S, value: S["Encoded"]) =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema)
const nullable = <S extends Schema.Top>(schema: S) => optional(Schema.NullOr(schema), null)

const Uuid = Schema.String.check(Schema.isUUID())
const Timestamp = Schema.DateTimeUtcFromString
const Amount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
const CurrencyCode = Schema.String.check(Schema.isPattern(/^[a-z]{3}$/u, { expected: "a lowercase ISO 4217 code such as \"usd\"" }))
const Email = Schema.String.check(Schema.isPattern(/^[^@\s]+@[^@\s]+$/u, { expected: "an email address" }))

/** When an unexpired checkout's `expires_at` is left out: far enough that it stays open through any test run. */
export const defaultOpenExpiry = "2100-01-01T00:00:00.000Z"

export const CheckoutSeed = Schema.Struct({
  id: Uuid,
  /** The checkout's product; its organization owns the checkout. */
  product_id: Uuid,
  /** Default: the organization's, when the product has a price in it; else the product's first price currency. */
  currency: Schema.optionalKey(CurrencyCode),
  /** Default: the first static price of the product in the currency. */
  product_price_id: Schema.optionalKey(Uuid),
  status: optional(CheckoutStatus.Status, "open"),
  /** Default: a new random secret (`polar_c_…`, the reference's format, checksum included). */
  client_secret: Schema.optionalKey(Schema.String),
  created_at: optional(Timestamp, "2025-01-01T00:00:00.000Z"),
  /** Must be in the past for `expired` and in the future for `open`. Default: created_at + 1 h when expired, else 2100. */
  expires_at: Schema.optionalKey(Timestamp),
  /** A custom price's amount (validated like a request's); default: its preset, else its minimum. */
  amount: nullable(Amount),
  /** A seat-based price's seat count; default: the tiers' minimum. */
  seats: nullable(Schema.Int),
  tax_amount: nullable(Amount),
  customer_email: nullable(Email),
  customer_name: nullable(Schema.String),
  customer_billing_name: nullable(Schema.String),
  customer_billing_address: nullable(Schema.Struct({
    line1: nullable(Schema.String),
    line2: nullable(Schema.String),
    postal_code: nullable(Schema.String),
    city: nullable(Schema.String),
    state: nullable(Schema.String),
    country: Schema.String.check(Schema.isPattern(/^[A-Z]{2}$/u, { expected: "an uppercase ISO 3166 alpha-2 code" }))
  })),
  success_url: nullable(Schema.String),
  metadata: optional(Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])), {})
})
export type CheckoutSeed = typeof CheckoutSeed.Type

export interface Context {
  readonly now: DateTime.Utc
  readonly organizations: ReadonlyMap<string, Organization.Organization>
  readonly products: ReadonlyMap<string, Product.Product>
  /** Records the id as used at `path`; reports a duplicate. */
  readonly unique: (id: string, path: string) => void
  readonly problem: (path: string, message: string) => void
}

const hour = 60 * 60 * 1000

/** The seed's checkouts as domain values; problems go to `context.problem` (the caller loads nothing if any). */
export const convert = (entries: ReadonlyArray<CheckoutSeed>, context: Context): Array<Checkout.Checkout> => {
  const { problem } = context
  const secrets = new Map<string, string>()
  return entries.flatMap((c, i): Array<Checkout.Checkout> => {
    const at = `checkouts[${i}]`
    context.unique(c.id, `${at}.id`)
    const product = context.products.get(uuidKey(c.product_id))
    if (product === undefined) {
      problem(`${at}.product_id`, `Expected the id of a product of this seed, got ${c.product_id}`)
      return []
    }
    const organization = context.organizations.get(uuidKey(product.organizationId))
    const live = product.prices.filter((p) => !p.isArchived)
    const preferred = c.currency ?? organization?.defaultPresentmentCurrency ?? "usd"
    const currency = c.currency !== undefined || live.some((p) => p.priceCurrency === preferred)
      ? preferred
      : live[0]?.priceCurrency ?? preferred
    const selected = Price.selectPriceSet(product.prices, [currency])
    if (Result.isFailure(selected)) {
      problem(c.currency !== undefined ? `${at}.currency` : `${at}.product_id`, `Expected a product with a non-archived price in ${currency}`)
      return []
    }
    const set = selected.success
    let price = Price.defaultPrice(set)
    if (c.product_price_id !== undefined) {
      const chosen = set.prices.find((p) => uuidKey(p.id) === uuidKey(c.product_price_id!))
      if (chosen === undefined) {
        problem(`${at}.product_price_id`, `Expected the id of a non-archived ${currency} price of product ${c.product_id}`)
        return []
      }
      price = chosen
    }

    const custom = Price.customPrice(set)
    if (c.amount !== null) {
      if (custom === undefined) problem(`${at}.amount`, "Expected no amount: the product has no custom price")
      else {
        const checked = Pricing.validateCustomAmount(custom, c.amount, currency)
        if (Result.isFailure(checked)) problem(`${at}.amount`, `Expected a valid custom amount: ${checked.failure.msg}`)
      }
    }
    const seatPrice = Price.seatPrice(set)
    let seatBounds: Tiers.SeatBounds | null = null
    if (seatPrice !== undefined) seatBounds = Tiers.seatBounds(seatPrice.seatTiers)
    if (c.seats !== null) {
      if (seatBounds === null) problem(`${at}.seats`, "Expected no seats: the product has no seat-based price")
      else if (c.seats < seatBounds.min || (seatBounds.max !== null && c.seats > seatBounds.max)) {
        problem(`${at}.seats`, `Expected a seat count from ${seatBounds.min} to ${seatBounds.max ?? "any"}`)
      }
    }

    const secret = c.client_secret ?? ClientSecret.make("polar_c_", Randomness.nextByte)
    if (!ClientSecret.isValid(secret, "polar_c_")) {
      problem(`${at}.client_secret`, "Expected a checkout client secret in the reference format (polar_c_, 37 characters, checksum)")
    }
    const firstSecret = secrets.get(secret)
    if (firstSecret !== undefined) problem(`${at}.client_secret`, `Expected a unique client secret, already used at ${firstSecret}`)
    else secrets.set(secret, `${at}.client_secret`)

    const expiresAt = c.expires_at ?? (c.status === "expired"
      ? DateTime.makeUnsafe(DateTime.toEpochMillis(c.created_at) + hour)
      : DateTime.makeUnsafe(defaultOpenExpiry))
    const past = DateTime.toEpochMillis(expiresAt) <= DateTime.toEpochMillis(context.now)
    if (c.status === "expired" && !past) problem(`${at}.expires_at`, "Expected a time in the past for an expired checkout")
    if (c.status === "open" && past) problem(`${at}.expires_at`, "Expected a time in the future for an open checkout (or status \"expired\")")
    if (DateTime.toEpochMillis(expiresAt) < DateTime.toEpochMillis(c.created_at)) {
      problem(`${at}.expires_at`, "Expected expires_at at or after created_at")
    }

    const seats = seatBounds === null ? null : (c.seats ?? seatBounds.min)
    const amount = Pricing.upfrontAmount(set, { customAmount: c.amount, seats })
    const id = uuidKey(c.id)
    return [Checkout.make({
      id,
      createdAt: c.created_at,
      clientSecret: secret,
      expiresAt,
      organizationId: uuidKey(product.organizationId),
      currency,
      status: c.status,
      amount,
      netAmount: amount,
      taxAmount: c.tax_amount,
      totalAmount: amount + (c.tax_amount ?? 0),
      seats,
      minSeats: null,
      maxSeats: null,
      productIds: [uuidKey(product.id)],
      productId: uuidKey(product.id),
      productPriceId: uuidKey(price.id),
      customerEmail: c.customer_email,
      customerName: c.customer_name,
      customerBillingName: c.customer_billing_name,
      customerBillingAddress: c.customer_billing_address === null ? null : {
        line1: c.customer_billing_address.line1,
        line2: c.customer_billing_address.line2,
        postalCode: c.customer_billing_address.postal_code,
        city: c.customer_billing_address.city,
        state: c.customer_billing_address.state,
        country: c.customer_billing_address.country
      },
      successUrl: c.success_url,
      metadata: c.metadata
    })]
  })
}
