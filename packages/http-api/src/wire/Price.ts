/**
 * Product prices as embedded in checkouts and links (`server/polar/product/schemas.py`, spec §1.4), discriminated
 * by `amount_type`, plus the legacy recurring variants (`legacy: true`) that old catalogs still return, and the
 * ad-hoc price creates accepted in `CheckoutProductsCreate.prices`.
 *
 * The deprecated `type` and `recurring_interval` keys are hidden from the reference OpenAPI but still serialized,
 * so they are part of every output price here.
 */
import { Price } from "@checkout-kit/domain"
import { Schema, SchemaTransformation } from "effect"
import { nullByDefault, withDefault } from "./Input.ts"
import {
  Amount,
  derive,
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

/** The domain keys every current price variant shares, and the deprecated keys of its product, in wire order. */
const commonKeys = [
  "createdAt", "modifiedAt", "id", "source", "priceCurrency", "taxBehavior", "isArchived", "productId",
  "type", "recurring_interval", "amountType"
] as const

/** Deprecated keys taken from the price's product, hidden from the reference OpenAPI, still serialized. */
const deprecated = { type: ProductPriceType, recurring_interval: Schema.NullOr(RecurringInterval) }

/** Derived from the domain's fixed price. */
export const ProductPriceFixed = derive(Price.Fixed, {
  keys: [...commonKeys, "priceAmount"],
  extra: deprecated,
  overrides: { amountType: Schema.tag("fixed") },
  identifier: "ProductPriceFixed"
})
export type ProductPriceFixed = typeof ProductPriceFixed.Type

/** Pay-what-you-want. Derived from the domain's custom price. */
export const ProductPriceCustom = derive(Price.Custom, {
  keys: [...commonKeys, "minimumAmount", "maximumAmount", "presetAmount"],
  extra: deprecated,
  overrides: { amountType: Schema.tag("custom") },
  identifier: "ProductPriceCustom"
})
export type ProductPriceCustom = typeof ProductPriceCustom.Type

/** Derived from the domain's seat tier. */
export const ProductPriceSeatTier = derive(Price.SeatTier, {
  keys: ["minSeats", "maxSeats", "pricePerSeat"],
  // The contract bounds the seat price at zero, not at the safe-integer maximum.
  overrides: { pricePerSeat: NonNegativeAmount },
  identifier: "ProductPriceSeatTier"
})
export type ProductPriceSeatTier = typeof ProductPriceSeatTier.Type

/** Output tiers, with the bounds derived from the first and last tier. Derived from the domain's seat tiers. */
export const ProductPriceSeatTiersOutput = derive(Price.SeatTiers, {
  keys: ["seatTierType", "tiers", "minimumSeats", "maximumSeats"],
  // The contract's tiers are the named tier component; its bounds are plain integers.
  overrides: {
    tiers: Schema.Array(ProductPriceSeatTier).check(Schema.isMinLength(1)),
    minimumSeats: Schema.Int,
    maximumSeats: Schema.NullOr(Schema.Int)
  },
  identifier: "ProductPriceSeatTiers-Output"
})

/** Derived from the domain's seat-based price. */
export const ProductPriceSeatBased = derive(Price.SeatBased, {
  keys: [...commonKeys, "seatTiers", "price_per_seat"],
  /** `price_per_seat`: deprecated (price of the first tier), hidden from the reference OpenAPI, still serialized. */
  extra: { ...deprecated, price_per_seat: Amount },
  overrides: { amountType: Schema.tag("seat_based"), seatTiers: ProductPriceSeatTiersOutput },
  identifier: "ProductPriceSeatBased"
})
export type ProductPriceSeatBased = typeof ProductPriceSeatBased.Type

/** The contract's meter has keys the domain's has not (unit, custom label and multiplier): explicit. */
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

/** Usage-billed; contributes nothing up front. Derived from the domain's metered price. */
export const ProductPriceMeteredUnit = derive(Price.MeteredUnit, {
  keys: [...commonKeys, "unitAmount", "capAmount", "meterId", "meter"],
  extra: deprecated,
  overrides: { amountType: Schema.tag("metered_unit"), unitAmount: DecimalString, meter: ProductPriceMeter },
  identifier: "ProductPriceMeteredUnit"
})
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
