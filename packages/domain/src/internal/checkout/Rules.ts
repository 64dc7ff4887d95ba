/**
 * Pure rules shared by the checkout use cases (spec 5 steps 5 and 9-13): the pricing flags of a selection, the reset
 * of payment-form fields when no form is needed, the fields a confirm requires, the customer merge after a confirm,
 * the price set a stored checkout charges, and the helpers that collect validation issues. No effects: the
 * use-case modules load, call these, and persist.
 */
import * as Address from "../../Address.ts"
import * as BillingAddress from "../../BillingAddress.ts"
import type * as Checkout from "../../Checkout.ts"
import type * as Customer from "../../Customer.ts"
import type * as Discount from "../../Discount.ts"
import * as Email from "../../Email.ts"
import * as Errors from "../../Errors.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import type * as Product from "../../Product.ts"
import { type DateTime, Result } from "effect"

export type Issue = Errors.ValidationIssue
export type Loc = ReadonlyArray<string | number>

export const issue = (type: string, loc: Loc, msg: string, input: unknown = null): Issue => ({ type, loc, msg, input })

export const invalid = (errors: ReadonlyArray<Issue>) => new Errors.RequestValidationError({ errors })

export const emptyToNull = (s: string | null | undefined): string | null =>
  s === undefined || s === null || s === "" ? null : s

/** What the amount chain of a checkout depends on besides the checkout's own fields. */
export interface Selection {
  readonly product: Product.Product | null
  readonly priceSet: Price.PriceSet | null
  readonly selectedPrice: Price.Price | null
  /** Only read when the set has a custom price; null = preset or minimum. */
  readonly customAmount: number | null
  readonly discount: Discount.Discount | null
}

export const flagsOf = (checkout: Checkout.Checkout, selection: Selection): Pricing.Flags =>
  Pricing.flags({
    product: selection.product,
    productPrices: selection.product === null ? null : Price.catalogPrices(selection.product.prices),
    discount: selection.discount,
    amount: checkout.amount,
    totalAmount: checkout.totalAmount,
    trialEnd: checkout.trialEnd
  })

/** Spec 5 step 5 (also applied by updates, tests TestUpdate.test_full_discount_*): no form, no form fields. */
export const resetPaymentFormFields = (checkout: Checkout.Checkout, flags: Pricing.Flags): Checkout.Checkout => {
  if (flags.isPaymentFormRequired) return checkout
  const reset = { ...checkout, paymentMethodType: null }
  return checkout.requireBillingAddress
    ? reset
    : { ...reset, isBusinessCustomer: false, customerTaxId: null, customerBillingName: null }
}

const ADDRESS_KEYS: Readonly<Record<BillingAddress.Field, [keyof Address.Address, string]>> = {
  country: ["country", "country"],
  state: ["state", "state"],
  line1: ["line1", "line1"],
  line2: ["line2", "line2"],
  city: ["city", "city"],
  postalCode: ["postalCode", "postal_code"]
}

/** Spec 5 steps 9-11: the fields a confirm needs, each missing one reported. */
export const requiredFieldIssues = (
  checkout: Checkout.Checkout,
  flags: Pricing.Flags,
  confirmationTokenId: string | null
): ReadonlyArray<Issue> => {
  const issues: Array<Issue> = []
  const missing = (...loc: ReadonlyArray<string>) => issues.push(issue("missing", ["body", ...loc], "Field is required."))
  if (checkout.customerId === null && checkout.customerEmail === null) missing("customer_email")
  const address = checkout.customerBillingAddress
  const required = BillingAddress.isRequired(checkout)
  if (flags.isPaymentFormRequired || checkout.isBusinessCustomer) {
    if (address === null) missing("customer_billing_address")
    if (flags.isPaymentFormRequired) {
      const fields = BillingAddress.legacyFields({ required, country: address?.country ?? null })
      for (const field of Object.keys(ADDRESS_KEYS) as Array<BillingAddress.Field>) {
        const [key, wire] = ADDRESS_KEYS[field]
        if (fields[field] && (address === null || address[key] === null || address[key] === "")) {
          missing("customer_billing_address", wire)
        }
      }
    }
    if (checkout.isBusinessCustomer && checkout.customerBillingName === null) missing("customer_billing_name")
  }
  if (required && address !== null && !Address.hasAddress(address)) {
    issues.push(issue("value_error", ["body", "customer_billing_address"], "Full billing address is required.", address))
  }
  if (flags.isPaymentFormRequired && confirmationTokenId === null) {
    issues.push(issue("missing", ["body", "confirmation_token_id"], "Confirmation token is required."))
  }
  return issues
}

