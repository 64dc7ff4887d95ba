/**
 * The Checkout aggregate (spec 1.1): a buyer's session for one of a list of products, with the amount chain
 * (amount -> discount -> net -> tax -> total) recomputed by one reprice step after every change, and a `version`
 * for optimistic concurrency. Field names are camelCase; the wire mapping belongs to the HTTP adapter.
 */
import { Schema } from "effect"
import * as Address from "./Address.ts"
import * as Currency from "./Currency.ts"
import * as CustomField from "./CustomField.ts"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"
import * as Money from "./Money.ts"
import * as Product from "./Product.ts"

export const TaxBehavior = Schema.Literals(["inclusive", "exclusive"])
export type TaxBehavior = typeof TaxBehavior.Type

export const TaxBreakdownItem = Schema.Struct({
  rateType: Schema.Literals(["percentage", "fixed"]),
  rate: Schema.NullOr(Schema.Finite),
  displayName: Schema.String,
  country: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  subdivision: Schema.NullOr(Schema.String),
  amount: Schema.Int,
  taxabilityReason: Schema.NullOr(Schema.String)
})
export type TaxBreakdownItem = typeof TaxBreakdownItem.Type

/**
 * A payment attempt recorded before the processor is called (confirm's first transaction): the exact request, so
 * that whoever settles it (the request's own follow-up, the buyer's retry, the reconciliation job) re-sends it byte
 * for byte under the same idempotency key and the processor replays the first answer instead of refusing the key
 * (Stripe's `idempotency_error` when any parameter differs, e.g. a re-minted confirmation token or a new processor
 * customer), or looks it up. It lives on a `confirmed` checkout until the outcome is recorded: `sending` while the
 * call is (or may be) in flight, `unknown` once the call ended without a definite answer. `intentId` is the processor
 * intent when the adapter learnt it; a notification without idempotency key is matched on it. Internal: not on the
 * wire.
 */
export const PendingPayment = Schema.Struct({
  /** The `paymentAttempt` the request was sent under. */
  attempt: Schema.Int,
  idempotencyKey: Schema.String,
  kind: Schema.Literals(["payment", "setup"]),
  confirmationTokenId: Schema.String,
  amount: Money.Amount,
  currency: Currency.Code,
  processorCustomerId: Schema.String,
  /** The price being paid for: a pending charge must not end up paying for another one. */
  productPriceId: Schema.NullOr(Id),
  metadata: Schema.Record(Schema.String, Schema.String),
  returnUrl: Schema.String,
  description: Schema.String,
  statementDescriptorSuffix: Schema.String,
  setupFutureUsage: Schema.Boolean,
  intentId: Schema.NullOr(Schema.String),
  /** `sending`: the call is (or may still be) in flight; `unknown`: it ended without a definite answer. */
  state: Schema.Literals(["sending", "unknown"]),
  /** When the request was (last) handed to the processor: a `sending` attempt older than the call timeout is stale. */
  sentAt: Schema.DateTimeUtc
})
export type PendingPayment = typeof PendingPayment.Type

/**
 * The statuses a checkout can be in (spec 2). Defined here, with the record, so that CheckoutStatus (which changes
 * them) depends on Checkout and not the other way round; CheckoutStatus re-exports them.
 */
export const Status = Schema.Literals(["open", "expired", "confirmed", "succeeded", "failed"])
export type Status = typeof Status.Type

