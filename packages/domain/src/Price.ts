/**
 * Product prices, discriminated by `amountType` (spec 1.4, 3.2): fixed (0 = free), custom (pay what you want),
 * seat_based (volume or graduated tiers) and metered_unit (charged later, contributes 0 up front).
 */
import { Schema } from "effect"
import * as Currency from "./Currency.ts"
import { Id } from "./Ids.ts"
import * as Money from "./Money.ts"

export const TaxBehaviorOption = Schema.Literals(["location", "inclusive", "exclusive"])
export type TaxBehaviorOption = typeof TaxBehaviorOption.Type

export const Source = Schema.Literals(["catalog", "ad_hoc"])

const common = {
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  source: Source,
  priceCurrency: Currency.Code,
  taxBehavior: Schema.NullOr(TaxBehaviorOption),
  isArchived: Schema.Boolean,
  productId: Id
}

export const Fixed = Schema.Struct({ ...common, amountType: Schema.Literal("fixed"), priceAmount: Money.Amount })
export type Fixed = typeof Fixed.Type

export const Custom = Schema.Struct({
  ...common,
  amountType: Schema.Literal("custom"),
  minimumAmount: Money.Amount,
  maximumAmount: Schema.NullOr(Money.Amount),
  presetAmount: Schema.NullOr(Money.Amount)
})
export type Custom = typeof Custom.Type

export const SeatTier = Schema.Struct({
  minSeats: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  maxSeats: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  pricePerSeat: Money.Amount
})
export type SeatTier = typeof SeatTier.Type

export const SeatTierType = Schema.Literals(["volume", "graduated"])
export type SeatTierType = typeof SeatTierType.Type

export const SeatTiers = Schema.Struct({
  seatTierType: SeatTierType,
  tiers: Schema.NonEmptyArray(SeatTier),
  minimumSeats: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  maximumSeats: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})
export type SeatTiers = typeof SeatTiers.Type

export const SeatBased = Schema.Struct({ ...common, amountType: Schema.Literal("seat_based"), seatTiers: SeatTiers })
export type SeatBased = typeof SeatBased.Type

export const Meter = Schema.Struct({ id: Id, name: Schema.String })

export const MeteredUnit = Schema.Struct({
  ...common,
  amountType: Schema.Literal("metered_unit"),
  /** Decimal string of cents per unit (up to 12 decimal places), as the reference serialises it. */
  unitAmount: Schema.String,
  capAmount: Schema.NullOr(Money.Amount),
  meterId: Id,
  meter: Meter
})
export type MeteredUnit = typeof MeteredUnit.Type

export const Price = Schema.Union([Fixed, Custom, SeatBased, MeteredUnit])
export type Price = typeof Price.Type

export type AmountType = Price["amountType"]
