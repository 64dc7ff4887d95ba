/**
 * The Stripe webhook endpoint, `POST /v1/integrations/stripe/webhook`: where payment success and failure reach the
 * checkout (spec/stripe-adapter.md §1.5, §1.6, §4c). Stripe delivers at least once, in any order, sometimes before
 * our own confirm has committed, and retries every non-2xx answer for days; the endpoint leans on that:
 *
 * - the signature is checked by the SDK over the raw bytes received (a re-serialised body never verifies);
 * - an event id already handled is acknowledged without running again (`ProcessedEvents`), and an id is recorded only
 *   after the use case committed, so a crash in between makes Stripe retry, which the idempotent use cases absorb;
 * - an event the checkout cannot take yet (not confirmed, locked by the confirm in flight, not found) is answered
 *   non-2xx, so Stripe delivers it again later instead of it being lost;
 * - events about a superseded intent, an already final checkout, or of types the checkout does not use are
 *   acknowledged (2xx) and change nothing.
 *
 * Unlike the reference (401 on a bad signature) every refused delivery is a 400, as Stripe's own samples answer.
 */
import { CheckoutService } from "@checkout-kit/domain"
import type { CheckoutStatus } from "@checkout-kit/domain"
import { ByteSize, Clock, Config, Data, Effect, Layer, Redacted, Result } from "effect"
import { HttpIncomingMessage, HttpRouter, HttpServerResponse } from "effect/http"
import type { HttpServerRequest } from "effect/http"
import { ProcessedEvents } from "./ProcessedEvents.ts"
import * as Webhooks from "./Webhooks.ts"

/** Where the server mounts the endpoint; the URL to register in the Stripe dashboard is `<public base>` + this. */
export const path = "/v1/integrations/stripe/webhook"

export interface Options {
  /** The endpoint's signing secret (`whsec_…`). Empty means the endpoint is off: every delivery gets 404. */
  readonly secret: Redacted.Redacted<string>
  /** Oldest signature accepted, in seconds (Stripe's default 300; 0 disables the check). */
  readonly toleranceSeconds?: number
}

/**
 * Reads `STRIPE_WEBHOOK_SECRET` (redacted, required) and `STRIPE_WEBHOOK_TOLERANCE_SECONDS` (default 300).
 */
export const config: Config.Config<Options> = Config.all({
  secret: Config.Redacted("STRIPE_WEBHOOK_SECRET"),
  toleranceSeconds: Config.Int("STRIPE_WEBHOOK_TOLERANCE_SECONDS").pipe(
    Config.withDefault(Webhooks.defaultToleranceSeconds)
  )
})

// ---------------------------------------------------------------------------------------------------------------
// What happened to one delivery
// ---------------------------------------------------------------------------------------------------------------

/** Why an event must be delivered again later. */
export type RetryReason =
  /** A success for a checkout still open: the confirm that will move it to confirmed has not committed yet. */
  | "not_confirmed"
  /** Another request (typically the confirm that created this very intent) holds the checkout. */
  | "locked"
  /** No such checkout here (yet): a replica behind, or an event of another environment sharing the account. */
  | "checkout_not_found"
  /** A refund this event calls for could not be made now (Stripe unreachable); the retry makes it, once (same key). */
  | "refund_pending"

export type Outcome = Data.TaggedEnum<{
  /** Not a verified Stripe event; nothing was read or recorded. */
  Rejected: { readonly rejection: Webhooks.WebhookRejection }
  /** This event id was handled before. */
  Duplicate: { readonly eventId: string; readonly eventType: string }
  /** A verified event the checkout does not use (other types, or no checkout in its metadata). */
  Acknowledged: { readonly eventId: string; readonly eventType: string }
  /** The checkout moved (confirmed → succeeded, or confirmed → open on a failure). */
  Applied: { readonly eventId: string; readonly eventType: string; readonly checkoutId: string }
  /** The checkout was already past this event (superseded intent, already succeeded, already open, terminal). */
  Ignored: {
    readonly eventId: string
    readonly eventType: string
    readonly checkoutId: string
    readonly reason: CheckoutStatus.IgnoreReason
  }
  /**
   * Money for an intent the checkout cannot keep (a superseded attempt, a checkout no longer confirmed) was
   * refunded; `checkout.payment_refunded` was published.
   */
  Refunded: {
    readonly eventId: string
    readonly eventType: string
    readonly checkoutId: string
    readonly reason: string
    readonly refundId: string
  }
  /** Not handled now; answered non-2xx so Stripe retries it. */
  RetryLater: {
    readonly eventId: string
    readonly eventType: string
    readonly checkoutId: string
    readonly reason: RetryReason
  }
}>
export const Outcome = Data.taggedEnum<Outcome>()

