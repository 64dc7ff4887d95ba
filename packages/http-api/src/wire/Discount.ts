/**
 * Discounts as shown on checkouts (`CheckoutDiscount*`) and on checkout links (`Discount*Base`, the reference's
 * `DiscountMinimal`), spec §1.5. Four variants each: fixed or percentage, times once/forever or repeating (which
 * adds `duration_in_months`). Fixed variants keep the deprecated single `amount`/`currency` pair next to the
 * `amounts` map (value for the organization's default currency, else the first entry).
 */
import { Schema } from "effect"
import { MetadataOutput } from "./Metadata.ts"
import { Amount, Timestamp, Uuid } from "./Scalars.ts"

const OnceOrForever = Schema.Literals(["once", "forever"])
const Repeating = Schema.Literal("repeating")

const fixedFields = {
  type: Schema.Literal("fixed"),
  /** Deprecated. */
  amount: Amount,
  /** Deprecated. */
  currency: Schema.String,
  amounts: Schema.Record(Schema.String, Amount)
}

const percentageFields = {
  type: Schema.Literal("percentage"),
  /** 1–10 000 (10 000 = 100 %). */
  basis_points: Schema.Int
}

const checkoutDiscountFields = {
  id: Uuid,
  name: Schema.String,
  code: Schema.NullOr(Schema.String)
}

export const CheckoutDiscountFixedOnceForeverDuration = Schema.Struct({
  duration: OnceOrForever,
  ...fixedFields,
  ...checkoutDiscountFields
}).annotate({ identifier: "CheckoutDiscountFixedOnceForeverDuration" })

export const CheckoutDiscountFixedRepeatDuration = Schema.Struct({
  duration: Repeating,
  duration_in_months: Schema.Int,
  ...fixedFields,
  ...checkoutDiscountFields
}).annotate({ identifier: "CheckoutDiscountFixedRepeatDuration" })

export const CheckoutDiscountPercentageOnceForeverDuration = Schema.Struct({
  duration: OnceOrForever,
  ...percentageFields,
  ...checkoutDiscountFields
}).annotate({ identifier: "CheckoutDiscountPercentageOnceForeverDuration" })

export const CheckoutDiscountPercentageRepeatDuration = Schema.Struct({
  duration: Repeating,
  duration_in_months: Schema.Int,
  ...percentageFields,
  ...checkoutDiscountFields
}).annotate({ identifier: "CheckoutDiscountPercentageRepeatDuration" })

/** The discount applied to a checkout. */
export const CheckoutDiscount = Schema.Union([
  CheckoutDiscountFixedOnceForeverDuration,
  CheckoutDiscountFixedRepeatDuration,
  CheckoutDiscountPercentageOnceForeverDuration,
  CheckoutDiscountPercentageRepeatDuration
])
export type CheckoutDiscount = typeof CheckoutDiscount.Type

const linkDiscountFields = {
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  metadata: MetadataOutput,
  name: Schema.String,
  code: Schema.NullOr(Schema.String),
  starts_at: Schema.NullOr(Timestamp),
  ends_at: Schema.NullOr(Timestamp),
  max_redemptions: Schema.NullOr(Schema.Int),
  max_redemptions_per_customer: Schema.NullOr(Schema.Int),
  redemptions_count: Schema.Int,
  organization_id: Uuid
}

export const DiscountFixedOnceForeverDurationBase = Schema.Struct({
  duration: OnceOrForever,
  ...fixedFields,
  ...linkDiscountFields
}).annotate({ identifier: "DiscountFixedOnceForeverDurationBase" })

export const DiscountFixedRepeatDurationBase = Schema.Struct({
  duration: Repeating,
  duration_in_months: Schema.Int,
  ...fixedFields,
  ...linkDiscountFields
}).annotate({ identifier: "DiscountFixedRepeatDurationBase" })

export const DiscountPercentageOnceForeverDurationBase = Schema.Struct({
  duration: OnceOrForever,
  ...percentageFields,
  ...linkDiscountFields
}).annotate({ identifier: "DiscountPercentageOnceForeverDurationBase" })

export const DiscountPercentageRepeatDurationBase = Schema.Struct({
  duration: Repeating,
  duration_in_months: Schema.Int,
  ...percentageFields,
  ...linkDiscountFields
}).annotate({ identifier: "DiscountPercentageRepeatDurationBase" })

/** The discount attached to a checkout link (`DiscountMinimal`). */
export const CheckoutLinkDiscount = Schema.Union([
  DiscountFixedOnceForeverDurationBase,
  DiscountFixedRepeatDurationBase,
  DiscountPercentageOnceForeverDurationBase,
  DiscountPercentageRepeatDurationBase
])
export type CheckoutLinkDiscount = typeof CheckoutLinkDiscount.Type
