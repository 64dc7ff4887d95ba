/**
 * The query string of a checkout link's redirect (spec 4.3 steps 7, 10, 11, 13), read as the reference does: which
 * parameters prefill the checkout (`product_id`, `amount`, `customer_email`, `customer_name`, `discount_code`,
 * `custom_field_data.<slug>`, `embed_origin`), which tracking keys join its metadata, and the redirect URL that
 * forwards everything else to the checkout page. The domain receives a `CheckoutLinkService.Prefill`.
 */
import type { CheckoutLinkService } from "@checkout-kit/domain"

/** A decoded query string; a repeated key carries every value in order. */
export type Query = Readonly<Record<string, string | ReadonlyArray<string>>>

/** The value a single-valued parameter takes: the last one given, as the reference's framework reads it. */
export const queryValue = (query: Query, key: string): string | null => {
  const value = query[key]
  if (value === undefined) return null
  if (typeof value === "string") return value
  return value.length > 0 ? value[value.length - 1]! : null
}

/** Query keys consumed as prefill (and therefore not forwarded to the checkout page). */
export const prefillKeys: ReadonlyArray<string> = ["product_id", "amount", "customer_email", "customer_name", "discount_code", "locale"]

/** Query keys copied into the checkout metadata unless the link's metadata already has them. */
export const metadataKeys: ReadonlyArray<string> = ["reference_id", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]

export const customFieldPrefix = "custom_field_data."

const FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?$/iu

/**
 * `?amount=` in minor units, read as the reference does (`int(float(value))`): a decimal or exponent form is
 * accepted and truncated toward zero. Null for anything else, including non-finite values. Whether the amount is
 * acceptable for the price is the checkout's custom-amount validation, not this.
 */
export const parseQueryAmount = (raw: string | null): number | null => {
  if (raw === null) return null
  const text = raw.trim()
  if (!FLOAT.test(text)) return null
  const value = Math.trunc(Number(text))
  return Number.isSafeInteger(value) ? (value === 0 ? 0 : value) : null
}

/** `custom_field_data.<slug>=value` parameters, as slug -> raw value (validation happens on the checkout). */
export const queryCustomFieldData = (query: Query): Record<string, string> => {
  const data: Record<string, string> = {}
  for (const key of Object.keys(query)) {
    if (key.startsWith(customFieldPrefix) && key.length > customFieldPrefix.length) {
      const value = queryValue(query, key)
      if (value !== null) data[key.slice(customFieldPrefix.length)] = value
    }
  }
  return data
}

/** The tracking keys present in the query, with their values. */
export const queryTracking = (query: Query): Record<string, string> => {
  const tracking: Record<string, string> = {}
  for (const key of metadataKeys) {
    const value = queryValue(query, key)
    if (value !== null) tracking[key] = value
  }
  return tracking
}

/** What the query asks the domain to prefill. */
export const prefillOf = (query: Query): CheckoutLinkService.Prefill => ({
  embedOrigin: queryValue(query, "embed_origin"),
  productId: queryValue(query, "product_id"),
  amount: parseQueryAmount(queryValue(query, "amount")),
  discountCode: queryValue(query, "discount_code"),
  customerEmail: queryValue(query, "customer_email"),
  customerName: queryValue(query, "customer_name"),
  customFieldData: queryCustomFieldData(query),
  tracking: queryTracking(query)
})

const isForwarded = (key: string): boolean =>
  key !== "embed_origin" && !prefillKeys.includes(key) && !key.startsWith(customFieldPrefix)

/**
 * Where the buyer is sent: the checkout page with every incoming parameter except `embed_origin`, the prefill keys
 * and the `custom_field_data.*` keys, so tracking parameters (utm_*, reference_id, anything else) reach the page.
 * A repeated parameter is forwarded with its last value, like the reference.
 */
export const redirectUrl = (checkoutUrl: string, query: Query): string => {
  const pairs = Object.keys(query).flatMap((key) => {
    const value = isForwarded(key) ? queryValue(query, key) : null
    return value === null ? [] : [`${encodeURIComponent(key)}=${encodeURIComponent(value)}`]
  })
  if (pairs.length === 0) return checkoutUrl
  return `${checkoutUrl}${checkoutUrl.includes("?") ? "&" : "?"}${pairs.join("&")}`
}
