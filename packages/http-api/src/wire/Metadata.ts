/**
 * Free-form key/value maps of the contract: `metadata`, `customer_metadata` and `custom_field_data`, in their output
 * form and with the input limits of the reference (`server/polar/kit/metadata.py`, spec §1.9): at most 50 keys,
 * keys of 1–40 characters, string values of 1–500 characters, or numbers and booleans. The limits are the domain's
 * (`Metadata.MAXIMUM_*`), written once there.
 */
import { Metadata } from "@checkout-kit/domain"
import { Schema } from "effect"
import { isEveryKey } from "./Input.ts"
import { Timestamp } from "./Scalars.ts"

/** Output `metadata` values: string, integer, float or boolean. Integers first so they stay integers in OpenAPI. */
export const MetadataValue = Schema.Union([Schema.String, Schema.Int, Schema.Finite, Schema.Boolean])

export const MetadataOutput = Schema.Record(Schema.String, MetadataValue).annotate({ identifier: "MetadataOutputType" })
export type MetadataOutput = typeof MetadataOutput.Type

/** Output `customer_metadata`: typed without float by the reference. */
export const CustomerMetadataOutput = Schema.Record(
  Schema.String,
  Schema.Union([Schema.String, Schema.Int, Schema.Boolean])
)
export type CustomerMetadataOutput = typeof CustomerMetadataOutput.Type

const MetadataInputValue = Schema.Union([
  Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(Metadata.MAXIMUM_VALUE_LENGTH)),
  Schema.Int,
  Schema.Finite,
  Schema.Boolean
])

/** Input `metadata` / `customer_metadata` with the reference limits. */
export const MetadataInput = Schema.Record(Schema.String, MetadataInputValue).check(
  Schema.isMaxProperties(Metadata.MAXIMUM_KEYS),
  isEveryKey((k) => k.length >= 1, "String should have at least 1 character", "string_too_short", { min_length: 1 }),
  isEveryKey(
    (k) => k.length <= Metadata.MAXIMUM_KEY_LENGTH,
    `String should have at most ${Metadata.MAXIMUM_KEY_LENGTH} characters`,
    "string_too_long",
    { max_length: Metadata.MAXIMUM_KEY_LENGTH }
  )
)
export type MetadataInput = typeof MetadataInput.Type

/**
 * Output `custom_field_data`, keyed by custom-field slug. Date values may be held as `DateTime.Utc` and are written
 * as ISO strings.
 */
export const CustomFieldDataOutput = Schema.Record(
  Schema.String,
  Schema.Union([Schema.String, Schema.Int, Schema.Boolean, Timestamp, Schema.Null])
)
export type CustomFieldDataOutput = typeof CustomFieldDataOutput.Type

/**
 * Input `custom_field_data`. Values are checked against the product's custom fields by the domain (unknown slugs are
 * dropped there); here only the JSON types are checked. Dates arrive as strings.
 */
export const CustomFieldDataInput = Schema.Record(
  Schema.String,
  Schema.Union([Schema.String, Schema.Int, Schema.Boolean, Schema.Null])
)
export type CustomFieldDataInput = typeof CustomFieldDataInput.Type
