/**
 * Custom fields attached to products (spec 1.7). Checkout data is a flat object keyed by field slug; "required" is
 * only enforced at confirm.
 */
import { Schema } from "effect"
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