export const Checkout = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** Optimistic-concurrency version: 1 at insert, +1 per stored update. */
  version: Schema.Int,
  paymentProcessor: Schema.Literal("stripe"),
  status: Status,
  clientSecret: Schema.String,
  expiresAt: Schema.DateTimeUtc,
  paymentProcessorMetadata: Schema.Record(Schema.String, Schema.String),
  paymentMethodType: Schema.NullOr(Schema.String),
  returnUrl: Schema.NullOr(Schema.String),
  /** As given (may contain `{CHECKOUT_ID}`); null means the default confirmation page. */
  successUrl: Schema.NullOr(Schema.String),
  embedOrigin: Schema.NullOr(Schema.String),
  locale: Schema.NullOr(Schema.String),
  allowDiscountCodes: Schema.Boolean,
  requireBillingAddress: Schema.Boolean,
  currency: Currency.Code,
  /** Upfront amount before discount and tax. */
  amount: Money.Amount,
  discountAmount: Money.Amount,
  /** After discount; with inclusive tax, also with the tax removed. */
  netAmount: Money.Amount,
  /** Null while tax cannot be computed yet (no billing address). */
  taxAmount: Schema.NullOr(Money.Amount),
  /** net + (tax ?? 0). */
  totalAmount: Money.Amount,
  taxBehavior: Schema.NullOr(TaxBehavior),
  taxProcessor: Schema.NullOr(Schema.String),
  taxProcessorId: Schema.NullOr(Schema.String),
  taxBreakdown: Schema.NullOr(Schema.Array(TaxBreakdownItem)),
  seats: Schema.NullOr(Schema.Int),
  minSeats: Schema.NullOr(Schema.Int),
  maxSeats: Schema.NullOr(Schema.Int),
  allowTrial: Schema.NullOr(Schema.Boolean),
  trialInterval: Schema.NullOr(Product.Interval),
  trialIntervalCount: Schema.NullOr(Schema.Int),
  trialEnd: Schema.NullOr(Schema.DateTimeUtc),
  organizationId: Id,
  /** The checkout's product list, in order. */
  productIds: Schema.Array(Id),
  productId: Schema.NullOr(Id),
  productPriceId: Schema.NullOr(Id),
  discountId: Schema.NullOr(Id),
  customerId: Schema.NullOr(Id),
  isBusinessCustomer: Schema.Boolean,
  externalCustomerId: Schema.NullOr(Schema.String),
  customerName: Schema.NullOr(Schema.String),
  customerEmail: Schema.NullOr(Schema.String),
  customerIpAddress: Schema.NullOr(Schema.String),
  customerBillingName: Schema.NullOr(Schema.String),
  customerBillingAddress: Schema.NullOr(Address.Address),
  customerTaxId: Schema.NullOr(Address.TaxId),
  customerMetadata: Metadata.Metadata,
  metadata: Metadata.Metadata,
  customFieldData: CustomField.Data,
  subscriptionId: Schema.NullOr(Id),
  /**
   * Number of definite payment outcomes (declines, failure notifications) so far. The processor idempotency key of
   * a confirm is derived from it, so a retried confirm replays the same charge and the key rotates only after a
   * definite outcome.
   */
  paymentAttempt: Schema.Int,
  /** The processor intent of the latest confirm; notifications about any other intent are superseded. */
  currentIntentId: Schema.NullOr(Schema.String),
  /**
   * The attempt `paymentAttempt` sent to the processor whose outcome is not recorded yet (see PendingPayment). Set
   * by `Confirm` on a `confirmed` checkout, cleared by the recorded outcome (`AttemptAnswered`, or a notification
   * about it). A checkout with one is never expired: it may have been paid. Internal: not on the wire.
   */
  pendingPayment: Schema.NullOr(PendingPayment)
})
export type Checkout = typeof Checkout.Type

// ---------------------------------------------------------------------------------------------------------------
// Pure operations. Status changes are not here: they go through CheckoutStatus.transition.
// ---------------------------------------------------------------------------------------------------------------

/** What a new checkout cannot default: its identity, lifetime, owner and currency. */
export type Required = Pick<Checkout, "id" | "createdAt" | "clientSecret" | "expiresAt" | "organizationId" | "currency">

/**
 * A new, open, unpriced checkout (version 1, amounts 0, no product, customer or payment yet) with the reference's
 * defaults for every other field; `fields` override them. The one place those defaults are written down, so that
 * the service and the test builders cannot drift apart.
 */
