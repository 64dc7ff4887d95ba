/**
 * Product prices as embedded in checkouts and links (`server/polar/product/schemas.py`, spec §1.4), discriminated
 * by `amount_type`, plus the legacy recurring variants (`legacy: true`) that old catalogs still return, and the
 * ad-hoc price creates accepted in `CheckoutProductsCreate.prices`.
 *
 * The deprecated `type` and `recurring_interval` keys are hidden from the reference OpenAPI but still serialized,
 * so they are part of every output price here.
 */
import { Schema, SchemaTransformation } from "effect"
import { nullByDefault, withDefault } from "./Input.ts"
import {
  Amount,
  MeterUnit,
  NonNegativeAmount,
  PresentmentCurrency,
  ProductPriceSource,
  ProductPriceType,
  RecurringInterval,
  SeatTierType,
  TaxBehaviorOption,
  Timestamp,
  Uuid
} from "./Scalars.ts"

const priceBase = {
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  source: ProductPriceSource,
  price_currency: Schema.String,
  tax_behavior: Schema.NullOr(TaxBehaviorOption),
  is_archived: Schema.Boolean,
  product_id: Uuid,
  /** Deprecated, hidden from the reference OpenAPI, still serialized. */
  type: ProductPriceType,
  /** Deprecated, hidden from the reference OpenAPI, still serialized. */
  recurring_interval: Schema.NullOr(RecurringInterval)
}

export const ProductPriceFixed = Schema.Struct({
  ...priceBase,
  amount_type: Schema.tag("fixed"),
  /** Minor units; 0 is a free price. */
  price_amount: Amount
}).annotate({ identifier: "ProductPriceFixed" })
export type ProductPriceFixed = typeof ProductPriceFixed.Type

/** Pay-what-you-want. */
export const ProductPriceCustom = Schema.Struct({
  ...priceBase,
  amount_type: Schema.tag("custom"),
  minimum_amount: Amount,
  maximum_amount: Schema.NullOr(Amount),
  preset_amount: Schema.NullOr(Amount)
}).annotate({ identifier: "ProductPriceCustom" })
export type ProductPriceCustom = typeof ProductPriceCustom.Type

export const ProductPriceSeatTier = Schema.Struct({
  min_seats: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  max_seats: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  price_per_seat: NonNegativeAmount
}).annotate({ identifier: "ProductPriceSeatTier" })
export type ProductPriceSeatTier = typeof ProductPriceSeatTier.Type

/** Output tiers, with the bounds derived from the first and last tier. */
export const ProductPriceSeatTiersOutput = Schema.Struct({
  seat_tier_type: SeatTierType,
  tiers: Schema.Array(ProductPriceSeatTier).check(Schema.isMinLength(1)),
  minimum_seats: Schema.Int,
  maximum_seats: Schema.NullOr(Schema.Int)
}).annotate({ identifier: "ProductPriceSeatTiers-Output" })

export const ProductPriceSeatBased = Schema.Struct({
  ...priceBase,
  amount_type: Schema.tag("seat_based"),
  seat_tiers: ProductPriceSeatTiersOutput,
  /** Deprecated (price of the first tier), hidden from the reference OpenAPI, still serialized. */
  price_per_seat: Amount
}).annotate({ identifier: "ProductPriceSeatBased" })
export type ProductPriceSeatBased = typeof ProductPriceSeatBased.Type

export const ProductPriceMeter = Schema.Struct({
  id: Uuid,
  name: Schema.String,
  unit: MeterUnit,
  custom_label: Schema.NullOr(Schema.String),
  custom_multiplier: Schema.NullOr(Schema.Int)
}).annotate({ identifier: "ProductPriceMeter" })

/** Decimal string of minor units, up to 12 decimal places (contract pattern). */
export const DecimalString = Schema.String.check(
  Schema.isPattern(/^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/u, { pydanticType: "decimal_parsing" })
)

/** Usage-billed; contributes nothing up front. */
export const ProductPriceMeteredUnit = Schema.Struct({
  ...priceBase,
  amount_type: Schema.tag("metered_unit"),
  unit_amount: DecimalString,
  cap_amount: Schema.NullOr(Amount),
  meter_id: Uuid,
  meter: ProductPriceMeter
}).annotate({ identifier: "ProductPriceMeteredUnit" })
export type ProductPriceMeteredUnit = typeof ProductPriceMeteredUnit.Type

export const ProductPrice = Schema.Union([
  ProductPriceFixed,
  ProductPriceCustom,
  ProductPriceSeatBased,
  ProductPriceMeteredUnit
]).annotate({ identifier: "ProductPrice" })
export type ProductPrice = typeof ProductPrice.Type

