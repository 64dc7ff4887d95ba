/**
 * The CheckoutLink aggregate (spec 1.3): a reusable, shareable link that creates a fresh checkout each time it is
 * opened. Soft-deleted (`deletedAt`), versioned like checkouts.
 */
import { Array as Arr, type DateTime, Option, Result, Schema } from "effect"
import type * as Discount from "./Discount.ts"
import type * as Errors from "./Errors.ts"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"
import type * as Price from "./Price.ts"
import * as Product from "./Product.ts"
import * as Tiers from "./Tiers.ts"

export const CheckoutLink = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  deletedAt: Schema.NullOr(Schema.DateTimeUtc),
  version: Schema.Int,
  paymentProcessor: Schema.Literal("stripe"),
  clientSecret: Schema.String,
  successUrl: Schema.NullOr(Schema.String),
  returnUrl: Schema.NullOr(Schema.String),
  label: Schema.NullOr(Schema.String),
  allowDiscountCodes: Schema.Boolean,
  requireBillingAddress: Schema.Boolean,
  /** Seat lock: the checkout's seats, min and max are all set to it when it still fits the product's tiers. */
  seats: Schema.NullOr(Schema.Int),
  discountId: Schema.NullOr(Id),
  organizationId: Id,
  trialInterval: Schema.NullOr(Product.Interval),
  trialIntervalCount: Schema.NullOr(Schema.Int),
  metadata: Metadata.Metadata,
  productIds: Schema.NonEmptyArray(Id)
})
export type CheckoutLink = typeof CheckoutLink.Type

// ---------------------------------------------------------------------------------------------------------------
// Pure rules of links (spec 6 "Checkout-link rules", 1.3). The service looks things up; these decide.
// ---------------------------------------------------------------------------------------------------------------

/** Link client secrets start with this; checkouts use `polar_c_`. */
export const clientSecretPrefix = "polar_cl_" as const

export const isRecurringProduct = (product: Product.Product): boolean => product.recurringInterval !== null

const valueError = (loc: Errors.Loc, msg: string, input: unknown): Errors.ValidationIssue => ({
  type: "value_error",
  loc,
  msg,
  input
})

/**
 * Validates the products named by a create or update, in request order, collecting every problem as the reference
 * does: unknown or unreadable -> "Product does not exist.", then archived, then draft (each at
 * ["body","products",i]), and products of several organizations at ["body","products"]. `readable` says whether the
 * caller may see an organization's products (a product of another organization does not exist for the caller).
 */
export const validateProducts = (
  requested: ReadonlyArray<{ readonly id: string; readonly product: Option.Option<Product.Product> }>,
  readable: (organizationId: string) => boolean,
  loc: Errors.Loc = ["body", "products"]
): Result.Result<Arr.NonEmptyReadonlyArray<Product.Product>, ReadonlyArray<Errors.ValidationIssue>> => {
  const errors: Array<Errors.ValidationIssue> = []
  const products: Array<Product.Product> = []
  requested.forEach(({ id, product }, index) => {
    const itemLoc = [...loc, index]
    if (Option.isNone(product) || !readable(product.value.organizationId)) {
      errors.push(valueError(itemLoc, "Product does not exist.", id))
    } else if (product.value.isArchived) {
      errors.push(valueError(itemLoc, "Product is archived.", id))
    } else if (product.value.visibility === "draft") {
      errors.push(valueError(itemLoc, "Product is a draft.", id))
    } else {
      products.push(product.value)
    }
  })
  if (new Set(products.map((p) => p.organizationId)).size > 1) {
    errors.push(valueError(loc, "Products must all belong to the same organization.", requested.map((r) => r.id)))
  }
  if (errors.length > 0) return Result.fail(errors)
  return Arr.isReadonlyArrayNonEmpty(products) ? Result.succeed(products) : Result.fail([valueError(loc, "Products must not be empty.", [])])
}

/**
 * The deprecated `product_price_id` create path: the price must exist and be readable, not archived, and its product
 * neither archived nor a draft. Each failure is a single issue at ["body","product_price_id"].
 */
export const validatePrice = (
  priceId: string,
  found: Option.Option<{ readonly price: Price.Price; readonly product: Product.Product }>,
  readable: (organizationId: string) => boolean
): Result.Result<Product.Product, Errors.ValidationIssue> => {
  const loc = ["body", "product_price_id"]
  if (Option.isNone(found) || !readable(found.value.product.organizationId)) {
    return Result.fail(valueError(loc, "Price does not exist.", priceId))
  }
  const { price, product } = found.value
  if (price.isArchived) return Result.fail(valueError(loc, "Price is archived.", priceId))
  if (product.isArchived) return Result.fail(valueError(loc, "Product is archived.", priceId))
  if (product.visibility === "draft") return Result.fail(valueError(loc, "Product is a draft.", priceId))
  return Result.succeed(product)
}

