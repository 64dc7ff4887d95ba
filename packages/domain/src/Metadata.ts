/**
 * User metadata maps (`metadata`, `customer_metadata`): at most 50 keys, keys 1-40 characters, values a string of
 * 1-500 characters, an integer, a float or a boolean (spec 1.9).
 */
import { Schema } from "effect"

export const Value = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])
export type Value = typeof Value.Type

export const Metadata = Schema.Record(Schema.String, Value)
export type Metadata = typeof Metadata.Type
