/**
 * Custom fields attached to products (spec 1.7). Checkout data is a flat object keyed by field slug; "required" is
 * only enforced at confirm.
 */
import { Result, Schema } from "effect"
import * as Issue from "./Issue.ts"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"

export const Type = Schema.Literals(["text", "number", "date", "checkbox", "select"])
export type Type = typeof Type.Type

export const SelectOption = Schema.Struct({ value: Schema.String, label: Schema.String })

/** Properties of every type; each rule reads only the ones that apply to its type. */
export const Properties = Schema.Struct({
  formLabel: Schema.optionalKey(Schema.String),
  helpText: Schema.optionalKey(Schema.String),
  placeholder: Schema.optionalKey(Schema.String),
  textarea: Schema.optionalKey(Schema.Boolean),
  minLength: Schema.optionalKey(Schema.Int),
  maxLength: Schema.optionalKey(Schema.Int),
  ge: Schema.optionalKey(Schema.Int),
  le: Schema.optionalKey(Schema.Int),
  options: Schema.optionalKey(Schema.Array(SelectOption))
})
export type Properties = typeof Properties.Type

export const CustomField = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  organizationId: Id,
  slug: Schema.String,
  name: Schema.String,
  type: Type,
  properties: Properties,
  metadata: Metadata.Metadata
})
export type CustomField = typeof CustomField.Type

export const Attached = Schema.Struct({
  customFieldId: Id,
  customField: CustomField,
  order: Schema.Int,
  required: Schema.Boolean
})
export type Attached = typeof Attached.Type

/** Stored checkout data: slug -> string | integer | boolean | ISO datetime string | null. */
export const Data = Schema.Record(Schema.String, Schema.NullOr(Schema.Union([Schema.String, Schema.Int, Schema.Boolean])))
export type Data = typeof Data.Type

// ---------------------------------------------------------------------------------------------------------------
// Validation of checkout data against the product's attached fields (spec 1.7, `custom_field/data.py`).
// ---------------------------------------------------------------------------------------------------------------

const INT32_MIN = -2_147_483_648
const INT32_MAX = 2_147_483_647

export interface ValidateOptions {
  /** Enforce `required` (confirm only; create and update accept partial data). */
  readonly enforceRequired: boolean
  /** Where the data sits in the input; default ["customFieldData"]. */
  readonly path?: Issue.Path
}

type FieldOutcome = { readonly ok: true; readonly value: string | number | boolean | null } | {
  readonly ok: false
  readonly reason: Issue.Reason
  readonly input: unknown
}

const ok = (value: string | number | boolean | null): FieldOutcome => ({ ok: true, value })
const bad = (reason: Issue.Reason, input: unknown): FieldOutcome => ({ ok: false, reason, input })

const validateText = (properties: Properties, value: unknown): FieldOutcome => {
  if (typeof value !== "string") return bad(Issue.Reason.StringType(), value)
  const length = [...value].length
  if (properties.minLength !== undefined && length < properties.minLength) {
    return bad(Issue.Reason.StringTooShort({ min: properties.minLength }), value)
  }
  if (properties.maxLength !== undefined && length > properties.maxLength) {
    return bad(Issue.Reason.StringTooLong({ max: properties.maxLength }), value)
  }
  return ok(value)
}

const validateNumber = (properties: Properties, value: unknown): FieldOutcome => {
  let n: number
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return bad(Issue.Reason.FiniteNumber(), value)
    if (!Number.isInteger(value)) {
      return bad(Issue.Reason.IntFromFloat(), value)
    }
    n = value
  } else if (typeof value === "string") {
    // pydantic's lax mode parses integer strings ("42", " 42 ").
    const trimmed = value.trim()
    if (!/^[+-]?\d+$/u.test(trimmed)) {
      return bad(Issue.Reason.IntParsing(), value)
    }
    n = Number(trimmed)
  } else {
    return bad(Issue.Reason.IntType(), value)
  }
  const ge = properties.ge ?? INT32_MIN
  const le = properties.le ?? INT32_MAX
  if (n < ge) {
    return bad(Issue.Reason.GreaterThanEqual({ ge }), value)
  }
  if (n > le) {
    return bad(Issue.Reason.LessThanEqual({ le }), value)
  }
  return ok(n)
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/u

/** A unix timestamp's UTC calendar date (`datetime.fromtimestamp(ts).date()` on a UTC server). */
const dateOfTimestamp = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10)

