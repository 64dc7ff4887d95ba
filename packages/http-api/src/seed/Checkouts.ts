/**
 * Checkouts in a seed document, so that an embedder's or a black-box suite's tests can start from a known state:
 * a checkout of one of the seed's products in any status (open, expired, confirmed, succeeded, failed), priced as
 * the domain prices it (`Pricing.upfrontAmount`; no discount), validated like the rest of the seed (every problem
 * is an issue naming the entry and the field; a seed with any problem loads nothing).
 */
import { Checkout, ClientSecret, Price, Pricing, Tiers } from "@checkout-kit/domain"
import { DateTime, Result } from "effect"
import { randomBytes } from "node:crypto"
import type { Catalog } from "./Catalog.ts"
import { defaultOpenExpiry, type Document } from "./Document.ts"
import { type Issues, key } from "./Issues.ts"
import { address } from "./Parties.ts"

const hour = 60 * 60 * 1000

/** Generated client secrets (left out of an entry) come from node:crypto. */
const nextByte: () => number = ClientSecret.pooled((size) => randomBytes(size))

/** The seed's checkouts as domain values; problems go to `issues` (the caller loads nothing if any). */
export const convert = (doc: Document, catalog: Catalog, now: DateTime.Utc, { problem, unique }: Issues): Array<Checkout.Checkout> => {
  const secrets = new Map<string, string>()
  return doc.checkouts.flatMap((c, i): Array<Checkout.Checkout> => {
    const at = `checkouts[${i}]`
    unique(c.id, `${at}.id`)
    const product = catalog.products.get(key(c.product_id))
    if (product === undefined) {
      problem(`${at}.product_id`, `Expected the id of a product of this seed, got ${c.product_id}`)
      return []
    }
    const organization = catalog.organizations.get(key(product.organizationId))
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
      const chosen = set.prices.find((p) => key(p.id) === key(c.product_price_id!))
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
        if (Result.isFailure(checked)) problem(`${at}.amount`, `Expected a valid custom amount (${checked.failure.reason._tag})`)
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

    const secret = c.client_secret ?? ClientSecret.make("polar_c_", nextByte)
    if (!ClientSecret.isValid(secret, "polar_c_")) {
      problem(`${at}.client_secret`, "Expected a checkout client secret in the reference format (polar_c_, 37 characters, checksum)")
    }
    const firstSecret = secrets.get(secret)
    if (firstSecret !== undefined) problem(`${at}.client_secret`, `Expected a unique client secret, already used at ${firstSecret}`)
    else secrets.set(secret, `${at}.client_secret`)

    const expiresAt = c.expires_at ?? (c.status === "expired"
      ? DateTime.makeUnsafe(DateTime.toEpochMillis(c.created_at) + hour)
      : defaultOpenExpiry)
    const past = DateTime.toEpochMillis(expiresAt) <= DateTime.toEpochMillis(now)
    if (c.status === "expired" && !past) problem(`${at}.expires_at`, "Expected a time in the past for an expired checkout")
    if (c.status === "open" && past) problem(`${at}.expires_at`, "Expected a time in the future for an open checkout (or status \"expired\")")
    if (DateTime.toEpochMillis(expiresAt) < DateTime.toEpochMillis(c.created_at)) {
      problem(`${at}.expires_at`, "Expected expires_at at or after created_at")
    }

    const seats = seatBounds === null ? null : (c.seats ?? seatBounds.min)
    const amount = Pricing.upfrontAmount(set, { customAmount: c.amount, seats })
    return [Checkout.make({
      id: key(c.id),
      createdAt: c.created_at,
      clientSecret: secret,
      expiresAt,
      organizationId: key(product.organizationId),
      currency,
      status: c.status,
      amount,
      netAmount: amount,
      taxAmount: c.tax_amount,
      totalAmount: amount + (c.tax_amount ?? 0),
      seats,
      minSeats: null,
      maxSeats: null,
      productIds: [key(product.id)],
      productId: key(product.id),
      productPriceId: key(price.id),
      customerEmail: c.customer_email,
      customerName: c.customer_name,
      customerBillingName: c.customer_billing_name,
      customerBillingAddress: address(c.customer_billing_address),
      successUrl: c.success_url,
      metadata: c.metadata
    })]
  })
}
