/** Custom-field data validation (spec 1.7), named after the reference's create/update/confirm cases. */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as CustomField from "../src/CustomField.ts"
import * as Issue from "../src/Issue.ts"
import * as F from "../src/testing/Fixtures.ts"

/** A field attached to a product of the fixtures' organization: `field(slug, type, properties?, required?)`. */
const field = F.attachedField

const text = field("text", "text", { minLength: 2, maxLength: 5 })
const select = field("select", "select", { options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] }, true)
const number = field("number", "number", { ge: 0, le: 10 })
const date = field("date", "date", { ge: 1_704_067_200 }) // 2024-01-01
const checkbox = field("checkbox", "checkbox", {}, true)
const attached = [text, select, number, date, checkbox]

const partial = { enforceRequired: false }
const confirm = { enforceRequired: true }
const errors = (r: Result.Result<unknown, ReadonlyArray<Issue.Issue>>) =>
  Result.isFailure(r) ? r.failure : []

describe("CustomField.validateData", () => {
  it("test_valid_custom_field_data: {text, select: 'a'} stored", () => {
    expect(CustomField.validateData(attached, { text: "abc", select: "a" }, partial)).toEqual(Result.succeed({ text: "abc", select: "a" }))
  })

  it("test_invalid_custom_field_data: select 'c' -> NotAnOption under customFieldData", () => {
    expect(CustomField.validateData(attached, { select: "c" }, partial)).toEqual(Result.fail([
      Issue.make(["customFieldData", "select"], Issue.Reason.NotAnOption({ options: ["a", "b"] }), "c")
    ]))
  })

  it("test_valid_missing_required_custom_field: a missing required select is accepted at create/update", () => {
    expect(Result.isSuccess(CustomField.validateData(attached, {}, partial))).toBe(true)
  })

  it("test_missing_required_custom_field / test_validate_custom_fields_even_if_data_unset: required enforced at confirm", () => {
    const missing = errors(CustomField.validateData(attached, {}, confirm))
    expect(missing.map((e) => e.path)).toEqual([
      ["customFieldData", "select"],
      ["customFieldData", "checkbox"]
    ])
    expect(missing[0]?.reason).toEqual(Issue.Reason.Missing())
  })

  it("unknown keys are dropped; only supplied keys are kept", () => {
    expect(CustomField.validateData(attached, { unknown: "x", number: 3 }, partial)).toEqual(Result.succeed({ number: 3 }))
  })

  it("text length bounds", () => {
    expect(errors(CustomField.validateData(attached, { text: "a" }, partial))[0]).toMatchObject({ reason: Issue.Reason.StringTooShort({ min: 2 }) })
    expect(errors(CustomField.validateData(attached, { text: "abcdef" }, partial))[0]).toMatchObject({ reason: Issue.Reason.StringTooLong({ max: 5 }) })
    expect(errors(CustomField.validateData(attached, { text: 12 }, partial))[0]).toMatchObject({ reason: Issue.Reason.StringType() })
  })

  it("numbers: integers within ge/le (int32 by default); integer strings accepted", () => {
    expect(CustomField.validateData(attached, { number: "7" }, partial)).toEqual(Result.succeed({ number: 7 }))
    expect(errors(CustomField.validateData(attached, { number: 11 }, partial))[0]).toMatchObject({ reason: Issue.Reason.LessThanEqual({ le: 10 }) })
    expect(errors(CustomField.validateData(attached, { number: 1.5 }, partial))[0]).toMatchObject({ reason: Issue.Reason.IntFromFloat() })
    expect(errors(CustomField.validateData(attached, { number: "x" }, partial))[0]).toMatchObject({ reason: Issue.Reason.IntParsing() })
    const unbounded = field("n", "number")
    expect(errors(CustomField.validateData([unbounded], { n: 2_147_483_648 }, partial))[0]).toMatchObject({ reason: Issue.Reason.LessThanEqual({ le: 2_147_483_647 }) })
  })

  it("dates: ISO dates or datetimes, bounded by the timestamps' dates", () => {
    expect(CustomField.validateData(attached, { date: "2024-06-01" }, partial)).toEqual(Result.succeed({ date: "2024-06-01T00:00:00" }))
    expect(CustomField.validateData(attached, { date: "2024-06-01T10:20:30+00:00" }, partial)).toEqual(Result.succeed({ date: "2024-06-01T10:20:30Z" }))
    expect(errors(CustomField.validateData(attached, { date: "2023-12-31" }, partial))[0]).toMatchObject({ reason: Issue.Reason.GreaterThanEqual({ ge: "2024-01-01" }) })
    expect(errors(CustomField.validateData(attached, { date: "2024-02-30" }, partial))[0]).toMatchObject({ reason: Issue.Reason.DatetimeFromDateParsing() })
  })

  it("checkboxes: a required checkbox must be true at confirm; optional ones are booleans", () => {
    expect(errors(CustomField.validateData(attached, { select: "a", checkbox: false }, confirm))).toEqual([
      Issue.make(["customFieldData", "checkbox"], Issue.Reason.MustBeChecked(), false)
    ])
    expect(CustomField.validateData(attached, { select: "a", checkbox: true }, confirm)).toEqual(Result.succeed({ select: "a", checkbox: true }))
    expect(CustomField.validateData(attached, { checkbox: "yes" }, partial)).toEqual(Result.succeed({ checkbox: true }))
    expect(errors(CustomField.validateData(attached, { checkbox: null }, partial))[0]).toMatchObject({ reason: Issue.Reason.BoolType() })
  })

  it("optional fields accept null", () => {
    expect(CustomField.validateData(attached, { text: null, select: null }, partial)).toEqual(Result.succeed({ text: null, select: null }))
  })

  it("every error is collected", () => {
    expect(errors(CustomField.validateData(attached, { text: "a", select: "z", number: 99 }, partial))).toHaveLength(3)
  })
})