const validateDate = (properties: Properties, value: unknown): FieldOutcome => {
  const match = typeof value === "string" ? DATE_TIME.exec(value.trim()) : null
  if (match === null) {
    return typeof value === "string"
      ? bad(Issue.Reason.DatetimeFromDateParsing(), value)
      : bad(Issue.Reason.DatetimeType(), value)
  }
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "", offset] = match
  const date = `${y}-${mo}-${d}`
  const probe = new Date(`${date}T${h}:${mi}:${s}Z`)
  if (Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== date) {
    return bad(Issue.Reason.DatetimeFromDateParsing(), value)
  }
  // The reference's bounds are dates from unix timestamps, compared on the calendar date; 0 means "no bound".
  if (properties.ge !== undefined && properties.ge !== 0 && date < dateOfTimestamp(properties.ge)) {
    const ge = dateOfTimestamp(properties.ge)
    return bad(Issue.Reason.GreaterThanEqual({ ge }), value)
  }
  if (properties.le !== undefined && properties.le !== 0 && date > dateOfTimestamp(properties.le)) {
    const le = dateOfTimestamp(properties.le)
    return bad(Issue.Reason.LessThanEqual({ le }), value)
  }
  // Stored as pydantic dumps a datetime: ISO, "Z" for UTC, no suffix for naive input.
  const zone = offset === undefined
    ? ""
    : /^[Zz]$|^[+-]00:?00$/u.test(offset)
    ? "Z"
    : offset.includes(":")
    ? offset
    : `${offset.slice(0, 3)}:${offset.slice(3)}`
  return ok(`${date}T${h}:${mi}:${s}${fraction}${zone}`)
}

const LAX_TRUE: ReadonlySet<string> = new Set(["1", "on", "t", "true", "y", "yes"])
const LAX_FALSE: ReadonlySet<string> = new Set(["0", "off", "f", "false", "n", "no"])

const validateCheckbox = (required: boolean, value: unknown): FieldOutcome => {
  if (required) {
    return value === true ? ok(true) : bad(Issue.Reason.MustBeChecked(), value)
  }
  if (typeof value === "boolean") return ok(value)
  if (value === 0 || value === 1) return ok(value === 1)
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase()
    if (LAX_TRUE.has(lower)) return ok(true)
    if (LAX_FALSE.has(lower)) return ok(false)
    return bad(Issue.Reason.BoolParsing(), value)
  }
  return bad(Issue.Reason.BoolType(), value)
}

const validateSelect = (properties: Properties, value: unknown): FieldOutcome => {
  const values = (properties.options ?? []).map((o) => o.value)
  if (typeof value === "string" && values.includes(value)) return ok(value)
  return bad(Issue.Reason.NotAnOption({ options: values }), value)
}

const validateValue = (field: CustomField, required: boolean, value: unknown): FieldOutcome => {
  // Optional fields accept null, except checkboxes, whose optional form is a plain bool defaulting to false.
  if (value === null && !required && field.type !== "checkbox") return ok(null)
  switch (field.type) {
    case "text":
      return validateText(field.properties, value)
    case "number":
      return validateNumber(field.properties, value)
    case "date":
      return validateDate(field.properties, value)
    case "checkbox":
      return validateCheckbox(required, value)
    case "select":
      return validateSelect(field.properties, value)
  }
}

/**
 * Validates checkout custom-field data against the product's attached fields. Keys that match no attached field
 * are dropped; only supplied keys are kept (no defaults are filled in). Every error is collected and reported at
 * [...path, slug] with its reason; a missing required field (only when `enforceRequired`) is `Missing`. Returns the cleaned data.
 */
export const validateData = (
  attached: ReadonlyArray<Attached>,
  data: Readonly<Record<string, unknown>>,
  options: ValidateOptions
): Result.Result<Data, ReadonlyArray<Issue.Issue>> => {
  const path = options.path ?? ["customFieldData"]
  const issues: Array<Issue.Issue> = []
  const out: Record<string, string | number | boolean | null> = {}
  for (const { customField, required: isRequired } of attached) {
    const slug = customField.slug
    const required = isRequired && options.enforceRequired
    if (!Object.hasOwn(data, slug)) {
      if (required) issues.push(Issue.make([...path, slug], Issue.Reason.Missing(), data))
      continue
    }
    const outcome = validateValue(customField, required, data[slug])
    if (outcome.ok) out[slug] = outcome.value
    else issues.push(Issue.make([...path, slug], outcome.reason, outcome.input))
  }
  return issues.length > 0 ? Result.fail(issues) : Result.succeed(out)
}
