/**
 * Custom fields attached to products (`AttachedCustomField`), spec §1.7, discriminated by `type`. Their
 * `properties` objects are the one place where response keys may be absent: the reference models them as
 * TypedDicts with optional, non-nullable keys, and serializes only the keys that are set.
 */
import { CustomField as Domain } from "@checkout-kit/domain"
import { Schema } from "effect"
import { MetadataOutput } from "./Metadata.ts"
import { derive, Uuid } from "./Scalars.ts"

const NonEmptyString = Schema.String.check(Schema.isMinLength(1))
const Int32 = Schema.Int.check(Schema.isGreaterThanOrEqualTo(-2147483648), Schema.isLessThanOrEqualTo(2147483647))

/** The form keys every type has; the domain's `helpText`/`placeholder` are `form_…` on the wire. */
const formKeys = ["formLabel", "helpText", "placeholder"] as const
const formRename = { helpText: "form_help_text", placeholder: "form_placeholder" } as const
// The output properties only allow non-empty strings and 32-bit integers (the domain's are plain).
const formOverrides = {
  formLabel: Schema.optionalKey(NonEmptyString),
  helpText: Schema.optionalKey(NonEmptyString),
  placeholder: Schema.optionalKey(NonEmptyString)
}
const boundOverrides = { ...formOverrides, ge: Schema.optionalKey(Int32), le: Schema.optionalKey(Int32) }

/** Each type's properties are derived from the domain's one `Properties` shape, keeping that type's keys. */
export const CustomFieldTextProperties = derive(Domain.Properties, {
  keys: [...formKeys, "textarea", "minLength", "maxLength"],
  rename: formRename,
  overrides: {
    ...formOverrides,
    minLength: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
    maxLength: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
  },
  identifier: "CustomFieldTextProperties"
})

export const CustomFieldNumberProperties = derive(Domain.Properties, {
  keys: [...formKeys, "ge", "le"],
  rename: formRename,
  overrides: boundOverrides,
  identifier: "CustomFieldNumberProperties"
})

/** `ge`/`le` are unix timestamps (seconds). */
export const CustomFieldDateProperties = derive(Domain.Properties, {
  keys: [...formKeys, "ge", "le"],
  rename: formRename,
  overrides: boundOverrides,
  identifier: "CustomFieldDateProperties"
})

export const CustomFieldCheckboxProperties = derive(Domain.Properties, {
  keys: formKeys,
  rename: formRename,
  overrides: formOverrides,
  identifier: "CustomFieldCheckboxProperties"
})

/** Derived from the domain's select option (same keys; the contract wants them non-empty). */
export const CustomFieldSelectOption = derive(Domain.SelectOption, {
  keys: ["value", "label"],
  overrides: { value: NonEmptyString, label: NonEmptyString },
  identifier: "CustomFieldSelectOption"
})

export const CustomFieldSelectProperties = derive(Domain.Properties, {
  keys: [...formKeys, "options"],
  rename: formRename,
  // Required on the wire, with at least one option.
  overrides: { ...formOverrides, options: Schema.Array(CustomFieldSelectOption).check(Schema.isMinLength(1)) },
  identifier: "CustomFieldSelectProperties"
})

/** A custom field of one type, derived from the domain's custom field; `type` is that type's tag. */
const variant = <T extends Domain.Type, P extends Schema.Top>(type: T, properties: P, identifier: string) =>
  derive(Domain.CustomField, {
    keys: ["createdAt", "modifiedAt", "id", "metadata", "slug", "name", "organizationId", "type", "properties"],
    overrides: { metadata: MetadataOutput, type: Schema.tag(type), properties },
    identifier
  })

export const CustomFieldText = variant("text", CustomFieldTextProperties, "CustomFieldText")
export const CustomFieldNumber = variant("number", CustomFieldNumberProperties, "CustomFieldNumber")
export const CustomFieldDate = variant("date", CustomFieldDateProperties, "CustomFieldDate")
export const CustomFieldCheckbox = variant("checkbox", CustomFieldCheckboxProperties, "CustomFieldCheckbox")
export const CustomFieldSelect = variant("select", CustomFieldSelectProperties, "CustomFieldSelect")

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
