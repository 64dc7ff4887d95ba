/**
 * Port: the committed domain events, readable in order by position, for in-process subscribers (an embedding
 * service's fulfilment, a server-sent-events feed) that want the events without HTTP. `streamCommittedEvents` turns it into a
 * `Stream`: every event committed after the given position, in outbox order (commit order for the events of one
 * checkout, since they are written under its row lock), forever. Delivery is at-least-once when the subscriber keeps
 * the position of the last event it handled and resumes with `streamCommittedEvents({ after })` (events older than the store
 * retains are gone: the memory store keeps the last `eventRetention`).
 */
import { Context, Duration, Effect, Option, Stream } from "effect"
import type { CheckoutEvent } from "./Events.ts"

export interface CommittedEvent {
  /** Increasing; pass the last one handled to `streamCommittedEvents({ after })` to resume. */
  readonly position: number
  readonly event: CheckoutEvent
}

export class CommittedEvents extends Context.Service<CommittedEvents, {
  /** Committed events with a position greater than `after`, oldest first, at most `limit`. */
  readonly read: (after: number, limit: number) => Effect.Effect<ReadonlyArray<CommittedEvent>>
  /** The position of the latest committed event (-1 when there is none). */
  readonly head: Effect.Effect<number>
}>()("@checkout-kit/domain/CommittedEvents") {}

export interface StreamOptions {
  /** Resume after this position; default: from now on (events committed after the stream starts). */
  readonly after?: number | undefined
  /** Pause between two reads that found nothing (default 50 ms). */
  readonly pollInterval?: Duration.Input | undefined
  /** Events read at once (default 500). */
  readonly batchSize?: number | undefined
}

/** The committed events as an endless `Stream` (see the module comment). */
export const streamCommittedEvents = (options: StreamOptions = {}): Stream.Stream<CommittedEvent, never, CommittedEvents> =>
  Stream.unwrap(Effect.gen(function*() {
    const events = yield* CommittedEvents
    const start = options.after ?? (yield* events.head)
    const pause = Duration.fromInputUnsafe(options.pollInterval ?? Duration.millis(50))
    const batch = options.batchSize ?? 500
    return Stream.paginate(start, (after: number) =>
      Effect.flatMap(events.read(after, batch), (read) =>
        read.length === 0
          ? Effect.as(Effect.sleep(pause), [[], Option.some(after)] as const)
          : Effect.succeed([read, Option.some(read[read.length - 1]!.position)] as const)))
  }))
