/**
 * `CheckoutPatch`: the pure decider of the update use cases (the reference's `_update_checkout`) for the three
 * writers: the organization's update, the buyer's update and the buyer's confirm. What each writer may change is one
 * `policies[mode]` record. The load phase asks the store for the discount the body names (`discountRef`), then
 * `decide` applies the body to the loaded checkout, collecting every issue; `apply` is the same as a `Result`. The
 * draft is not repriced.
 */
import { type DateTime, Option, Result } from "effect"
import * as Address from "../../Address.ts"
import type * as Checkout from "../../Checkout.ts"
import * as CustomField from "../../CustomField.ts"
import * as Discount from "../../Discount.ts"
import * as Metadata from "../../Metadata.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import * as Seats from "../../Seats.ts"
import * as TaxId from "../../TaxId.ts"
import * as Trial from "../../Trial.ts"
import type { Loaded, Mode, Patch } from "./Kit.ts"
import {
  collect,
  emptyToNull,
  type Issue,
  issue,
  NOT_AVAILABLE_IN_CURRENCY,
  seatTiersOf,
  type Selection,
  validEmail
} from "./Rules.ts"

/** The checkout settings only the organization changes (the buyer's body cannot carry them into the checkout). */
export const SETTINGS = [
  "metadata",
  "customerMetadata",
  "allowDiscountCodes",
  "requireBillingAddress",
  "customerIpAddress",
  "successUrl",
  "returnUrl",
  "embedOrigin"
] as const satisfies ReadonlyArray<keyof Patch & keyof Checkout.Checkout>

export type Setting = typeof SETTINGS[number]

/** What one writer may change, and how. */
export interface Policy {
  /** How a discount is named: by id (the organization) or by code (the buyer, while the checkout allows codes). */
  readonly discountBy: "id" | "code"
  /** `allowTrial`: the organization sets it; a buyer can only turn it off. */
  readonly allowTrial: "set" | "narrowOnly"
  /** Custom fields: merged (updates) or replaced with required fields enforced (confirm). */
  readonly customFields: "merge" | "replace"
  /** Whether the body's payment method type is taken. */
  readonly paymentMethodType: boolean
  /** The organization-only settings this writer changes. */
  readonly settings: ReadonlyArray<Setting>
}

export const policies: Readonly<Record<Mode, Policy>> = {
  org: { discountBy: "id", allowTrial: "set", customFields: "merge", paymentMethodType: false, settings: SETTINGS },
  client: { discountBy: "code", allowTrial: "narrowOnly", customFields: "merge", paymentMethodType: true, settings: [] },
  confirm: { discountBy: "code", allowTrial: "narrowOnly", customFields: "replace", paymentMethodType: true, settings: [] }
}

/** The discount reference a body names for a writer (what the load phase looks up), or null when there is none. */
export type DiscountRef = { readonly id: string } | { readonly code: string }

export const discountRef = (checkout: Checkout.Checkout, patch: Patch, mode: Mode): DiscountRef | null => {
  if (policies[mode].discountBy === "id") {
    return patch.discountId === undefined || patch.discountId === null ? null : { id: patch.discountId }
  }
  if (patch.discountCode === undefined || !checkout.allowDiscountCodes) return null
  const code = patch.discountCode === null ? "" : Discount.normalizeCode(patch.discountCode)
  return code === "" ? null : { code }
}

/** What the decider reads besides the body: the loaded checkout, what it charges now, and the discount looked up. */
export interface Input {
  readonly loaded: Loaded
  /** What the stored checkout charges (`Kit.selectionOf(loaded)`). */
  readonly current: Selection
  readonly patch: Patch
  readonly mode: Mode
  readonly now: DateTime.Utc
  /** The store's answer for `discountRef(...)` (none when nothing was named or nothing was found). */
  readonly foundDiscount: Option.Option<Discount.Discount>
}

export interface Applied {
  readonly draft: Checkout.Checkout
  readonly selection: Selection
}

/** The body applied, with every issue collected (confirm keeps going with the draft to report all problems at once). */
export interface Decision extends Applied {
  readonly issues: ReadonlyArray<Issue>
}

const validateFound = (
  input: Input,
  ref: DiscountRef,
  product: NonNullable<Selection["product"]>,
  currency: string
): Result.Result<Discount.Discount, Issue> =>
  Discount.validateForCheckout({
    field: "id" in ref ? "discount_id" : "discount_code",
    discountId: "id" in ref ? ref.id : null,
    discount: Option.getOrNull(input.foundDiscount),
    organizationId: input.loaded.organization.id,
    product,
    currency,
    now: input.now
  })