/**
 * A link's discount must exist in the link's organization (the port never returns deleted ones) and cover every
 * product of the link (no restriction list, or all of them in it). Redeemability (dates, cap) is deliberately not
 * checked: the link outlives those, and an unusable discount is dropped when the link is opened.
 */
export const validateDiscount = (
  discountId: string,
  discount: Option.Option<Discount.Discount>,
  organizationId: string,
  products: ReadonlyArray<Product.Product>
): Result.Result<Discount.Discount, Errors.ValidationIssue> => {
  const fits = Option.isSome(discount) &&
    discount.value.organizationId === organizationId &&
    (discount.value.productIds.length === 0 || products.every((p) => discount.value.productIds.includes(p.id)))
  return fits
    ? Result.succeed((discount as Option.Some<Discount.Discount>).value)
    : Result.fail(valueError(["body", "discount_id"], "Discount does not exist or is not applicable to this product.", discountId))
}

/** The product's seat-based price a seat lock is checked against: its first non-archived one, any currency. */
export const seatPriceOf = (product: Product.Product): Price.SeatBased | undefined =>
  product.prices.find((p): p is Price.SeatBased => p.amountType === "seat_based" && !p.isArchived)

const seatBoundsText = (bounds: { readonly min: number; readonly max: number | null }): string =>
  `between ${bounds.min} and ${bounds.max ?? "unlimited"}`

/**
 * A seat lock is only accepted when every product of the link is seat-based and each product's seat tiers allow
 * that many seats; the first violation is reported at ["body","seats"].
 */
export const validateSeatLock = (
  seats: number,
  products: ReadonlyArray<Product.Product>
): Result.Result<number, Errors.ValidationIssue> => {
  const loc = ["body", "seats"]
  const seatPrices = products.map((product) => ({ product, price: seatPriceOf(product) }))
  if (seatPrices.some(({ price }) => price === undefined)) {
    return Result.fail(valueError(loc, "Seats can only be preconfigured when all products use seat-based pricing.", seats))
  }
  for (const { price, product } of seatPrices) {
    const bounds = Tiers.seatBounds(price!.seatTiers)
    if (seats < bounds.min || (bounds.max !== null && seats > bounds.max)) {
      return Result.fail(valueError(loc, `Product '${product.name}' allows ${seatBoundsText(bounds)} seats.`, seats))
    }
  }
  return Result.succeed(seats)
}

/** Whether an existing seat lock still fits products (used to drop it silently when products change). */
export const seatLockFits = (seats: number, products: ReadonlyArray<Product.Product>): boolean =>
  Result.isSuccess(validateSeatLock(seats, products))

/**
 * Replaces the link's products (already validated) and keeps the settings consistent with them: trial settings are
 * cleared when no product is recurring any more, and a seat lock the new products cannot honour is dropped.
 * An explicit `trial_*` or `seats` in the same update is applied afterwards by the caller.
 */
export const withProducts = (
  link: CheckoutLink,
  products: Arr.NonEmptyReadonlyArray<Product.Product>
): CheckoutLink => {
  const recurring = products.some(isRecurringProduct)
  return {
    ...link,
    productIds: Arr.map(products, (p) => p.id),
    trialInterval: recurring ? link.trialInterval : null,
    trialIntervalCount: recurring ? link.trialIntervalCount : null,
    seats: link.seats !== null && !seatLockFits(link.seats, products) ? null : link.seats
  }
}

/**
 * The link once `productId` is archived (spec 1.3): the product leaves the link; a link left without products is
 * soft-deleted instead (it keeps its last product id, since a stored link always names at least one, but a
 * deleted link is invisible to every read). None when the link does not contain the product.
 */
export const withoutProduct = (
  link: CheckoutLink,
  productId: string,
  now: DateTime.Utc
): Option.Option<CheckoutLink> => {
  if (!link.productIds.includes(productId)) return Option.none()
  const remaining = link.productIds.filter((id) => id !== productId)
  return Option.some(
    Arr.isReadonlyArrayNonEmpty(remaining)
      ? { ...link, productIds: remaining, modifiedAt: now }
      : { ...link, deletedAt: now, modifiedAt: now }
  )
}

/** The link's metadata plus the tracking values (spec 4.3 step 11) whose keys the link does not set itself. */
export const checkoutMetadata = (link: CheckoutLink, tracking: Readonly<Record<string, string>>): Metadata.Metadata => {
  const metadata: Record<string, Metadata.Value> = { ...link.metadata }
  for (const [key, value] of Object.entries(tracking)) {
    if (!(key in link.metadata)) metadata[key] = value
  }
  return metadata
}
