/**
 * The amount chain of a checkout (spec 3.2-3.6): upfront amount -> discount -> net -> tax -> total, and the flags
 * derived from it. Plain functions over plain data, no Effect: this is the hot path, and a service that embeds
 * the library can price without a runtime. The use cases call `price` once per "reprice" step after every change.
 *
 * All amounts are integer minor units of the checkout currency. The only rounding happens in the discount
 * (Rounding); tax amounts come from the tax processor.
 */
import type { DateTime } from "effect"
import { Result } from "effect"
import * as Currency from "./Currency.ts"
import * as Discount from "./Discount.ts"
import * as Issue from "./Issue.ts"
import * as Price from "./Price.ts"
import type * as Product from "./Product.ts"
import type * as Tax from "./Tax.ts"
import * as Tiers from "./Tiers.ts"

const AMOUNT_PATH: Issue.Path = ["amount"]

/**
 * A buyer- or API-chosen amount for a custom (pay-what-you-want) price, checked in the reference's order
 * (`validate_custom_price_amount`), first failure wins:
 * 1. `< 0` -> `AmountNegative`
 * 2. `< minimumAmount` -> `AmountBelowMinimum`
 * 3. `> 0` and `<` the currency minimum -> `AmountBelowCurrencyMinimum` (e.g. $0.50)
 * 4. `> maximumAmount` -> `AmountAboveMaximum`
 * 5. `>` the currency maximum -> `AmountAboveCurrencyMaximum` (e.g. $999,999.99)
 * each at `path` (default ["amount"]).
 */
export const validateCustomAmount = (
  price: Pick<Price.Custom, "minimumAmount" | "maximumAmount">,
  amount: number,
  currency: string,
  path: Issue.Path = AMOUNT_PATH
): Result.Result<number, Issue.Issue> => {
  if (amount < 0) return Result.fail(Issue.make(path, Issue.Reason.AmountNegative(), amount))
  if (amount < price.minimumAmount) {
    return Result.fail(Issue.make(path, Issue.Reason.AmountBelowMinimum({ minimum: price.minimumAmount }), amount))
  }
  const currencyMinimum = Currency.minimumAmount(currency)
  if (amount > 0 && amount < currencyMinimum) {
    return Result.fail(
      Issue.make(path, Issue.Reason.AmountBelowCurrencyMinimum({ currency, minimum: currencyMinimum }), amount)
    )
  }
  if (price.maximumAmount !== null && amount > price.maximumAmount) {
    return Result.fail(Issue.make(path, Issue.Reason.AmountAboveMaximum({ maximum: price.maximumAmount }), amount))
  }
  const currencyMaximum = Currency.maximumAmount(currency)
  if (amount > currencyMaximum) {
    return Result.fail(
      Issue.make(path, Issue.Reason.AmountAboveCurrencyMaximum({ currency, maximum: currencyMaximum }), amount)
    )
  }
  return Result.succeed(amount)
}

/** The custom amount a price uses when the request gives none: the preset if set (0 honoured), else the minimum. */
export const defaultCustomAmount = (price: Pick<Price.Custom, "presetAmount" | "minimumAmount">): number =>
  price.presetAmount ?? price.minimumAmount

export interface UpfrontInput {
  /** The requested custom amount; only a custom price reads it (ignored for fixed, free and seat prices). */
  readonly customAmount: number | null
  /** The seat count; null means the tiers' minimum. */
  readonly seats: number | null
}

/** One price's contribution to the upfront amount (before discount and tax). */
export const priceContribution = (price: Price.Price, input: UpfrontInput): number => {
  switch (price.amountType) {
    case "fixed":
      return price.priceAmount
    case "custom":
      return input.customAmount ?? defaultCustomAmount(price)
    case "seat_based":
      return Tiers.seatAmount(price.seatTiers, input.seats ?? Tiers.seatBounds(price.seatTiers).min)
    case "metered_unit":
      return 0
  }
}

/**
 * The checkout `amount` (`calculate_upfront_amount`): the sum over the set's prices of fixed `priceAmount`, the
 * custom amount (request -> preset -> minimum), the seat tiers' price for `seats`, and 0 for metered prices.
 * Excludes discount and tax. Does not validate: check the custom amount and seats first.
 * Example: fixed 99 900 + seat 2 000/seat x 10 seats = 119 900.
 */
export const upfrontAmount = (set: Price.PriceSet, input: UpfrontInput): number => {
  const prices = set.prices
  let total = 0
  for (let i = 0; i < prices.length; i++) total += priceContribution(prices[i]!, input)
  return total
}

