/**
 * Postal addresses (spec 1.6). `country` is an uppercase ISO alpha-2 code; for US and CA the state is stored
 * prefixed (`US-NY`). Empty strings are normalised to null by the validation rules.
 */
import { Schema } from "effect"

export const Address = Schema.Struct({
  line1: Schema.NullOr(Schema.String),
  line2: Schema.NullOr(Schema.String),
  postalCode: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  country: Schema.String
})
export type Address = typeof Address.Type

/** A tax id as stored by the reference: the number and its detected format (e.g. `eu_vat`). */
export const TaxId = Schema.Struct({ number: Schema.String, format: Schema.String })
export type TaxId = typeof TaxId.Type
