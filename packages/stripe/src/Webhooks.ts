/**
 * Stripe webhook verification and the reading of the few events that move a checkout (spec/stripe-adapter.md §1.5,
 * §1.6): the signature is checked with the SDK's own `constructEvent` over the raw body, then the event is reduced to
 * what the domain needs. Success comes from `charge.succeeded` (payments) and `setup_intent.succeeded` (setups);
 * `payment_intent.payment_failed`, `charge.failed` and `setup_intent.setup_failed` reopen the checkout; every other
 * type (including `payment_intent.succeeded`, which the reference does not use for checkouts) is acknowledged and
 * ignored. Deduplication and the "early event" rule belong to the endpoint, which calls the domain.
 */
import { Data, Redacted, Result } from "effect"
import Stripe from "stripe"

/** Stripe's default: a signature older than 5 minutes is refused (replay protection). */
export const defaultToleranceSeconds = 300

export type Kind = "succeeded" | "failed" | "ignored"

export interface Notification {
  readonly kind: Kind
  readonly eventId: string
  readonly eventType: string
  /** From the object's `metadata.checkout_id`; null when absent (the event is then ignored). */
  readonly checkoutId: string | null
  /** The PaymentIntent (for charges: the charge's intent) or SetupIntent id. */
  readonly intentId: string | null
  /**
   * `event.request.idempotency_key`: the key of the API request that caused the event (ours is
   * `${checkoutId}:${attempt}` for the intent create call). It lets the domain settle an attempt whose answer was
   * lost (PaymentOutcomeUnknown). Null for events not caused by a keyed request (dashboard, automatic retries).
   */
  readonly idempotencyKey: string | null
  /**
   * The SetupIntent's client secret: the reference refuses a `setup_intent.succeeded` whose secret is not the one
   * stored on the checkout (a stale intent). Null for payment events.
   */
  readonly intentClientSecret: string | null
}

/** Why a delivery was refused (statuses: `rejectionStatus`). */
export type WebhookRejection = Data.TaggedEnum<{
  /** No signing secret configured: the endpoint must be off, or anyone could forge events. */
  EndpointDisabled: {}
  /** No `Stripe-Signature` header. */
  MissingSignature: {}
  /** The header does not match the body (tampered body, wrong secret, malformed header) or is too old. */
  InvalidSignature: {
    readonly reason: "no_matching_signature" | "timestamp_outside_tolerance" | "malformed_header"
    readonly message: string
  }
  /** Signed, but not a Stripe event (not JSON, or no id/type). */
  InvalidPayload: { readonly message: string }
}>
export const WebhookRejection = Data.taggedEnum<WebhookRejection>()

const successTypes: ReadonlySet<string> = new Set(["charge.succeeded", "setup_intent.succeeded"])
const failureTypes: ReadonlySet<string> = new Set([
  "payment_intent.payment_failed",
  "charge.failed",
  "setup_intent.setup_failed"
])

type Json = { readonly [key: string]: unknown }
const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
const stringField = (o: Json, key: string): string | null => {
  const v = o[key]
  return typeof v === "string" && v !== "" ? v : null
}

const classifySignatureError = (message: string): WebhookRejection => {
  if (message.startsWith("No stripe-signature header")) return WebhookRejection.MissingSignature()
  if (message.startsWith("Timestamp outside the tolerance zone")) {
    return WebhookRejection.InvalidSignature({ reason: "timestamp_outside_tolerance", message })
  }
  if (message.startsWith("No signatures found matching")) {
    return WebhookRejection.InvalidSignature({ reason: "no_matching_signature", message })
  }
  if (message.startsWith("No webhook payload")) return WebhookRejection.InvalidPayload({ message })
  return WebhookRejection.InvalidSignature({ reason: "malformed_header", message })
}

/** Reduces a verified event to what the checkout needs. */
export const toNotification = (event: Json): Result.Result<Notification, WebhookRejection> => {
  const eventId = stringField(event, "id")
  const eventType = stringField(event, "type")
  const data = event["data"]
  const object = isObject(data) ? data["object"] : undefined
  if (eventId === null || eventType === null || !isObject(object)) {
    return Result.fail(WebhookRejection.InvalidPayload({ message: "Not a Stripe event (id, type, data.object)." }))
  }
  const metadata = isObject(object["metadata"]) ? object["metadata"] : {}
  const checkoutId = stringField(metadata, "checkout_id")
  const isCharge = eventType.startsWith("charge.")
  const isSetup = eventType.startsWith("setup_intent.")
  const paymentIntent = object["payment_intent"]
  const intentId = isCharge
    ? (typeof paymentIntent === "string" ? paymentIntent : isObject(paymentIntent) ? stringField(paymentIntent, "id") : null)
    : stringField(object, "id")
  const request = event["request"]
  const idempotencyKey = isObject(request) ? stringField(request, "idempotency_key") : null
  const relevant = successTypes.has(eventType) || failureTypes.has(eventType)
  const kind: Kind = !relevant || checkoutId === null
    ? "ignored"
    : successTypes.has(eventType)
    ? "succeeded"
    : "failed"
  return Result.succeed({
    kind,
    eventId,
    eventType,
    checkoutId,
    intentId,
    idempotencyKey,
    intentClientSecret: isSetup ? stringField(object, "client_secret") : null
  })
}

/**
 * Verifies a delivery and reads it. `rawBody` must be the exact bytes received (a re-serialised object never
 * verifies). `receivedAtMs` defaults to the wall clock; pass the Effect clock's time for deterministic tests.
 */
export const verifyAndParse = (
  rawBody: Uint8Array | string,
  signatureHeader: string | undefined,
  secret: Redacted.Redacted<string>,
  toleranceSeconds: number = defaultToleranceSeconds,
  receivedAtMs?: number
): Result.Result<Notification, WebhookRejection> => {
  const key = Redacted.value(secret)
  if (key.trim() === "") return Result.fail(WebhookRejection.EndpointDisabled())
  if (signatureHeader === undefined || signatureHeader === "") return Result.fail(WebhookRejection.MissingSignature())
  let event: unknown
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, key, toleranceSeconds, undefined, receivedAtMs)
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      return Result.fail(classifySignatureError(error.message))
    }
    if (error instanceof SyntaxError) return Result.fail(WebhookRejection.InvalidPayload({ message: error.message }))
    return Result.fail(WebhookRejection.InvalidSignature({ reason: "malformed_header", message: String(error) }))
  }
  return isObject(event)
    ? toNotification(event)
    : Result.fail(WebhookRejection.InvalidPayload({ message: "Not a Stripe event." }))
}

/**
 * The HTTP status for each rejection: 404 when the endpoint is off (as the reference), 400 for everything else. The
 * reference answers 401 to a bad signature; we follow Stripe's samples (400), so every refused delivery reads the
 * same in the Stripe dashboard. Any non-2xx makes Stripe retry, which cannot help a bad signature but costs nothing.
 */
export const rejectionStatus = (rejection: WebhookRejection): 400 | 404 => {
  switch (rejection._tag) {
    case "EndpointDisabled":
      return 404
    case "MissingSignature":
    case "InvalidPayload":
    case "InvalidSignature":
      return 400
  }
}