export interface Flags {
  readonly isDiscountApplicable: boolean
  readonly isFreeProductPrice: boolean
  readonly hasMeteredPrices: boolean
  readonly isPaymentRequired: boolean
  readonly isPaymentSetupRequired: boolean
  readonly isPaymentFormRequired: boolean
  readonly shouldSavePaymentMethod: boolean
}

export interface FlagsInput {
  readonly product: Pick<Product.Product, "recurringInterval"> | null
  /** The checkout's prices of the selected product (ad-hoc or catalog), all currencies; null without a product. */
  readonly productPrices: ReadonlyArray<Price.Price> | null
  readonly discount: Discount.Discount | null
  /** Upfront amount (before discount and tax). */
  readonly amount: number
  readonly totalAmount: number
  readonly trialEnd: DateTime.Utc | null
}

/**
 * The flags that depend on the product's prices only, from one pass over them, packed in a small integer so the hot
 * path allocates nothing for them.
 */
const DISCOUNTABLE = 1
const ALL_FREE = 2
const METERED = 4

const priceFlags = (prices: ReadonlyArray<Price.Price> | null): number => {
  if (prices === null) return 0
  let bits = ALL_FREE
  for (let i = 0; i < prices.length; i++) {
    const price = prices[i]!
    // Discountable = not free (spec 3.4 rule 1), so one predicate serves both flags.
    if (!Price.isFree(price)) bits = (bits | DISCOUNTABLE) & ~ALL_FREE
    if (price.amountType === "metered_unit") bits |= METERED
  }
  return bits
}

/** `is_payment_setup_required`: independent of tax and trial, so computed once per reprice. */
const isPaymentSetupRequired = (
  product: Pick<Product.Product, "recurringInterval"> | null,
  prices: number,
  amount: number,
  discount: Discount.Discount | null
): boolean => {
  if (product === null) return false
  if ((prices & ALL_FREE) !== 0) return false
  if (amount === 0 && (prices & METERED) === 0) return false
  if (discount !== null && Discount.isFullForever(discount)) return false
  return product.recurringInterval !== null
}

const assembleFlags = (
  prices: number,
  setupRequired: boolean,
  product: Pick<Product.Product, "recurringInterval"> | null,
  totalAmount: number,
  trialEnd: DateTime.Utc | null
): Flags => {
  const isPaymentRequired = totalAmount > 0 && trialEnd === null
  return {
    isDiscountApplicable: (prices & DISCOUNTABLE) !== 0,
    isFreeProductPrice: (prices & ALL_FREE) !== 0,
    hasMeteredPrices: (prices & METERED) !== 0,
    isPaymentRequired,
    isPaymentSetupRequired: setupRequired,
    isPaymentFormRequired: isPaymentRequired || setupRequired,
    shouldSavePaymentMethod: product !== null && product.recurringInterval !== null
  }
}

/**
 * The flags of spec 3.6, verbatim:
 * - isDiscountApplicable = a product price is discountable; isFreeProductPrice = every product price is free;
 *   hasMeteredPrices = a product price is metered (all over the product's prices, every currency; false without one)
 * - isPaymentRequired = total > 0 and no trial
 * - isPaymentSetupRequired = false without a product, for a free product, for an amount of 0 without metered prices,
 *   and under a 100 % forever discount; otherwise whether the product is recurring
 * - isPaymentFormRequired = either; shouldSavePaymentMethod = the product is recurring
 * Note the deliberate asymmetry: `isFreeProductPrice` looks at every price of the product (all currencies),
 * `isPaymentRequired` at the total and the trial.
 */
export const flags = (input: FlagsInput): Flags => {
  const prices = priceFlags(input.productPrices)
  const setup = isPaymentSetupRequired(input.product, prices, input.amount, input.discount)
  return assembleFlags(prices, setup, input.product, input.totalAmount, input.trialEnd)
}

export interface PriceInput {
  /** The selected product; null when the checkout has none. */
  readonly product: Pick<Product.Product, "recurringInterval" | "isTaxApplicable"> | null
  /** The checkout's prices of the product (ad-hoc or catalog), all currencies, for the flags. */
  readonly productPrices: ReadonlyArray<Price.Price> | null
  /** The prices charged, in the checkout currency; null without a product (amount 0). */
  readonly priceSet: Price.PriceSet | null
  /** Already validated (validateCustomAmount); ignored unless the set has a custom price. */
  readonly customAmount: number | null
  /** Already validated (Seats.validateSeats); ignored unless the set has a seat price. */
  readonly seats: number | null
  /** Already validated for this checkout (Discount.validateForCheckout / isApplicable). */
  readonly discount: Discount.Discount | null
  readonly tax: Tax.TaxInput
  /**
   * The checkout's stored `tax_amount` before this reprice (null on a new checkout). It gates the tax step: the
   * reference judges `is_payment_form_required` on `net + (previous tax ?? 0)`, before the new tax is known.
   * Omitted: the amount of `tax` when it is `Unchanged`, else null. Pass it explicitly with a `Quote` or `Unknown`
   * that answers a reprice, so both calls of the step are gated alike.
   */
  readonly previousTaxAmount?: number | null
  readonly trialEnd: DateTime.Utc | null
}

