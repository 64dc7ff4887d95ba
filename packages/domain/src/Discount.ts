/**
 * Discounts (spec 1.5, 3.4): fixed (amounts per currency) or percentage (basis points), with a duration, an
 * optional code (matched case-insensitively), a validity window, a global redemption cap and product restrictions.
 */
import { Schema } from "effect"
import * as Currency from "./Currency.ts"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"
import * as Money from "./Money.ts"

export const Duration = Schema.Literals(["once", "forever", "repeating"])
export type Duration = typeof Duration.Type

const common = {
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  organizationId: Id,
  name: Schema.String,
  code: Schema.NullOr(Schema.String),
  duration: Duration,
  durationInMonths: Schema.NullOr(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 999 }))),
  startsAt: Schema.NullOr(Schema.DateTimeUtc),
  endsAt: Schema.NullOr(Schema.DateTimeUtc),
  maxRedemptions: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  maxRedemptionsPerCustomer: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  redemptionsCount: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** Product restriction list; empty means every product of the organization. */
  productIds: Schema.Array(Id),
  metadata: Metadata.Metadata
}

export const Fixed = Schema.Struct({
  ...common,
  type: Schema.Literal("fixed"),
  amounts: Schema.Record(Currency.Code, Money.Amount)
})
export type Fixed = typeof Fixed.Type

export const Percentage = Schema.Struct({
  ...common,
  type: Schema.Literal("percentage"),
  basisPoints: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 }))
})
export type Percentage = typeof Percentage.Type

export const Discount = Schema.Union([Fixed, Percentage])
export type Discount = typeof Discount.Type
