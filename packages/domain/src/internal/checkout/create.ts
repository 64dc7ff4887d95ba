/**
 * The create use cases: `POST /v1/checkouts/` (every problem of the body reported at once, spec 4.2) and a checkout
 * opened from a checkout link (lenient: invalid prefills are dropped, spec 4.3). Both build the checkout, price it
 * (a tax error is not an error here), store it and publish `checkout.created` in one unit of work.
 */
import { DateTime, Effect, Option, Result } from "effect"
import * as Address from "../../Address.ts"
import * as BillingAddress from "../../BillingAddress.ts"
import * as Checkout from "../../Checkout.ts"
import * as CheckoutConfig from "../../CheckoutConfig.ts"
import type { Caller, CreateInput, FromLinkInput } from "../../CheckoutService.ts"
import * as CustomField from "../../CustomField.ts"
import type * as Customer from "../../Customer.ts"
import * as Discount from "../../Discount.ts"
import * as Email from "../../Email.ts"
import * as Metadata from "../../Metadata.ts"
import * as Organization from "../../Organization.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import type * as Product from "../../Product.ts"
import * as Seats from "../../Seats.ts"
import * as TaxId from "../../TaxId.ts"
import * as SpanAttributes from "../SpanAttributes.ts"
import * as Trial from "../../Trial.ts"
import type { Kit } from "./Kit.ts"
import {
  collect,
  emptyToNull,
  type Issue,
  invalid,
  isProductAvailable,
  issue,
  type Loc,
  NOT_AVAILABLE_IN_CURRENCY,
  seatTiersOf,
  type Selection,
  validEmail
} from "./Rules.ts"

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

