/**
 * The domain `Events` port as an in-memory outbox, and `MemoryEvents`, the way to read it: tests assert on what a
 * use case published (only committed events are there), and an embedding service subscribes to deliver them
 * (webhooks, fulfilment from `checkout.succeeded`).
 */
import type { CheckoutEvent } from "@checkout-kit/domain"
import { CommittedEvents, Events } from "@checkout-kit/domain"
import { Cause, Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"
import { Database } from "./Database.ts"

export class MemoryEvents extends Context.Service<MemoryEvents, {
  /** Committed events, oldest first (the most recent `eventRetention` of them; 10 000 by default). */
  readonly all: Effect.Effect<ReadonlyArray<CheckoutEvent>>
  /** Committed events not returned by an earlier `take`, oldest first: read-and-advance, like draining a queue. */
  readonly take: Effect.Effect<ReadonlyArray<CheckoutEvent>>
  /** Forgets every retained event (live subscribers are not affected). */
  readonly clear: Effect.Effect<void>
  /** A live subscription receiving each event as its transaction commits, until the scope closes. */
  readonly subscribe: Effect.Effect<PubSub.Subscription<CheckoutEvent>, never, Scope.Scope>
  /** The same as a stream (subscribes when run). */
  readonly stream: Stream.Stream<CheckoutEvent>
  /**
   * Calls `f` synchronously with each event as its transaction commits (in commit order), until the scope closes.
   * Unlike `subscribe`, no fiber wakes per event: for cheap in-process fan-out such as the checkout page's change
   * feed. `f` runs inside the committing request, so it must be quick and must not block; if it throws, the commit
   * stands, the error is logged and the other listeners still run.
   */
  readonly listen: (f: (event: CheckoutEvent) => void) => Effect.Effect<void, never, Scope.Scope>
}>()("@checkout-kit/store-memory/MemoryEvents") {}

/** `CommittedEvents` over the outbox: positions are outbox sequence numbers (the retained ones can be read). */
export const layerCommitted: Layer.Layer<CommittedEvents, never, Database> = Layer.effect(
  CommittedEvents,
  Effect.map(Effect.service(Database), (db) =>
    CommittedEvents.of({
      read: (after, limit) =>
        Effect.sync(() => {
          const read = db.outbox.readFrom(after + 1, limit)
          const first = read.next - read.events.length
          return read.events.map((event, i) => ({ position: first + i, event }))
        }),
      head: Effect.sync(() => db.outbox.end() - 1)
    }))
)

export const layer: Layer.Layer<MemoryEvents | Events | CommittedEvents, never, Database> = Layer.effect(
  MemoryEvents,
  Effect.gen(function*() {
    const db = yield* Database
    const outbox = db.outbox
    return MemoryEvents.of({
      all: Effect.sync(() => outbox.all()),
      take: Effect.sync(() => outbox.take()),
      clear: Effect.sync(() => outbox.clear()),
      subscribe: PubSub.subscribe(outbox.pubsub),
      stream: Stream.fromPubSub(outbox.pubsub),
      listen: (f) =>
        Effect.flatMap(Effect.context(), (context) => {
          const report = Effect.runForkWith(context)
          const guarded = (event: CheckoutEvent) => {
            try {
              f(event)
            } catch (error) {
              report(Effect.logError("MemoryEvents.listen: a listener threw", Cause.die(error)))
            }
          }
          return Effect.acquireRelease(Effect.sync(() => outbox.listen(guarded)), (stop) => Effect.sync(stop))
        }).pipe(Effect.asVoid)
    })
  })
).pipe(
  Layer.merge(Layer.effect(
    Events,
    Effect.gen(function*() {
      const db = yield* Database
      return Events.of({ publish: (event) => db.publish(event) })
    })
  )),
  Layer.merge(layerCommitted)
)