export const make = (fields: Required & Partial<Checkout>): Checkout => ({
  modifiedAt: null,
  version: 1,
  paymentProcessor: "stripe",
  status: "open",
  paymentProcessorMetadata: {},
  paymentMethodType: null,
  returnUrl: null,
  successUrl: null,
  embedOrigin: null,
  locale: null,
  allowDiscountCodes: true,
  requireBillingAddress: false,
  amount: 0,
  discountAmount: 0,
  netAmount: 0,
  taxAmount: null,
  totalAmount: 0,
  taxBehavior: null,
  taxProcessor: null,
  taxProcessorId: null,
  taxBreakdown: null,
  seats: null,
  minSeats: null,
  maxSeats: null,
  allowTrial: true,
  trialInterval: null,
  trialIntervalCount: null,
  trialEnd: null,
  productIds: [],
  productId: null,
  productPriceId: null,
  discountId: null,
  customerId: null,
  isBusinessCustomer: false,
  externalCustomerId: null,
  customerName: null,
  customerEmail: null,
  customerIpAddress: null,
  customerBillingName: null,
  customerBillingAddress: null,
  customerTaxId: null,
  customerMetadata: {},
  metadata: {},
  customFieldData: {},
  subscriptionId: null,
  paymentAttempt: 0,
  currentIntentId: null,
  pendingPayment: null,
  ...fields
})

/** The checkout page: `{frontendBaseUrl}/checkout/{client_secret}`. */
export const url = (checkout: Checkout, frontendBaseUrl: string): string =>
  `${trimSlash(frontendBaseUrl)}/checkout/${checkout.clientSecret}`

/** The default success page, also the processor's return URL after a redirect (3-D Secure). */
export const confirmationUrl = (checkout: Checkout, frontendBaseUrl: string): string =>
  `${url(checkout, frontendBaseUrl)}/confirmation`

/**
 * The success URL as the reference reads it: the stored value with the literal `{CHECKOUT_ID}` replaced by the id
 * (other placeholders such as `{CHECKOUT_SESSION_ID}` are left alone), or the confirmation page when none was set.
 */
export const resolvedSuccessUrl = (checkout: Checkout, frontendBaseUrl: string): string =>
  checkout.successUrl === null
    ? confirmationUrl(checkout, frontendBaseUrl)
    : checkout.successUrl.replaceAll("{CHECKOUT_ID}", checkout.id)

/** `{organization} — {product}`: the processor's intent description. */
export const description = (organizationName: string, productName: string | null): string =>
  productName === null ? organizationName : `${organizationName} — ${productName}`

/**
 * The processor idempotency key of the next confirm. It only changes after a definite outcome (decline, failure
 * notification), so a confirm retried after an unknown outcome replays the same charge instead of making a second.
 */
export const idempotencyKey = (checkout: Checkout): string => `${checkout.id}:${checkout.paymentAttempt}`

/**
 * Records a definite refusal of attempt `attempt` (a decline, a failure notification of a pending attempt); the
 * attempt's pending record goes with it. Idempotent per attempt: when two requests report the same decline, the
 * counter moves once.
 */
export const rotatePaymentAttempt = (checkout: Checkout, attempt: number): Checkout =>
  checkout.paymentAttempt === attempt ? { ...checkout, paymentAttempt: attempt + 1, pendingPayment: null } : checkout

/** The intent metadata of spec 5 step 15 (the processor finds the checkout from it; tax for reporting). */
export const intentMetadata = (checkout: Checkout): Record<string, string> => {
  const address = checkout.customerBillingAddress
  const state = address === null ? null : Address.unprefixedState(address)
  return {
    organization_id: checkout.organizationId,
    checkout_id: checkout.id,
    type: "product",
    tax_amount: checkout.taxAmount === null ? "None" : String(checkout.taxAmount),
    ...(address === null ? {} : { tax_country: address.country }),
    ...(state === null ? {} : { tax_state: state })
  }
}

/**
 * Whether a processor notification is about the checkout's pending attempt: by the idempotency key of the request
 * that caused it when the processor reports one (Stripe's `event.request.idempotency_key`), else by a known intent id.
 */
export const isAboutPendingPayment = (
  checkout: Checkout,
  notification: { readonly intentId: string | null; readonly idempotencyKey?: string | null | undefined }
): boolean => {
  const pending = checkout.pendingPayment
  if (pending === null) return false
  const key = notification.idempotencyKey ?? null
  if (key !== null) return key === pending.idempotencyKey
  return notification.intentId !== null && notification.intentId === pending.intentId
}

const trimSlash = (s: string): string => (s.endsWith("/") ? s.slice(0, -1) : s)