export const make = (kit: Kit) => {
  const { catalog, customers, getProducts, organizations, processor, publish, reprice, repo, secrets, uow, validateDiscount, viewOf } = kit

  interface NewCheckout {
    /** The clock reading of the request: creation time, and the instant discounts were validated at. */
    readonly now: DateTime.Utc
    readonly organization: Organization.Organization
    readonly products: ReadonlyArray<Product.Product>
    readonly selection: Selection
    readonly seats: number | null
    readonly minSeats: number | null
    readonly maxSeats: number | null
    readonly fields: Partial<Checkout.Checkout>
    readonly customer: Customer.Customer | null
    readonly requestSetBusiness: boolean
  }

  /** Builds, prices (tax errors swallowed) and stores a new checkout; emits checkout.created. */
  const insertNew = Effect.fnUntraced(function*(input: NewCheckout) {
    const now = input.now
    const ttl = yield* CheckoutConfig.Ttl
    const id = yield* secrets.newId
    const clientSecret = yield* secrets.clientSecret("polar_c_")
    const { selection } = input
    const base = Checkout.make({
      id,
      createdAt: now,
      clientSecret,
      expiresAt: DateTime.addDuration(now, ttl),
      paymentProcessorMetadata: processor.publishableKey === null ? {} : { publishable_key: processor.publishableKey },
      currency: selection.priceSet?.currency ?? input.organization.defaultPresentmentCurrency,
      seats: input.seats,
      minSeats: input.minSeats,
      maxSeats: input.maxSeats,
      organizationId: input.organization.id,
      productIds: input.products.map((p) => p.id),
      productId: selection.product?.id ?? null,
      productPriceId: selection.selectedPrice?.id ?? null,
      discountId: selection.discount?.id ?? null,
      ...input.fields
    })
    const withCustomer = input.customer === null ? base : prefillFromCustomer(base, input.customer, input.requestSetBusiness)
    const draft: Checkout.Checkout = {
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
    const priced = yield* reprice(draft, selection, input.organization)
    const checkout = priced.checkout
    yield* uow.transaction(Effect.andThen(repo.insert(checkout), publish(checkout, "checkout.created")))
    return yield* viewOf({
      checkout,
      organization: input.organization,
      products: input.products,
      discount: selection.discount
    })
  })

  const productIssues = (product: Product.Product | undefined, organizationId: string | null, loc: Loc, input: unknown) => {
    if (product === undefined || organizationId === null || product.organizationId !== organizationId) {
      return [issue("value_error", loc, "Product does not exist.", input)]
    }
    if (product.isArchived) return [issue("value_error", loc, "Product is archived.", input)]
    if (product.visibility === "draft") return [issue("value_error", loc, "Product is a draft.", input)]
    return []
  }

  const create = Effect.fn("CheckoutService.create")(function*(caller: Caller, input: CreateInput) {
    const now = yield* DateTime.now
    const orgOption = yield* organizations.findById(caller.organizationId)
    // A blocked organization's catalog is not readable: its products "do not exist".
    const readableOrgId = Option.isSome(orgOption) && Organization.canAuthenticate(orgOption.value) ? orgOption.value.id : null
    const issues: Array<Issue> = []
    let products: Array<Product.Product> = []
    let legacyPrice: Price.Price | null = null
    let selectionLoc: Loc = ["body", "products", 0]

    const ids = input.products
    if (ids !== undefined) {
      if (ids.length === 0) {
        issues.push(issue("too_short", ["body", "products"], "List should have at least 1 item after validation, not 0", []))
      } else if (new Set(ids).size !== ids.length) {
        issues.push(issue("value_error", ["body", "products"], "Value error, Product IDs must be unique.", ids))
      }
      const found = yield* getProducts(ids)
      found.forEach((p, i) => {
        const problems = productIssues(Option.getOrUndefined(p), readableOrgId, ["body", "products", i], ids[i])
        issues.push(...problems)
        if (problems.length === 0 && Option.isSome(p)) products.push(p.value)
      })
    } else if (input.productId !== undefined) {
      selectionLoc = ["body", "product_id"]
      const p = Option.getOrUndefined(yield* catalog.getProduct(input.productId))
      const problems = productIssues(p, readableOrgId, selectionLoc, input.productId)
      issues.push(...problems)
      if (problems.length === 0 && p !== undefined) products = [p]
    } else if (input.productPriceId !== undefined) {
      selectionLoc = ["body", "product_price_id"]
      const found = Option.getOrUndefined(yield* catalog.getPrice(input.productPriceId))
      const loc = selectionLoc
      if (found === undefined || readableOrgId === null || found.product.organizationId !== readableOrgId) {
        issues.push(issue("value_error", loc, "Price does not exist.", input.productPriceId))
      } else if (found.price.isArchived) {
        issues.push(issue("value_error", loc, "Price is archived.", input.productPriceId))
      } else if (found.product.isArchived) {
        issues.push(issue("value_error", loc, "Product is archived.", input.productPriceId))
      } else if (found.product.visibility === "draft") {
        issues.push(issue("value_error", loc, "Product is a draft.", input.productPriceId))
      } else {
        products = [found.product]
        legacyPrice = found.price
      }
    } else {
      issues.push(issue("missing", ["body", "products"], "Field required"))
    }
    if (issues.length > 0 || Option.isNone(orgOption)) return yield* invalid(issues)
    const organization = orgOption.value
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
        return yield* invalid([issue("value_error", selectionLoc, NOT_AVAILABLE_IN_CURRENCY, input.currency ?? null)])
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
      discount = collect(issues, yield* validateDiscount(organization.id, product, currency, now, { id: input.discountId })) ??
        null
    }

    // Trial: both or neither (schema rule).
    if ((input.trialInterval ?? null) === null !== ((input.trialIntervalCount ?? null) === null)) {
      issues.push(
        issue("value_error", ["body"], "Value error, Both trial_interval and trial_interval_count must be set together.", input)
      )
    }

    // Customer.
    let customer: Customer.Customer | null = null
    if (input.customerId !== undefined && input.customerId !== null) {
      const found = Option.getOrUndefined(yield* customers.findById(input.customerId))
      if (found === undefined || found.organizationId !== organization.id || found.deletedAt !== null) {
        issues.push(issue("value_error", ["body", "customer_id"], "Customer does not exist.", input.customerId))
      } else customer = found
    } else if (input.externalCustomerId !== undefined && input.externalCustomerId !== null) {
      customer = Option.getOrNull(yield* customers.findByExternalId(organization.id, input.externalCustomerId))
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
    if (issues.length > 0) return yield* invalid(issues)

    return yield* insertNew({
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
  }, SpanAttributes.annotate("CheckoutService.create"))

  const createFromLink = Effect.fn("CheckoutService.createFromLink")(function*(input: FromLinkInput) {
    const now = yield* DateTime.now
    const products = input.products.filter(isProductAvailable)
    if (products.length === 0) {
      return yield* invalid([issue("value_error", ["body", "products"], "No valid products.", null)])
    }
    const product = products.find((p) => p.id === input.selectedProductId) ?? products[0]!
    const organization = input.organization
    const set = Price.selectPriceSet(
      Price.catalogPrices(product.prices),
      Price.currencyPreference({ currency: null, organizationDefault: organization.defaultPresentmentCurrency })
    )
    if (Result.isFailure(set)) {
      return yield* invalid([issue("value_error", ["body", "products", 0], NOT_AVAILABLE_IN_CURRENCY, null)])
    }
    const priceSet = set.success
    const currency = priceSet.currency

    // Seats: the lock applies only while it still fits the tiers (test_seat_lock_drift_falls_back_to_minimum).
    const tiers = seatTiersOf(priceSet)
    let seats: number | null = null
    let lock: number | null = null
    if (tiers !== null) {
      if (input.seatLock !== null && Result.isSuccess(Seats.validateSeats(tiers, input.seatLock, null, null))) {
        lock = input.seatLock
      }
      seats = lock ?? Seats.defaultSeats(tiers, null)
    }

    const custom = Price.customPrice(priceSet)
    const customAmount = custom !== undefined && input.amount !== null &&
        Result.isSuccess(Pricing.validateCustomAmount(custom, input.amount, currency))
      ? input.amount
      : null

    let discount: Discount.Discount | null = null
    const code = input.discountCode === null ? "" : Discount.normalizeCode(input.discountCode)
    if (input.allowDiscountCodes && code !== "") {
      discount = Result.getOrNull(yield* validateDiscount(organization.id, product, currency, now, { code }))
    }
    if (discount === null && input.discountId !== null) {
      discount = Result.getOrNull(yield* validateDiscount(organization.id, product, currency, now, { id: input.discountId }))
    }

    const customFieldData: Record<string, string | number | boolean | null> = {}
    for (const [slug, value] of Object.entries(input.customFieldData)) {
      const r = CustomField.validateData(product.attachedCustomFields, { [slug]: value }, { enforceRequired: false })
      if (Result.isSuccess(r)) Object.assign(customFieldData, r.success)
    }
    // An address the reference refuses is ignored, as an invalid prefill is (test_query_prefill_customer_email_invalid).
    const email = input.customerEmail !== null && Email.problem(input.customerEmail) === undefined ? input.customerEmail : null

    return yield* insertNew({
      now,
      organization,
      products,
      selection: { product, priceSet, selectedPrice: Price.defaultPrice(priceSet), customAmount, discount },
      seats,
      minSeats: lock,
      maxSeats: lock,
      customer: null,
      requestSetBusiness: false,
      fields: {
        currency,
        metadata: input.metadata,
        customFieldData,
        trialInterval: input.trialInterval,
        trialIntervalCount: input.trialIntervalCount,
        allowDiscountCodes: input.allowDiscountCodes,
        requireBillingAddress: input.requireBillingAddress,
        allowTrial: true,
        customerName: emptyToNull(input.customerName),
        customerEmail: email,
        customerIpAddress: input.customerIpAddress,
        successUrl: input.successUrl,
        returnUrl: input.returnUrl,
        embedOrigin: input.embedOrigin,
        locale: input.locale
      }
    })
  }, SpanAttributes.annotate("CheckoutService.createFromLink"))

  return { create, createFromLink }
}
