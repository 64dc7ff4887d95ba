/**
 * Mounts the buyer's checkout page (@checkout-kit/checkout-page) in the server: its routes, in the payment mode
 * the server runs in, and the change feed its event stream reads, fed by the store's committed events.
 *
 * The feed is in-process: a change committed by this process reaches the streams this process serves. With
 * several processes on one database, the store adapter adds a second source (PostgreSQL LISTEN/NOTIFY calling
 * `ChangeFeed.publish`); the page and its stream do not change.
 */
import { ChangeFeed, EventStream, Html, Routes } from "@checkout-kit/checkout-page"
import { MemoryEvents } from "@checkout-kit/store-memory"
import { PostgresEvents } from "@checkout-kit/store-postgres"
import { Duration, Effect, Layer, Option, Schedule, Stream } from "effect"

/** The page's routes; `stripe` selects Stripe.js, otherwise the local test processor's test cards. */
export const routes = (paymentMode: "test" | "stripe"): ReturnType<typeof Routes.layer> => Routes.layer({ paymentMode })

/** The page's route templates, for the request log (which names a route by its template, never by its path). */
export const paths: ReadonlyArray<string> = [
  "/checkout/:client_secret",
  "/checkout/:client_secret/confirmation",
  EventStream.path,
  `${Html.assetsPath}/:name`
]

/**
 * The change feed over the store's committed events, whichever store the server runs on:
 * - memory: store-memory's committed-event listener, called at each commit (this process only: the store is
 *   in-process);
 * - PostgreSQL: the outbox (`checkout_events`) tailed every `outboxPollInterval`, so a change committed by ANY
 *   server process on the database reaches the streams of this one. Outbox positions are taken in insert order
 *   but committed in commit order, so each poll looks back `outboxLookback` positions and asks only for the ones
 *   not seen yet: a transaction that took a lower position and committed late is still delivered.
 * A PostgreSQL LISTEN/NOTIFY source can replace the polling later without touching the page: it only calls
 * `ChangeFeed.publish`.
 */
export const feed: Layer.Layer<ChangeFeed.ChangeFeed> = Layer.unwrap(Effect.gen(function*() {
  const memory = yield* Effect.serviceOption(MemoryEvents.MemoryEvents)
  if (Option.isSome(memory)) return ChangeFeed.fromListener(memory.value.listen)
  const outbox = yield* Effect.serviceOption(PostgresEvents.PostgresEvents)
  if (Option.isSome(outbox)) return fromChanges(tailOutbox(outbox.value))
  return ChangeFeed.layer
}))

/** The hub fed by a stream of changes (it runs for the lifetime of the layer), as `ChangeFeed.fromEvents` does. */
const fromChanges = (changes: Stream.Stream<ChangeFeed.CheckoutChange>): Layer.Layer<ChangeFeed.ChangeFeed> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const hub = yield* ChangeFeed.ChangeFeed
    yield* Effect.forkScoped(
      changes.pipe(
        Stream.runForEach((change) => hub.publish(change)),
        Effect.catchCause((cause) => Effect.logError("ChangeFeed: the event source failed", cause))
      )
    )
  })).pipe(Layer.provideMerge(ChangeFeed.layer))

export const outboxPollInterval = Duration.millis(150)
export const outboxLookback = 256

/** The changes of new committed outbox events, from the position current when it starts. */
export const tailOutbox = (
  outbox: PostgresEvents.PostgresEvents["Service"]
): Stream.Stream<ChangeFeed.CheckoutChange> =>
  Stream.unwrap(Effect.gen(function*() {
    // Skip what was committed before this process started: the page re-reads the checkout when its stream opens.
    let cursor = 0
    while (true) {
      const batch = yield* outbox.unseenChangesAfter(cursor, [], 1000)
      if (batch.length > 0) cursor = batch[batch.length - 1]!.seq
      if (batch.length < 1000) break
    }
    const seen = new Set<number>()
    const remember = (batch: ReadonlyArray<PostgresEvents.StoredChange>) => {
      for (const event of batch) {
        seen.add(event.seq)
        if (event.seq > cursor) cursor = event.seq
      }
      for (const seq of seen) if (seq <= cursor - outboxLookback) seen.delete(seq)
    }
    // Only the window's events not seen yet are read, as changes (id, client secret, status: no checkout decoded);
    // a quiet outbox costs one empty query per poll.
    const window = Effect.suspend(() => outbox.unseenChangesAfter(Math.max(0, cursor - outboxLookback), [...seen], 1000))
    remember(yield* window)
    const poll = window.pipe(
      Effect.map((fresh) => {
        remember(fresh)
        return fresh.map(({ seq: _, ...change }) => change)
      }),
      // A lost connection is a gap in live updates, not the end of them: the next poll tries again.
      Effect.catchCause((cause) =>
        Effect.as(Effect.logWarning("Checkout page feed: outbox poll failed", cause), [] as ReadonlyArray<ChangeFeed.CheckoutChange>)
      )
    )
    return Stream.fromSchedule(Schedule.spaced(outboxPollInterval)).pipe(
      Stream.mapEffect(() => poll),
      Stream.flatMap((changes) => Stream.fromIterable(changes))
    )
  }))

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
