/** Seat rules of spec 3.3, named after the reference's TestCreate / TestUpdate seat cases. */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
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
    expect(issue(Seats.validateSeats(threeToTen, 2, null, null))).toEqual({
      type: "greater_than_equal",
      loc: ["body", "seats"],
      msg: "Minimum 3 seats required.",
      input: 2,
      ctx: { ge: 3 }
    })
  })

  it("test_seat_based_with_minimum_seats_at_limit / _maximum_seats_at_limit: 3 and 10 are accepted", () => {
    expect(Seats.validateSeats(threeToTen, 3, null, null)).toEqual(Result.succeed(3))
    expect(Seats.validateSeats(threeToTen, 10, null, null)).toEqual(Result.succeed(10))
  })

  it("test_seat_based_with_maximum_seats_above_limit: max 10, seats 15 -> 'Maximum 10 seats allowed.'", () => {
    expect(issue(Seats.validateSeats(threeToTen, 15, null, null))).toEqual({
      type: "less_than_equal",
      loc: ["body", "seats"],
      msg: "Maximum 10 seats allowed.",
      input: 15,
      ctx: { le: 10 }
    })
  })

  it("test_seat_based_with_min_max_in_range / test_update_seats_within_limits: 10 and 15 within 2..20", () => {
    expect(Seats.validateSeats(twoToTwenty, 10, null, null)).toEqual(Result.succeed(10))
    expect(Seats.validateSeats(twoToTwenty, 15, null, null)).toEqual(Result.succeed(15))
  })

  it("test_update_seats_respects_checkout_min_max_seats: checkout 3..8 rejects 2 and 10", () => {
    expect(issue(Seats.validateSeats(oneToUnlimited, 2, 3, 8))).toMatchObject({ msg: "Minimum 3 seats required.", ctx: { ge: 3 } })
    expect(issue(Seats.validateSeats(oneToUnlimited, 10, 3, 8))).toMatchObject({ msg: "Maximum 8 seats allowed.", ctx: { le: 8 } })
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
    expect(Seats.validateFields(twoToTwenty, { seats: null, minSeats: 1, maxSeats: null })).toEqual([{
      type: "greater_than_equal",
      loc: ["body", "min_seats"],
      msg: "Input should be greater than or equal to 2",
      input: 1,
      ctx: { ge: 2 }
    }])
    expect(Seats.validateFields(twoToTwenty, { seats: null, minSeats: null, maxSeats: 50 })).toEqual([{
      type: "less_than_equal",
      loc: ["body", "max_seats"],
      msg: "Input should be less than or equal to 20",
      input: 50,
      ctx: { le: 20 }
    }])
  })

  it("test_non_seat_based_price_with_seats / test_update_seats_on_non_seat_based: loc body.seats, mentions seat-based", () => {
    expect(Seats.validateFields(null, { seats: 5, minSeats: null, maxSeats: null })).toEqual([{
      type: "value_error",
      loc: ["body", "seats"],
      msg: "Seats can only be set for seat-based pricing.",
      input: 5
    }])
    expect(Seats.validateFields(null, { seats: 5, minSeats: 2, maxSeats: 9 }).map((i) => [i.loc, i.msg])).toEqual([
      [["body", "seats"], "Seats can only be set for seat-based pricing."],
      [["body", "min_seats"], "min_seats can only be set for seat-based pricing."],
      [["body", "max_seats"], "max_seats can only be set for seat-based pricing."]
    ])
    expect(Seats.validateFields(null, { seats: null, minSeats: null, maxSeats: null })).toEqual([])
  })
})
