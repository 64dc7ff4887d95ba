/**
 * Product prices, discriminated by `amountType` (spec 1.4, 3.2): fixed (0 = free), custom (pay what you want),
 * seat_based (volume or graduated tiers) and metered_unit (charged later, contributes 0 up front).
 */
import { Result, Schema } from "effect"
import * as Currency from "./Currency.ts"
import type { ValidationIssue } from "./Errors.ts"
import { Id } from "./Ids.ts"
import * as Money from "./Money.ts"
import * as Tiers from "./Tiers.ts"

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

/** Seat tiers are defined beside their math in Tiers.ts (so the two modules form no circle); re-exported here. */
export { SeatTier, SeatTiers, SeatTierType } from "./Tiers.ts"

export const SeatBased = Schema.Struct({ ...common, amountType: Schema.Literal("seat_based"), seatTiers: Tiers.SeatTiers })
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

// ---------------------------------------------------------------------------------------------------------------
// Predicates and price sets (spec 3.1, 3.2, 3.6). Pure functions over the shapes above.
// ---------------------------------------------------------------------------------------------------------------

/** Static prices determine the upfront amount (fixed, custom, seat_based); metered prices are charged later. */
export const isStatic = (price: Price): price is Fixed | Custom | SeatBased => price.amountType !== "metered_unit"

export const isMetered = (price: Price): price is MeteredUnit => price.amountType === "metered_unit"

export const isCustom = (price: Price): price is Custom => price.amountType === "custom"

export const isSeatBased = (price: Price): price is SeatBased => price.amountType === "seat_based"

/**
 * The reference's `is_free` (spec 3.6): fixed at 0; seat-based whose every tier rate is 0; custom and metered are
 * never free (a PWYW price may be paid).
 */
export const isFree = (price: Price): boolean => {
  switch (price.amountType) {
    case "fixed":
      return price.priceAmount === 0
    case "seat_based":
      return Tiers.isFree(price.seatTiers)
    case "custom":
    case "metered_unit":
      return false
  }
}

/** A price a discount can reduce (spec 3.4 rule 1): every amount type, unless the price is free. */
export const isDiscountable = (price: Price): boolean => !isFree(price)

/**
 * What the reference exposes as `product.prices`: catalog prices that are not archived, static ones first, then
 * metered (catalog order kept within each group).
 */
export const catalogPrices = (prices: ReadonlyArray<Price>): ReadonlyArray<Price> => {
  const live = prices.filter((p) => !p.isArchived && p.source === "catalog")
  return [...live.filter(isStatic), ...live.filter(isMetered)]
}

/** All the prices of one currency that a checkout charges (spec 3.1). Never empty. */
export interface PriceSet {
  readonly currency: string
  readonly prices: readonly [Price, ...Array<Price>]
}

/** No price exists in any of the preferred currencies. */
export interface NoPricesForCurrencies {
  readonly _tag: "NoPricesForCurrencies"
  readonly currencies: ReadonlyArray<string>
}

/**
 * The currencies to try, in order (the reference's `_get_currencies` without IP geolocation, which is out of
 * scope): an explicit currency alone, else the organization's default presentment currency.
 */
export const currencyPreference = (
  input: { readonly currency: string | null; readonly organizationDefault: string }
): ReadonlyArray<string> => (input.currency !== null ? [input.currency] : [input.organizationDefault])

/**
 * The price set of the first preferred currency that has at least one non-archived price, keeping the given order
 * (pass `catalogPrices(product.prices)` or a checkout's ad-hoc prices).
 */
export const selectPriceSet = (
  prices: ReadonlyArray<Price>,
  currencies: ReadonlyArray<string>
): Result.Result<PriceSet, NoPricesForCurrencies> => {
  for (const currency of currencies) {
    const inCurrency = prices.filter((p) => !p.isArchived && p.priceCurrency === currency)
    const [first, ...rest] = inCurrency
    if (first !== undefined) return Result.succeed({ currency, prices: [first, ...rest] })
  }
  return Result.fail({ _tag: "NoPricesForCurrencies", currencies: [...currencies] })
}

/** A price set made of exactly one price (legacy `product_price_id` selection): its currency follows the price. */
export const singletonPriceSet = (price: Price): PriceSet => ({ currency: price.priceCurrency, prices: [price] })

/**
 * The checkout's `product_price` (spec 3.1): the first static price of the set, as it determines the amount and
 * the behaviour (PWYW, seats), else the first price (metered-only products).
 */
export const defaultPrice = (set: PriceSet): Price => set.prices.find(isStatic) ?? set.prices[0]

/** The seat price of a set, if any (at most one per currency). */
export const seatPrice = (set: PriceSet): SeatBased | undefined => set.prices.find(isSeatBased)

/** The custom (pay-what-you-want) price of a set, if any (at most one per currency). */
export const customPrice = (set: PriceSet): Custom | undefined => set.prices.find(isCustom)

const combinationIssue = (loc: ReadonlyArray<string | number>, msg: string, input: unknown): ValidationIssue => ({
  type: "value_error",
  loc,
  msg,
  input
})

/**
 * The allowed price combinations inside one currency (spec 3.2, `ProductService.get_validated_prices`): at most one
 * fixed, one seat-based and one custom price; custom combines with no other static price; metered prices may be
 * added, one per meter; every price of the currency shares one tax behaviour. Returns every violated rule (empty
 * when valid), each as a `value_error` at `loc`. The wording is ours where the reference's text is unknown.
 */
export const validateCombination = (
  prices: ReadonlyArray<Price>,
  loc: ReadonlyArray<string | number>
): ReadonlyArray<ValidationIssue> => {
  const issues: Array<ValidationIssue> = []
  const byCurrency = new Map<string, Array<Price>>()
  for (const price of prices) {
    const list = byCurrency.get(price.priceCurrency)
    if (list === undefined) byCurrency.set(price.priceCurrency, [price])
    else list.push(price)
  }
  for (const [, group] of byCurrency) {
    const count = (type: AmountType) => group.filter((p) => p.amountType === type).length
    const fixed = count("fixed")
    const seat = count("seat_based")
    const custom = count("custom")
    if (fixed > 1) issues.push(combinationIssue(loc, "Only one fixed or free price is allowed.", prices))
    if (seat > 1) issues.push(combinationIssue(loc, "Only one seat-based price is allowed.", prices))
    if (custom > 1) issues.push(combinationIssue(loc, "Only one custom price is allowed.", prices))
    if (custom > 0 && fixed + seat > 0) {
      issues.push(combinationIssue(loc, "A custom price cannot be combined with a fixed or seat-based price.", prices))
    }
    const meters = group.filter(isMetered).map((p) => p.meterId)
    if (new Set(meters).size !== meters.length) {
      issues.push(combinationIssue(loc, "Each meter can only be used by one price.", prices))
    }
    if (new Set(group.map((p) => p.taxBehavior)).size > 1) {
      issues.push(combinationIssue(loc, "All prices of a currency must share the same tax behavior.", prices))
    }
  }
  return issues
}
