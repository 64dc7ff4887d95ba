/**
 * The event outbox: committed domain events, in commit order, kept for reading (the last `retention` of them) and
 * pushed to live subscribers. An event published inside a transaction reaches the outbox at commit, never before,
 * and never if the transaction rolls back: what a transactional outbox table gives a SQL store.
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

  constructor(pubsub: PubSub.PubSub<CheckoutEvent>, retention: number) {
    this.pubsub = pubsub
    this.retention = retention
  }

  append(events: ReadonlyArray<CheckoutEvent>): void {
    for (const event of events) {
      this.log.push(event)
      PubSub.publishUnsafe(this.pubsub, event)
    }
    // Trim in batches so that appending stays amortised O(1).
    if (this.log.length > this.retention * 2) {
      const drop = this.log.length - this.retention
      this.log = this.log.slice(drop)
      this.firstSequence += drop
    }
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
