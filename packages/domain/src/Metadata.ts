/**
 * User metadata maps (`metadata`, `customer_metadata`): at most 50 keys, keys 1-40 characters, values a string of
 * 1-500 characters, an integer, a float or a boolean (spec 1.9, `kit/metadata.py`).
 */
import { Schema } from "effect"
import type { ValidationIssue } from "./Errors.ts"

export const Value = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])
export type Value = typeof Value.Type

export const Metadata = Schema.Record(Schema.String, Value)
export type Metadata = typeof Metadata.Type

export const MAXIMUM_KEYS = 50
export const MAXIMUM_KEY_LENGTH = 40
export const MAXIMUM_VALUE_LENGTH = 500

const characters = (n: number): string => (n === 1 ? "character" : "characters")

const stringLength = (
  value: string,
  min: number,
  max: number,
  loc: ReadonlyArray<string | number>
): ValidationIssue | undefined => {
  // pydantic counts code points, not UTF-16 units.
  const length = [...value].length
  if (length < min) {
    return {
      type: "string_too_short",
      loc,
      msg: `String should have at least ${min} ${characters(min)}`,
      input: value,
      ctx: { min_length: min }
    }
  }
  if (length > max) {
    return {
      type: "string_too_long",
      loc,
      msg: `String should have at most ${max} ${characters(max)}`,
      input: value,
      ctx: { max_length: max }
    }
  }
  return undefined
}

/**
 * Checks a request's metadata map and returns every violation (empty when valid), in pydantic's shape:
 * more than 50 keys -> `too_long` at `loc`; a key outside 1-40 characters -> at [...loc, key, "[key]"]; a string
 * value outside 1-500 characters or containing NUL, or a value that is not a string, finite number or boolean ->
 * at [...loc, key, "str"]. (The reference's union reports one item per union member for a bad value; we report the
 * string member's, which is the informative one.)
 */
export const validate = (metadata: unknown, loc: ReadonlyArray<string | number>): ReadonlyArray<ValidationIssue> => {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    return [{ type: "dict_type", loc, msg: "Input should be a valid dictionary", input: metadata }]
  }
  const issues: Array<ValidationIssue> = []
  const entries = Object.entries(metadata)
  for (const [key, value] of entries) {
    const keyIssue = stringLength(key, 1, MAXIMUM_KEY_LENGTH, [...loc, key, "[key]"])
    if (keyIssue !== undefined) issues.push(keyIssue)
    const valueLoc = [...loc, key, "str"]
    if (typeof value === "string") {
      const valueIssue = stringLength(value, 1, MAXIMUM_VALUE_LENGTH, valueLoc)
      if (valueIssue !== undefined) issues.push(valueIssue)
      else if (value.includes("\u0000")) {
        issues.push({ type: "value_error", loc: valueLoc, msg: "Value error, NUL character not allowed", input: value })
      }
    } else if (!(typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))) {
      issues.push({ type: "string_type", loc: valueLoc, msg: "Input should be a valid string", input: value })
    }
  }
  if (entries.length > MAXIMUM_KEYS) {
    issues.push({
      type: "too_long",
      loc,
      msg: `Dictionary should have at most ${MAXIMUM_KEYS} items after validation, not ${entries.length}`,
      input: metadata,
      ctx: { field_type: "Dictionary", max_length: MAXIMUM_KEYS, actual_length: entries.length }
    })
  }
  return issues
}
