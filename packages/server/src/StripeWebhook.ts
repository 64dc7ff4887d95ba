/**
 * The Stripe webhook endpoint, mounted only when the Stripe adapter is on: POST /v1/integrations/stripe/webhook.
 * Verification and reading are the stripe package's (`Webhooks.verifyAndParse` over the raw body); this module adds
 * what belongs to the endpoint (spec/stripe-adapter.md 1.6, 4c):
 * - deliveries are deduplicated by event id, and an event counts as handled only once the domain committed its
 *   effect, so a failure stays retryable;
 * - a success that arrives before the confirm committed (NotConfirmedCheckout) or while the checkout is locked is
 *   answered 503, which makes Stripe deliver it again later, instead of being dropped;
 * - events about unknown checkouts and event types we do not use are acknowledged (202) and ignored.
 */
import { CheckoutService } from "@checkout-kit/domain"
import type { Webhooks } from "@checkout-kit/stripe"
import { Effect, Option, Redacted, Result } from "effect"
import type { Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"

export const path = "/v1/integrations/stripe/webhook"

/** How many handled event ids are remembered; Stripe redelivers within days, far fewer events than this. */
const rememberedEvents = 100_000

/** An insertion-ordered set that forgets its oldest entries past `capacity`. */
const boundedSet = (capacity: number) => {
  const entries = new Set<string>()
  return {
    has: (key: string) => entries.has(key),
    add: (key: string) => {
      entries.add(key)
      if (entries.size > capacity) {
        const oldest = entries.values().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    }
  }
}

const reply = (status: number, body: Record<string, unknown>) => HttpServerResponse.jsonUnsafe(body, { status })

/**
 * The route. `webhooks` is the stripe package's Webhooks module, passed in so the `stripe` SDK is loaded only when
 * the adapter is on.
 */
export const route = (
  webhooks: typeof Webhooks,
  secret: Option.Option<Redacted.Redacted<string>>
): Layer.Layer<never, never, HttpRouter.HttpRouter | CheckoutService.CheckoutService> =>
  HttpRouter.use((router) =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutService.CheckoutService
      const handled = boundedSet(rememberedEvents)
      yield* router.add("POST", path, (request) => Effect.gen(function*() {
        const body = yield* Effect.orDie(request.arrayBuffer)
        const parsed = webhooks.verifyAndParse(
          new Uint8Array(body),
          request.headers["stripe-signature"],
          Option.getOrElse(secret, () => Redacted.make(""))
        )
        if (Result.isFailure(parsed)) {
          const rejection = parsed.failure
          yield* Effect.logWarning("Stripe webhook rejected").pipe(Effect.annotateLogs({ reason: rejection._tag }))
          return reply(webhooks.rejectionStatus(rejection), { detail: rejection._tag })
        }
        const event = parsed.success
        const log = Effect.annotateLogs({ eventId: event.eventId, eventType: event.eventType, checkoutId: event.checkoutId })
        if (handled.has(event.eventId)) {
          yield* Effect.logDebug("Stripe webhook duplicate delivery").pipe(log)
          return reply(202, { status: "duplicate" })
        }
        if (event.kind === "ignored" || event.checkoutId === null) {
          handled.add(event.eventId)
          return reply(202, { status: "ignored" })
        }
        const notification = { checkoutId: event.checkoutId, intentId: event.intentId }
        const outcome = yield* (event.kind === "succeeded"
          ? checkouts.paymentSucceeded(notification)
          : checkouts.paymentFailed(notification)
        ).pipe(
          Effect.map((result) => ({ _tag: result._tag } as const)),
          Effect.catchTags({
            ResourceNotFound: () => Effect.succeed({ _tag: "UnknownCheckout" } as const),
            NotConfirmedCheckout: () => Effect.succeed({ _tag: "Retry", reason: "not confirmed yet" } as const),
            CheckoutLocked: () => Effect.succeed({ _tag: "Retry", reason: "checkout locked" } as const)
          })
        )
        if (outcome._tag === "Retry") {
          yield* Effect.logInfo(`Stripe webhook deferred: ${outcome.reason}`).pipe(log)
          return reply(503, { detail: `Checkout ${outcome.reason}; retry later.` })
        }
        handled.add(event.eventId)
        yield* Effect.logInfo(`Stripe webhook ${event.kind}: ${outcome._tag}`).pipe(log)
        return reply(202, { status: outcome._tag === "Applied" ? "applied" : "ignored" })
      }))
    })
  )
