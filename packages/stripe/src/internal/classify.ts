/**
 * How a Stripe SDK error bears on money (refused, indeterminate, or our defect): the one classification the
 * payment processor's calls share. Re-exported by StripePaymentProcessor.
 */
import { Data } from "effect"
import Stripe from "stripe"

/**
 * How a Stripe error bears on money:
 * - `Refused`: Stripe answered and nothing was charged by this call (402 card errors; 400/404 business refusals such
 *   as an expired token, a missing customer, an intent in an unexpected state, an amount below the minimum).
 * - `Indeterminate`: no definite answer; the call may have gone through. Retrying with the same key is safe.
 * - `Defect`: our bug or our configuration (bad parameters, wrong key, idempotency key reused with other parameters);
 *   nothing the buyer can act on.
 */
export type Classification = Data.TaggedEnum<{
  Refused: {
    readonly code: string | null
    readonly declineCode: string | null
    readonly message: string | null
    readonly param: string | null
  }
  Indeterminate: { readonly reason: string; readonly intentId: string | null; readonly keyConflict: boolean }
  Defect: { readonly reason: string }
}>
export const Classification = Data.taggedEnum<Classification>()

export const nonEmpty = (s: string | null | undefined): string | null => (s === undefined || s === null || s === "" ? null : s)

const isParameterError = (code: string | null) =>
  code === null || code.startsWith("parameter_") || code === "parameters_exclusive"

const intentIdOf = (error: Stripe.errors.StripeError): string | null =>
  nonEmpty(error.payment_intent?.id) ?? nonEmpty(error.setup_intent?.id)

export const classify = (error: Stripe.errors.StripeError): Classification => {
  const code = nonEmpty(error.code)
  const describe = `${error.type}${error.statusCode === undefined ? "" : ` ${error.statusCode}`}: ${error.message}`
  if (error instanceof Stripe.errors.StripeCardError) {
    return Classification.Refused({
      code,
      declineCode: nonEmpty(error.decline_code),
      message: nonEmpty(error.message),
      param: nonEmpty(error.param)
    })
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError || code === "idempotency_key_in_use") {
    // Another request under this key exists (or is running): its outcome is ours to find out, not a defect.
    return Classification.Indeterminate({ reason: describe, intentId: intentIdOf(error), keyConflict: true })
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    return Classification.Indeterminate({ reason: `rate_limited: ${error.message}`, intentId: intentIdOf(error), keyConflict: false })
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    return isParameterError(code)
      ? Classification.Defect({ reason: describe })
      : Classification.Refused({
        code,
        declineCode: nonEmpty(error.decline_code),
        message: nonEmpty(error.message),
        param: nonEmpty(error.param)
      })
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return Classification.Defect({ reason: describe })
  }
  // StripeConnectionError, StripeAPIError (5xx, 409 after retries) and anything newer: the call may have run.
  return Classification.Indeterminate({ reason: describe, intentId: intentIdOf(error), keyConflict: false })
}
