/**
 * Discounts (spec 1.5, 3.4): fixed (amounts per currency) or percentage (basis points), with a duration, an
 * optional code (matched case-insensitively), a validity window, a global redemption cap and product restrictions.
 */
import { DateTime, Result, Schema } from "effect"
import * as Currency from "./Currency.ts"
import { Id } from "./Ids.ts"
import * as Issue from "./Issue.ts"
import * as Metadata from "./Metadata.ts"
import * as Money from "./Money.ts"
import * as Price from "./Price.ts"
import * as Rounding from "./Rounding.ts"

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

// ---------------------------------------------------------------------------------------------------------------
// Amounts, applicability and redemption rules (spec 3.4, 7.6). Pure; time is passed in.
// ---------------------------------------------------------------------------------------------------------------

/**
 * The discount on `amount` (minor units, before tax) in `currency`, in minor units; never more than `amount`.
 * Fixed: `min(amounts[currency], amount)` (0 when the discount has no amount in that currency).
 * Percentage: `polarRound(amount * (basisPoints / 10000))` in doubles, bit for bit like the reference
 * (Rounding.basisPointsOf). Duration does not change the checkout amount.
 */
export const discountAmount = (discount: Discount, amount: number, currency: string): number => {
  if (discount.type === "fixed") return Math.min(discount.amounts[currency] ?? 0, amount)
  return Rounding.basisPointsOf(amount, discount.basisPoints)
}

/** The product restriction: an empty list means every product. */
export const appliesToProduct = (discount: Discount, productId: string): boolean =>
  discount.productIds.length === 0 || discount.productIds.includes(productId)

/**
 * Whether the discount can stay on a checkout for this product and currency (the reference's `is_applicable`):
 * product restriction, and for fixed discounts an amount in the currency. Used to keep or silently drop the
 * discount when the product or currency changes.
 */
export const isApplicable = (discount: Discount, product: { readonly id: string }, currency: string): boolean =>
  appliesToProduct(discount, product.id) && (discount.type === "percentage" || discount.amounts[currency] !== undefined)

/**
 * Redeemable now: started (`startsAt` null or <= now), not ended (`endsAt` null or >= now) and, when capped,
 * `redemptionsCount < maxRedemptions`.
 */
export const isRedeemable = (discount: Discount, now: DateTime.Utc): boolean =>
  (discount.startsAt === null || DateTime.isLessThanOrEqualTo(discount.startsAt, now)) &&
  (discount.endsAt === null || DateTime.isGreaterThanOrEqualTo(discount.endsAt, now)) &&
  (discount.maxRedemptions === null || discount.redemptionsCount < discount.maxRedemptions)

/** A client-typed code as the reference compares it: surrounding whitespace stripped. */
export const normalizeCode = (code: string): string => code.trim()

/** Codes match case-insensitively, after stripping the typed code. */
export const matchesCode = (discount: Discount, code: string): boolean =>
  discount.code !== null && discount.code.toLowerCase() === normalizeCode(code).toLowerCase()

/** 100 % forever: the one discount that exempts a recurring product from payment-method setup (spec 3.6). */
export const isFullForever = (discount: Discount): boolean =>
  discount.type === "percentage" && discount.duration === "forever" && discount.basisPoints === 10_000

export interface CheckoutDiscountInput {
  /** Which input field carried the discount; the issue's path is [field]. */
  readonly field: "discountId" | "discountCode"
  /**
   * Echoed as the issue's `input`. The reference echoes `discount_id` even on the code path, where it is null;
   * reproduced.
   */
  readonly discountId: string | null
  /** The lookup result: null when no non-deleted discount has that id (or code) in the catalog. */
  readonly discount: Discount | null
  readonly organizationId: string
  readonly product: { readonly id: string; readonly prices: ReadonlyArray<Price.Price> }
  readonly currency: string
  readonly now: DateTime.Utc
}

const discountIssue = (input: CheckoutDiscountInput, reason: Issue.Reason): Issue.Issue =>
  Issue.make([input.field], reason, input.discountId)

/**
 * The applicability checks run when a discount is attached to a checkout (spec 3.4, `_get_validated_discount`):
 * 1. the product has a discountable catalog price, else `DiscountNotApplicableToProduct`;
 * 2-5. the discount exists in the organization, has an amount in the currency (fixed), covers the product and is
 * redeemable now, else `DiscountNotFound`. Both at [field].
 */
export const validateForCheckout = (input: CheckoutDiscountInput): Result.Result<Discount, Issue.Issue> => {
  if (!Price.catalogPrices(input.product.prices).some(Price.isDiscountable)) {
    return Result.fail(discountIssue(input, Issue.Reason.DiscountNotApplicableToProduct()))
  }
  const discount = input.discount
  if (
    discount === null ||
    discount.organizationId !== input.organizationId ||
    !isApplicable(discount, input.product, input.currency) ||
    !isRedeemable(discount, input.now)
  ) {
    return Result.fail(discountIssue(input, Issue.Reason.DiscountNotFound()))
  }
  return Result.succeed(discount)
}

/**
 * Whether a subscription cycle starting at `periodStart` no longer gets the discount first applied to the cycle
 * starting at `appliedAt` (the reference's `is_repetition_expired`): once -> only that first cycle; forever ->
 * never; repeating -> after `durationInMonths - 1` months past `appliedAt` (month arithmetic clamps to the end of
 * the month, like dateutil's relativedelta).
 */
export const isRepetitionExpired = (discount: Discount, appliedAt: DateTime.Utc, periodStart: DateTime.Utc): boolean => {
  switch (discount.duration) {
    case "once":
      return DateTime.isGreaterThan(periodStart, appliedAt)
    case "forever":
      return false
    case "repeating": {
      if (discount.durationInMonths === null) return false
      const endAt = DateTime.add(appliedAt, { months: discount.durationInMonths - 1 })
      return DateTime.isGreaterThan(periodStart, endAt)
    }
  }
}

/**
 * Splits a fixed discount over several amounts (minor units): the discount on the combined total
 * (`min(amounts[currency], sum)`) is shared in proportion to each amount, largest remainder first, so the parts
 * always sum to it and none exceeds its amount.
 */
export const allocateFixed = (discount: Fixed, amounts: ReadonlyArray<number>, currency: string): ReadonlyArray<number> =>
  Rounding.allocateLargestRemainder(discountAmount(discount, Money.sum(amounts), currency), amounts)

/**
 * Applies a percentage discount to each amount independently (each rounded on its own): the parts may drift from
 * the discount on the total (33.33 % of [100, 100] is [33, 33] while 33.33 % of 200 is 67), as the reference
 * accepts.
 */
export const allocatePercentage = (discount: Percentage, amounts: ReadonlyArray<number>): ReadonlyArray<number> =>
  amounts.map((amount) => Rounding.basisPointsOf(amount, discount.basisPoints))

/** Either allocation, by discount type. */
export const allocate = (discount: Discount, amounts: ReadonlyArray<number>, currency: string): ReadonlyArray<number> =>
  discount.type === "fixed" ? allocateFixed(discount, amounts, currency) : allocatePercentage(discount, amounts)
