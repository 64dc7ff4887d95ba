/**
 * The event outbox: committed domain events, in commit order, kept for reading (the last `retention` of them) and
 * pushed to live subscribers. An event published inside a transaction reaches the outbox at commit, never before,
 * and never if the transaction rolls back: what a transactional outbox table gives a SQL store.
 *
 * Listeners (`listen`) are called synchronously with each appended event, after the live subscribers: in-process
 * fan-out with no fiber to wake per event. A listener must not block; `MemoryEvents.listen` catches what one throws.
 */
import type { CheckoutEvent } from "@checkout-kit/domain"
import { PubSub } from "effect"

export class Outbox {
  private log: Array<CheckoutEvent> = []
  /** Sequence number of `log[0]`; sequence numbers start at 0 and never repeat. */
  private firstSequence = 0
  /** The first sequence `take` has not returned yet. */
  private takeCursor = 0

  readonly pubsub: PubSub.PubSub<CheckoutEvent>
  readonly retention: number
  private readonly listeners = new Set<(event: CheckoutEvent) => void>()

  constructor(pubsub: PubSub.PubSub<CheckoutEvent>, retention: number) {
    this.pubsub = pubsub
    this.retention = retention
  }

  append(events: ReadonlyArray<CheckoutEvent>): void {
    for (const event of events) {
      this.log.push(event)
      PubSub.publishUnsafe(this.pubsub, event)
    }
    if (this.listeners.size > 0) for (const event of events) for (const listener of this.listeners) listener(event)
    // Trim in batches so that appending stays amortised O(1).
    if (this.log.length > this.retention * 2) {
      const drop = this.log.length - this.retention
      this.log = this.log.slice(drop)
      this.firstSequence += drop
    }
  }

  /** Calls `listener` with every event appended from now on; returns the function that stops it. */
  listen(listener: (event: CheckoutEvent) => void): () => void {
    // A wrapper of its own, so the same function listening twice is two listeners, each removed on its own.
    const entry = (event: CheckoutEvent) => listener(event)
    this.listeners.add(entry)
    return () => void this.listeners.delete(entry)
  }

  /** The retained events, oldest first (events beyond the retention limit have been dropped). */
  all(): ReadonlyArray<CheckoutEvent> {
    return this.log.length > this.retention ? this.log.slice(this.log.length - this.retention) : this.log.slice()
  }

  /** The retained events not returned by a previous `take`, oldest first. */
  take(): ReadonlyArray<CheckoutEvent> {
    const end = this.firstSequence + this.log.length
    const from = Math.max(this.takeCursor, this.firstSequence, end - this.retention)
    this.takeCursor = end
    return this.log.slice(from - this.firstSequence)
  }

  /**
   * Retained events from sequence `from` on, with the sequence to read from next (a consumer's own cursor, unlike
   * `take`'s shared one). Events already dropped by retention are skipped: `skipped` says how many.
   */
  readFrom(from: number, limit: number): { readonly events: ReadonlyArray<CheckoutEvent>; readonly next: number; readonly skipped: number } {
    const start = Math.max(from, this.firstSequence)
    const events = this.log.slice(start - this.firstSequence, start - this.firstSequence + limit)
    return { events, next: start + events.length, skipped: start - from }
  }

  /** The sequence number the next appended event gets. */
  end(): number {
    return this.firstSequence + this.log.length
  }

  clear(): void {
    this.firstSequence += this.log.length
    this.takeCursor = this.firstSequence
    this.log = []
  }
}
