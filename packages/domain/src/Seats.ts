/**
 * Seat rules of a checkout (spec 3.3): which seat fields a request may set, the default seat count, the effective
 * bounds (the tiers' purchasable range narrowed by the checkout's own min/max) and the errors for a seat count
 * outside them. The schema-level rules (1 <= seats <= 10 000, min <= seats <= max) belong to the HTTP schema.
 */
import { Result } from "effect"
import type { ValidationIssue } from "./Errors.ts"
import type * as Price from "./Price.ts"
import * as Tiers from "./Tiers.ts"

export interface SeatRequest {
  readonly seats: number | null
  readonly minSeats: number | null
  readonly maxSeats: number | null
}

const onlyForSeatBased = (field: "seats" | "min_seats" | "max_seats", value: number): ValidationIssue => ({
  type: "value_error",
  loc: ["body", field],
  msg: `${field === "seats" ? "Seats" : field} can only be set for seat-based pricing.`,
  input: value
})

/**
 * The seat fields of a create or update request against the chosen price set (null `seatTiers`: the set has no
 * seat price). Without a seat price any seat field is a `value_error` ("Seats can only be set for seat-based
 * pricing.", "min_seats can only be set for seat-based pricing.", "max_seats ..."). With one, `min_seats` below the
 * tiers' minimum is a `greater_than_equal` at ["body","min_seats"] and `max_seats` above the tiers' maximum a
 * `less_than_equal` at ["body","max_seats"]. Every violation is returned (empty when valid).
 */
export const validateFields = (seatTiers: Price.SeatTiers | null, request: SeatRequest): ReadonlyArray<ValidationIssue> => {
  const issues: Array<ValidationIssue> = []
  if (seatTiers === null) {
    if (request.seats !== null) issues.push(onlyForSeatBased("seats", request.seats))
    if (request.minSeats !== null) issues.push(onlyForSeatBased("min_seats", request.minSeats))
    if (request.maxSeats !== null) issues.push(onlyForSeatBased("max_seats", request.maxSeats))
    return issues
  }
  const bounds = Tiers.seatBounds(seatTiers)
  if (request.minSeats !== null && request.minSeats < bounds.min) {
    issues.push({
      type: "greater_than_equal",
      loc: ["body", "min_seats"],
      msg: `Input should be greater than or equal to ${bounds.min}`,
      input: request.minSeats,
      ctx: { ge: bounds.min }
    })
  }
  if (request.maxSeats !== null && bounds.max !== null && request.maxSeats > bounds.max) {
    issues.push({
      type: "less_than_equal",
      loc: ["body", "max_seats"],
      msg: `Input should be less than or equal to ${bounds.max}`,
      input: request.maxSeats,
      ctx: { le: bounds.max }
    })
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
 * A seat count against the effective bounds: below -> `greater_than_equal` "Minimum N seats required." (ctx
 * `{ge: N}`), above -> `less_than_equal` "Maximum N seats allowed." (ctx `{le: N}`), both at ["body","seats"].
 */
export const validateSeats = (
  seatTiers: Price.SeatTiers,
  seats: number,
  minSeats: number | null,
  maxSeats: number | null
): Result.Result<number, ValidationIssue> => {
  const bounds = effectiveBounds(seatTiers, minSeats, maxSeats)
  if (seats < bounds.min) {
    return Result.fail({
      type: "greater_than_equal",
      loc: ["body", "seats"],
      msg: `Minimum ${bounds.min} seats required.`,
      input: seats,
      ctx: { ge: bounds.min }
    })
  }
  if (bounds.max !== null && seats > bounds.max) {
    return Result.fail({
      type: "less_than_equal",
      loc: ["body", "seats"],
      msg: `Maximum ${bounds.max} seats allowed.`,
      input: seats,
      ctx: { le: bounds.max }
    })
  }
  return Result.succeed(seats)
}
