/**
 * Discounts as shown on checkouts (`CheckoutDiscount*`) and on checkout links (`Discount*Base`, the reference's
 * `DiscountMinimal`), spec §1.5. Four variants each: fixed or percentage, times once/forever or repeating (which
 * adds `duration_in_months`). Fixed variants keep the deprecated single `amount`/`currency` pair next to the
 * `amounts` map (value for the organization's default currency, else the first entry). Every variant is derived
 * from the domain's fixed or percentage discount.
 */
import { Discount } from "@checkout-kit/domain"
import { Schema } from "effect"
import { MetadataOutput } from "./Metadata.ts"
import { Amount, derive } from "./Scalars.ts"

const OnceOrForever = Schema.Literals(["once", "forever"])
const Repeating = Schema.Literal("repeating")

// Where the contract's types differ from the domain's: the duration split by variant, plain integers where the
// domain bounds them, any currency key, and the named metadata component.
const common = {
  duration: OnceOrForever,
  durationInMonths: Schema.Int,
  metadata: MetadataOutput,
  maxRedemptions: Schema.NullOr(Schema.Int),
  maxRedemptionsPerCustomer: Schema.NullOr(Schema.Int),
  redemptionsCount: Schema.Int
}
const fixed = { ...common, amounts: Schema.Record(Schema.String, Amount) }
const fixedRepeating = { ...fixed, duration: Repeating }
const percentage = { ...common, basisPoints: Schema.Int }
const percentageRepeating = { ...percentage, duration: Repeating }

/** The deprecated single `amount`/`currency` of fixed discounts: computed from `amounts`, not stored. */
const fixedExtra = { amount: Amount, currency: Schema.String }

const fixedKeys = ["type", "amount", "currency", "amounts"] as const
const percentageKeys = ["type", "basisPoints"] as const
const checkoutKeys = ["id", "name", "code"] as const
const linkKeys = [
  "createdAt", "modifiedAt", "id", "metadata", "name", "code", "startsAt", "endsAt", "maxRedemptions",
  "maxRedemptionsPerCustomer", "redemptionsCount", "organizationId"
] as const

export const CheckoutDiscountFixedOnceForeverDuration = derive(Discount.Fixed, {
  keys: ["duration", ...fixedKeys, ...checkoutKeys],
  extra: fixedExtra,
  overrides: fixed,
  identifier: "CheckoutDiscountFixedOnceForeverDuration"
})

export const CheckoutDiscountFixedRepeatDuration = derive(Discount.Fixed, {
  keys: ["duration", "durationInMonths", ...fixedKeys, ...checkoutKeys],
  extra: fixedExtra,
  overrides: fixedRepeating,
  identifier: "CheckoutDiscountFixedRepeatDuration"
})

export const CheckoutDiscountPercentageOnceForeverDuration = derive(Discount.Percentage, {
  keys: ["duration", ...percentageKeys, ...checkoutKeys],
  overrides: percentage,
  identifier: "CheckoutDiscountPercentageOnceForeverDuration"
})

export const CheckoutDiscountPercentageRepeatDuration = derive(Discount.Percentage, {
  keys: ["duration", "durationInMonths", ...percentageKeys, ...checkoutKeys],
  overrides: percentageRepeating,
  identifier: "CheckoutDiscountPercentageRepeatDuration"
})

/** The discount applied to a checkout. */
export const CheckoutDiscount = Schema.Union([
  CheckoutDiscountFixedOnceForeverDuration,
  CheckoutDiscountFixedRepeatDuration,
  CheckoutDiscountPercentageOnceForeverDuration,
  CheckoutDiscountPercentageRepeatDuration
])
export type CheckoutDiscount = typeof CheckoutDiscount.Type

export const DiscountFixedOnceForeverDurationBase = derive(Discount.Fixed, {
  keys: ["duration", ...fixedKeys, ...linkKeys],
  extra: fixedExtra,
  overrides: fixed,
  identifier: "DiscountFixedOnceForeverDurationBase"
})

export const DiscountFixedRepeatDurationBase = derive(Discount.Fixed, {
  keys: ["duration", "durationInMonths", ...fixedKeys, ...linkKeys],
  extra: fixedExtra,
  overrides: fixedRepeating,
  identifier: "DiscountFixedRepeatDurationBase"
})

export const DiscountPercentageOnceForeverDurationBase = derive(Discount.Percentage, {
  keys: ["duration", ...percentageKeys, ...linkKeys],
  overrides: percentage,
  identifier: "DiscountPercentageOnceForeverDurationBase"
})

export const DiscountPercentageRepeatDurationBase = derive(Discount.Percentage, {
  keys: ["duration", "durationInMonths", ...percentageKeys, ...linkKeys],
  overrides: percentageRepeating,
  identifier: "DiscountPercentageRepeatDurationBase"
})

/** The discount attached to a checkout link (`DiscountMinimal`). */
export const CheckoutLinkDiscount = Schema.Union([
  DiscountFixedOnceForeverDurationBase,
  DiscountFixedRepeatDurationBase,
  DiscountPercentageOnceForeverDurationBase,
  DiscountPercentageRepeatDurationBase
])
export type CheckoutLinkDiscount = typeof CheckoutLinkDiscount.Type
