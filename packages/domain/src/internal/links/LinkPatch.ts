/**
 * `LinkPatch`: the pure decider of a checkout-link update. The load phase reads what the body names (its products,
 * its discount, and the link's current products when the discount or seat lock must be checked against them);
 * `apply` validates in the order the reference does (products, discount, seat lock: the first refused one is the
 * answer) and returns the next link, or its issues.
 */
import { type DateTime, Option, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { UpdateInput } from "../../CheckoutLinkService.ts"
import type * as Discount from "../../Discount.ts"
import type * as Errors from "../../Errors.ts"
import type * as Product from "../../Product.ts"

/** What the load phase of an update found. */
export interface Found {
  readonly now: DateTime.Utc
  /** Whether the caller may read a product of this organization. */
  readonly readable: (organizationId: string) => boolean
  /** The catalog's answer for each id of `input.products` (empty when the body has none). */
  readonly requested: ReadonlyArray<{ readonly id: string; readonly product: Option.Option<Product.Product> }>
  /** The link's current products, when `needsCurrentProducts(input)` (else unused). */
  readonly current: ReadonlyArray<Product.Product>
  /** The catalog's answer for a non-null `input.discountId`. */
  readonly discount: Option.Option<Discount.Discount>
}

/** Whether the discount or the seat lock must be checked against the link's current products. */
export const needsCurrentProducts = (input: UpdateInput): boolean =>
  input.products === undefined &&
  ((input.discountId !== undefined && input.discountId !== null) || (input.seats !== undefined && input.seats !== null))

/** The next link, or the issues of the first refused part of the body. */
export const apply = (
  link: CheckoutLink.CheckoutLink,
  input: UpdateInput,
  found: Found
): Result.Result<CheckoutLink.CheckoutLink, ReadonlyArray<Errors.ValidationIssue>> => {
  let next = link
  let products: ReadonlyArray<Product.Product> = found.current
  if (input.products !== undefined) {
    const validated = CheckoutLink.validateProducts(found.requested, found.readable)
    if (Result.isFailure(validated)) return Result.fail(validated.failure)
    if (validated.success[0].organizationId !== link.organizationId) {
      return Result.fail([{
        type: "value_error",
        loc: ["body", "products"],
        msg: "Products don't belong to the checkout link's organization.",
        input: input.products
      }])
    }
    products = validated.success
    next = CheckoutLink.withProducts(next, validated.success)
  }
  if (input.discountId !== undefined) {
    if (input.discountId !== null) {
      const r = CheckoutLink.validateDiscount(input.discountId, found.discount, link.organizationId, products)
      if (Result.isFailure(r)) return Result.fail([r.failure])
    }
    next = { ...next, discountId: input.discountId }
  }
  if (input.seats !== undefined) {
    if (input.seats !== null) {
      const r = CheckoutLink.validateSeatLock(input.seats, products)
      if (Result.isFailure(r)) return Result.fail([r.failure])
    }
    next = { ...next, seats: input.seats }
  }
  return Result.succeed({
    ...next,
    ...(input.label === undefined ? {} : { label: input.label }),
    ...(input.allowDiscountCodes === undefined ? {} : { allowDiscountCodes: input.allowDiscountCodes }),
    ...(input.requireBillingAddress === undefined ? {} : { requireBillingAddress: input.requireBillingAddress }),
    ...(input.successUrl === undefined ? {} : { successUrl: input.successUrl }),
    ...(input.returnUrl === undefined ? {} : { returnUrl: input.returnUrl }),
    ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    ...(input.trialInterval === undefined ? {} : { trialInterval: input.trialInterval }),
    ...(input.trialIntervalCount === undefined ? {} : { trialIntervalCount: input.trialIntervalCount }),
    modifiedAt: found.now
  })
}
