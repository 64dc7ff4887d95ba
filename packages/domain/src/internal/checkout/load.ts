/**
 * Loading for the checkout use cases: a checkout with what its view shows (organization, products, discount), the
 * selection its amounts depend on, its view, and the discount a reference names (by id or code).
 */
import { Effect, Option } from "effect"
import type * as Checkout from "../../Checkout.ts"
import * as CheckoutConfig from "../../CheckoutConfig.ts"
import * as CheckoutView from "../../CheckoutView.ts"
import * as Discount from "../../Discount.ts"
import type * as Product from "../../Product.ts"
import type { Loaded, Ports } from "./Kit.ts"
import { selectionOf } from "./Rules.ts"

export const make = ({ catalog, organizations }: Pick<Ports, "catalog" | "organizations">) => {
  /**
   * The catalog's answer for each id, in order, handed to `f` in the same step. A single id, the usual case, is one
   * `map` over its answer: no `forEach` machinery, and no second `map` for `f` (the reads are on every request).
   */
  const getProducts = <A>(
    ids: ReadonlyArray<string>,
    f: (found: ReadonlyArray<Option.Option<Product.Product>>) => A
  ): Effect.Effect<A> =>
    ids.length === 1
      ? Effect.map(catalog.getProduct(ids[0]!), (found) => f([found]))
      : Effect.map(Effect.forEach(ids, (id) => catalog.getProduct(id)), f)

  /** The products that exist, in order. */
  const loadProducts = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Product.Product>> =>
    getProducts(ids, (found) => found.flatMap(Option.toArray))

  const loadDiscount = (id: string | null) =>
    id === null ? Effect.succeed(null) : Effect.map(catalog.getDiscount(id), Option.getOrNull)

  /** A checkout always belongs to a stored organization; a missing one is a broken store, not a request error. */
  const loadOrganization = (id: string) =>
    Effect.flatMap(organizations.findById(id), (o) =>
      Option.isSome(o) ? Effect.succeed(o.value) : Effect.die(new Error(`organization ${id} of a checkout is missing`)))

  /** The checkout with what its view shows. Plain `flatMap`s: this is on every read (`Effect.all` costs ~10 steps). */
  const load = (checkout: Checkout.Checkout): Effect.Effect<Loaded> =>
    Effect.flatMap(loadOrganization(checkout.organizationId), (organization) =>
      Effect.flatMap(loadProducts(checkout.productIds), (products) =>
        // Eager: without a discount the answer is already there (no fiber step).
        Effect.mapEager(loadDiscount(checkout.discountId), (discount) => ({ checkout, organization, products, discount }))))

  const viewWith = (make: (input: CheckoutView.MakeInput) => CheckoutView.CheckoutView) =>
  (loaded: Loaded, customerSessionToken: string | null = null) =>
    // `useSync`: the setting read and the view made in one fiber step (`Effect.map` over the setting takes three).
    CheckoutConfig.Urls.useSync((urls) =>
      make({
        checkout: loaded.checkout,
        organization: loaded.organization,
        products: loaded.products,
        discount: loaded.discount,
        frontendBaseUrl: urls.frontendBaseUrl,
        customerSessionToken
      }))

  /** A write's view: made afresh (`CheckoutView.make`). */
  const viewOf = viewWith(CheckoutView.make)
  /** A read's view: kept for the next read of the same values (`CheckoutView.remembered`). */
  const readViewOf = viewWith(CheckoutView.remembered)

  /** The discount a reference names (by id, or by code within the organization); none for no reference. */
  const findDiscount = (
    organizationId: string,
    ref: { readonly id: string } | { readonly code: string } | null
  ): Effect.Effect<Option.Option<Discount.Discount>> =>
    ref === null
      ? Effect.succeed(Option.none())
      : "id" in ref
      ? catalog.getDiscount(ref.id)
      : catalog.getDiscountByCode(organizationId, ref.code)

  return { getProducts, loadProducts, loadDiscount, loadOrganization, load, viewOf, readViewOf, selectionOf, findDiscount }
}
