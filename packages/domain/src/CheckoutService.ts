/**
 * The checkout service: its interface, input types and `layer` (spec 2, 4.2, 5, 6). Each use case lives in its own
 * module under `internal/checkout/`, over a `Kit` of ports and shared helpers the layer builds once:
 *
 * - load -> decide -> persist: `create.ts` (create, create from a link, deciding with the pure `CheckoutDraft`),
 *   `read.ts` (get, list, client read), `update.ts` (org and client update, deciding with the pure `CheckoutPatch`);
 * - the payment path: `confirm.ts` (record the attempt, commit, call the processor in a scope that outlives the
 *   request, record the outcome: no transaction spans a call to another system), `notify.ts` (the payment
 *   notifications, with refunds of money the checkout cannot keep), `expire.ts` (the expiry sweep) and
 *   `reconcile.ts` (attempts whose outcome is unknown);
 * - shared: `load.ts`, `gate.ts` (locked reads, lazy expiry, save, publish), `reprice.ts`, `customer.ts` (confirm's
 *   customer step), and the pure `Rules.ts`.
 *
 * Rules come from the pure modules (Pricing, Price, Seats, Discount, Address, TaxId, CustomField, Metadata, Trial,
 * Confirmation); every status change goes through CheckoutStatus.transition; every write runs inside
 * UnitOfWork.transaction so a failed request leaves nothing behind (lazy expiry is committed before the request
 * fails with the expiry error).
 */
import { Context, type Duration, Effect, FiberSet, Layer } from "effect"
import type * as Address from "./Address.ts"
import type * as Checkout from "./Checkout.ts"
import type * as Confirmation from "./Confirmation.ts"
import type * as CheckoutStatus from "./CheckoutStatus.ts"
import type * as CheckoutView from "./CheckoutView.ts"
import type * as Errors from "./Errors.ts"
import type { Id } from "./Ids.ts"
import * as Confirm from "./internal/checkout/confirm.ts"
import * as Create from "./internal/checkout/create.ts"
import * as Expire from "./internal/checkout/expire.ts"
import * as Gate from "./internal/checkout/gate.ts"
import type { Kit, Ports } from "./internal/checkout/Kit.ts"
import * as Load from "./internal/checkout/load.ts"
import * as Notify from "./internal/checkout/notify.ts"
import * as Read from "./internal/checkout/read.ts"
import * as Reconcile from "./internal/checkout/reconcile.ts"
import * as Reprice from "./internal/checkout/reprice.ts"
import * as Update from "./internal/checkout/update.ts"
import type * as Metadata from "./Metadata.ts"
import type * as Organization from "./Organization.ts"
import { Catalog } from "./ports/Catalog.ts"
import { type Page, type Sort, type SortField, CheckoutRepository } from "./ports/CheckoutRepository.ts"
import { Customers } from "./ports/Customers.ts"
import { Events } from "./ports/Events.ts"
import { Organizations } from "./ports/Organizations.ts"
import { PaymentProcessor } from "./ports/PaymentProcessor.ts"
import { Secrets } from "./ports/Secrets.ts"
import { TaxCalculator } from "./ports/TaxCalculator.ts"
import { UnitOfWork } from "./ports/UnitOfWork.ts"
import type * as Product from "./Product.ts"

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
// Implementation: the kit, then each use case over it
// ---------------------------------------------------------------------------------------------------------------

const make = Effect.gen(function*() {
  const ports: Ports = {
    repo: yield* CheckoutRepository,
    catalog: yield* Catalog,
    customers: yield* Customers,
    organizations: yield* Organizations,
    processor: yield* PaymentProcessor,
    taxes: yield* TaxCalculator,
    events: yield* Events,
    secrets: yield* Secrets,
    uow: yield* UnitOfWork
  }
  const loads = Load.make(ports)
  const gates = Gate.make(ports, loads)

  const background = yield* FiberSet.make<unknown, unknown>()
  // Closing the layer (graceful shutdown) first waits for payment work in flight, each bounded by the processor
  // call timeout; only then does the FiberSet's own finalizer interrupt what is left (nothing, normally).
  yield* Effect.addFinalizer(() => FiberSet.awaitEmpty(background))
  const kit: Kit = {
    ...ports,
    background,
    getProducts: loads.getProducts,
    load: loads.load,
    loadOrganization: loads.loadOrganization,
    selectionOf: loads.selectionOf,
    findDiscount: loads.findDiscount,
    viewOf: loads.viewOf,
    readViewOf: loads.readViewOf,
    save: gates.save,
    publish: gates.publish,
    publishEvent: ports.events.publish,
    expireNow: gates.expireNow,
    gateForWrite: gates.gateForWrite,
    gateForOrgWrite: gates.gateForOrgWrite,
    openOrFail: gates.openOrFail,
    requireOpen: gates.requireOpen,
    reprice: Reprice.make(ports)
  }
  const { create, createFromLink } = Create.make(kit)
  const { clientGet, get, list } = Read.make(kit)
  const { clientUpdate, update } = Update.make(kit)
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
