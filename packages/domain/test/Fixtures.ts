/**
 * Builders for the catalog shapes the pricing tests read, matching the reference's fixtures (spec section 7
 * conventions: a "fixed product" has one 1000-cent usd price, PWYW minimum 50, and so on). Each builder takes the
 * fields a test cares about and fills the rest with fixed values, so tests stay short and deterministic. They are
 * the testing kit's builders (src/testing/Fixtures.ts) returning finished values of PRODUCT_ID and ORG_ID at NOW.
 */
import { DateTime } from "effect"
import type * as Discount from "../src/Discount.ts"
import type * as Price from "../src/Price.ts"
import type * as Product from "../src/Product.ts"
import * as Fixtures from "../src/testing/Fixtures.ts"

export const NOW = DateTime.makeUnsafe("2026-01-15T12:00:00Z")
export const ORG_ID = "00000000-0000-4000-8000-000000000001"
export const OTHER_ORG_ID = "00000000-0000-4000-8000-000000000002"
export const PRODUCT_ID = "00000000-0000-4000-8000-00000000000a"
export const OTHER_PRODUCT_ID = "00000000-0000-4000-8000-00000000000b"

let sequence = 0
const nextId = (): string => `00000000-0000-4000-9000-${(++sequence).toString(16).padStart(12, "0")}`
const opts = () => ({ id: nextId() })

type CommonOverrides = Partial<Pick<Price.Fixed, "priceCurrency" | "isArchived" | "taxBehavior" | "source" | "productId">>

/** A testing-kit price of PRODUCT_ID created at NOW (its id comes from this file's sequence: see `opts`). */
const price = <P extends Price.Price>(spec: Fixtures.PriceSpec<P>, overrides: CommonOverrides): P => ({
  ...spec(PRODUCT_ID),
  createdAt: NOW,
  ...overrides
})

export const fixed = (priceAmount: number, overrides: CommonOverrides = {}): Price.Fixed =>
  price(Fixtures.fixed(priceAmount, opts()), overrides)

export const free = (overrides: CommonOverrides = {}): Price.Fixed => fixed(0, overrides)

export const custom = (
  options: { minimumAmount?: number; maximumAmount?: number | null; presetAmount?: number | null } = {},
  overrides: CommonOverrides = {}
): Price.Custom => price(Fixtures.custom(options, opts()), overrides)

export const seatTiers = (
  seatTierType: Price.SeatTierType,
  tiers: ReadonlyArray<readonly [minSeats: number, maxSeats: number | null, pricePerSeat: number]>
): Price.SeatTiers => {
  const [first, ...rest] = tiers.map(([minSeats, maxSeats, pricePerSeat]) => ({ minSeats, maxSeats, pricePerSeat }))
  if (first === undefined) return { seatTierType, tiers: [{ minSeats: 1, maxSeats: null, pricePerSeat: 0 }], minimumSeats: 1, maximumSeats: null }
  return Fixtures.seatTiers(seatTierType, [first, ...rest])
}

/** A seat-based price with exactly these tiers (bounds included, even when they disagree with the tiers). */
export const seat = (tiers: Price.SeatTiers, overrides: CommonOverrides = {}): Price.SeatBased => ({
  ...price(Fixtures.seatBased(tiers.tiers, opts()), overrides),
  seatTiers: tiers
})

/** One flat tier: `pricePerSeat` for every seat from `min` to `max`. */
export const flatSeat = (pricePerSeat: number, min = 1, max: number | null = null, overrides: CommonOverrides = {}) =>
  seat(seatTiers("volume", [[min, max, pricePerSeat]]), overrides)

export const metered = (overrides: CommonOverrides = {}): Price.MeteredUnit => price(Fixtures.metered("1.5", opts()), overrides)

export const product = (
  prices: ReadonlyArray<Price.Price>,
  overrides: Partial<Pick<Product.Product, "id" | "recurringInterval" | "trialInterval" | "trialIntervalCount" | "isTaxApplicable" | "organizationId">> = {}
): Product.Product => Fixtures.product({ id: PRODUCT_ID, createdAt: NOW, organizationId: ORG_ID, prices, ...overrides })

export const recurring = (prices: ReadonlyArray<Price.Price>, overrides: Parameters<typeof product>[1] = {}) =>
  product(prices, { recurringInterval: "month", ...overrides })

type DiscountOverrides = Partial<Omit<Discount.Fixed, "type" | "amounts">>

export const fixedDiscount = (amounts: Record<string, number>, overrides: DiscountOverrides = {}): Discount.Fixed =>
  Fixtures.fixedDiscount({ id: nextId(), createdAt: NOW, organizationId: ORG_ID, ...overrides, amounts })

export const percentageDiscount = (basisPoints: number, overrides: DiscountOverrides = {}): Discount.Percentage =>
  Fixtures.percentageDiscount({ id: nextId(), createdAt: NOW, organizationId: ORG_ID, ...overrides, basisPoints })
