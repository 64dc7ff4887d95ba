/**
 * The checkout changes the buyer's page listens to: each committed change of a checkout (its id, client secret and
 * new status), fanned out to every open event stream of this process.
 *
 * The feed is fed from outside, by whatever knows that a change committed: in-process from the store's committed
 * events (`fromListener` over store-memory's `MemoryEvents.listen`, or `fromEvents` over any event stream), and,
 * for a change committed by another server process on a shared database, from that database (server's outbox
 * tail calling `publish`). The page's stream endpoint only subscribes; it does not know where changes come from.
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
const makeHub = Effect.acquireRelease(PubSub.sliding<CheckoutChange>(64), PubSub.shutdown)

const feedOf = (hub: PubSub.PubSub<CheckoutChange>): ChangeFeed["Service"] =>
  ChangeFeed.of({
    publish: (change) => Effect.asVoid(PubSub.publish(hub, change)),
    subscribe: PubSub.subscribe(hub),
    close: PubSub.shutdown(hub)
  })

/** The hub alone: changes reach it through `publish`. */
export const layer: Layer.Layer<ChangeFeed> = Layer.effect(ChangeFeed, Effect.map(makeHub, feedOf))

/**
 * The hub fed by a stream of committed domain events (it runs for the lifetime of the layer), for any source of
 * events; a fiber takes each event from the stream.
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

/**
 * The hub fed synchronously by a listener of committed events (store-memory's `MemoryEvents.listen`): each commit
 * hands its changes to the open streams directly, with no fiber of the feed's own to wake per event. `listen`
 * registers its callback for the layer's scope.
 */
export const fromListener = <R>(
  listen: (f: (event: CheckoutEvent) => void) => Effect.Effect<void, never, Scope.Scope | R>
): Layer.Layer<ChangeFeed, never, Exclude<R, Scope.Scope>> =>
  Layer.effect(
    ChangeFeed,
    Effect.gen(function*() {
      const hub = yield* makeHub
      // Registered after the hub, so it is removed before the hub shuts down.
      yield* listen((event) => void PubSub.publishUnsafe(hub, changeOf(event)))
      return feedOf(hub)
    })
  )
