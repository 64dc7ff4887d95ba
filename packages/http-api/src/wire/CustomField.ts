/**
 * Custom fields attached to products (`AttachedCustomField`), spec §1.7, discriminated by `type`. Their
 * `properties` objects are the one place where response keys may be absent: the reference models them as
 * TypedDicts with optional, non-nullable keys, and serializes only the keys that are set.
 */
import { Schema } from "effect"
import { MetadataOutput } from "./Metadata.ts"
import { Timestamp, Uuid } from "./Scalars.ts"

const NonEmptyString = Schema.String.check(Schema.isMinLength(1))
const Int32 = Schema.Int.check(Schema.isGreaterThanOrEqualTo(-2147483648), Schema.isLessThanOrEqualTo(2147483647))

const formProperties = {
  form_label: Schema.optionalKey(NonEmptyString),
  form_help_text: Schema.optionalKey(NonEmptyString),
  form_placeholder: Schema.optionalKey(NonEmptyString)
}

export const CustomFieldTextProperties = Schema.Struct({
  ...formProperties,
  textarea: Schema.optionalKey(Schema.Boolean),
  min_length: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  max_length: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
}).annotate({ identifier: "CustomFieldTextProperties" })

export const CustomFieldNumberProperties = Schema.Struct({
  ...formProperties,
  ge: Schema.optionalKey(Int32),
  le: Schema.optionalKey(Int32)
}).annotate({ identifier: "CustomFieldNumberProperties" })

/** `ge`/`le` are unix timestamps (seconds). */
export const CustomFieldDateProperties = Schema.Struct({
  ...formProperties,
  ge: Schema.optionalKey(Int32),
  le: Schema.optionalKey(Int32)
}).annotate({ identifier: "CustomFieldDateProperties" })

export const CustomFieldCheckboxProperties = Schema.Struct(formProperties).annotate({
  identifier: "CustomFieldCheckboxProperties"
})

export const CustomFieldSelectOption = Schema.Struct({
  value: NonEmptyString,
  label: NonEmptyString
}).annotate({ identifier: "CustomFieldSelectOption" })

export const CustomFieldSelectProperties = Schema.Struct({
  ...formProperties,
  options: Schema.Array(CustomFieldSelectOption).check(Schema.isMinLength(1))
}).annotate({ identifier: "CustomFieldSelectProperties" })

const customFieldBase = {
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  metadata: MetadataOutput,
  /** Key under which values are stored in `custom_field_data`. */
  slug: Schema.String,
  name: Schema.String,
  organization_id: Uuid
}

export const CustomFieldText = Schema.Struct({
  ...customFieldBase,
  type: Schema.tag("text"),
  properties: CustomFieldTextProperties
}).annotate({ identifier: "CustomFieldText" })

export const CustomFieldNumber = Schema.Struct({
  ...customFieldBase,
  type: Schema.tag("number"),
  properties: CustomFieldNumberProperties
}).annotate({ identifier: "CustomFieldNumber" })

export const CustomFieldDate = Schema.Struct({
  ...customFieldBase,
  type: Schema.tag("date"),
  properties: CustomFieldDateProperties
}).annotate({ identifier: "CustomFieldDate" })

export const CustomFieldCheckbox = Schema.Struct({
  ...customFieldBase,
  type: Schema.tag("checkbox"),
  properties: CustomFieldCheckboxProperties
}).annotate({ identifier: "CustomFieldCheckbox" })

export const CustomFieldSelect = Schema.Struct({
  ...customFieldBase,
  type: Schema.tag("select"),
  properties: CustomFieldSelectProperties
}).annotate({ identifier: "CustomFieldSelect" })

export const CustomField = Schema.Union([
  CustomFieldText,
  CustomFieldNumber,
  CustomFieldDate,
  CustomFieldCheckbox,
  CustomFieldSelect
]).annotate({ identifier: "CustomField" })
export type CustomField = typeof CustomField.Type

export const AttachedCustomField = Schema.Struct({
  custom_field_id: Uuid,
  custom_field: CustomField,
  order: Schema.Int,
  /** Enforced on confirm only. */
  required: Schema.Boolean
}).annotate({ identifier: "AttachedCustomField" })
export type AttachedCustomField = typeof AttachedCustomField.Type
