/**
 * The checkout service: its interface, input types and `layer` (spec 2, 4.2, 5, 6), plus create, read, list and
 * update. Rules come from the pure modules (Pricing, Price, Seats, Discount, Address, TaxId, CustomField, Metadata,
 * Trial); every status change goes through CheckoutStatus.transition; every write runs inside
 * UnitOfWork.transaction so a failed request leaves nothing behind (lazy expiry is committed before the request
 * fails with the expiry error).
 *
 * The payment path lives in `internal/checkout/`: confirm (record the attempt, commit, call the processor in a
 * scope that outlives the request, record the outcome: no transaction spans a call to another system), the payment
 * notifications (with refunds of money the checkout cannot keep), the expiry sweep and the reconciliation of
 * attempts whose outcome is unknown. The pure decisions they share are in `Confirmation.ts`.
 */
import { Context, DateTime, type Duration, Effect, FiberSet, Layer, Option, Result } from "effect"
import * as Address from "./Address.ts"
import * as BillingAddress from "./BillingAddress.ts"
import * as Checkout from "./Checkout.ts"
import type * as Confirmation from "./Confirmation.ts"
import * as CheckoutConfig from "./CheckoutConfig.ts"
import * as CheckoutStatus from "./CheckoutStatus.ts"
import * as CheckoutView from "./CheckoutView.ts"
import * as CustomField from "./CustomField.ts"
import type * as Customer from "./Customer.ts"
import * as Discount from "./Discount.ts"
import * as Email from "./Email.ts"
import * as Errors from "./Errors.ts"
import type { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"
import * as Organization from "./Organization.ts"
import { Catalog } from "./ports/Catalog.ts"
import { type Page, type Sort, type SortField, CheckoutRepository } from "./ports/CheckoutRepository.ts"
import { Customers } from "./ports/Customers.ts"
import { type CheckoutEventType, Events } from "./ports/Events.ts"
import { Organizations } from "./ports/Organizations.ts"
import * as Confirm from "./internal/checkout/confirm.ts"
import * as Expire from "./internal/checkout/expire.ts"
import type { Calculate, Gate, Kit, Loaded, Mode, Patch, Repriced, TaxOutcome } from "./internal/checkout/Kit.ts"
import * as Notify from "./internal/checkout/notify.ts"
import * as Reconcile from "./internal/checkout/reconcile.ts"
import {
  emptyToNull,
  flagsOf,
  type Issue,
  invalid,
  issue,
  type Loc,
  resetPaymentFormFields,
  type Selection
} from "./internal/checkout/Rules.ts"
import { PaymentProcessor } from "./ports/PaymentProcessor.ts"
import { Secrets } from "./ports/Secrets.ts"
import { TaxCalculator } from "./ports/TaxCalculator.ts"
import { UnitOfWork } from "./ports/UnitOfWork.ts"
import * as Price from "./Price.ts"
import * as Pricing from "./Pricing.ts"
import type * as Product from "./Product.ts"
import * as Seats from "./Seats.ts"
import * as Tax from "./Tax.ts"
import * as TaxId from "./TaxId.ts"
import * as Trial from "./Trial.ts"

type CheckoutView = CheckoutView.CheckoutView

// ---------------------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------------------

/** The organization the caller acts for (an organization access token's grant). */
export interface Caller {
  readonly organizationId: Id
}

/** `POST /v1/checkouts/`. Exactly one of products / productId / productPriceId (checked in this order). */
export interface CreateInput {
  readonly products?: ReadonlyArray<string>
  readonly productId?: string
  readonly productPriceId?: string
  readonly currency?: string | null
  readonly metadata?: Metadata.Metadata
  readonly customFieldData?: Readonly<Record<string, unknown>>
  readonly trialInterval?: Product.Interval | null
  readonly trialIntervalCount?: number | null
  readonly discountId?: string | null
  readonly allowDiscountCodes?: boolean
  readonly requireBillingAddress?: boolean
  readonly amount?: number | null
  readonly seats?: number | null
  readonly minSeats?: number | null
  readonly maxSeats?: number | null
  readonly allowTrial?: boolean
  readonly customerId?: string | null
  readonly isBusinessCustomer?: boolean
  readonly externalCustomerId?: string | null
  readonly customerName?: string | null
  readonly customerEmail?: string | null
  readonly customerIpAddress?: string | null
  readonly customerBillingName?: string | null
  readonly customerBillingAddress?: Address.Input | null
  readonly customerTaxId?: string | null
  readonly customerMetadata?: Metadata.Metadata
  /** Kept raw; `{CHECKOUT_ID}` is interpolated when read. */
  readonly successUrl?: string | null
  readonly returnUrl?: string | null
  readonly embedOrigin?: string | null
  readonly locale?: string | null
}

/** `PATCH /v1/checkouts/client/{secret}` (CheckoutUpdatePublic). Absent = untouched; null clears. */
export interface ClientUpdateInput {
  readonly productId?: string
  readonly productPriceId?: string
  readonly amount?: number | null
  readonly seats?: number | null
  readonly isBusinessCustomer?: boolean
  readonly customerName?: string | null
  readonly customerEmail?: string | null
  readonly customerBillingName?: string | null
  /** null is ignored (the stored address stays), as in the reference. */
  readonly customerBillingAddress?: Address.Input | null
  readonly customerTaxId?: string | null
  readonly locale?: string | null
  /** Merged into the stored data on update; replaces it on confirm. */
  readonly customFieldData?: Readonly<Record<string, unknown>>
  readonly paymentMethodType?: string | null
  /** Whitespace-stripped, case-insensitive; silently ignored when the checkout disallows codes; null clears. */
  readonly discountCode?: string | null
  /** The buyer may only turn the trial off. */
  readonly allowTrial?: false | null
}

/** `PATCH /v1/checkouts/{id}` (CheckoutUpdate). Absent = untouched; null clears. */
export interface UpdateInput extends Omit<ClientUpdateInput, "discountCode" | "allowTrial" | "paymentMethodType"> {
  readonly currency?: string
  /** Replaces; `{}` clears. */
  readonly metadata?: Metadata.Metadata
  readonly customerMetadata?: Metadata.Metadata
  readonly trialInterval?: Product.Interval | null
  readonly trialIntervalCount?: number | null
  readonly discountId?: string | null
  readonly allowDiscountCodes?: boolean
  readonly requireBillingAddress?: boolean
  readonly allowTrial?: boolean
  readonly customerIpAddress?: string | null
  readonly successUrl?: string | null
  readonly returnUrl?: string | null
  readonly embedOrigin?: string | null
}

/** `POST /v1/checkouts/client/{secret}/confirm` (CheckoutConfirmStripe). */
export interface ConfirmInput extends ClientUpdateInput {
  /** The processor's confirmation token (Stripe ConfirmationToken); required when a payment form is required. */
  readonly confirmationTokenId?: string | null
}

export interface ListInput {
  readonly page: number
  /** Clamped to 1..100. */
  readonly limit: number
  /** Intersected with the caller's organization. */
  readonly organizationIds?: ReadonlyArray<string>
  readonly productIds?: ReadonlyArray<string>
  readonly customerIds?: ReadonlyArray<string>
  readonly externalCustomerIds?: ReadonlyArray<string>
  readonly statuses?: ReadonlyArray<CheckoutStatus.Status>
  readonly query?: string
  /** Default: created_at descending. */
  readonly sorting?: ReadonlyArray<Sort<SortField>>
}

/**
 * A checkout created from a checkout link (spec 4.3 steps 3-12). The link service has already looked the link up,
 * checked the embed origin, resolved `?product_id=` and merged the allowed query keys into `metadata`; everything
 * else here is lenient like the reference: invalid prefills are dropped, not reported.
 */
export interface FromLinkInput {
  readonly organization: Organization.Organization
  /** The link's products in link order; archived and draft ones are skipped. */
  readonly products: ReadonlyArray<Product.Product>
  /** `?product_id=` when it is one of the link's products; else the first valid product is selected. */
  readonly selectedProductId: string | null
  /** The link's seat lock: seats = min = max = lock when it fits the product's tiers, else ignored. */
  readonly seatLock: number | null
  /** `?amount=` (already an integer); used only when it passes the custom-amount rules. */
  readonly amount: number | null
  /** The link's discount; dropped when not valid for this checkout. */
  readonly discountId: string | null
  /** `?discount_code=`; when valid (and codes are allowed) it replaces the link's discount, else ignored. */
  readonly discountCode: string | null
  readonly trialInterval: Product.Interval | null
  readonly trialIntervalCount: number | null
  readonly allowDiscountCodes: boolean
  readonly requireBillingAddress: boolean
  readonly successUrl: string | null
  readonly returnUrl: string | null
  readonly metadata: Metadata.Metadata
  readonly embedOrigin: string | null
  readonly customerIpAddress: string | null
  /** Dropped unless syntactically valid. */
  readonly customerEmail: string | null
  readonly customerName: string | null
  /** slug -> raw value; unknown slugs and invalid values are dropped. */
  readonly customFieldData: Readonly<Record<string, unknown>>
  readonly locale: string | null
}

export interface PaymentNotification {
  readonly checkoutId: string
  /** The processor intent the notification is about (null for a checkout confirmed without payment form). */
  readonly intentId: string | null
  /**
   * The idempotency key of our request that caused the event, when the processor reports it (Stripe:
   * `event.request.idempotency_key`, `${checkoutId}:${attempt}` for events of our confirm). It identifies the
   * pending attempt before its answer is recorded (the event can overtake it, or the answer can be lost).
   */
  readonly idempotencyKey?: string | null
}

export type PaymentResult =
  | { readonly _tag: "Applied"; readonly checkout: Checkout.Checkout }
  | { readonly _tag: "Ignored"; readonly checkout: Checkout.Checkout; readonly reason: CheckoutStatus.IgnoreReason }
  /** A success the checkout could not keep was given back (`checkout.payment_refunded` published). */
  | {
    readonly _tag: "Refunded"
    readonly checkout: Checkout.Checkout
    readonly reason: Confirmation.RefundReason
    readonly refundId: string
  }

export type PaymentSucceededError =
  | Errors.ResourceNotFound
  | Errors.NotConfirmedCheckout
  | Errors.CheckoutLocked
  | Errors.PaymentProcessorUnavailable

/** What one reconciliation run did, by checkout id. */
export interface ReconcileReport {
  /** Confirmed checkouts looked at. */
  readonly examined: number
  /** Checkouts whose state moved (an attempt's outcome recorded, succeeded, reopened). */
  readonly resolved: ReadonlyArray<string>
  /** Checkouts the processor could not tell about this time (left for the next run). */
  readonly unresolved: ReadonlyArray<string>
}

export interface ReconcileOptions {
  readonly limit?: number
  /** How long an accepted intent may wait for its notification before it is read at the processor. Default 10 min. */
  readonly notificationGrace?: Duration.Input
}

export type WriteError =
  | Errors.ResourceNotFound
  | Errors.NotOpenCheckout
  | Errors.CheckoutLocked
  | Errors.RequestValidationError
  | Errors.TaxCalculationTechnicalError

export type ClientWriteError = WriteError | Errors.ExpiredCheckoutError | Errors.NotPermitted

export type ConfirmError =
  | ClientWriteError
  | Errors.PaymentNotReady
  | Errors.PaymentError
  | Errors.PaymentOutcomeUnknown
  | Errors.CheckoutCustomerDeleted
  | Errors.CheckoutCustomerExternalIdMismatch
  | Errors.PaymentProcessorUnavailable

// ---------------------------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------------------------

export class CheckoutService extends Context.Service<CheckoutService, {
  readonly create: (
    caller: Caller,
    input: CreateInput
  ) => Effect.Effect<CheckoutView, Errors.RequestValidationError | Errors.TaxCalculationTechnicalError>
  readonly createFromLink: (
    input: FromLinkInput
  ) => Effect.Effect<CheckoutView, Errors.RequestValidationError | Errors.TaxCalculationTechnicalError>
  readonly get: (caller: Caller, id: string) => Effect.Effect<CheckoutView, Errors.ResourceNotFound>
  readonly list: (caller: Caller, query: ListInput) => Effect.Effect<Page<CheckoutView>>
  readonly update: (caller: Caller, id: string, patch: UpdateInput) => Effect.Effect<CheckoutView, WriteError>
  readonly clientGet: (
    clientSecret: string
  ) => Effect.Effect<CheckoutView, Errors.ResourceNotFound | Errors.ExpiredCheckoutError | Errors.NotPermitted>
  readonly clientUpdate: (clientSecret: string, patch: ClientUpdateInput) => Effect.Effect<CheckoutView, ClientWriteError>
  readonly confirm: (clientSecret: string, input: ConfirmInput) => Effect.Effect<CheckoutView, ConfirmError>
  /**
   * The processor reports a success. The checkout's current (or pending) attempt succeeds it; money for any other
   * attempt, or for a checkout that is no longer confirmed, is refunded (`Refunded`).
   */
  readonly paymentSucceeded: (notification: PaymentNotification) => Effect.Effect<PaymentResult, PaymentSucceededError>
  readonly paymentFailed: (
    notification: PaymentNotification
  ) => Effect.Effect<PaymentResult, Errors.ResourceNotFound | Errors.CheckoutLocked>
  /**
   * The expiry sweep (the reference's cron): expires due open checkouts, returns those it expired. A confirmed
   * checkout (an attempt recorded, maybe paid) never expires.
   */
  readonly expireOpenCheckouts: (options?: { readonly limit?: number }) => Effect.Effect<ReadonlyArray<Checkout.Checkout>>
  /**
   * Resolves payment attempts whose outcome is not recorded (answer lost, process died mid-call, a 5xx stored
   * under our key) and accepted intents whose notification never came, by asking the processor. Run it on an
   * interval (the server does) or on demand.
   */
  readonly reconcilePayments: (options?: ReconcileOptions) => Effect.Effect<ReconcileReport>
}>()("@checkout-kit/domain/CheckoutService") {
  static readonly layer: Layer.Layer<
    CheckoutService,
    never,
    | CheckoutRepository
    | Catalog
    | Customers
    | Organizations
    | PaymentProcessor
    | TaxCalculator
    | Events
    | Secrets
    | UnitOfWork
  > = Layer.effect(CheckoutService, Effect.suspend(() => make))
}

// ---------------------------------------------------------------------------------------------------------------
// Pure pieces
// ---------------------------------------------------------------------------------------------------------------


const EMAIL_LOC = ["body", "customer_email"] as const

/** A given e-mail if the reference accepts it (Email.problem); else its 422 item is collected and null returned. */
const validEmail = (issues: Array<Issue>, email: string | null): string | null =>
  email === null ? null : collect(issues, Email.validate(email, EMAIL_LOC)) ?? null

const DEFAULT_TAX_CODE = "general_electronically_supplied_services"

const NOT_AVAILABLE_IN_CURRENCY = "Product is not available in the specified currency."

/**
 * The set a stored checkout charges: the product's catalog prices in its currency, plus the selected price even if
 * archived since (so the amount does not move under the buyer; confirm reports the archived price).
 */
const storedPriceSet = (product: Product.Product, currency: string, selectedPriceId: string | null): Price.PriceSet | null => {
  const prices = product.prices.filter((p) =>
    p.source === "catalog" && p.priceCurrency === currency && (!p.isArchived || p.id === selectedPriceId)
  )
  const ordered = [...prices.filter(Price.isStatic), ...prices.filter(Price.isMetered)]
  const [first, ...rest] = ordered
  return first === undefined ? null : { currency, prices: [first, ...rest] }
}

const seatTiersOf = (set: Price.PriceSet | null): Price.SeatTiers | null =>
  set === null ? null : Price.seatPrice(set)?.seatTiers ?? null

const isProductAvailable = (product: Product.Product): boolean => !product.isArchived && product.visibility !== "draft"

/** The amount chain of `selection` for the checkout, with the given tax input. */
const priceOf = (draft: Checkout.Checkout, selection: Selection, tax: Tax.TaxInput): Pricing.PriceResult =>
  Pricing.price({
    product: selection.product,
    productPrices: selection.product === null ? null : Price.catalogPrices(selection.product.prices),
    priceSet: selection.priceSet,
    customAmount: selection.customAmount,
    seats: draft.seats,
    discount: selection.discount,
    tax,
    // The stored tax gates the tax step, in both calls of a reprice (spec 3.5 step 3).
    previousTaxAmount: draft.taxAmount,
    trialEnd: draft.trialEnd
  })

/** Writes an amount chain (and the tax fields that go with `tax`) into the checkout. */
const applyPricing = (draft: Checkout.Checkout, r: Pricing.PriceResult, tax: TaxOutcome): Checkout.Checkout => {
  const amounts = {
    amount: r.amount,
    discountAmount: r.discountAmount,
    netAmount: r.netAmount,
    taxAmount: r.taxAmount,
    totalAmount: r.totalAmount
  }
  switch (tax._tag) {
    case "NotRequired":
      return { ...draft, ...amounts, taxProcessorId: null }
    case "Unchanged":
      return { ...draft, ...amounts }
    case "Quoted":
      return {
        ...draft,
        ...amounts,
        taxBehavior: tax.quote.taxBehavior,
        taxProcessor: tax.quote.processor,
        taxProcessorId: tax.quote.processorId,
        taxBreakdown: tax.quote.breakdown.length === 0 ? null : tax.quote.breakdown
      }
    case "Failed":
      return { ...draft, ...amounts, taxBehavior: null, taxProcessor: null, taxProcessorId: null, taxBreakdown: null }
  }
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

/** Merges validated issues of a Result into `issues` and returns the value (or undefined). */
const collect = <A>(issues: Array<Issue>, r: Result.Result<A, Issue | ReadonlyArray<Issue>>): A | undefined => {
  if (Result.isSuccess(r)) return r.success
  const e = r.failure
  if (Array.isArray(e)) issues.push(...(e as ReadonlyArray<Issue>))
  else issues.push(e as Issue)
  return undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------------------------

const make = Effect.gen(function*() {
  const repo = yield* CheckoutRepository
  const catalog = yield* Catalog
  const customers = yield* Customers
  const organizations = yield* Organizations
  const processor = yield* PaymentProcessor
  const taxes = yield* TaxCalculator
  const events = yield* Events
  const secrets = yield* Secrets
  const uow = yield* UnitOfWork

  // --- reads -----------------------------------------------------------------------------------------------------

  /** The catalog's answer for each id, in order (a single id, the usual case, skips `forEach`'s machinery). */
  const getProducts = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Option.Option<Product.Product>>> =>
    ids.length === 1
      ? Effect.map(catalog.getProduct(ids[0]!), (found) => [found])
      : Effect.forEach(ids, (id) => catalog.getProduct(id))

  const loadProducts = (ids: ReadonlyArray<string>) =>
    Effect.map(getProducts(ids), (found) => found.flatMap(Option.toArray))

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
        Effect.map(loadDiscount(checkout.discountId), (discount) => ({ checkout, organization, products, discount }))))

  const viewOf = (loaded: Loaded, customerSessionToken: string | null = null) =>
    Effect.map(CheckoutConfig.Urls, (urls) =>
      CheckoutView.make({
        checkout: loaded.checkout,
        organization: loaded.organization,
        products: loaded.products,
        discount: loaded.discount,
        frontendBaseUrl: urls.frontendBaseUrl,
        customerSessionToken
      }))

  const selectionOf = (loaded: Loaded): Selection => {
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

  // --- writes ----------------------------------------------------------------------------------------------------

  const save = (next: Checkout.Checkout, expectedVersion: number) =>
    repo.update(next, expectedVersion).pipe(
      Effect.catchTag("VersionConflict", () => Effect.fail(new Errors.CheckoutLocked({ checkoutId: next.id })))
    )

  const publish = (checkout: Checkout.Checkout, ...types: ReadonlyArray<CheckoutEventType>) =>
    types.length === 1
      ? events.publish({ type: types[0]!, checkout })
      : Effect.forEach(types, (type) => events.publish({ type, checkout }), { discard: true })

  /** Moves a due open checkout to expired and stores it (lazy expiry and the sweep). */
  const expireNow = Effect.fnUntraced(function*(checkout: Checkout.Checkout, now: DateTime.Utc) {
    const t = CheckoutStatus.transition(checkout, { _tag: "Expire" }, now)
    if (Result.isFailure(t) || t.success._tag === "Ignored") return Option.none<Checkout.Checkout>()
    const stored = yield* save(t.success.checkout, checkout.version)
    yield* publish(stored, "checkout.expired")
    return Option.some(stored)
  })

  /**
   * Tax for the checkout's current state (spec 3.5): not asked when no payment form is needed or the product is not
   * taxable (tax 0), kept as it was without a billing address, else quoted. A logical error clears the tax fields;
   * the caller decides whether it is an error (confirm) or not (create, update).
   */
  const reprice = (
    draft: Checkout.Checkout,
    selection: Selection,
    organization: Organization.Organization,
    calculate: Calculate = taxes.calculate
  ) => {
    // With the stored tax kept: final when no tax is required (the chain then sets tax 0) or none can be asked yet.
    const pre = priceOf(draft, selection, Tax.unchanged(draft.taxAmount))
    const address = draft.customerBillingAddress
    if (!pre.isTaxRequired || selection.product === null) {
      return Effect.succeed<Repriced>({ checkout: applyPricing(draft, pre, { _tag: "NotRequired" }), taxError: null })
    }
    if (address === null) return Effect.succeed<Repriced>({ checkout: applyPricing(draft, pre, { _tag: "Unchanged" }), taxError: null })
    return quoteTax(draft, { ...selection, product: selection.product }, organization, pre, address, calculate)
  }

  /** `reprice` when a tax quote is needed: asks the calculator, a logical error clears the tax fields. */
  const quoteTax = Effect.fnUntraced(function*(
    draft: Checkout.Checkout,
    selection: Selection & { readonly product: Product.Product },
    organization: Organization.Organization,
    pre: Pricing.PriceResult,
    address: Address.Address,
    calculate: Calculate
  ) {
    const outcome = yield* calculate({
      checkoutId: draft.id,
      currency: draft.currency,
      netAmount: pre.taxableAmount,
      taxBehaviorOption: Tax.behaviorOption(selection.selectedPrice, organization),
      taxCode: selection.product.taxCode ?? DEFAULT_TAX_CODE,
      address,
      taxIds: draft.customerTaxId === null ? [] : [draft.customerTaxId],
      customerExempt: false
    }).pipe(
      Effect.map((quote): TaxOutcome => ({ _tag: "Quoted", quote })),
      Effect.catchTag("TaxCalculationLogicalError", (e) => Effect.succeed<TaxOutcome>({ _tag: "Failed", message: e.message }))
    )
    return {
      checkout: applyPricing(
        draft,
        priceOf(draft, selection, outcome._tag === "Quoted" ? Tax.quote(outcome.quote.amount, outcome.quote.taxBehavior) : Tax.unknown),
        outcome
      ),
      taxError: outcome._tag === "Failed" ? outcome.message : null
    } satisfies Repriced
  })

  /** Validates a discount by id or code for the checkout's product and currency. */
  const validateDiscount = Effect.fnUntraced(function*(
    organizationId: string,
    product: Product.Product,
    currency: string,
    now: DateTime.Utc,
    ref: { readonly id: string } | { readonly code: string }
  ) {
    const found = "id" in ref
      ? yield* catalog.getDiscount(ref.id)
      : yield* catalog.getDiscountByCode(organizationId, ref.code)
    return Discount.validateForCheckout({
      field: "id" in ref ? "discount_id" : "discount_code",
      discountId: "id" in ref ? ref.id : null,
      discount: Option.getOrNull(found),
      organizationId,
      product,
      currency,
      now
    })
  })

  /**
   * Applies an update body to a loaded open checkout (the reference's `_update_checkout`), collecting every issue.
   * Returns the draft (not repriced) and its selection.
   */
  const applyPatch = Effect.fnUntraced(function*(loaded: Loaded, patch: Patch, mode: Mode, now: DateTime.Utc) {
    const issues: Array<Issue> = []
    const c = loaded.checkout
    const org = loaded.organization
    const current = selectionOf(loaded)
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
    if (mode === "org" && patch.discountId !== undefined) {
      if (patch.discountId === null) discount = null
      else if (product !== null) {
        const ok = collect(issues, yield* validateDiscount(org.id, product, currency, now, { id: patch.discountId }))
        if (ok !== undefined) discount = ok
      }
    }
    if (mode !== "org" && patch.discountCode !== undefined && c.allowDiscountCodes) {
      const code = patch.discountCode === null ? "" : Discount.normalizeCode(patch.discountCode)
      if (code === "") discount = null
      else if (product !== null) {
        const ok = collect(issues, yield* validateDiscount(org.id, product, currency, now, { code }))
        if (ok !== undefined) discount = ok
      }
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
    if (mode === "confirm") {
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
      : mode === "org"
      ? patch.allowTrial
      : patch.allowTrial && c.allowTrial
    const trialChanged = selectionChanged || patch.trialInterval !== undefined || patch.trialIntervalCount !== undefined ||
      allowTrial !== c.allowTrial
    const trialEnd = trialChanged
      ? Trial.trialEnd(now, Trial.activeTrial({ allowTrial, trialInterval, trialIntervalCount, product }))
      : c.trialEnd

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
      paymentMethodType: mode !== "org" && patch.paymentMethodType !== undefined
        ? emptyToNull(patch.paymentMethodType)
        : c.paymentMethodType,
      customFieldData,
      metadata: mode === "org" && patch.metadata !== undefined ? patch.metadata : c.metadata,
      customerMetadata: mode === "org" && patch.customerMetadata !== undefined ? patch.customerMetadata : c.customerMetadata,
      trialInterval,
      trialIntervalCount,
      allowTrial,
      trialEnd,
      allowDiscountCodes: mode === "org" && patch.allowDiscountCodes !== undefined
        ? patch.allowDiscountCodes
        : c.allowDiscountCodes,
      requireBillingAddress: mode === "org" && patch.requireBillingAddress !== undefined
        ? patch.requireBillingAddress
        : c.requireBillingAddress,
      customerIpAddress: mode === "org" && patch.customerIpAddress !== undefined ? patch.customerIpAddress : c.customerIpAddress,
      successUrl: mode === "org" && patch.successUrl !== undefined ? patch.successUrl : c.successUrl,
      returnUrl: mode === "org" && patch.returnUrl !== undefined ? patch.returnUrl : c.returnUrl,
      embedOrigin: mode === "org" && patch.embedOrigin !== undefined ? patch.embedOrigin : c.embedOrigin
    }
    const selection: Selection = { product, priceSet, selectedPrice, customAmount, discount }
    return { draft, selection, issues }
  })

  /** Locks a checkout for a client write and applies the gate order (spec 2.2): 404, 410, 403. */
  const gateForWrite = Effect.fnUntraced(function*(clientSecret: string, now: DateTime.Utc) {
    const found = yield* repo.findByClientSecret(clientSecret)
    if (Option.isNone(found)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
    const locked = yield* repo.lockForUpdate(found.value.id)
    if (Option.isNone(locked)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
    const checkout = locked.value
    if (CheckoutStatus.isExpiredByTime(checkout, now)) {
      const expired = yield* expireNow(checkout, now)
      return { _tag: "Expired", checkout: Option.getOrElse(expired, () => checkout) } satisfies Gate as Gate
    }
    const loaded = yield* load(checkout)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.NotPermitted({ detail: "Not permitted" })
    return { _tag: "Live", loaded } satisfies Gate as Gate
  })

  /**
   * Locks a checkout of the caller's organization for an org write; lazy expiry as for client writes. A blocked
   * organization's checkouts are not found (reference: readable statements exclude blocked organizations).
   */
  const gateForOrgWrite = Effect.fnUntraced(function*(caller: Caller, id: string, now: DateTime.Utc) {
    const locked = yield* repo.lockForUpdate(id)
    if (Option.isNone(locked) || locked.value.organizationId !== caller.organizationId) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    }
    const checkout = locked.value
    if (!Organization.canAuthenticate(yield* loadOrganization(checkout.organizationId))) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    }
    if (checkout.status === "open" && CheckoutStatus.isExpiredByTime(checkout, now)) {
      const expired = yield* expireNow(checkout, now)
      return { _tag: "Expired", checkout: Option.getOrElse(expired, () => checkout) } satisfies Gate as Gate
    }
    return { _tag: "Live", loaded: yield* load(checkout) } satisfies Gate as Gate
  })

  /**
   * Writes need an open checkout. The gates have already expired a past-due one, so "expired by time" can only
   * surface here as the status it now has.
   */
  const openOrFail = <A>(t: Result.Result<A, Errors.NotOpenCheckout | Errors.ExpiredCheckoutError>, checkout: Checkout.Checkout) =>
    Result.isSuccess(t)
      ? Effect.succeed(t.success)
      : Effect.fail(
        t.failure._tag === "NotOpenCheckout"
          ? t.failure
          : new Errors.NotOpenCheckout({ checkoutId: checkout.id, status: "expired" })
      )

  const requireOpen = (checkout: Checkout.Checkout, now: DateTime.Utc) =>
    Effect.asVoid(openOrFail(CheckoutStatus.transition(checkout, { _tag: "Update" }, now), checkout))

  /** Validated update: apply, fail on issues, reprice (tax errors swallowed), reset form fields, store. */
  const writeUpdate = Effect.fnUntraced(function*(loaded: Loaded, patch: Patch, mode: Mode, now: DateTime.Utc) {
    // A payment attempt without a recorded answer: the checkout may go back to open (a decline), so the write is
    // "being processed, try again" rather than a final "not open".
    if (loaded.checkout.status === "confirmed" && loaded.checkout.pendingPayment !== null) {
      return yield* new Errors.CheckoutLocked({ checkoutId: loaded.checkout.id })
    }
    yield* requireOpen(loaded.checkout, now)
    const { draft, selection, issues } = yield* applyPatch(loaded, patch, mode, now)
    if (issues.length > 0) return yield* invalid(issues)
    const priced = yield* reprice(draft, selection, loaded.organization)
    const flags = flagsOf(priced.checkout, selection)
    const next = resetPaymentFormFields(priced.checkout, flags)
    const t = yield* openOrFail(CheckoutStatus.transition(next, { _tag: "Update" }, now), next)
    const stored = yield* save(t.checkout, loaded.checkout.version)
    yield* publish(stored, "checkout.updated")
    return { ...loaded, checkout: stored, discount: selection.discount } satisfies Loaded
  })

  // --- creation --------------------------------------------------------------------------------------------------

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
  })

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
  })

  // --- reads -----------------------------------------------------------------------------------------------------

  /** The org API reads like the reference: another organization's checkouts, or a blocked one's, are not found. */
  const get = Effect.fn("CheckoutService.get")(function*(caller: Caller, id: string) {
    const found = yield* repo.findById(id)
    if (Option.isNone(found) || found.value.organizationId !== caller.organizationId) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    }
    const loaded = yield* load(found.value)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    return yield* viewOf(loaded)
  })

  /** A blocked (or unknown) organization lists nothing. */
  const list = Effect.fn("CheckoutService.list")(function*(caller: Caller, query: ListInput) {
    const organization = yield* organizations.findById(caller.organizationId)
    if (Option.isNone(organization) || !Organization.canAuthenticate(organization.value)) {
      return { items: [], totalCount: 0 } satisfies Page<CheckoutView> as Page<CheckoutView>
    }
    const organizationIds = query.organizationIds === undefined
      ? [caller.organizationId]
      : query.organizationIds.filter((id) => id === caller.organizationId)
    const page = yield* repo.list({
      page: Math.max(1, Math.trunc(query.page)),
      limit: Math.min(100, Math.max(1, Math.trunc(query.limit))),
      organizationIds,
      ...(query.productIds !== undefined ? { productIds: query.productIds } : {}),
      ...(query.customerIds !== undefined ? { customerIds: query.customerIds } : {}),
      ...(query.externalCustomerIds !== undefined ? { externalCustomerIds: query.externalCustomerIds } : {}),
      ...(query.statuses !== undefined ? { statuses: query.statuses } : {}),
      ...(query.query !== undefined ? { query: query.query } : {}),
      sorting: query.sorting ?? [{ field: "created_at", descending: true }]
    })
    const items = yield* Effect.forEach(page.items, (c) => Effect.flatMap(load(c), (l) => viewOf(l)))
    return { items, totalCount: page.totalCount }
  })

  const clientGet = Effect.fn("CheckoutService.clientGet")(function*(clientSecret: string) {
    const now = yield* DateTime.now
    const found = yield* repo.findByClientSecret(clientSecret)
    if (Option.isNone(found)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
    if (CheckoutStatus.isExpiredByTime(found.value, now)) {
      return yield* new Errors.ExpiredCheckoutError({ checkoutId: found.value.id })
    }
    const loaded = yield* load(found.value)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.NotPermitted({ detail: "Not permitted" })
    return yield* viewOf(loaded)
  })

  // --- updates ---------------------------------------------------------------------------------------------------

  const update = Effect.fn("CheckoutService.update")(function*(caller: Caller, id: string, patch: UpdateInput) {
    const now = yield* DateTime.now
    const result = yield* uow.transaction(Effect.gen(function*() {
      const gate = yield* gateForOrgWrite(caller, id, now)
      if (gate._tag === "Expired") return gate
      return { _tag: "Live", loaded: yield* writeUpdate(gate.loaded, patch, "org", now) } satisfies Gate as Gate
    }))
    if (result._tag === "Expired") {
      return yield* new Errors.NotOpenCheckout({ checkoutId: result.checkout.id, status: result.checkout.status })
    }
    return yield* viewOf(result.loaded)
  })

  const clientUpdate = Effect.fn("CheckoutService.clientUpdate")(function*(clientSecret: string, patch: ClientUpdateInput) {
    const now = yield* DateTime.now
    const result = yield* uow.transaction(Effect.gen(function*() {
      const gate = yield* gateForWrite(clientSecret, now)
      if (gate._tag === "Expired") return gate
      return { _tag: "Live", loaded: yield* writeUpdate(gate.loaded, patch, "client", now) } satisfies Gate as Gate
    }))
    if (result._tag === "Expired") return yield* new Errors.ExpiredCheckoutError({ checkoutId: result.checkout.id })
    return yield* viewOf(result.loaded)
  })

  // --- payment path: confirm, notifications, expiry, reconciliation (internal/checkout/*) ---------------------

  const background = yield* FiberSet.make<unknown, unknown>()
  // Closing the layer (graceful shutdown) first waits for payment work in flight, each bounded by the processor
  // call timeout; only then does the FiberSet's own finalizer interrupt what is left (nothing, normally).
  yield* Effect.addFinalizer(() => FiberSet.awaitEmpty(background))
  const kit: Kit = {
    repo,
    catalog,
    customers,
    processor,
    taxes,
    secrets,
    uow,
    background,
    load,
    loadOrganization,
    viewOf,
    save,
    publish,
    publishEvent: events.publish,
    expireNow,
    gateForWrite,
    applyPatch,
    reprice,
    requireOpen
  }
  const notify = Notify.make(kit)
  const { confirm } = Confirm.make(kit, notify)
  const expiry = Expire.make(kit)
  const reconcile = Reconcile.make(kit, notify)

  return CheckoutService.of({
    create,
    createFromLink,
    get,
    list,
    update,
    clientGet,
    clientUpdate,
    confirm,
    paymentSucceeded: notify.paymentSucceeded,
    paymentFailed: notify.paymentFailed,
    expireOpenCheckouts: expiry.expireOpenCheckouts,
    reconcilePayments: reconcile.reconcilePayments
  })
})
