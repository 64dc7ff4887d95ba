/**
 * Display of amounts (integer minor units, formatted with the browser's Intl data for the currency) and of
 * billing intervals. Parsing a typed amount back to minor units is the only arithmetic here, and it is exact
 * (string digits, no float multiplication).
 */
import type { Price, SeatTier } from "./Wire.ts"

const fractionDigits = (currency: string): number =>
  new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions()
    .maximumFractionDigits ?? 2

export const money = (minor: number, currency: string): string => {
  const digits = fractionDigits(currency)
  return new Intl.NumberFormat("en", {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  }).format(minor / 10 ** digits)
}

/** Minor units as the text a buyer would type ("10.00"). */
export const toInput = (minor: number, currency: string): string => {
  const digits = fractionDigits(currency)
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits)
}

/** "12.5" -> 1250 (usd). Null when it is not a plain non-negative amount with at most the currency's decimals. */
export const parseAmount = (text: string, currency: string): number | null => {
  const digits = fractionDigits(currency)
  const match = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/u.exec(text)
  if (match === null) return null
  const fraction = match[2] ?? ""
  if (fraction.length > digits) return null
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0")
}

export const interval = (unit: string | null, count: number | null = 1): string => {
  if (unit === null) return ""
  const n = count ?? 1
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`
}

export const tierLine = (tier: SeatTier, currency: string): string => {
  const range = tier.max_seats === null ? `${tier.min_seats}+ seats` : `${tier.min_seats}–${tier.max_seats} seats`
  return `${range}: ${money(tier.price_per_seat, currency)} per seat`
}

/** One line describing a price, as shown next to a product. */
export const priceLine = (price: Price): string => {
  const c = price.price_currency
  const every = price.type === "recurring" ? ` ${interval(price.recurring_interval)}` : ""
  switch (price.amount_type) {
    case "fixed":
      return `${money(price.price_amount ?? 0, c)}${every}`
    case "free":
      return "Free"
    case "custom":
      return `Pay what you want${price.minimum_amount ? ` (minimum ${money(price.minimum_amount, c)})` : ""}`
    case "seat_based": {
      const first = price.seat_tiers?.tiers[0]
      return first === undefined ? "Per seat" : `From ${money(first.price_per_seat, c)} per seat${every}`
    }
    case "metered_unit":
      return `${money(Number(price.unit_amount ?? 0), c)} per unit${price.meter ? ` of ${price.meter.name}` : ""}, billed on usage`
  }
}
