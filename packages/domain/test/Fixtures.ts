/**
 * Builders for the catalog shapes the pricing tests read, matching the reference's fixtures (spec section 7
 * conventions: a "fixed product" has one 1000-cent usd price, PWYW minimum 50, and so on). Each builder takes the
 * fields a test cares about and fills the rest with fixed values, so tests stay short and deterministic.
 */
import { DateTime } from "effect"
import type * as Discount from "../src/Discount.ts"
import type * as Price from "../src/Price.ts"
import type * as Product from "../src/Product.ts"

export const NOW = DateTime.makeUnsafe("2026-01-15T12:00:00Z")
export const ORG_ID = "00000000-0000-4000-8000-000000000001"
export const OTHER_ORG_ID = "00000000-0000-4000-8000-000000000002"
export const PRODUCT_ID = "00000000-0000-4000-8000-00000000000a"
export const OTHER_PRODUCT_ID = "00000000-0000-4000-8000-00000000000b"

let sequence = 0
const nextId = (): string => `00000000-0000-4000-9000-${(++sequence).toString(16).padStart(12, "0")}`

const priceCommon = (overrides: Partial<Price.Fixed> = {}) => ({
  id: nextId(),
  createdAt: NOW,
  modifiedAt: null,
  source: "catalog" as const,
  priceCurrency: "usd",
  taxBehavior: null,
  isArchived: false,
  productId: PRODUCT_ID,
  ...overrides
})

type CommonOverrides = Partial<Pick<Price.Fixed, "priceCurrency" | "isArchived" | "taxBehavior" | "source" | "productId">>

export const fixed = (priceAmount: number, overrides: CommonOverrides = {}): Price.Fixed => ({
  ...priceCommon(overrides),
  amountType: "fixed",
  priceAmount
})

export const free = (overrides: CommonOverrides = {}): Price.Fixed => fixed(0, overrides)

export const custom = (
  options: { minimumAmount?: number; maximumAmount?: number | null; presetAmount?: number | null } = {},
  overrides: CommonOverrides = {}
): Price.Custom => ({
  ...priceCommon(overrides),
  amountType: "custom",
  minimumAmount: options.minimumAmount ?? 50,
  maximumAmount: options.maximumAmount ?? null,
  presetAmount: options.presetAmount ?? null
})

export const seatTiers = (
  seatTierType: Price.SeatTierType,
  tiers: ReadonlyArray<readonly [minSeats: number, maxSeats: number | null, pricePerSeat: number]>
): Price.SeatTiers => {
  const mapped = tiers.map(([minSeats, maxSeats, pricePerSeat]) => ({ minSeats, maxSeats, pricePerSeat }))
  const [first, ...rest] = mapped
  if (first === undefined) return { seatTierType, tiers: [{ minSeats: 1, maxSeats: null, pricePerSeat: 0 }], minimumSeats: 1, maximumSeats: null }
  return {
    seatTierType,
    tiers: [first, ...rest],
    minimumSeats: first.minSeats,
    maximumSeats: mapped[mapped.length - 1]?.maxSeats ?? null
  }
}

export const seat = (tiers: Price.SeatTiers, overrides: CommonOverrides = {}): Price.SeatBased => ({
  ...priceCommon(overrides),
  amountType: "seat_based",
  seatTiers: tiers
})

/** One flat tier: `pricePerSeat` for every seat from `min` to `max`. */
export const flatSeat = (pricePerSeat: number, min = 1, max: number | null = null, overrides: CommonOverrides = {}) =>
  seat(seatTiers("volume", [[min, max, pricePerSeat]]), overrides)

export const metered = (overrides: CommonOverrides = {}): Price.MeteredUnit => ({
  ...priceCommon(overrides),
  amountType: "metered_unit",
  unitAmount: "1.5",
  capAmount: null,
  meterId: "00000000-0000-4000-8000-0000000000ee",
  meter: { id: "00000000-0000-4000-8000-0000000000ee", name: "calls" }
})

export const product = (
  prices: ReadonlyArray<Price.Price>,
  overrides: Partial<Pick<Product.Product, "id" | "recurringInterval" | "trialInterval" | "trialIntervalCount" | "isTaxApplicable" | "organizationId">> = {}
): Product.Product => ({
  id: PRODUCT_ID,
  createdAt: NOW,
  modifiedAt: null,
  organizationId: ORG_ID,
  name: "Product",
  description: null,
  visibility: "public",
  recurringInterval: null,
  recurringIntervalCount: null,
  trialInterval: null,
  trialIntervalCount: null,
  isArchived: false,
  isTaxApplicable: true,
  taxCode: null,
  prices,
  benefits: [],
  medias: [],
  attachedCustomFields: [],
  metadata: {},
  ...overrides
})

export const recurring = (prices: ReadonlyArray<Price.Price>, overrides: Parameters<typeof product>[1] = {}) =>
  product(prices, { recurringInterval: "month", ...overrides })

const discountCommon = {
  createdAt: NOW,
  modifiedAt: null,
  organizationId: ORG_ID,
  name: "Discount",
  code: null,
  duration: "once" as const,
  durationInMonths: null,
  startsAt: null,
  endsAt: null,
  maxRedemptions: null,
  maxRedemptionsPerCustomer: null,
  redemptionsCount: 0,
  productIds: [],
  metadata: {}
}

type DiscountOverrides = Partial<Omit<Discount.Fixed, "type" | "amounts">>

export const fixedDiscount = (amounts: Record<string, number>, overrides: DiscountOverrides = {}): Discount.Fixed => ({
  ...discountCommon,
  id: nextId(),
  ...overrides,
  type: "fixed",
  amounts
})

export const percentageDiscount = (basisPoints: number, overrides: DiscountOverrides = {}): Discount.Percentage => ({
  ...discountCommon,
  id: nextId(),
  ...overrides,
  type: "percentage",
  basisPoints
})
