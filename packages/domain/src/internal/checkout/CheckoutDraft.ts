/**
 * `CheckoutDraft`: the pure deciders of the create use cases. `make` decides a `POST /v1/checkouts/` body against
 * what the load phase found (organization, catalog answers, customer, discount), reporting every problem of the body
 * at once (spec 4.2); `fromLink` (in `linkDraft.ts`) decides a checkout opened from a checkout link, leniently
 * (invalid prefills are dropped, spec 4.3); `build` turns a plan into the new checkout (customer prefill, trial end), not yet priced.
 */
import { type DateTime, Option, Result } from "effect"
import * as Address from "../../Address.ts"
import * as BillingAddress from "../../BillingAddress.ts"
import * as Checkout from "../../Checkout.ts"
import type { CreateInput } from "../../CheckoutService.ts"
import * as CustomField from "../../CustomField.ts"
import type * as Customer from "../../Customer.ts"
import * as Discount from "../../Discount.ts"
import * as Metadata from "../../Metadata.ts"
import * as Organization from "../../Organization.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import type * as Product from "../../Product.ts"
import * as Seats from "../../Seats.ts"
import * as TaxId from "../../TaxId.ts"
import * as Trial from "../../Trial.ts"
import type { Plan } from "./Kit.ts"
import {
  collect,
  emptyToNull,
  type Issue,
  issue,
  type Loc,
  NOT_AVAILABLE_IN_CURRENCY,
  seatTiersOf,
  validEmail
} from "./Rules.ts"

export type { Plan } from "./Kit.ts"
export { fromLink, linkDiscountCode } from "./linkDraft.ts"

/** The catalog's answer for the product reference of a create body (by list, by product id or by legacy price id). */
export type FoundSelection =
  | { readonly _tag: "Products"; readonly ids: ReadonlyArray<string>; readonly found: ReadonlyArray<Option.Option<Product.Product>> }
  | { readonly _tag: "Product"; readonly id: string; readonly found: Option.Option<Product.Product> }
  | {
    readonly _tag: "Price"
    readonly id: string
    readonly found: Option.Option<{ readonly price: Price.Price; readonly product: Product.Product }>
  }
  | { readonly _tag: "Missing" }

/** Which product reference a create body uses (what the load phase asks the catalog). */
export const selectionRef = (input: CreateInput): "Products" | "Product" | "Price" | "Missing" =>
  input.products !== undefined
    ? "Products"
    : input.productId !== undefined
    ? "Product"
    : input.productPriceId !== undefined
    ? "Price"
    : "Missing"

/** Which customer a create body names, if any: by id, else by external id. */
export const customerRef = (input: CreateInput): { readonly id: string } | { readonly externalId: string } | null =>
  input.customerId !== undefined && input.customerId !== null
    ? { id: input.customerId }
    : input.externalCustomerId !== undefined && input.externalCustomerId !== null
    ? { externalId: input.externalCustomerId }
    : null

/** What the load phase of a create found. */
export interface Found {
  readonly now: DateTime.Utc
  readonly organization: Option.Option<Organization.Organization>
  readonly selection: FoundSelection
  /** The store's answer for `customerRef(input)`. */
  readonly customer: Option.Option<Customer.Customer>
  /** The catalog's answer for `input.discountId`. */
  readonly discount: Option.Option<Discount.Discount>
}

/** Creation prefill from a linked customer (spec 6, last paragraph). */
const prefillFromCustomer = (
  draft: Checkout.Checkout,
  customer: Customer.Customer,
  requestSetBusiness: boolean
): Checkout.Checkout => ({
  ...draft,
  customerId: customer.id,
  externalCustomerId: draft.externalCustomerId ?? customer.externalId,
  // A team without an e-mail of its own: its owner's (test_valid_team_customer_without_email_uses_owner_email).
  customerEmail: draft.customerEmail ?? customer.email ?? (customer.type === "team" ? customer.ownerEmail ?? null : null),
  // A team's name is the team's, not the purchaser's (test_valid_team_customer_skips_name_prefill).
  customerName: customer.type === "team" ? draft.customerName : draft.customerName ?? customer.name,
  customerBillingName: draft.customerBillingName ?? customer.billingName,
  customerBillingAddress: draft.customerBillingAddress ?? customer.billingAddress,
  customerTaxId: draft.customerTaxId ?? customer.taxId,
  locale: draft.locale ?? customer.locale,
  isBusinessCustomer: requestSetBusiness
    ? draft.isBusinessCustomer
    : customer.billingName !== null && customer.billingAddress !== null && Address.hasAddress(customer.billingAddress)
})

const productIssues = (product: Product.Product | undefined, organizationId: string | null, loc: Loc, input: unknown) => {
  if (product === undefined || organizationId === null || product.organizationId !== organizationId) {
    return [issue("value_error", loc, "Product does not exist.", input)]
  }
  if (product.isArchived) return [issue("value_error", loc, "Product is archived.", input)]
  if (product.visibility === "draft") return [issue("value_error", loc, "Product is a draft.", input)]
  return []
}

