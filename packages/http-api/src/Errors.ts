/**
 * Error bodies of the contract (`server/polar/exceptions.py`, spec §2.3/§4.4): `{"error": "<Name>", "detail": "..."}`
 * with the reference's status codes, and the OAuth2 body for missing scopes. The HTTP status lives here, on the
 * wire classes, so that the domain's tagged errors stay HTTP-free; handlers map one onto the other.
 *
 * These are `Schema.Error` classes (no `_tag` on the wire). Fixed-message errors need no arguments:
 * `new ResourceNotFound()`; the others take their `detail`.
 */
import { Effect, Schema } from "effect"
import { HttpApiSchema } from "effect/http-api"

const detailDefault = (text: string) => Schema.String.pipe(Schema.withConstructorDefault(Effect.succeed(text)))

/** 404 — unknown id or secret, or a resource of another organization. */
export class ResourceNotFound extends Schema.Error<ResourceNotFound>("ResourceNotFound")({
  error: Schema.tag("ResourceNotFound"),
  detail: detailDefault("Not found")
}, { httpApiStatus: 404 }) {}

/** 410 — any client-secret endpoint after `expires_at`, whatever the status. */
export class ExpiredCheckoutError extends Schema.Error<ExpiredCheckoutError>("ExpiredCheckoutError")({
  error: Schema.tag("ExpiredCheckoutError"),
  detail: detailDefault("This checkout session has expired.")
}, { httpApiStatus: 410 }) {}

/** 403 — mutation of a checkout whose status is not `open`. Detail: `Checkout {id} is not open: {status}`. */
export class NotOpenCheckout extends Schema.Error<NotOpenCheckout>("NotOpenCheckout")({
  error: Schema.tag("NotOpenCheckout"),
  detail: Schema.String
}, { httpApiStatus: 403 }) {
  static fromCheckout(id: string, status: string): NotOpenCheckout {
    return new NotOpenCheckout({ detail: `Checkout ${id} is not open: ${status}` })
  }
}

/** 403 — blocked/deleted organization, or a caller without the organization permission. */
export class NotPermitted extends Schema.Error<NotPermitted>("NotPermitted")({
  error: Schema.tag("NotPermitted"),
  detail: detailDefault("Not permitted")
}, { httpApiStatus: 403 }) {}

/** 403 — the organization cannot take payments and the checkout needs a payment or a payment setup. */
export class PaymentNotReady extends Schema.Error<PaymentNotReady>("PaymentNotReady")({
  error: Schema.tag("PaymentNotReady"),
  detail: detailDefault("Organization is not ready to accept payments")
}, { httpApiStatus: 403 }) {}

/** 403 — the organization allows a single subscription and the buyer already has a billable one. */
export class AlreadyActiveSubscriptionError
  extends Schema.Error<AlreadyActiveSubscriptionError>("AlreadyActiveSubscriptionError")({
    error: Schema.tag("AlreadyActiveSubscriptionError"),
    detail: detailDefault("You already have an active subscription.")
  }, { httpApiStatus: 403 })
{}

/** 403 — trial abuse detected (later scope; declared because the contract lists it). */
export class TrialAlreadyRedeemed extends Schema.Error<TrialAlreadyRedeemed>("TrialAlreadyRedeemed")({
  error: Schema.tag("TrialAlreadyRedeemed"),
  detail: Schema.String
}, { httpApiStatus: 403 }) {}

/** 403 — per-customer discount limit reached (later scope; declared because the contract lists it). */
export class DiscountRedemptionLimitReached
  extends Schema.Error<DiscountRedemptionLimitReached>("DiscountRedemptionLimitReached")({
    error: Schema.tag("DiscountRedemptionLimitReached"),
    detail: Schema.String
  }, { httpApiStatus: 403 })
{}

/** 403 — the `embed_origin` of a link redirect is not among the organization's embed hosts. */
export class EmbedHostNotAllowed extends Schema.Error<EmbedHostNotAllowed>("EmbedHostNotAllowed")({
  error: Schema.tag("EmbedHostNotAllowed"),
  detail: Schema.String
}, { httpApiStatus: 403 }) {
  static fromOrigin(origin: string): EmbedHostNotAllowed {
    return new EmbedHostNotAllowed({ detail: `${origin} is not allowed to embed this checkout.` })
  }
}

