/**
 * Seat rules of a checkout (spec 3.3): which seat fields a request may set, the default seat count, the effective
 * bounds (the tiers' purchasable range narrowed by the checkout's own min/max) and the errors for a seat count
 * outside them. The schema-level rules (1 <= seats <= 10 000, min <= seats <= max) belong to the HTTP schema.
 */
import { Result } from "effect"
import * as Issue from "./Issue.ts"
import type * as Price from "./Price.ts"
import * as Tiers from "./Tiers.ts"

export interface SeatRequest {
  readonly seats: number | null
  readonly minSeats: number | null
  readonly maxSeats: number | null
}

const onlyForSeatBased = (field: "seats" | "minSeats" | "maxSeats", value: number): Issue.Issue =>
  Issue.make([field], Issue.Reason.SeatsNotSeatBased(), value)

/**
 * The seat fields of a create or update request against the chosen price set (null `seatTiers`: the set has no
 * seat price). Without a seat price any seat field is `SeatsNotSeatBased` at that field. With one, `minSeats`
 * below the tiers' minimum is `GreaterThanEqual` at ["minSeats"] and `maxSeats` above the tiers' maximum
 * `LessThanEqual` at ["maxSeats"]. Every violation is returned (empty when valid).
 */
export const validateFields = (seatTiers: Price.SeatTiers | null, request: SeatRequest): ReadonlyArray<Issue.Issue> => {
  const issues: Array<Issue.Issue> = []
  if (seatTiers === null) {
    if (request.seats !== null) issues.push(onlyForSeatBased("seats", request.seats))
    if (request.minSeats !== null) issues.push(onlyForSeatBased("minSeats", request.minSeats))
    if (request.maxSeats !== null) issues.push(onlyForSeatBased("maxSeats", request.maxSeats))
    return issues
  }
  const bounds = Tiers.seatBounds(seatTiers)
  if (request.minSeats !== null && request.minSeats < bounds.min) {
    issues.push(Issue.make(["minSeats"], Issue.Reason.GreaterThanEqual({ ge: bounds.min }), request.minSeats))
  }
  if (request.maxSeats !== null && bounds.max !== null && request.maxSeats > bounds.max) {
    issues.push(Issue.make(["maxSeats"], Issue.Reason.LessThanEqual({ le: bounds.max }), request.maxSeats))
  }
  return issues
}

/** Seats when the request gives none: the checkout's `min_seats` if set, else the tiers' minimum (default 1). */
export const defaultSeats = (seatTiers: Price.SeatTiers, minSeats: number | null): number =>
  minSeats ?? Tiers.seatBounds(seatTiers).min

/**
 * Effective bounds for a seat count: `[max(tier min, minSeats), min(tier max, maxSeats)]`, a null maximum meaning
 * unlimited.
 */
export const effectiveBounds = (
  seatTiers: Price.SeatTiers,
  minSeats: number | null,
  maxSeats: number | null
): Tiers.SeatBounds => {
  const tiers = Tiers.seatBounds(seatTiers)
  const min = minSeats === null ? tiers.min : Math.max(tiers.min, minSeats)
  const max = tiers.max === null ? maxSeats : maxSeats === null ? tiers.max : Math.min(tiers.max, maxSeats)
  return { min, max }
}

/**
 * A seat count against the effective bounds: below -> `SeatsBelowMinimum`, above -> `SeatsAboveMaximum`, both at
 * ["seats"].
 */
export const validateSeats = (
  seatTiers: Price.SeatTiers,
  seats: number,
  minSeats: number | null,
  maxSeats: number | null
): Result.Result<number, Issue.Issue> => {
  const bounds = effectiveBounds(seatTiers, minSeats, maxSeats)
  if (seats < bounds.min) {
    return Result.fail(Issue.make(["seats"], Issue.Reason.SeatsBelowMinimum({ minimum: bounds.min }), seats))
  }
  if (bounds.max !== null && seats > bounds.max) {
    return Result.fail(Issue.make(["seats"], Issue.Reason.SeatsAboveMaximum({ maximum: bounds.max }), seats))
  }
  return Result.succeed(seats)
}