/**
 * The Polar customer after a confirm (spec 5 step 13): an empty name is filled with `billing name ?? name` (the name
 * the processor customer gets too), an existing one is never overwritten; billing name, address, tax id and locale
 * are overwritten when the checkout has them; metadata merged.
 */
export const mergeCustomer = (customer: Customer.Customer, checkout: Checkout.Checkout, now: DateTime.Utc): Customer.Customer => ({
  ...customer,
  modifiedAt: now,
  name: customer.name ?? checkout.customerBillingName ?? checkout.customerName,
  billingName: checkout.customerBillingName ?? customer.billingName,
  billingAddress: checkout.customerBillingAddress ?? customer.billingAddress,
  taxId: checkout.customerTaxId ?? customer.taxId,
  locale: checkout.locale ?? customer.locale,
  metadata: { ...customer.metadata, ...checkout.customerMetadata }
})

export const EMAIL_LOC = ["body", "customer_email"] as const

/** A given e-mail if the reference accepts it (Email.problem); else its 422 item is collected and null returned. */
export const validEmail = (issues: Array<Issue>, email: string | null): string | null =>
  email === null ? null : collect(issues, Email.validate(email, EMAIL_LOC)) ?? null

export const NOT_AVAILABLE_IN_CURRENCY = "Product is not available in the specified currency."

/**
 * The set a stored checkout charges: the product's catalog prices in its currency, plus the selected price even if
 * archived since (so the amount does not move under the buyer; confirm reports the archived price).
 */
export const storedPriceSet = (product: Product.Product, currency: string, selectedPriceId: string | null): Price.PriceSet | null => {
  const prices = product.prices.filter((p) =>
    p.source === "catalog" && p.priceCurrency === currency && (!p.isArchived || p.id === selectedPriceId)
  )
  const ordered = [...prices.filter(Price.isStatic), ...prices.filter(Price.isMetered)]
  const [first, ...rest] = ordered
  return first === undefined ? null : { currency, prices: [first, ...rest] }
}

/** What a loaded checkout charges: its product, price set, selected price, custom amount and discount. */
export const selectionOf = (loaded: {
  readonly checkout: Checkout.Checkout
  readonly products: ReadonlyArray<Product.Product>
  readonly discount: Discount.Discount | null
}): Selection => {
  const c = loaded.checkout
  const product = loaded.products.find((p) => p.id === c.productId) ?? null
  const priceSet = product === null ? null : storedPriceSet(product, c.currency, c.productPriceId)
  const selectedPrice = priceSet?.prices.find((p) => p.id === c.productPriceId) ?? null
  return {
    product,
    priceSet,
    selectedPrice,
    customAmount: priceSet !== null && Price.customPrice(priceSet) !== undefined ? c.amount : null,
    discount: loaded.discount
  }
}

export const seatTiersOf = (set: Price.PriceSet | null): Price.SeatTiers | null =>
  set === null ? null : Price.seatPrice(set)?.seatTiers ?? null

export const isProductAvailable = (product: Product.Product): boolean => !product.isArchived && product.visibility !== "draft"

/** Merges validated issues of a Result into `issues` and returns the value (or undefined). */
export const collect = <A>(issues: Array<Issue>, r: Result.Result<A, Issue | ReadonlyArray<Issue>>): A | undefined => {
  if (Result.isSuccess(r)) return r.success
  const e = r.failure
  if (Array.isArray(e)) issues.push(...(e as ReadonlyArray<Issue>))
  else issues.push(e as Issue)
  return undefined
}
