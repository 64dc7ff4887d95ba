/**
 * The reference's 422 message catalogue, written once: pydantic's `type`, exact `msg` and `ctx` for each kind of
 * refused input. Effect's schema issues (Validation's walk), the domain's issues (DomainIssues) and the wire checks
 * written for this contract (wire/Metadata, wire/Input) all take their texts from here, so a 422 body says the same
 * thing whichever layer refused the input. Messages only one domain reason produces live with it in DomainIssues.
 */

/** One refusal as pydantic reports it (the item's `loc` and `input` are the caller's). */
export interface Message {
  readonly type: string
  readonly msg: string
  readonly ctx?: Record<string, unknown>
}

/** "1 character", "2 characters". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

/** pydantic's "'a', 'b' or 'c'" of already quoted values. */
export const expectedList = (quoted: ReadonlyArray<string>): string =>
  quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`

/** `msg` as pydantic writes a validator's ValueError. */
export const valueError = (error: string): Message => ({ type: "value_error", msg: `Value error, ${error}` })

// --- presence and JSON types ---------------------------------------------------------------------------------------

export const missing: Message = { type: "missing", msg: "Field required" }
export const extraForbidden: Message = { type: "extra_forbidden", msg: "Extra inputs are not permitted" }
export const stringType: Message = { type: "string_type", msg: "Input should be a valid string" }
export const floatType: Message = { type: "float_type", msg: "Input should be a valid number" }
export const finiteNumber: Message = { type: "finite_number", msg: "Input should be a finite number" }
export const boolType: Message = { type: "bool_type", msg: "Input should be a valid boolean" }
export const boolParsing: Message = { type: "bool_parsing", msg: "Input should be a valid boolean, unable to interpret input" }
export const listType: Message = { type: "list_type", msg: "Input should be a valid list" }
export const dictType: Message = { type: "dict_type", msg: "Input should be a valid dictionary" }
export const modelAttributesType: Message = {
  type: "model_attributes_type",
  msg: "Input should be a valid dictionary or object to extract fields from"
}
export const noneRequired: Message = { type: "none_required", msg: "Input should be None" }
export const datetimeType: Message = { type: "datetime_type", msg: "Input should be a valid datetime" }
export const datetimeFromDateParsing: Message = {
  type: "datetime_from_date_parsing",
  msg: "Input should be a valid datetime or date"
}
export const uuidParsing: Message = { type: "uuid_parsing", msg: "Input should be a valid UUID, invalid character or length" }
export const jsonInvalid: Message = { type: "json_invalid", msg: "JSON decode error" }
export const unionTagInvalid: Message = { type: "union_tag_invalid", msg: "Input matches more than one variant" }
export const invalidValue: Message = valueError("invalid value")
export const forbiddenValue: Message = valueError("forbidden value")

/** A value outside a literal or an enumeration: `expected` is `expectedList` of its quoted values. */
export const literal = (expected: string, type = "literal_error"): Message => ({
  type,
  msg: `Input should be ${expected}`,
  ctx: { expected }
})

// --- integers --------------------------------------------------------------------------------------------------------

export const intType: Message = { type: "int_type", msg: "Input should be a valid integer" }
export const intParsing: Message = {
  type: "int_parsing",
  msg: "Input should be a valid integer, unable to parse string as an integer"
}
export const intFromFloat: Message = {
  type: "int_from_float",
  msg: "Input should be a valid integer, got a number with a fractional part"
}
export const intParsingSize: Message = {
  type: "int_parsing_size",
  msg: "Unable to parse input string as an integer, exceeded maximum size"
}

// --- bounds ----------------------------------------------------------------------------------------------------------

export const greaterThanEqual = (ge: number | string): Message => ({
  type: "greater_than_equal",
  msg: `Input should be greater than or equal to ${ge}`,
  ctx: { ge }
})
export const greaterThan = (gt: number): Message => ({ type: "greater_than", msg: `Input should be greater than ${gt}`, ctx: { gt } })
export const lessThanEqual = (le: number | string): Message => ({
  type: "less_than_equal",
  msg: `Input should be less than or equal to ${le}`,
  ctx: { le }
})
export const lessThan = (lt: number): Message => ({ type: "less_than", msg: `Input should be less than ${lt}`, ctx: { lt } })

/** A string's length, counted in code points as Python's `len` does. */
export const stringTooShort = (min: number): Message => ({
  type: "string_too_short",
  msg: `String should have at least ${plural(min, "character")}`,
  ctx: { min_length: min }
})
export const stringTooLong = (max: number): Message => ({
  type: "string_too_long",
  msg: `String should have at most ${plural(max, "character")}`,
  ctx: { max_length: max }
})

const collectionTooShort = (fieldType: "List" | "Dictionary", min: number, actual: number): Message => ({
  type: "too_short",
  msg: `${fieldType} should have at least ${plural(min, "item")} after validation, not ${actual}`,
  ctx: { field_type: fieldType, min_length: min, actual_length: actual }
})
const collectionTooLong = (fieldType: "List" | "Dictionary", max: number, actual: number): Message => ({
  type: "too_long",
  msg: `${fieldType} should have at most ${plural(max, "item")} after validation, not ${actual}`,
  ctx: { field_type: fieldType, max_length: max, actual_length: actual }
})
export const listTooShort = (min: number, actual: number): Message => collectionTooShort("List", min, actual)
export const listTooLong = (max: number, actual: number): Message => collectionTooLong("List", max, actual)
export const dictionaryTooLong = (max: number, actual: number): Message => collectionTooLong("Dictionary", max, actual)

// --- URLs ------------------------------------------------------------------------------------------------------------

export const urlType: Message = { type: "url_type", msg: "URL input should be a string or URL" }
export const urlRelative: Message = {
  type: "url_parsing",
  msg: "Input should be a valid URL, relative URL without a base",
  ctx: { error: "relative URL without a base" }
}
export const urlTooLong = (max: number): Message => ({
  type: "url_too_long",
  msg: `URL should have at most ${max} characters`,
  ctx: { max_length: max }
})

// --- e-mail ----------------------------------------------------------------------------------------------------------

/** email-validator's refusal, with its reason (a `value_error` whose ctx carries the reason). */
export const invalidEmail = (reason: string): Message => ({
  type: "value_error",
  msg: `value is not a valid email address: ${reason}`,
  ctx: { reason }
})