/** Applies an update body to a loaded open checkout, collecting every issue. */
export const decide = (input: Input): Decision => {
  const { loaded, current, patch, mode, now } = input
  const policy = policies[mode]
  const issues: Array<Issue> = []
  const c = loaded.checkout
  const org = loaded.organization
  let product = current.product
  let currency = c.currency
  let priceSet = current.priceSet
  let selectedPrice = current.selectedPrice
  let selectionChanged = false

  // Product, price and currency (spec 3.1).
  if (patch.productId !== undefined) {
    const p = loaded.products.find((x) => x.id === patch.productId)
    if (p === undefined) {
      issues.push(issue("value_error", ["body", "product_id"], "Product is not available in this checkout.", patch.productId))
    } else if (p.isArchived) {
      issues.push(issue("value_error", ["body", "product_id"], "Product is archived.", patch.productId))
    } else if (patch.productPriceId !== undefined) {
      const price = Price.catalogPrices(p.prices).find((x) => x.id === patch.productPriceId)
      if (price === undefined) {
        issues.push(
          issue("value_error", ["body", "product_price_id"], "Price is not available in this checkout.", patch.productPriceId)
        )
      } else {
        product = p
        priceSet = Price.singletonPriceSet(price)
        selectedPrice = price
        currency = price.priceCurrency
        selectionChanged = true
      }
    } else {
      const preference = patch.currency !== undefined
        ? [patch.currency]
        : [c.currency, org.defaultPresentmentCurrency]
      const set = Price.selectPriceSet(Price.catalogPrices(p.prices), preference)
      if (Result.isFailure(set)) {
        const loc = patch.currency !== undefined ? ["body", "currency"] : ["body", "product_id"]
        issues.push(issue("value_error", loc, NOT_AVAILABLE_IN_CURRENCY, patch.currency ?? patch.productId))
      } else if (p.id !== c.productId || set.success.currency !== c.currency) {
        product = p
        priceSet = set.success
        selectedPrice = Price.defaultPrice(set.success)
        currency = set.success.currency
        selectionChanged = true
      }
    }
  } else if (patch.currency !== undefined && patch.currency !== c.currency) {
    const set = product === null ? null : Price.selectPriceSet(Price.catalogPrices(product.prices), [patch.currency])
    if (set === null || Result.isFailure(set)) {
      issues.push(issue("value_error", ["body", "currency"], NOT_AVAILABLE_IN_CURRENCY, patch.currency))
    } else {
      priceSet = set.success
      selectedPrice = Price.defaultPrice(set.success)
      currency = set.success.currency
      selectionChanged = true
    }
  }

  // Seats (spec 3.3): a new seat product starts at the given count or its minimum; leaving one clears them.
  const tiers = seatTiersOf(priceSet)
  let seats = c.seats
  let minSeats = c.minSeats
  let maxSeats = c.maxSeats
  if (selectionChanged) {
    if (tiers === null) {
      seats = null
      minSeats = null
      maxSeats = null
    } else {
      seats = Seats.defaultSeats(tiers, minSeats)
    }
  }
  if (patch.seats !== undefined && patch.seats !== null) {
    const fieldIssues = Seats.validateFields(tiers, { seats: patch.seats, minSeats: null, maxSeats: null })
    issues.push(...fieldIssues)
    if (tiers !== null && fieldIssues.length === 0) {
      const ok = collect(issues, Seats.validateSeats(tiers, patch.seats, minSeats, maxSeats))
      if (ok !== undefined) seats = ok
    }
  }

  // Custom amount (spec 3.2): ignored for every other price type.
  const custom = priceSet === null ? undefined : Price.customPrice(priceSet)
  let customAmount: number | null = null
  if (custom !== undefined) {
    customAmount = selectionChanged ? null : current.customAmount
    if (patch.amount !== undefined && patch.amount !== null) {
      const ok = collect(issues, Pricing.validateCustomAmount(custom, patch.amount, currency))
      if (ok !== undefined) customAmount = ok
    }
  }

  // Discount (spec 3.4): kept across product/currency changes only while applicable.
  let discount = current.discount
  if (selectionChanged && discount !== null && (product === null || !Discount.isApplicable(discount, product, currency))) {
    discount = null
  }
  // An explicit null id or an empty code removes the discount; a named one is validated for the new selection.
  const ref = discountRef(c, patch, mode)
  const named = policy.discountBy === "id"
    ? patch.discountId !== undefined
    : patch.discountCode !== undefined && c.allowDiscountCodes
  if (named && ref === null) discount = null
  else if (ref !== null && product !== null) {
    const ok = collect(issues, validateFound(input, ref, product, currency))
    if (ok !== undefined) discount = ok
  }

  // Buyer fields. The e-mail is validated even when a linked customer's e-mail makes the checkout ignore it; a
  // refused one leaves the stored e-mail in the draft (the request fails on it alone, not also as "missing").
  const emailIssues = issues.length
  const patchEmail = patch.customerEmail === undefined ? null : validEmail(issues, emptyToNull(patch.customerEmail))
  const emailRefused = issues.length > emailIssues
  let address = c.customerBillingAddress
  let addressChanged = false
  // An explicit null is ignored, as the reference's `if checkout_update.customer_billing_address:` does: the
  // stored address stays (and a stored tax id is not re-validated).
  if (patch.customerBillingAddress !== undefined && patch.customerBillingAddress !== null) {
    const ok = collect(issues, Address.validateInput(patch.customerBillingAddress, ["body", "customer_billing_address"]))
    if (ok !== undefined) address = ok
    addressChanged = true
  }
  let taxId = c.customerTaxId
  if (patch.customerTaxId !== undefined) {
    const number = emptyToNull(patch.customerTaxId)
    taxId = number === null ? null : collect(issues, TaxId.validate(number, address)) ?? null
  } else if (addressChanged && taxId !== null) {
    // A new country re-validates the stored tax id (FR VAT then country US -> 422).
    collect(issues, TaxId.validate(taxId.number, address))
  }
  let isBusinessCustomer = c.isBusinessCustomer
  let billingName = patch.customerBillingName !== undefined ? emptyToNull(patch.customerBillingName) : c.customerBillingName
  if (patch.isBusinessCustomer !== undefined) isBusinessCustomer = patch.isBusinessCustomer
  if (patch.isBusinessCustomer === false) {
    // Turning business off clears the business fields, even those sent in the same request.
    taxId = null
    billingName = null
  }

  // Custom fields (spec 1.7): merged on update, replaced (and required enforced) on confirm.
  const attached = product?.attachedCustomFields ?? []
  let customFieldData = c.customFieldData
  if (policy.customFields === "replace") {
    const ok = collect(issues, CustomField.validateData(attached, patch.customFieldData ?? {}, { enforceRequired: true }))
    if (ok !== undefined) customFieldData = ok
  } else if (patch.customFieldData !== undefined) {
    const ok = collect(issues, CustomField.validateData(attached, patch.customFieldData, { enforceRequired: false }))
    if (ok !== undefined) customFieldData = { ...c.customFieldData, ...ok }
  }

  if (patch.metadata !== undefined) issues.push(...Metadata.validate(patch.metadata, ["body", "metadata"]))
  if (patch.customerMetadata !== undefined) {
    issues.push(...Metadata.validate(patch.customerMetadata, ["body", "customer_metadata"]))
  }

  // Trial: recomputed when anything it depends on changed.
  const trialInterval = patch.trialInterval !== undefined ? patch.trialInterval : c.trialInterval
  const trialIntervalCount = patch.trialIntervalCount !== undefined ? patch.trialIntervalCount : c.trialIntervalCount
  const allowTrial = patch.allowTrial === undefined || patch.allowTrial === null
    ? c.allowTrial
    : policy.allowTrial === "set"
    ? patch.allowTrial
    : patch.allowTrial && c.allowTrial
  const trialChanged = selectionChanged || patch.trialInterval !== undefined || patch.trialIntervalCount !== undefined ||
    allowTrial !== c.allowTrial
  const trialEnd = trialChanged
    ? Trial.trialEnd(now, Trial.activeTrial({ allowTrial, trialInterval, trialIntervalCount, product }))
    : c.trialEnd

  const settings: Partial<Record<Setting, unknown>> = {}
  for (const key of policy.settings) if (patch[key] !== undefined) settings[key] = patch[key]
  const draft: Checkout.Checkout = {
    ...c,
    productId: product?.id ?? null,
    productPriceId: selectedPrice?.id ?? null,
    currency,
    seats,
    minSeats,
    maxSeats,
    discountId: discount?.id ?? null,
    customerBillingAddress: address,
    customerTaxId: taxId,
    customerBillingName: billingName,
    isBusinessCustomer,
    customerName: patch.customerName !== undefined ? emptyToNull(patch.customerName) : c.customerName,
    // The email of a linked customer is not the checkout's to change.
    customerEmail: patch.customerEmail !== undefined && c.customerId === null && !emailRefused ? patchEmail : c.customerEmail,
    locale: patch.locale !== undefined ? patch.locale : c.locale,
    paymentMethodType: policy.paymentMethodType && patch.paymentMethodType !== undefined
      ? emptyToNull(patch.paymentMethodType)
      : c.paymentMethodType,
    customFieldData,
    trialInterval,
    trialIntervalCount,
    allowTrial,
    trialEnd,
    ...(settings as Partial<Pick<Checkout.Checkout, Setting>>)
  }
  return { draft, selection: { product, priceSet, selectedPrice, customAmount, discount }, issues }
}

/** `decide` as a `Result`: the draft and its selection, or every issue of the body. */
export const apply = (input: Input): Result.Result<Applied, ReadonlyArray<Issue>> => {
  const { draft, issues, selection } = decide(input)
  return issues.length > 0 ? Result.fail(issues) : Result.succeed({ draft, selection })
}
