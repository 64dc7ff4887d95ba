/**
 * What the checkout use cases return: the stored checkout plus everything the reference computes when it
 * serialises one (spec 1.1 derived properties, 1.2): the products as a buyer sees them, the selected price, the
 * flags, the billing-address field modes, the active trial and the resolved URLs. Pure, so the HTTP adapter and an
 * embedding service read the same answers; the adapter only renames fields for the wire.
 *
 * The catalog parts of a view (products, selected product, prices, discount, custom fields, organization) are the
 * catalog's own immutable objects, or display products memoized per catalog product: views over the same catalog
 * share them by identity, which is what lets the HTTP adapter reuse their serialised form across requests.
 */
import * as BillingAddress from "./BillingAddress.ts"
import * as Checkout from "./Checkout.ts"
import type * as CustomField from "./CustomField.ts"
import type * as Discount from "./Discount.ts"
import * as Lru from "./Lru.ts"
import type * as Organization from "./Organization.ts"
import * as Price from "./Price.ts"
import * as Pricing from "./Pricing.ts"
import type * as Product from "./Product.ts"
import * as Trial from "./Trial.ts"

export interface CheckoutView {
  readonly checkout: Checkout.Checkout
  readonly organization: Organization.Organization
  /** In checkout order, as shown to buyers: public benefits only, `prices` = the catalog prices (all currencies). */
  readonly products: ReadonlyArray<Product.Product>
  /** The selected product, same shape as in `products`. */
  readonly product: Product.Product | null
  /** The selected ("default") price; it may have been archived since the checkout was created. */
  readonly productPrice: Price.Price | null
  /** productId -> catalog prices (non-archived, static first then metered, every currency). */
  readonly prices: Readonly<Record<string, ReadonlyArray<Price.Price>>>
  readonly discount: Discount.Discount | null
  /** The selected product's custom fields ([] without a product). */
  readonly attachedCustomFields: ReadonlyArray<CustomField.Attached>
  readonly flags: Pricing.Flags
  readonly isBillingAddressRequired: boolean
  readonly billingAddressFields: Readonly<Record<BillingAddress.Field, BillingAddress.Mode>>
  /** The deprecated boolean map, still serialised by the reference. */
  readonly customerBillingAddressFields: Readonly<Record<BillingAddress.Field, boolean>>
  readonly activeTrialInterval: Product.Interval | null
  readonly activeTrialIntervalCount: number | null
  readonly url: string
  /** `{CHECKOUT_ID}` interpolated, or the default confirmation page. */
  readonly successUrl: string
  /** Only on the confirm answer: null otherwise, and null when the customer was matched by email alone. */
  readonly customerSessionToken: string | null
}

export interface MakeInput {
  readonly checkout: Checkout.Checkout
  readonly organization: Organization.Organization
  /** The checkout's products as stored in the catalog (any order; the checkout's order is applied). */
  readonly products: ReadonlyArray<Product.Product>
  readonly discount: Discount.Discount | null
  readonly frontendBaseUrl: string
  readonly customerSessionToken?: string | null
}

/**
 * Display products by the catalog product they were made from. Domain values are immutable by contract: a changed
 * product is a new object (stores replace, never mutate in place), so the same object always gives the same display
 * product, and an updated one misses and gets its own. A stable identity lets adapters cache what they derive from
 * it (the HTTP adapter keeps the product's JSON text); keys are weak, so a product the store dropped (or a store
 * that returns fresh objects on every read) leaves nothing behind.
 */
const displayed = new WeakMap<Product.Product, Product.Product>()

/** A product as a buyer sees it: public benefits only and the catalog prices. Same product in, same object out. */
export const displayProduct = (product: Product.Product): Product.Product => {
  let shown = displayed.get(product)
  if (shown === undefined) {
    shown = {
      ...product,
      benefits: product.benefits.filter((b) => b.visibility === "public"),
      prices: Price.catalogPrices(product.prices)
    }
    displayed.set(product, shown)
  }
  return shown
}

/**
 * The last views `remembered` made, by the checkout value they show, with what else they were made from: a stored
 * checkout read again unchanged (the buyer's page reads it on every render and poll) over the same catalog objects
 * gives the same view object, which lets adapters keep what they derive from a view (the HTTP adapter keeps the
 * body's JSON text). A view is a function of its inputs, and domain values are immutable, so identical inputs may
 * share one view. Bounded: past 1024, the view used least recently is forgotten.
 */
const lastViews = Lru.make<Checkout.Checkout, { readonly input: MakeInput; readonly view: CheckoutView }>(1024)

const sameInputs = (a: MakeInput, b: MakeInput): boolean => {
  if (
    a.organization !== b.organization || a.discount !== b.discount || a.frontendBaseUrl !== b.frontendBaseUrl ||
    (a.customerSessionToken ?? null) !== (b.customerSessionToken ?? null) || a.products.length !== b.products.length
  ) return false
  for (let i = 0; i < a.products.length; i++) if (a.products[i] !== b.products[i]) return false
  return true
}

/**
 * `make`, remembering the view (see `lastViews`): for reads, where the same checkout is asked for again. Writes use
 * `make`: the value they answer with is new, and keeping it would only age it into the old generation of the heap.
 */
export const remembered = (input: MakeInput): CheckoutView => {
  const last = lastViews.get(input.checkout)
  if (last !== undefined && sameInputs(last.input, input)) return last.view
  const view = make(input)
  lastViews.set(input.checkout, { input, view })
  return view
}

export const make = (input: MakeInput): CheckoutView => {
  const { checkout } = input
  const byId = new Map(input.products.map((p) => [p.id, p]))
  const ordered = checkout.productIds.flatMap((id) => {
    const p = byId.get(id)
    return p === undefined ? [] : [p]
  })
  const selected = checkout.productId === null ? null : byId.get(checkout.productId) ?? null
  const productPrice = selected?.prices.find((p) => p.id === checkout.productPriceId) ?? null
  const products = ordered.map(displayProduct)
  const prices: Record<string, ReadonlyArray<Price.Price>> = {}
  for (const p of products) prices[p.id] = p.prices
  const productPrices = selected === null ? null : Price.catalogPrices(selected.prices)
  const flags = Pricing.flags({
    product: selected,
    productPrices,
    discount: input.discount,
    amount: checkout.amount,
    totalAmount: checkout.totalAmount,
    trialEnd: checkout.trialEnd
  })
  const required = BillingAddress.isRequired(checkout)
  const country = checkout.customerBillingAddress?.country ?? null
  const trial = Trial.activeTrial({
    allowTrial: checkout.allowTrial,
    trialInterval: checkout.trialInterval,
    trialIntervalCount: checkout.trialIntervalCount,
    product: selected
  })
  return {
    checkout,
    organization: input.organization,
    products,
    product: selected === null ? null : displayProduct(selected),
    productPrice,
    prices,
    discount: input.discount,
    attachedCustomFields: selected?.attachedCustomFields ?? [],
    flags,
    isBillingAddressRequired: required,
    billingAddressFields: BillingAddress.fieldModes({ required, country }),
    customerBillingAddressFields: BillingAddress.legacyFields({ required, country }),
    activeTrialInterval: trial?.interval ?? null,
    activeTrialIntervalCount: trial?.count ?? null,
    url: Checkout.url(checkout, input.frontendBaseUrl),
    successUrl: Checkout.resolvedSuccessUrl(checkout, input.frontendBaseUrl),
    customerSessionToken: input.customerSessionToken ?? null
  }
}
