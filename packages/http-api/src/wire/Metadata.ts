/**
 * Free-form key/value maps of the contract: `metadata`, `customer_metadata` and `custom_field_data`, in their output
 * form and with the input limits of the reference (`server/polar/kit/metadata.py`, spec §1.9): at most 50 keys,
 * keys of 1–40 characters, string values of 1–500 characters, or numbers and booleans. The limits and the way a
 * length is counted (code points, as pydantic does) are the domain's (`Metadata.MAXIMUM_*`, `Metadata.length`); the
 * refusals' texts are the catalogue's (internal/Messages.ts).
 */
import { Metadata } from "@checkout-kit/domain"
import { Schema } from "effect"
import * as M from "../internal/Messages.ts"
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

/** A check's annotations carrying a catalogue message (its text, pydantic type and context). */
const refusal = (m: M.Message) => ({ message: m.msg, pydanticType: m.type, pydanticCtx: m.ctx })

/** A length bound counted in code points, as the reference (pydantic, Python `len`) and the domain count it. */
const isCodePoints = (bound: "min" | "max", n: number) =>
  Schema.makeFilter<string>(
    (s) => (bound === "min" ? Metadata.length(s) >= n : Metadata.length(s) <= n),
    bound === "min"
      ? {
        ...refusal(M.stringTooShort(n)),
        // Documented (and generated for property tests) as JSON Schema's own bound, as `Schema.isMinLength` is.
        toJsonSchema: () => [{ minLength: n }, true],
        arbitraryConstraint: { minLength: n }
      }
      : {
        ...refusal(M.stringTooLong(n)),
        toJsonSchema: () => [{ maxLength: n }, true],
        arbitraryConstraint: { maxLength: n }
      }
  )

const keyTooShort = M.stringTooShort(1)
const keyTooLong = M.stringTooLong(Metadata.MAXIMUM_KEY_LENGTH)

const MetadataInputValue = Schema.Union([
  Schema.String.check(isCodePoints("min", 1), isCodePoints("max", Metadata.MAXIMUM_VALUE_LENGTH)),
  Schema.Int,
  Schema.Finite,
  Schema.Boolean
])

/** Input `metadata` / `customer_metadata` with the reference limits. */
export const MetadataInput = Schema.Record(Schema.String, MetadataInputValue).check(
  Schema.isMaxProperties(Metadata.MAXIMUM_KEYS),
  isEveryKey((k) => Metadata.length(k) >= 1, keyTooShort.msg, keyTooShort.type, keyTooShort.ctx),
  isEveryKey((k) => Metadata.length(k) <= Metadata.MAXIMUM_KEY_LENGTH, keyTooLong.msg, keyTooLong.type, keyTooLong.ctx)
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
