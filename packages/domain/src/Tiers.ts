/**
 * Tier math for seat-based prices (spec 3.2, the reference's `product/tiers.py`). Seat tiers
 * `[{minSeats, maxSeats, pricePerSeat}]` are read as the reference's shared tier format: tiers sorted by their
 * minimum, each covering up to its `bound` (= maxSeats, null = unbounded), the first starting at zero.
 * Volume pricing prices every unit at the rate of the tier the quantity falls in; graduated pricing prices each
 * slice at its own tier's rate. Seat rates are integral minor units, so no rounding happens here.
 */
import { Schema } from "effect"
import * as Money from "./Money.ts"

/** The seat tiers of a seat-based price, as stored on the price (Price.ts re-exports them). */
export const SeatTier = Schema.Struct({
  minSeats: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  maxSeats: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  pricePerSeat: Money.Amount
})
export type SeatTier = typeof SeatTier.Type

export const SeatTierType = Schema.Literals(["volume", "graduated"])
export type SeatTierType = typeof SeatTierType.Type

export const SeatTiers = Schema.Struct({
  seatTierType: SeatTierType,
  tiers: Schema.NonEmptyArray(SeatTier),
  minimumSeats: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  maximumSeats: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})
export type SeatTiers = typeof SeatTiers.Type


export type Type = "volume" | "graduated"

export interface Tier {
  /** Last quantity covered (inclusive); null on an unbounded last tier. */
  readonly bound: number | null
  /** Minor units per unit. */
  readonly unitAmount: number
}

export interface Tiers {
  readonly type: Type
  readonly tiers: ReadonlyArray<Tier>
}

const byMinSeats = (a: SeatTier, b: SeatTier): number => a.minSeats - b.minSeats

const sortedSeatTiers = (seatTiers: SeatTiers): ReadonlyArray<SeatTier> =>
  seatTiers.tiers.length < 2 ? seatTiers.tiers : [...seatTiers.tiers].sort(byMinSeats)

/** The shared tier format of a seat price (the reference's `seat_tiers_to_tiers`, without its contiguity checks). */
export const fromSeatTiers = (seatTiers: SeatTiers): Tiers => ({
  type: seatTiers.seatTierType,
  tiers: sortedSeatTiers(seatTiers).map((t) => ({ bound: t.maxSeats, unitAmount: t.pricePerSeat }))
})

/**
 * Price of `quantity` units in minor units. 0 for 0. Volume: the first tier whose bound covers the quantity prices
 * all of it; a quantity beyond the last bound (which the seat rules reject before pricing) is priced at the last
 * tier's rate rather than failing. Graduated: each tier prices the units between the previous bound and its own.
 */
export const calculate = (tiers: Tiers, quantity: number): number => {
  if (quantity <= 0) return 0
  if (tiers.type === "volume") {
    for (const tier of tiers.tiers) {
      if (tier.bound === null || quantity <= tier.bound) return tier.unitAmount * quantity
    }
    const last = tiers.tiers[tiers.tiers.length - 1]
    return last === undefined ? 0 : last.unitAmount * quantity
  }
  let total = 0
  let remaining = quantity
  let previousBound = 0
  for (const tier of tiers.tiers) {
    if (remaining <= 0) break
    const inTier = tier.bound === null ? remaining : Math.min(remaining, tier.bound - previousBound)
    total += inTier * tier.unitAmount
    remaining -= inTier
    if (tier.bound !== null) previousBound = tier.bound
  }
  return total
}

const isSortedByMinSeats = (tiers: ReadonlyArray<SeatTier>): boolean => {
  for (let i = 1; i < tiers.length; i++) if (tiers[i]!.minSeats < tiers[i - 1]!.minSeats) return false
  return true
}

/**
 * Upfront amount of a seat price for `seats` seats, in minor units (before discount and tax). Same result as
 * `calculate(fromSeatTiers(seatTiers), seats)`, computed in place: this runs on every reprice, and tiers are
 * stored sorted, so the common case allocates nothing.
 */
export const seatAmount = (seatTiers: SeatTiers, seats: number): number => {
  const tiers = isSortedByMinSeats(seatTiers.tiers) ? seatTiers.tiers : sortedSeatTiers(seatTiers)
  if (seats <= 0) return 0
  if (seatTiers.seatTierType === "volume") {
    for (const tier of tiers) {
      if (tier.maxSeats === null || seats <= tier.maxSeats) return tier.pricePerSeat * seats
    }
    const last = tiers[tiers.length - 1]
    return last === undefined ? 0 : last.pricePerSeat * seats
  }
  let total = 0
  let remaining = seats
  let previousBound = 0
  for (const tier of tiers) {
    if (remaining <= 0) break
    const inTier = tier.maxSeats === null ? remaining : Math.min(remaining, tier.maxSeats - previousBound)
    total += inTier * tier.pricePerSeat
    remaining -= inTier
    if (tier.maxSeats !== null) previousBound = tier.maxSeats
  }
  return total
}

export interface SeatBounds {
  readonly min: number
  /** Null: unlimited. */
  readonly max: number | null
}

/** Purchasable seats: first tier's minimum (1 when absent) to the last tier's maximum (null = unlimited). */
export const seatBounds = (seatTiers: SeatTiers): SeatBounds => {
  const sorted = sortedSeatTiers(seatTiers)
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  return { min: first?.minSeats ?? 1, max: last === undefined ? null : last.maxSeats }
}

/** A seat price is free when every tier's rate is 0. */
export const isFree = (seatTiers: SeatTiers): boolean => {
  for (const tier of seatTiers.tiers) if (tier.pricePerSeat !== 0) return false
  return true
}
