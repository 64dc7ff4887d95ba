/**
 * The Checkout aggregate (spec 1.1): a buyer's session for one of a list of products, with the amount chain
 * (amount -> discount -> net -> tax -> total) recomputed by one reprice step after every change, and a `version`
 * for optimistic concurrency. Field names are camelCase; the wire mapping belongs to the HTTP adapter.
 */
import { Schema } from "effect"
import * as Address from "./Address.ts"
import * as CheckoutStatus from "./CheckoutStatus.ts"
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

export const Checkout = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** Optimistic-concurrency version: 1 at insert, +1 per stored update. */
  version: Schema.Int,
  paymentProcessor: Schema.Literal("stripe"),
  status: CheckoutStatus.Status,
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
  currentIntentId: Schema.NullOr(Schema.String)
})
export type Checkout = typeof Checkout.Type

// ---------------------------------------------------------------------------------------------------------------
// Pure operations. Status changes are not here: they go through CheckoutStatus.transition.
// ---------------------------------------------------------------------------------------------------------------

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
 * Records a definite refusal of attempt `attempt`. Idempotent per attempt: when two requests report the same
 * decline, the counter moves once.
 */
export const rotatePaymentAttempt = (checkout: Checkout, attempt: number): Checkout =>
  checkout.paymentAttempt === attempt ? { ...checkout, paymentAttempt: attempt + 1 } : checkout

const trimSlash = (s: string): string => (s.endsWith("/") ? s.slice(0, -1) : s)
