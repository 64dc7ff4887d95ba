/**
 * Expected failures of the domain, as tagged errors. Tags are public error codes (documented in docs/errors.md);
 * the HTTP adapter maps each to the reference's status and wire body. No HTTP status lives here.
 */
import { Schema } from "effect"
import { IssueSchema } from "./Issue.ts"

/**
 * One or more rejected inputs, each an `Issue` (domain path + reason). Rules collect issues and fail once with all of
 * them where the reference does; the HTTP adapter renders them as the reference's 422 items.
 */
export class RequestValidationError extends Schema.TaggedError<RequestValidationError>()("RequestValidationError", {
  issues: Schema.Array(IssueSchema)
}) {}

export class ResourceNotFound extends Schema.TaggedError<ResourceNotFound>()("ResourceNotFound", {
  resource: Schema.String,
  id: Schema.String
}) {}

export class ExpiredCheckoutError extends Schema.TaggedError<ExpiredCheckoutError>()("ExpiredCheckoutError", {
  checkoutId: Schema.String
}) {}

export class NotPermitted extends Schema.TaggedError<NotPermitted>()("NotPermitted", {
  detail: Schema.String
}) {}

export class NotOpenCheckout extends Schema.TaggedError<NotOpenCheckout>()("NotOpenCheckout", {
  checkoutId: Schema.String,
  status: Schema.String
}) {}

export class PaymentNotReady extends Schema.TaggedError<PaymentNotReady>()("PaymentNotReady", {
  organizationId: Schema.String
}) {}

/** The processor definitely refused the payment; `message` is the processor's text (may be absent). */
export class PaymentError extends Schema.TaggedError<PaymentError>()("PaymentError", {
  checkoutId: Schema.String,
  message: Schema.NullOr(Schema.String),
  code: Schema.NullOr(Schema.String),
  declineCode: Schema.NullOr(Schema.String)
}) {}

/** The processor's answer was lost (network, 5xx): the charge may or may not exist. Retrying confirm is safe. */
export class PaymentOutcomeUnknown extends Schema.TaggedError<PaymentOutcomeUnknown>()("PaymentOutcomeUnknown", {
  checkoutId: Schema.String,
  reason: Schema.String
}) {}

/** Another request holds the checkout (the reference's FOR UPDATE NOWAIT), or a stale version was written. */
export class CheckoutLocked extends Schema.TaggedError<CheckoutLocked>()("CheckoutLocked", {
  checkoutId: Schema.String
}) {}

/** Optimistic concurrency: the stored version is not the one the writer read. */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  entity: Schema.String,
  id: Schema.String,
  expectedVersion: Schema.Int
}) {}

export class EmbedHostNotAllowed extends Schema.TaggedError<EmbedHostNotAllowed>()("EmbedHostNotAllowed", {
  origin: Schema.String
}) {}

/** A success notification arrived for a checkout that is not confirmed yet: retry later. */
export class NotConfirmedCheckout extends Schema.TaggedError<NotConfirmedCheckout>()("NotConfirmedCheckout", {
  checkoutId: Schema.String,
  status: Schema.String
}) {}

export class CheckoutCustomerDeleted extends Schema.TaggedError<CheckoutCustomerDeleted>()("CheckoutCustomerDeleted", {
  checkoutId: Schema.String,
  customerId: Schema.String
}) {}

export class CheckoutCustomerExternalIdMismatch extends Schema.TaggedError<CheckoutCustomerExternalIdMismatch>()(
  "CheckoutCustomerExternalIdMismatch",
  { checkoutId: Schema.String, externalCustomerId: Schema.String }
) {}

/** Raised by Catalog.redeemDiscount when the cap is reached or the discount is no longer valid. */
export class DiscountNotRedeemable extends Schema.TaggedError<DiscountNotRedeemable>()("DiscountNotRedeemable", {
  discountId: Schema.String
}) {}

/** The tax service understood the request but cannot compute tax for it (bad address, invalid tax id...). */
export class TaxCalculationLogicalError extends Schema.TaggedError<TaxCalculationLogicalError>()(
  "TaxCalculationLogicalError",
  { message: Schema.String }
) {}

/** Every tax processor failed for technical reasons. Not caught by the checkout (a 5xx at the edge). */
export class TaxCalculationTechnicalError extends Schema.TaggedError<TaxCalculationTechnicalError>()(
  "TaxCalculationTechnicalError",
  { message: Schema.String }
) {}

/** The processor (Stripe) could not be reached for a non-charging call such as creating the customer. */
export class PaymentProcessorUnavailable extends Schema.TaggedError<PaymentProcessorUnavailable>()(
  "PaymentProcessorUnavailable",
  { reason: Schema.String }
) {}
