/** Custom-field data validation (spec 1.7), named after the reference's create/update/confirm cases. */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as CustomField from "../src/CustomField.ts"
import { NOW, ORG_ID } from "./Fixtures.ts"

const field = (
  slug: string,
  type: CustomField.Type,
  properties: CustomField.Properties = {},
  required = false
): CustomField.Attached => ({
  customFieldId: `00000000-0000-4000-8000-${slug.padStart(12, "0").slice(-12).replace(/[^0-9a-f]/gu, "0")}`,
  customField: {
    id: "00000000-0000-4000-8000-000000000c00",
    createdAt: NOW,
    modifiedAt: null,
    organizationId: ORG_ID,
    slug,
    name: slug,
    type,
    properties,
    metadata: {}
  },
  order: 0,
  required
})

const text = field("text", "text", { minLength: 2, maxLength: 5 })
const select = field("select", "select", { options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] }, true)
const number = field("number", "number", { ge: 0, le: 10 })
const date = field("date", "date", { ge: 1_704_067_200 }) // 2024-01-01
const checkbox = field("checkbox", "checkbox", {}, true)
const attached = [text, select, number, date, checkbox]

const partial = { enforceRequired: false }
const confirm = { enforceRequired: true }
const errors = (r: Result.Result<unknown, ReadonlyArray<{ loc: ReadonlyArray<string | number> }>>) =>
  Result.isFailure(r) ? r.failure : []

describe("CustomField.validateData", () => {
  it("test_valid_custom_field_data: {text, select: 'a'} stored", () => {
    expect(CustomField.validateData(attached, { text: "abc", select: "a" }, partial)).toEqual(Result.succeed({ text: "abc", select: "a" }))
  })

  it("test_invalid_custom_field_data: select 'c' -> literal_error under body.custom_field_data", () => {
    expect(CustomField.validateData(attached, { select: "c" }, partial)).toEqual(Result.fail([{
      type: "literal_error",
      loc: ["body", "custom_field_data", "select"],
      msg: "Input should be 'a' or 'b'",
      input: "c",
      ctx: { expected: "'a' or 'b'" }
    }]))
  })

  it("test_valid_missing_required_custom_field: a missing required select is accepted at create/update", () => {
    expect(Result.isSuccess(CustomField.validateData(attached, {}, partial))).toBe(true)
  })

  it("test_missing_required_custom_field / test_validate_custom_fields_even_if_data_unset: required enforced at confirm", () => {
    const missing = errors(CustomField.validateData(attached, {}, confirm))
    expect(missing.map((e) => e.loc)).toEqual([
      ["body", "custom_field_data", "select"],
      ["body", "custom_field_data", "checkbox"]
    ])
    expect(missing[0]).toMatchObject({ type: "missing", msg: "Field required" })
  })

  it("unknown keys are dropped; only supplied keys are kept", () => {
    expect(CustomField.validateData(attached, { unknown: "x", number: 3 }, partial)).toEqual(Result.succeed({ number: 3 }))
  })

  it("text length bounds", () => {
    expect(errors(CustomField.validateData(attached, { text: "a" }, partial))[0]).toMatchObject({
      type: "string_too_short",
      msg: "String should have at least 2 characters",
      ctx: { min_length: 2 }
    })
    expect(errors(CustomField.validateData(attached, { text: "abcdef" }, partial))[0]).toMatchObject({ type: "string_too_long" })
    expect(errors(CustomField.validateData(attached, { text: 12 }, partial))[0]).toMatchObject({ type: "string_type" })
  })

  it("numbers: integers within ge/le (int32 by default); integer strings accepted", () => {
    expect(CustomField.validateData(attached, { number: "7" }, partial)).toEqual(Result.succeed({ number: 7 }))
    expect(errors(CustomField.validateData(attached, { number: 11 }, partial))[0]).toMatchObject({
      type: "less_than_equal",
      msg: "Input should be less than or equal to 10",
      ctx: { le: 10 }
    })
    expect(errors(CustomField.validateData(attached, { number: 1.5 }, partial))[0]).toMatchObject({ type: "int_from_float" })
    expect(errors(CustomField.validateData(attached, { number: "x" }, partial))[0]).toMatchObject({ type: "int_parsing" })
    const unbounded = field("n", "number")
    expect(errors(CustomField.validateData([unbounded], { n: 2_147_483_648 }, partial))[0]).toMatchObject({ ctx: { le: 2_147_483_647 } })
  })

  it("dates: ISO dates or datetimes, bounded by the timestamps' dates", () => {
    expect(CustomField.validateData(attached, { date: "2024-06-01" }, partial)).toEqual(Result.succeed({ date: "2024-06-01T00:00:00" }))
    expect(CustomField.validateData(attached, { date: "2024-06-01T10:20:30+00:00" }, partial)).toEqual(Result.succeed({ date: "2024-06-01T10:20:30Z" }))
    expect(errors(CustomField.validateData(attached, { date: "2023-12-31" }, partial))[0]).toMatchObject({
      type: "greater_than_equal",
      msg: "Input should be greater than or equal to 2024-01-01"
    })
    expect(errors(CustomField.validateData(attached, { date: "2024-02-30" }, partial))[0]).toMatchObject({ type: "datetime_from_date_parsing" })
  })

  it("checkboxes: a required checkbox must be true at confirm; optional ones are booleans", () => {
    expect(errors(CustomField.validateData(attached, { select: "a", checkbox: false }, confirm))).toEqual([{
      type: "literal_error",
      loc: ["body", "custom_field_data", "checkbox"],
      msg: "Input should be True",
      input: false,
      ctx: { expected: "True" }
    }])
    expect(CustomField.validateData(attached, { select: "a", checkbox: true }, confirm)).toEqual(Result.succeed({ select: "a", checkbox: true }))
    expect(CustomField.validateData(attached, { checkbox: "yes" }, partial)).toEqual(Result.succeed({ checkbox: true }))
    expect(errors(CustomField.validateData(attached, { checkbox: null }, partial))[0]).toMatchObject({ type: "bool_type" })
  })

  it("optional fields accept null", () => {
    expect(CustomField.validateData(attached, { text: null, select: null }, partial)).toEqual(Result.succeed({ text: null, select: null }))
  })

  it("every error is collected", () => {
    expect(errors(CustomField.validateData(attached, { text: "a", select: "z", number: 99 }, partial))).toHaveLength(3)
  })
})