/** The HTTP status for an outcome: any 2xx stops Stripe's retries, anything else schedules one. */
export const statusOf = (outcome: Outcome): number => {
  switch (outcome._tag) {
    case "Rejected":
      return Webhooks.rejectionStatus(outcome.rejection)
    case "Duplicate":
    case "Acknowledged":
    case "Applied":
    case "Ignored":
    case "Refunded":
      return 200
    case "RetryLater":
      return outcome.reason === "checkout_not_found" || outcome.reason === "refund_pending" ? 503 : 409
  }
}

/** The JSON body: enough for the Stripe dashboard's delivery log, nothing about the secret or the checkout's data. */
export const bodyOf = (outcome: Outcome): Record<string, string> => {
  switch (outcome._tag) {
    case "Rejected":
      return {
        error: outcome.rejection._tag,
        ...(outcome.rejection._tag === "InvalidSignature" ? { reason: outcome.rejection.reason } : {})
      }
    case "Duplicate":
      return { status: "duplicate", event: outcome.eventId }
    case "Acknowledged":
      return { status: "acknowledged", event: outcome.eventId }
    case "Applied":
      return { status: "applied", event: outcome.eventId }
    case "Ignored":
      return { status: "ignored", event: outcome.eventId, reason: outcome.reason }
    case "Refunded":
      return { status: "refunded", event: outcome.eventId, reason: outcome.reason, refund: outcome.refundId }
    case "RetryLater":
      return { error: "RetryLater", event: outcome.eventId, reason: outcome.reason }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Ingestion, independent of the transport
// ---------------------------------------------------------------------------------------------------------------

export interface Endpoint {
  /**
   * Verifies, deduplicates and applies one delivery. `rawBody` must be the bytes received. Storage and domain
   * defects are left as defects: the caller answers 500 and Stripe retries.
   */
  readonly ingest: (rawBody: Uint8Array | string, signatureHeader: string | undefined) => Effect.Effect<Outcome>
}

export const make = (options: Options): Effect.Effect<Endpoint, never, CheckoutService.CheckoutService | ProcessedEvents> =>
  Effect.gen(function*() {
    const checkouts = yield* CheckoutService.CheckoutService
    const processed = yield* ProcessedEvents
    const tolerance = options.toleranceSeconds ?? Webhooks.defaultToleranceSeconds
    if (Redacted.value(options.secret).trim() === "") {
      yield* Effect.logWarning("Stripe webhook endpoint is off: no signing secret configured")
    }

    const apply = (n: Webhooks.Notification & { readonly checkoutId: string }) => {
      const notification = { checkoutId: n.checkoutId, intentId: n.intentId, idempotencyKey: n.idempotencyKey }
      const base = { eventId: n.eventId, eventType: n.eventType, checkoutId: n.checkoutId }
      const retry = (reason: RetryReason) => Effect.succeed(Outcome.RetryLater({ ...base, reason }))
      const run: Effect.Effect<CheckoutService.PaymentResult, CheckoutService.PaymentSucceededError> =
        n.kind === "succeeded"
          ? checkouts.paymentSucceeded(notification)
          : checkouts.paymentFailed(notification)
      return run.pipe(
        Effect.map((result): Outcome => {
          switch (result._tag) {
            case "Applied":
              return Outcome.Applied(base)
            case "Ignored":
              return Outcome.Ignored({ ...base, reason: result.reason })
            case "Refunded":
              return Outcome.Refunded({ ...base, reason: result.reason, refundId: result.refundId })
          }
        }),
        Effect.catch((error): Effect.Effect<Outcome> => {
          switch (error._tag) {
            case "NotConfirmedCheckout":
              return retry("not_confirmed")
            case "CheckoutLocked":
              return retry("locked")
            case "ResourceNotFound":
              return retry("checkout_not_found")
            case "PaymentProcessorUnavailable":
              return retry("refund_pending")
          }
        })
      )
    }

    const ingest = Effect.fn("WebhookEndpoint.ingest")(function*(
      rawBody: Uint8Array | string,
      signatureHeader: string | undefined
    ) {
      const receivedAtMs = yield* Clock.currentTimeMillis
      const parsed = Webhooks.verifyAndParse(rawBody, signatureHeader, options.secret, tolerance, receivedAtMs)
      if (Result.isFailure(parsed)) {
        const rejection = parsed.failure
        yield* Effect.logWarning("Stripe webhook rejected").pipe(
          Effect.annotateLogs({
            rejection: rejection._tag,
            ...(rejection._tag === "InvalidSignature" || rejection._tag === "InvalidPayload"
              ? { message: rejection.message }
              : {})
          })
        )
        return Outcome.Rejected({ rejection })
      }
      const n = parsed.success
      const annotate = Effect.annotateLogs({
        eventId: n.eventId,
        eventType: n.eventType,
        checkoutId: n.checkoutId ?? "",
        intentId: n.intentId ?? ""
      })
      if (yield* processed.isProcessed(n.eventId)) {
        yield* Effect.logDebug("Stripe webhook: duplicate delivery").pipe(annotate)
        return Outcome.Duplicate({ eventId: n.eventId, eventType: n.eventType })
      }
      const checkoutId = n.checkoutId
      if (n.kind === "ignored" || checkoutId === null) {
        yield* processed.markProcessed(n.eventId)
        return Outcome.Acknowledged({ eventId: n.eventId, eventType: n.eventType })
      }
      const outcome = yield* apply({ ...n, checkoutId })
      if (outcome._tag === "RetryLater") {
        yield* Effect.logInfo(`Stripe webhook deferred (${outcome.reason}); Stripe will retry`).pipe(annotate)
        return outcome
      }
      // Only now: the use case has committed, so forgetting to mark (crash) costs a harmless retry, never an effect.
      yield* processed.markProcessed(n.eventId)
      yield* Effect.logInfo(
        `Stripe webhook ${n.kind}: ${
          outcome._tag === "Ignored"
            ? `ignored (${outcome.reason})`
            : outcome._tag === "Refunded"
            ? `refunded (${outcome.reason})`
            : "applied"
        }`
      ).pipe(annotate)
      return outcome
    })

    return { ingest }
  })

// ---------------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------------

const signatureOf = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const value = request.headers["stripe-signature"]
  return value === undefined || value === "" ? undefined : value
}

/**
 * The body is read before anyone is authenticated, so its size is capped. Stripe's events are a few kB (an object
 * snapshot, never expanded lists); 1 MiB leaves a wide margin.
 */
export const maxBodySize = ByteSize.bytes(1024 * 1024)

/** Answers one request; a body that cannot be read (or is too large) is a 400, a defect a 500. */
export const handle = (endpoint: Endpoint) => (request: HttpServerRequest.HttpServerRequest) =>
  request.arrayBuffer.pipe(
    Effect.provideService(HttpIncomingMessage.MaxBodySize, maxBodySize),
    Effect.matchEffect({
      onFailure: (error) =>
        Effect.succeed(Outcome.Rejected({
          rejection: Webhooks.WebhookRejection.InvalidPayload({
            message: `The request body could not be read: ${error.reason._tag}`
          })
        })),
      onSuccess: (body) => endpoint.ingest(new Uint8Array(body), signatureOf(request))
    }),
    Effect.map((outcome) => HttpServerResponse.jsonUnsafe(bodyOf(outcome), { status: statusOf(outcome) })),
    Effect.catchDefect((defect) =>
      Effect.logError("Stripe webhook failed; Stripe will retry", defect).pipe(
        Effect.as(HttpServerResponse.jsonUnsafe({ error: "InternalError" }, { status: 500 }))
      )
    )
  )

/** The route, for the server to merge into its router. */
export const layer = (
  options: Options
): Layer.Layer<never, never, HttpRouter.HttpRouter | CheckoutService.CheckoutService | ProcessedEvents> =>
  HttpRouter.use((router) =>
    Effect.gen(function*() {
      const endpoint = yield* make(options)
      yield* router.add("POST", path, handle(endpoint))
    })
  )

/** The route with its options from the environment (see `config`). */
export const layerConfig: Layer.Layer<
  never,
  Config.ConfigError,
  HttpRouter.HttpRouter | CheckoutService.CheckoutService | ProcessedEvents
> = Layer.unwrap(Effect.map(config, layer))