/** Decides a create body (spec 4.2): the plan of the new checkout, or every problem of the body. */
export const make = (input: CreateInput, found: Found): Result.Result<Plan, ReadonlyArray<Issue>> => {
  const { now } = found
  // A blocked organization's catalog is not readable: its products "do not exist".
  const readableOrgId = Option.isSome(found.organization) && Organization.canAuthenticate(found.organization.value)
    ? found.organization.value.id
    : null
  const issues: Array<Issue> = []
  let products: Array<Product.Product> = []
  let legacyPrice: Price.Price | null = null
  let selectionLoc: Loc = ["body", "products", 0]

  const sel = found.selection
  if (sel._tag === "Products") {
    const ids = sel.ids
    if (ids.length === 0) {
      issues.push(issue("too_short", ["body", "products"], "List should have at least 1 item after validation, not 0", []))
    } else if (new Set(ids).size !== ids.length) {
      issues.push(issue("value_error", ["body", "products"], "Value error, Product IDs must be unique.", ids))
    }
    sel.found.forEach((p, i) => {
      const problems = productIssues(Option.getOrUndefined(p), readableOrgId, ["body", "products", i], ids[i])
      issues.push(...problems)
      if (problems.length === 0 && Option.isSome(p)) products.push(p.value)
    })
  } else if (sel._tag === "Product") {
    selectionLoc = ["body", "product_id"]
    const p = Option.getOrUndefined(sel.found)
    const problems = productIssues(p, readableOrgId, selectionLoc, sel.id)
    issues.push(...problems)
    if (problems.length === 0 && p !== undefined) products = [p]
  } else if (sel._tag === "Price") {
    selectionLoc = ["body", "product_price_id"]
    const hit = Option.getOrUndefined(sel.found)
    const loc = selectionLoc
    if (hit === undefined || readableOrgId === null || hit.product.organizationId !== readableOrgId) {
      issues.push(issue("value_error", loc, "Price does not exist.", sel.id))
    } else if (hit.price.isArchived) {
      issues.push(issue("value_error", loc, "Price is archived.", sel.id))
    } else if (hit.product.isArchived) {
      issues.push(issue("value_error", loc, "Product is archived.", sel.id))
    } else if (hit.product.visibility === "draft") {
      issues.push(issue("value_error", loc, "Product is a draft.", sel.id))
    } else {
      products = [hit.product]
      legacyPrice = hit.price
    }
  } else {
    issues.push(issue("missing", ["body", "products"], "Field required"))
  }
  if (issues.length > 0 || Option.isNone(found.organization)) return Result.fail(issues)
  const organization = found.organization.value
  const product = products[0]!

  // Price set and currency (spec 3.1).
  let priceSet: Price.PriceSet
  if (legacyPrice !== null) priceSet = Price.singletonPriceSet(legacyPrice)
  else {
    const set = Price.selectPriceSet(
      Price.catalogPrices(product.prices),
      Price.currencyPreference({ currency: input.currency ?? null, organizationDefault: organization.defaultPresentmentCurrency })
    )
    if (Result.isFailure(set)) {
      return Result.fail([issue("value_error", selectionLoc, NOT_AVAILABLE_IN_CURRENCY, input.currency ?? null)])
    }
    priceSet = set.success
  }
  const selectedPrice = legacyPrice ?? Price.defaultPrice(priceSet)
  const currency = priceSet.currency

  // Seats (spec 3.3).
  const tiers = seatTiersOf(priceSet)
  const minSeats = input.minSeats ?? null
  const maxSeats = input.maxSeats ?? null
  const requestedSeats = input.seats ?? null
  if (minSeats !== null && maxSeats !== null && minSeats > maxSeats) {
    issues.push(issue("value_error", ["body"], "Value error, min_seats must be less than or equal to max_seats.", input))
  }
  const fieldIssues = Seats.validateFields(tiers, { seats: requestedSeats, minSeats, maxSeats })
  issues.push(...fieldIssues)
  let seats: number | null = null
  if (tiers !== null && fieldIssues.length === 0) {
    seats = requestedSeats ?? Seats.defaultSeats(tiers, minSeats)
    collect(issues, Seats.validateSeats(tiers, seats, minSeats, maxSeats))
  }

  // Custom amount (spec 3.2).
  const custom = Price.customPrice(priceSet)
  let customAmount: number | null = null
  if (custom !== undefined && input.amount !== undefined && input.amount !== null) {
    customAmount = collect(issues, Pricing.validateCustomAmount(custom, input.amount, currency)) ?? null
  }

  // Discount (spec 3.4).
  let discount: Discount.Discount | null = null
  if (input.discountId !== undefined && input.discountId !== null) {
    const validated = Discount.validateForCheckout({
      field: "discount_id",
      discountId: input.discountId,
      discount: Option.getOrNull(found.discount),
      organizationId: organization.id,
      product,
      currency,
      now
    })
    discount = collect(issues, validated) ?? null
  }

  // Trial: both or neither (schema rule).
  if ((input.trialInterval ?? null) === null !== ((input.trialIntervalCount ?? null) === null)) {
    issues.push(
      issue("value_error", ["body"], "Value error, Both trial_interval and trial_interval_count must be set together.", input)
    )
  }

  // Customer.
  let customer: Customer.Customer | null = null
  const ref = customerRef(input)
  if (ref !== null && "id" in ref) {
    const c = Option.getOrUndefined(found.customer)
    if (c === undefined || c.organizationId !== organization.id || c.deletedAt !== null) {
      issues.push(issue("value_error", ["body", "customer_id"], "Customer does not exist.", ref.id))
    } else customer = c
  } else if (ref !== null) {
    customer = Option.getOrNull(found.customer)
    if (customer !== null && customer.deletedAt !== null) customer = null
  }

  // E-mail, address, tax id, metadata, custom fields.
  const customerEmail = validEmail(issues, emptyToNull(input.customerEmail))
  let address: Address.Address | null = null
  if (input.customerBillingAddress !== undefined && input.customerBillingAddress !== null) {
    address = collect(issues, Address.validateInput(input.customerBillingAddress, ["body", "customer_billing_address"])) ??
      null
  }
  let taxId: Address.TaxId | null = null
  const taxNumber = emptyToNull(input.customerTaxId)
  if (taxNumber !== null) taxId = collect(issues, TaxId.validate(taxNumber, address)) ?? null
  issues.push(...Metadata.validate(input.metadata ?? {}, ["body", "metadata"]))
  issues.push(...Metadata.validate(input.customerMetadata ?? {}, ["body", "customer_metadata"]))
  const customFieldData = collect(
    issues,
    CustomField.validateData(product.attachedCustomFields, input.customFieldData ?? {}, { enforceRequired: false })
  )
  if (issues.length > 0) return Result.fail(issues)

  return Result.succeed({
    now,
    organization,
    products,
    selection: { product, priceSet, selectedPrice, customAmount, discount },
    seats,
    minSeats,
    maxSeats,
    customer,
    requestSetBusiness: input.isBusinessCustomer !== undefined,
    fields: {
      currency,
      metadata: input.metadata ?? {},
      customFieldData: customFieldData ?? {},
      trialInterval: input.trialInterval ?? null,
      trialIntervalCount: input.trialIntervalCount ?? null,
      allowDiscountCodes: input.allowDiscountCodes ?? true,
      requireBillingAddress: BillingAddress.impliedRequireBillingAddress(input.requireBillingAddress ?? false, address),
      allowTrial: input.allowTrial ?? true,
      isBusinessCustomer: input.isBusinessCustomer ?? false,
      externalCustomerId: input.externalCustomerId ?? null,
      customerName: emptyToNull(input.customerName),
      customerEmail,
      customerIpAddress: input.customerIpAddress ?? null,
      customerBillingName: emptyToNull(input.customerBillingName),
      customerBillingAddress: address,
      customerTaxId: taxId,
      customerMetadata: input.customerMetadata ?? {},
      successUrl: input.successUrl ?? null,
      returnUrl: input.returnUrl ?? null,
      embedOrigin: input.embedOrigin ?? null,
      locale: input.locale ?? null
    }
  })
}

