/** Seat rules of spec 3.3, named after the reference's TestCreate / TestUpdate seat cases. */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as Issue from "../src/Issue.ts"
import * as Seats from "../src/Seats.ts"
import { seatTiers } from "./Fixtures.ts"

const oneToUnlimited = seatTiers("volume", [[1, null, 1500]])
const threeToTen = seatTiers("volume", [[3, 10, 1000]])
const twoToTwenty = seatTiers("volume", [[2, 20, 1000]])

const issue = (r: Result.Result<number, unknown>) => (Result.isFailure(r) ? r.failure : undefined)

describe("Seats", () => {
  it("test_seat_based_price_without_seats_defaults_to_minimum: seats = tier minimum (1)", () => {
    expect(Seats.defaultSeats(oneToUnlimited, null)).toBe(1)
  })

  it("test_seat_based_defaults_to_minimum_when_not_provided: min 3 -> seats 3", () => {
    expect(Seats.defaultSeats(threeToTen, null)).toBe(3)
  })

  it("test_min_seats_sets_default: min_seats 5 -> seats 5", () => {
    expect(Seats.defaultSeats(oneToUnlimited, 5)).toBe(5)
    expect(Seats.validateFields(oneToUnlimited, { seats: null, minSeats: 5, maxSeats: null })).toEqual([])
  })

  it("test_seat_based_with_minimum_seats_below_limit: min 3, seats 2 -> 'Minimum 3 seats required.'", () => {
    expect(issue(Seats.validateSeats(threeToTen, 2, null, null))).toEqual(Issue.make(["seats"], Issue.Reason.SeatsBelowMinimum({ minimum: 3 }), 2))
  })

  it("test_seat_based_with_minimum_seats_at_limit / _maximum_seats_at_limit: 3 and 10 are accepted", () => {
    expect(Seats.validateSeats(threeToTen, 3, null, null)).toEqual(Result.succeed(3))
    expect(Seats.validateSeats(threeToTen, 10, null, null)).toEqual(Result.succeed(10))
  })

  it("test_seat_based_with_maximum_seats_above_limit: max 10, seats 15 -> 'Maximum 10 seats allowed.'", () => {
    expect(issue(Seats.validateSeats(threeToTen, 15, null, null))).toEqual(Issue.make(["seats"], Issue.Reason.SeatsAboveMaximum({ maximum: 10 }), 15))
  })

  it("test_seat_based_with_min_max_in_range / test_update_seats_within_limits: 10 and 15 within 2..20", () => {
    expect(Seats.validateSeats(twoToTwenty, 10, null, null)).toEqual(Result.succeed(10))
    expect(Seats.validateSeats(twoToTwenty, 15, null, null)).toEqual(Result.succeed(15))
  })

  it("test_update_seats_respects_checkout_min_max_seats: checkout 3..8 rejects 2 and 10", () => {
    expect(issue(Seats.validateSeats(oneToUnlimited, 2, 3, 8))).toMatchObject({ reason: Issue.Reason.SeatsBelowMinimum({ minimum: 3 }) })
    expect(issue(Seats.validateSeats(oneToUnlimited, 10, 3, 8))).toMatchObject({ reason: Issue.Reason.SeatsAboveMaximum({ maximum: 8 }) })
  })

  it("test_update_seats_within_checkout_min_max: 7 within 3..10", () => {
    expect(Seats.validateSeats(oneToUnlimited, 7, 3, 10)).toEqual(Result.succeed(7))
  })

  it("effective bounds narrow the tiers by the checkout's min/max", () => {
    expect(Seats.effectiveBounds(twoToTwenty, null, null)).toEqual({ min: 2, max: 20 })
    expect(Seats.effectiveBounds(twoToTwenty, 5, 30)).toEqual({ min: 5, max: 20 })
    expect(Seats.effectiveBounds(oneToUnlimited, null, 8)).toEqual({ min: 1, max: 8 })
    expect(Seats.effectiveBounds(oneToUnlimited, null, null)).toEqual({ min: 1, max: null })
  })

  it("test_min_max_seats_outside_tier_rejected: tier 2..20, min_seats 1 -> loc min_seats; max_seats 50 -> loc max_seats", () => {
    expect(Seats.validateFields(twoToTwenty, { seats: null, minSeats: 1, maxSeats: null })).toEqual([Issue.make(["minSeats"], Issue.Reason.GreaterThanEqual({ ge: 2 }), 1)])
    expect(Seats.validateFields(twoToTwenty, { seats: null, minSeats: null, maxSeats: 50 })).toEqual([Issue.make(["maxSeats"], Issue.Reason.LessThanEqual({ le: 20 }), 50)])
  })

  it("test_non_seat_based_price_with_seats / test_update_seats_on_non_seat_based: SeatsNotSeatBased at each field", () => {
    expect(Seats.validateFields(null, { seats: 5, minSeats: null, maxSeats: null })).toEqual([Issue.make(["seats"], Issue.Reason.SeatsNotSeatBased(), 5)])
    expect(Seats.validateFields(null, { seats: 5, minSeats: 2, maxSeats: 9 }).map((i) => [i.path, i.reason._tag])).toEqual([
      [["seats"], "SeatsNotSeatBased"],
      [["minSeats"], "SeatsNotSeatBased"],
      [["maxSeats"], "SeatsNotSeatBased"]
    ])
    expect(Seats.validateFields(null, { seats: null, minSeats: null, maxSeats: null })).toEqual([])
  })
})
