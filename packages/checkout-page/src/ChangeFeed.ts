/**
 * The checkout changes the buyer's page listens to: each committed change of a checkout (its id, client secret and
 * new status), fanned out to every open event stream of this process.
 *
 * The feed is fed from outside, by whatever knows that a change committed: in-process from the store's committed
 * event stream (`fromEvents`, e.g. store-memory's `MemoryEvents.stream`), and, for a change committed by another
 * server process on a shared database, from that database's notifications (a PostgreSQL LISTEN loop calling
 * `publish`). The page's stream endpoint only subscribes; it does not know where changes come from.
 */
import type { CheckoutEvent, CheckoutStatus } from "@checkout-kit/domain"
import { Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"

export interface CheckoutChange {
  readonly checkoutId: string
  readonly clientSecret: string
  readonly status: CheckoutStatus.Status
}

export class ChangeFeed extends Context.Service<ChangeFeed, {
  /** Announces a committed change to the subscribers of this process. */
  readonly publish: (change: CheckoutChange) => Effect.Effect<void>
  /**
   * A subscription receiving every change published after this effect returns, until the scope closes. Subscribe
   * BEFORE reading the current state, so nothing committed in between is missed.
   */
  readonly subscribe: Effect.Effect<PubSub.Subscription<CheckoutChange>, never, Scope.Scope>
  /**
   * Ends every subscription (and so every open event stream; browsers reconnect by themselves). A server calls it
   * when it starts shutting down, so open streams do not hold up the wait for in-flight requests.
   */
  readonly close: Effect.Effect<void>
}>()("@checkout-kit/checkout-page/ChangeFeed") {}

/** What a committed domain event means for the page: the checkout's status after it. */
export const changeOf = (event: CheckoutEvent): CheckoutChange => ({
  checkoutId: event.checkout.id,
  clientSecret: event.checkout.clientSecret,
  status: event.checkout.status
})

/**
 * The in-process hub. A slow subscriber (a stalled connection) drops its oldest changes rather than holding back
 * the others: each change carries the full status, so only the latest one matters.
 */
export const layer: Layer.Layer<ChangeFeed> = Layer.effect(
  ChangeFeed,
  Effect.gen(function*() {
    const hub = yield* Effect.acquireRelease(PubSub.sliding<CheckoutChange>(64), PubSub.shutdown)
    return ChangeFeed.of({
      publish: (change) => Effect.asVoid(PubSub.publish(hub, change)),
      subscribe: PubSub.subscribe(hub),
      close: PubSub.shutdown(hub)
    })
  })
)

/**
 * The hub fed by a stream of committed domain events (it runs for the lifetime of the layer). With store-memory:
 * `ChangeFeed.fromEvents(MemoryEvents.stream)` inside a layer that has `MemoryEvents`.
 */
export const fromEvents = <E, R>(events: Stream.Stream<CheckoutEvent, E, R>): Layer.Layer<ChangeFeed, never, R> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const feed = yield* ChangeFeed
    yield* Effect.forkScoped(
      events.pipe(
        Stream.runForEach((event) => feed.publish(changeOf(event))),
        Effect.catchCause((cause) => Effect.logError("ChangeFeed: the event source failed", cause))
      )
    )
  })).pipe(Layer.provideMerge(layer))
