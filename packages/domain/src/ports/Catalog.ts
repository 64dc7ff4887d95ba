/**
 * Port: the catalog the checkout reads (products with their prices, discounts) and the discount redemptions it
 * writes. Redemption is atomic and honours max_redemptions even under concurrency; it takes part in the enclosing
 * unit of work, so a failed confirm leaves no redemption behind.
 *
 * Returned products, prices and discounts are immutable values: an implementation that keeps objects between reads
 * (the memory store) must replace an object on change, never mutate it, because views and the HTTP adapter cache
 * derived data by object identity (`CheckoutView.displayProduct`, the JSON of a product). Returning a fresh object on
 * every read (a SQL store) is always correct.
 */
import type { DateTime, Effect, Option } from "effect"
import { Context } from "effect"
import type { Discount } from "../Discount.ts"
import type { DiscountNotRedeemable } from "../Errors.ts"
import type { Id } from "../Ids.ts"
import type { Price } from "../Price.ts"
import type { Product } from "../Product.ts"

export class Catalog extends Context.Service<Catalog, {
  /** Any product, archived and draft included; the caller checks organization and state. */
  readonly getProduct: (id: Id) => Effect.Effect<Option.Option<Product>>
  /** The price and its product. */
  readonly getPrice: (id: Id) => Effect.Effect<Option.Option<{ readonly price: Price; readonly product: Product }>>
  /** A non-deleted discount by id. */
  readonly getDiscount: (id: Id) => Effect.Effect<Option.Option<Discount>>
  /** A non-deleted discount of the organization whose code equals `code` case-insensitively. */
  readonly getDiscountByCode: (organizationId: Id, code: string) => Effect.Effect<Option.Option<Discount>>
  /**
   * Records one redemption of the discount for the checkout, atomically checking `now` is inside the validity
   * window (both ends inclusive) and `redemptionsCount < maxRedemptions`; increments redemptionsCount. Cases an
   * adapter must copy:
   * - idempotent per checkout: redeeming the discount the checkout already holds is a no-op success;
   * - a checkout holds at most one redemption: redeeming ANOTHER discount for the same checkout gives the first one
   *   back (its count decrements) and takes the new one;
   * - inside a transaction the redemption counts against `maxRedemptions` for everyone at once (not only once
   *   committed), so concurrent transactions never over-redeem a capped discount (SQL: lock the discount row, or a
   *   conditional `UPDATE ... SET redemptions_count = redemptions_count + 1 WHERE redemptions_count < max`); it is
   *   returned if the transaction rolls back;
   * - while ANOTHER unfinished transaction holds a redemption for the same checkout, the call fails
   *   DiscountNotRedeemable at once (lock contention, as the reference's NOWAIT lock does), it does not wait;
   * - a discount that does not exist, is outside its window or at its cap: DiscountNotRedeemable.
   */
  readonly redeemDiscount: (
    input: { readonly discountId: Id; readonly checkoutId: Id; readonly now: DateTime.Utc }
  ) => Effect.Effect<void, DiscountNotRedeemable>
  /** Deletes the checkout's redemption if any (payment failure); a no-op otherwise. */
  readonly releaseRedemption: (checkoutId: Id) => Effect.Effect<void>
  /** The discount redeemed by this checkout, if any. */
  readonly findRedemption: (checkoutId: Id) => Effect.Effect<Option.Option<{ readonly discountId: Id }>>
}>()("@checkout-kit/domain/Catalog") {}
