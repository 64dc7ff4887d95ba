/**
 * Domain failures → wire errors (spec 2.3, 4.4). The domain's tagged errors carry no HTTP status; this is the one
 * place that decides which reference error body and status each one gets. Two of them have no counterpart in the
 * reference (the payment outcome lost, the processor unreachable): they answer 502 with the same `{error, detail}`
 * shape, and retrying is safe. A technical tax failure is logged here and answered with a bare 500.
 */
import type { Errors } from "@checkout-kit/domain"
import { Effect } from "effect"
import * as Wire from "./Errors.ts"
import * as DomainIssues from "./DomainIssues.ts"
import { HttpValidationError } from "./Validation.ts"

/** Every failure a use case of the checkout API can end with. */
export type DomainError =
  | Errors.RequestValidationError
  | Errors.ResourceNotFound
  | Errors.ExpiredCheckoutError
  | Errors.NotPermitted
  | Errors.NotOpenCheckout
  | Errors.PaymentNotReady
  | Errors.PaymentError
  | Errors.PaymentOutcomeUnknown
  | Errors.CheckoutLocked
  | Errors.VersionConflict
  | Errors.EmbedHostNotAllowed
  | Errors.CheckoutCustomerDeleted
  | Errors.CheckoutCustomerExternalIdMismatch
  | Errors.TaxCalculationTechnicalError
  | Errors.PaymentProcessorUnavailable

/** The wire error each domain error becomes (distributes over unions). */
export type WireError<E> = E extends Errors.RequestValidationError ? HttpValidationError
  : E extends Errors.ResourceNotFound ? Wire.ResourceNotFound
  : E extends Errors.ExpiredCheckoutError ? Wire.ExpiredCheckoutError
  : E extends Errors.NotPermitted ? Wire.NotPermitted
  : E extends Errors.NotOpenCheckout ? Wire.NotOpenCheckout
  : E extends Errors.PaymentNotReady ? Wire.PaymentNotReady
  : E extends Errors.PaymentError ? Wire.PaymentError
  : E extends Errors.PaymentOutcomeUnknown ? Wire.PaymentOutcomeUnknown
  : E extends Errors.CheckoutLocked | Errors.VersionConflict ? Wire.CheckoutLocked
  : E extends Errors.EmbedHostNotAllowed ? Wire.EmbedHostNotAllowed
  : E extends Errors.CheckoutCustomerDeleted ? Wire.CheckoutCustomerDeleted
  : E extends Errors.CheckoutCustomerExternalIdMismatch ? Wire.CheckoutCustomerExternalIdMismatch
  : E extends Errors.TaxCalculationTechnicalError ? Wire.InternalServerError
  : E extends Errors.PaymentProcessorUnavailable ? Wire.PaymentProcessorUnavailable
  : never

/** The 422 body of a domain validation failure: its issues translated by DomainIssues. */
export const validationError = (error: Errors.RequestValidationError): HttpValidationError =>
  new HttpValidationError({ detail: DomainIssues.toItems(error.issues) })

const toWire = (error: DomainError): WireError<DomainError> => {
  switch (error._tag) {
    case "RequestValidationError":
      return validationError(error)
    case "ResourceNotFound":
      return new Wire.ResourceNotFound()
    case "ExpiredCheckoutError":
      return new Wire.ExpiredCheckoutError()
    case "NotPermitted":
      return new Wire.NotPermitted({ detail: error.detail === "" ? "Not permitted" : error.detail })
    case "NotOpenCheckout":
      return Wire.NotOpenCheckout.fromCheckout(error.checkoutId, error.status)
    case "PaymentNotReady":
      return new Wire.PaymentNotReady()
    case "PaymentError":
      return Wire.PaymentError.fromMessage(error.message)
    case "PaymentOutcomeUnknown":
      return new Wire.PaymentOutcomeUnknown()
    case "CheckoutLocked":
    case "VersionConflict":
      return new Wire.CheckoutLocked()
    case "EmbedHostNotAllowed":
      return Wire.EmbedHostNotAllowed.fromOrigin(error.origin)
    case "CheckoutCustomerDeleted":
      return new Wire.CheckoutCustomerDeleted({ detail: "The customer of this checkout has been deleted." })
    case "CheckoutCustomerExternalIdMismatch":
      return new Wire.CheckoutCustomerExternalIdMismatch({
        detail: `A customer with the external ID ${error.externalCustomerId} already exists with a different email.`
      })
    case "TaxCalculationTechnicalError":
      return new Wire.InternalServerError()
    case "PaymentProcessorUnavailable":
      return new Wire.PaymentProcessorUnavailable()
  }
}

/** Causes worth an error log: the client only sees a generic body for them. */
const logged = (error: DomainError): Effect.Effect<void> => {
  switch (error._tag) {
    case "TaxCalculationTechnicalError":
      return Effect.logError("Tax calculation failed", error.message)
    case "PaymentProcessorUnavailable":
      return Effect.logWarning("Payment processor unavailable", error.reason)
    case "PaymentOutcomeUnknown":
      return Effect.logWarning("Payment outcome unknown", { checkoutId: error.checkoutId, reason: error.reason })
    default:
      return Effect.void
  }
}

/** Runs a use case and answers its failures with the reference's wire errors. */
export const toHttp = <A, E extends DomainError, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, WireError<E>, R> =>
  // One handler frame on the success path (tapError + mapError would push two on every request).
  Effect.catch(effect, (error) => Effect.andThen(logged(error), Effect.fail(toWire(error) as WireError<E>)))
