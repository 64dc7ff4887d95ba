/**
 * `GET /v1/checkouts/client/{client_secret}/stream`: the reference's server-sent events stream for a client
 * checkout. Each message is a bare `data:` line (no `event:` field) carrying the reference's envelope
 * `{"id": <uuid>, "key": "checkout.updated", "payload": {"status": <status>}}`, sent when a change of the checkout
 * commits. A comment line every `pingInterval` keeps proxies from closing an idle stream. Unknown secret: 404
 * `{"detail":"Not Found"}` like the other client endpoints.
 *
 * The reference also sends `checkout.order_created`, `checkout.subscription_created` and
 * `checkout.webhook_event_delivered`; this project has no orders, subscriptions or merchant webhooks yet, so only
 * `checkout.updated` is sent.
 */
import { CheckoutService } from "@checkout-kit/domain"
import { Duration, Effect, Schedule, Stream } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { randomUUID } from "node:crypto"
import { ChangeFeed, type CheckoutChange } from "./ChangeFeed.ts"

export const path = "/v1/checkouts/client/:client_secret/stream"

/** One SSE message in the reference's envelope. */
export const encodeChange = (change: CheckoutChange, id: string = randomUUID()): string =>
  `data: ${JSON.stringify({ id, key: "checkout.updated", payload: { status: change.status } })}\n\n`

const encoder = new TextEncoder()

const jsonError = (status: number, body: unknown) => HttpServerResponse.jsonUnsafe(body, { status })

export interface Options {
  /** Comment lines sent while idle. Default 15 s (what sse-starlette sends). */
  readonly pingInterval?: Duration.Input
}

export const route = (options: Options = {}) =>
  HttpRouter.add(
    "GET",
    path,
    Effect.gen(function*() {
      const params = yield* HttpRouter.params
      const clientSecret = params.client_secret ?? ""
      const checkouts = yield* CheckoutService.CheckoutService
      const feed = yield* ChangeFeed
      // Subscribed on first pull of the body, which is before the client sees the 200: a client that reads the
      // checkout once the stream is open misses nothing.
      const found = yield* checkouts.clientGet(clientSecret).pipe(
        Effect.map(() => null),
        Effect.catchTags({
          ResourceNotFound: () => Effect.succeed(jsonError(404, { detail: "Not Found" })),
          ExpiredCheckoutError: () =>
            Effect.succeed(jsonError(410, { error: "ExpiredCheckoutError", detail: "This checkout session has expired." })),
          NotPermitted: () => Effect.succeed(jsonError(403, { error: "NotPermitted", detail: "Not permitted" }))
        })
      )
      if (found !== null) return found
      const changes = Stream.unwrap(Effect.map(feed.subscribe, (subscription) =>
        Stream.fromSubscription(subscription).pipe(
          Stream.filter((change) => change.clientSecret === clientSecret),
          Stream.map((change) => encodeChange(change))
        )))
      const pings = Stream.fromSchedule(Schedule.spaced(options.pingInterval ?? Duration.seconds(15))).pipe(
        Stream.map(() => ": ping\n\n")
      )
      const body = Stream.make(": stream open\n\n").pipe(
        // Ends when the feed shuts down (server stop), so an open stream never holds up a graceful shutdown.
        Stream.concat(Stream.merge(changes, pings, { haltStrategy: "left" })),
        Stream.map((text) => encoder.encode(text))
      )
      return HttpServerResponse.stream(body, {
        contentType: "text/event-stream; charset=utf-8",
        headers: { "cache-control": "no-store", "x-accel-buffering": "no", connection: "keep-alive" }
      })
    })
  )
