/**
 * Mounts the buyer's checkout page (@checkout-kit/checkout-page) in the server: its routes, in the payment mode
 * the server runs in, and the change feed its event stream reads, fed by the store's committed events.
 *
 * The feed is in-process: a change committed by this process reaches the streams this process serves. With
 * several processes on one database, the store adapter adds a second source (PostgreSQL LISTEN/NOTIFY calling
 * `ChangeFeed.publish`); the page and its stream do not change.
 */
import { ChangeFeed, Routes } from "@checkout-kit/checkout-page"
import { MemoryEvents } from "@checkout-kit/store-memory"
import { Effect, Layer, Stream } from "effect"

/** The page's routes; `stripe` selects Stripe.js, otherwise the local test processor's test cards. */
export const routes = (paymentMode: "test" | "stripe"): ReturnType<typeof Routes.layer> => Routes.layer({ paymentMode })

/** The change feed over store-memory's committed events. */
export const feedFromMemoryStore: Layer.Layer<ChangeFeed.ChangeFeed, never, MemoryEvents.MemoryEvents> = ChangeFeed
  .fromEvents(Stream.unwrap(Effect.gen(function*() {
    const events = yield* MemoryEvents.MemoryEvents
    return events.stream
  })))

/**
 * Ends the page's open event streams when shutdown starts. Build it after the HTTP server (provide the server
 * layer to it) so that its finalizer runs before the server waits for in-flight requests: an open stream would
 * otherwise hold shutdown for the whole graceful timeout.
 */
export const closeStreamsOnShutdown: Layer.Layer<never, never, ChangeFeed.ChangeFeed> = Layer.effectDiscard(
  Effect.gen(function*() {
    const feed = yield* ChangeFeed.ChangeFeed
    yield* Effect.addFinalizer(() => feed.close)
  })
)