const legacyBase = {
  ...priceBase,
  type: Schema.tag("recurring"),
  recurring_interval: RecurringInterval,
  legacy: Schema.tag(true)
}

export const LegacyRecurringProductPriceFixed = Schema.Struct({
  ...legacyBase,
  amount_type: Schema.tag("fixed"),
  price_amount: Amount
}).annotate({ identifier: "LegacyRecurringProductPriceFixed" })

export const LegacyRecurringProductPriceCustom = Schema.Struct({
  ...legacyBase,
  amount_type: Schema.tag("custom"),
  minimum_amount: Amount,
  maximum_amount: Schema.NullOr(Amount),
  preset_amount: Schema.NullOr(Amount)
}).annotate({ identifier: "LegacyRecurringProductPriceCustom" })

export const LegacyRecurringProductPrice = Schema.Union([
  LegacyRecurringProductPriceFixed,
  LegacyRecurringProductPriceCustom
]).annotate({ identifier: "LegacyRecurringProductPrice" })
export type LegacyRecurringProductPrice = typeof LegacyRecurringProductPrice.Type

/**
 * Any price a response may carry. Legacy variants come first: they are the stricter shapes (`legacy: true`), and a
 * legacy value must not be encoded by a current variant that would drop that key.
 */
export const AnyProductPrice = Schema.Union([LegacyRecurringProductPrice, ProductPrice])
export type AnyProductPrice = typeof AnyProductPrice.Type

// ---- ad-hoc price creates (request side)

const priceCreateBase = {
  price_currency: withDefault(PresentmentCurrency, "usd"),
  tax_behavior: nullByDefault(TaxBehaviorOption)
}

export const ProductPriceFixedCreate = Schema.Struct({
  amount_type: Schema.Literal("fixed"),
  ...priceCreateBase,
  price_amount: NonNegativeAmount
}).annotate({ identifier: "ProductPriceFixedCreate" })

export const ProductPriceCustomCreate = Schema.Struct({
  amount_type: Schema.Literal("custom"),
  ...priceCreateBase,
  minimum_amount: withDefault(NonNegativeAmount, 50),
  maximum_amount: nullByDefault(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  preset_amount: nullByDefault(NonNegativeAmount)
}).annotate({ identifier: "ProductPriceCustomCreate" })

export const ProductPriceSeatTiersInput = Schema.Struct({
  seat_tier_type: withDefault(SeatTierType, "volume"),
  tiers: Schema.Array(
    Schema.Struct({
      min_seats: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
      max_seats: nullByDefault(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
      price_per_seat: NonNegativeAmount
    })
  ).check(Schema.isMinLength(1))
}).annotate({ identifier: "ProductPriceSeatTiers-Input" })

export const ProductPriceSeatBasedCreate = Schema.Struct({
  amount_type: Schema.Literal("seat_based"),
  ...priceCreateBase,
  seat_tiers: ProductPriceSeatTiersInput
}).annotate({ identifier: "ProductPriceSeatBasedCreate" })

const unitAmountPattern = /^(?!^[-+.]*$)[+-]?0*(?:\d{0,5}|(?=[\d.]{1,18}0*$)\d{0,5}\.\d{0,12}0*$)/u

/** Per-unit price in minor units: a positive number or a decimal string (≤ 12 decimals); decoded to a string. */
export const UnitAmountInput = Schema.Union([
  Schema.Finite.check(Schema.isGreaterThan(0)),
  Schema.String.check(Schema.isPattern(unitAmountPattern, { pydanticType: "decimal_parsing" }))
]).pipe(
  Schema.decodeTo(
    Schema.String,
    SchemaTransformation.transform({
      decode: (v) => (typeof v === "number" ? String(v) : v),
      encode: (s) => s
    })
  )
)

export const ProductPriceMeteredUnitCreate = Schema.Struct({
  amount_type: Schema.Literal("metered_unit"),
  ...priceCreateBase,
  meter_id: Uuid,
  unit_amount: UnitAmountInput,
  cap_amount: nullByDefault(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(2147483647)))
}).annotate({ identifier: "ProductPriceMeteredUnitCreate" })

export const ProductPriceCreate = Schema.Union([
  ProductPriceFixedCreate,
  ProductPriceCustomCreate,
  ProductPriceSeatBasedCreate,
  ProductPriceMeteredUnitCreate
])
export type ProductPriceCreate = typeof ProductPriceCreate.Type