/** 400 — the payment processor refused to create or confirm the intent. */
export class PaymentError extends Schema.Error<PaymentError>("PaymentError")({
  error: Schema.tag("PaymentError"),
  detail: Schema.String
}, { httpApiStatus: 400 }) {
  /** The reference's wording, with or without the processor's message. */
  static fromMessage(message: string | null): PaymentError {
    return new PaymentError({
      detail: message === null || message === ""
        ? "The payment failed. Please try again with a different payment method."
        : `The payment failed: ${message} Please try again with a different payment method.`
    })
  }
}

/** 409 — another request is processing the same checkout. */
export class CheckoutLocked extends Schema.Error<CheckoutLocked>("CheckoutLocked")({
  error: Schema.tag("CheckoutLocked"),
  detail: detailDefault("Checkout is currently being processed. Please try again.")
}, { httpApiStatus: 409 }) {}

/** 409 — the customer linked to the checkout was deleted before confirm. */
export class CheckoutCustomerDeleted extends Schema.Error<CheckoutCustomerDeleted>("CheckoutCustomerDeleted")({
  error: Schema.tag("CheckoutCustomerDeleted"),
  detail: Schema.String
}, { httpApiStatus: 409 }) {}

/** 422 (plain error body, not a validation list) — the external id belongs to a customer with another e-mail. */
export class CheckoutCustomerExternalIdMismatch
  extends Schema.Error<CheckoutCustomerExternalIdMismatch>("CheckoutCustomerExternalIdMismatch")({
    error: Schema.tag("CheckoutCustomerExternalIdMismatch"),
    detail: Schema.String
  }, { httpApiStatus: 422 })
{}

/**
 * 502 — ours, not the reference's: the payment processor's answer to confirm was lost, so a charge may exist. The
 * attempt stays recorded with its idempotency key: retrying it is safe and never charges twice.
 */
export class PaymentOutcomeUnknown extends Schema.Error<PaymentOutcomeUnknown>("PaymentOutcomeUnknown")({
  error: Schema.tag("PaymentOutcomeUnknown"),
  detail: detailDefault("The payment could not be confirmed. Please try again; you will not be charged twice.")
}, { httpApiStatus: 502 }) {}

/** 502 — ours: the payment processor could not be reached for a call that charges nothing. Retryable. */
export class PaymentProcessorUnavailable
  extends Schema.Error<PaymentProcessorUnavailable>("PaymentProcessorUnavailable")({
    error: Schema.tag("PaymentProcessorUnavailable"),
    detail: detailDefault("The payment processor is unavailable. Please try again.")
  }, { httpApiStatus: 502 })
{}

/** 500 — a failure the request cannot recover from (e.g. every tax service down). The cause is logged, not sent. */
export class InternalServerError extends Schema.Error<InternalServerError>("InternalServerError")({
  error: Schema.tag("InternalServerError"),
  detail: detailDefault("Internal Server Error")
}, { httpApiStatus: 500 }) {}

/** `WWW-Authenticate` value sent with every 401. */
export const wwwAuthenticate = "Bearer realm=\"checkout-kit\""

/** 401 — no credentials, or a token that is unknown/revoked. Sent with a `WWW-Authenticate` header. */
export class Unauthorized extends Schema.Error<Unauthorized>("Unauthorized")({
  error: Schema.tag("Unauthorized"),
  detail: detailDefault("Unauthorized")
}) {}

const UnauthorizedBody = Schema.Struct({
  error: Schema.Literal("Unauthorized"),
  detail: Schema.String
}).pipe(HttpApiSchema.status(401)).annotate({ identifier: "Unauthorized" })

/** `Unauthorized` as a response: the body plus the `WWW-Authenticate` header. */
export const UnauthorizedResponse = Unauthorized.pipe(
  HttpApiSchema.encodeToWithHeaders({
    body: UnauthorizedBody,
    headers: { "www-authenticate": Schema.String }
  }, {
    decode: ({ body }) => new Unauthorized({ detail: body.detail }),
    encode: (error) => ({
      body: { error: "Unauthorized" as const, detail: error.detail },
      headers: { "www-authenticate": wwwAuthenticate }
    })
  })
)

/** 403 with the OAuth2 body — a valid token without any of the scopes the endpoint needs. */
export class InsufficientScope extends Schema.Error<InsufficientScope>("InsufficientScope")({
  error: Schema.tag("insufficient_scope"),
  error_description: detailDefault("The request requires higher privileges than provided by the access token.")
}, { httpApiStatus: 403 }) {}

/** Body of the 413 answered before any endpoint runs (see `Edge`). */
export const PayloadTooLargeBody = Schema.Struct({
  error: Schema.Literal("PayloadTooLarge"),
  detail: Schema.String
})
