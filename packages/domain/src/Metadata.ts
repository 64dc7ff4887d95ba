/**
 * User metadata maps (`metadata`, `customer_metadata`): at most 50 keys, keys 1-40 characters, values a string of
 * 1-500 characters, an integer, a float or a boolean (spec 1.9, `kit/metadata.py`).
 */
import { Schema } from "effect"
import * as Issue from "./Issue.ts"

export const Value = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])
export type Value = typeof Value.Type

export const Metadata = Schema.Record(Schema.String, Value)
export type Metadata = typeof Metadata.Type

export const MAXIMUM_KEYS = 50
export const MAXIMUM_KEY_LENGTH = 40
export const MAXIMUM_VALUE_LENGTH = 500

/** Code points, as the reference (pydantic, Python `len`) counts a string's length. */
export const length = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * Checks a request's metadata map and returns every violation (empty when valid), as issues under `path`:
 * not a map -> `DictType`; more than 50 keys -> `TooManyKeys` at `path`; a key outside 1-40 characters ->
 * `MetadataKeyTooShort`/`MetadataKeyTooLong` at [...path, key]; a string value outside 1-500 characters
 * (`StringTooShort`/`StringTooLong`) or containing NUL (`NulCharacter`), or a value that is not a string, finite
 * number or boolean (`StringType`) -> at [...path, key]. Lengths are counted in code points, as the reference does.
 */
export const validate = (metadata: unknown, path: Issue.Path): ReadonlyArray<Issue.Issue> => {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    return [Issue.make(path, Issue.Reason.DictType(), metadata)]
  }
  const issues: Array<Issue.Issue> = []
  const entries = Object.entries(metadata)
  for (const [key, value] of entries) {
    const keyPath = [...path, key]
    const keyLength = length(key)
    if (keyLength < 1) issues.push(Issue.make(keyPath, Issue.Reason.MetadataKeyTooShort({ min: 1 }), key))
    else if (keyLength > MAXIMUM_KEY_LENGTH) {
      issues.push(Issue.make(keyPath, Issue.Reason.MetadataKeyTooLong({ max: MAXIMUM_KEY_LENGTH }), key))
    }
    if (typeof value === "string") {
      const valueLength = length(value)
      if (valueLength < 1) issues.push(Issue.make(keyPath, Issue.Reason.StringTooShort({ min: 1 }), value))
      else if (valueLength > MAXIMUM_VALUE_LENGTH) {
        issues.push(Issue.make(keyPath, Issue.Reason.StringTooLong({ max: MAXIMUM_VALUE_LENGTH }), value))
      } else if (value.includes("\u0000")) issues.push(Issue.make(keyPath, Issue.Reason.NulCharacter(), value))
    } else if (!(typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))) {
      issues.push(Issue.make(keyPath, Issue.Reason.StringType(), value))
    }
  }
  if (entries.length > MAXIMUM_KEYS) {
    issues.push(Issue.make(path, Issue.Reason.TooManyKeys({ max: MAXIMUM_KEYS, actual: entries.length }), metadata))
  }
  return issues
}
