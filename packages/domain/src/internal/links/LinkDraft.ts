/**
 * `LinkDraft`: the pure decider of a checkout-link create. The load phase reads what the body names (its products,
 * or the product of a deprecated `product_price_id`, and its discount); `make` validates in the order the reference
 * does (products, discount, seat lock: the first refused one is the answer) and returns the new link without its
 * identity, or its issues; `identify` gives it the id and client secret drawn once it is accepted.
 */
import { Array as Arr, type DateTime, type Option, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { CreateInput } from "../../CheckoutLinkService.ts"
import type * as Discount from "../../Discount.ts"
import type * as Issue from "../../Issue.ts"
import type * as Price from "../../Price.ts"
import type * as Product from "../../Product.ts"

/** What the load phase of a create found. */
export interface Found {
  readonly now: DateTime.Utc
  /** Whether the caller may read a product of this organization. */
  readonly readable: (organizationId: string) => boolean
  /** The catalog's answer for each id of `requestedIds(input)` (empty for the `productPriceId` form). */
  readonly requested: ReadonlyArray<{ readonly id: string; readonly product: Option.Option<Product.Product> }>
  /** The catalog's answer for `input.productPriceId` (none for the other forms). */
  readonly price: Option.Option<{ readonly price: Price.Price; readonly product: Product.Product }>
  /** The catalog's answer for a non-null `input.discountId`. */
  readonly discount: Option.Option<Discount.Discount>
}

/** A new link before it is given its id and client secret. */
export type Draft = Omit<CheckoutLink.CheckoutLink, "id" | "clientSecret">

/** The product ids the load phase looks up: the `products` list, or the one `productId` (deprecated form). */
export const requestedIds = (input: CreateInput): ReadonlyArray<string> =>
  "products" in input ? input.products : "productId" in input ? [input.productId] : []

/** The new link, or the issues of the first refused part of the body. */
export const make = (input: CreateInput, found: Found): Result.Result<Draft, ReadonlyArray<Issue.Issue>> => {
  let products: Arr.NonEmptyReadonlyArray<Product.Product>
  if ("productPriceId" in input) {
    const validated = CheckoutLink.validatePrice(input.productPriceId, found.price, found.readable)
    if (Result.isFailure(validated)) return Result.fail([validated.failure])
    products = [validated.success]
  } else {
    const validated = CheckoutLink.validateProducts(found.requested, found.readable)
    if (Result.isFailure(validated)) return Result.fail(validated.failure)
    products = validated.success
  }
  const organizationId = products[0].organizationId
  const discountId = input.discountId ?? null
  if (discountId !== null) {
    const r = CheckoutLink.validateDiscount(discountId, found.discount, organizationId, products)
    if (Result.isFailure(r)) return Result.fail([r.failure])
  }
  const seats = input.seats ?? null
  if (seats !== null) {
    const r = CheckoutLink.validateSeatLock(seats, products)
    if (Result.isFailure(r)) return Result.fail([r.failure])
  }
  return Result.succeed({
    createdAt: found.now,
    modifiedAt: null,
    deletedAt: null,
    version: 1,
    paymentProcessor: input.paymentProcessor ?? "stripe",
    successUrl: input.successUrl ?? null,
    returnUrl: input.returnUrl ?? null,
    label: input.label ?? null,
    allowDiscountCodes: input.allowDiscountCodes ?? true,
    requireBillingAddress: input.requireBillingAddress ?? false,
    seats,
    discountId,
    organizationId,
    trialInterval: input.trialInterval ?? null,
    trialIntervalCount: input.trialIntervalCount ?? null,
    metadata: input.metadata ?? {},
    productIds: Arr.map(products, (p) => p.id)
  })
}

/** The accepted draft with the identity drawn for it (drawn only once accepted: a refused body draws nothing). */
export const identify = (draft: Draft, id: string, clientSecret: string): CheckoutLink.CheckoutLink => {
  const { createdAt, deletedAt, modifiedAt, paymentProcessor, version, ...settings } = draft
  return { id, createdAt, modifiedAt, deletedAt, version, paymentProcessor, clientSecret, ...settings }
}