/** What the store and the clock give a new checkout: its id, client secret, expiry and the processor's public key. */
export interface Identity {
  readonly id: string
  readonly clientSecret: string
  readonly expiresAt: DateTime.Utc
  readonly publishableKey: string | null
}

/** The new checkout of a plan, with the customer prefill and the trial end; not priced yet. */
export const build = (plan: Plan, identity: Identity): Checkout.Checkout => {
  const { now, selection } = plan
  const base = Checkout.make({
    id: identity.id,
    createdAt: now,
    clientSecret: identity.clientSecret,
    expiresAt: identity.expiresAt,
    paymentProcessorMetadata: identity.publishableKey === null ? {} : { publishable_key: identity.publishableKey },
    currency: selection.priceSet?.currency ?? plan.organization.defaultPresentmentCurrency,
    seats: plan.seats,
    minSeats: plan.minSeats,
    maxSeats: plan.maxSeats,
    organizationId: plan.organization.id,
    productIds: plan.products.map((p) => p.id),
    productId: selection.product?.id ?? null,
    productPriceId: selection.selectedPrice?.id ?? null,
    discountId: selection.discount?.id ?? null,
    ...plan.fields
  })
  const withCustomer = plan.customer === null ? base : prefillFromCustomer(base, plan.customer, plan.requestSetBusiness)
  return {
    ...withCustomer,
    trialEnd: Trial.trialEnd(
      now,
      Trial.activeTrial({
        allowTrial: withCustomer.allowTrial,
        trialInterval: withCustomer.trialInterval,
        trialIntervalCount: withCustomer.trialIntervalCount,
        product: selection.product
      })
    )
  }
}