/**
 * Whether a payment form is required as the reference judges it before the tax step (`_update_checkout_tax`):
 * `total_amount` there is `net_amount + (tax_amount or 0)` with `net_amount = amount - discount` already reset and
 * `tax_amount` still the previous one. So a taxable amount of 0 with a previous tax above 0 still requires a form
 * (and the calculator is asked), unless a trial applies and no setup is required.
 */
export const isFormRequiredBeforeTax = (
  taxableAmount: number,
  previousTaxAmount: number | null,
  trialEnd: DateTime.Utc | null,
  setupRequired: boolean
): boolean => (taxableAmount + (previousTaxAmount ?? 0) > 0 && trialEnd === null) || setupRequired

export interface PriceResult {
  /** Upfront amount, before discount and tax. */
  readonly amount: number
  /** Never more than `amount`. */
  readonly discountAmount: number
  /** `amount - discountAmount`: what the tax calculator must be asked about. */
  readonly taxableAmount: number
  /**
   * Whether tax must be computed (`isPaymentFormRequired` judged before the new tax, on `taxable + previous tax`,
   * and the product is tax-applicable). When false the result already carries tax 0, whatever `tax` said.
   */
  readonly isTaxRequired: boolean
  /** After discount; with inclusive tax, also without the tax. */
  readonly netAmount: number
  /** Null while unknown. */
  readonly taxAmount: number | null
  /** `netAmount + (taxAmount ?? 0)`. */
  readonly totalAmount: number
  readonly flags: Flags
}

/**
 * The whole chain. `amount` from the price set; `discountAmount` from the discount; `taxable = amount - discount`;
 * if a payment form would be required (judged before the new tax, on `taxable + previous tax`:
 * isFormRequiredBeforeTax) and the product is tax-applicable, tax is applied from `tax` (Tax.apply), otherwise it
 * is 0; then the flags on the final total.
 *
 * A reprice step: call with `Tax.unchanged(checkout.taxAmount)`; if `isTaxRequired` and the checkout has a billing
 * address, ask the TaxCalculator about `taxableAmount` and call again with `Tax.quote(...)` (or `Tax.unknown` on a
 * logical error) and `previousTaxAmount: checkout.taxAmount`.
 *
 * Reference quirk, reproduced: when the taxable amount drops to 0 while a previous tax is above 0, the form is
 * still judged required, so the calculator is asked about 0; a logical error then leaves the tax null (not 0) and
 * a confirm fails on it.
 */
export const price = (input: PriceInput): PriceResult => {
  const set = input.priceSet
  const amount = set === null ? 0 : upfrontAmount(set, input)
  const discountAmount = set === null || input.discount === null
    ? 0
    : Discount.discountAmount(input.discount, amount, set.currency)
  const taxableAmount = amount - discountAmount
  const prices = priceFlags(input.productPrices)
  const setupRequired = isPaymentSetupRequired(input.product, prices, amount, input.discount)
  // isPaymentFormRequired judged before the new tax, with the previous one still in the total.
  const previousTax = input.previousTaxAmount !== undefined
    ? input.previousTaxAmount
    : input.tax._tag === "Unchanged"
    ? input.tax.amount
    : null
  const formRequired = isFormRequiredBeforeTax(taxableAmount, previousTax, input.trialEnd, setupRequired)
  const isTaxRequired = formRequired && input.product !== null && input.product.isTaxApplicable
  // Tax.apply, inlined: this is the hot path and the intermediate object is measurable (bench/pricing.ts).
  let netAmount = taxableAmount
  let taxAmount: number | null = 0
  let totalAmount = taxableAmount
  if (isTaxRequired) {
    const tax = input.tax
    switch (tax._tag) {
      case "Unknown":
        taxAmount = null
        break
      case "Unchanged":
        taxAmount = tax.amount
        totalAmount = taxableAmount + (tax.amount ?? 0)
        break
      case "Quote":
        taxAmount = tax.amount
        if (tax.behavior === "inclusive") netAmount = taxableAmount - tax.amount
        else totalAmount = taxableAmount + tax.amount
        break
    }
  }
  return {
    amount,
    discountAmount,
    taxableAmount,
    isTaxRequired,
    netAmount,
    taxAmount,
    totalAmount,
    flags: assembleFlags(prices, setupRequired, input.product, totalAmount, input.trialEnd)
  }
}
