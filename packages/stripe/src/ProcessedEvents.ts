/**
 * Port: the Stripe event ids the webhook endpoint has already handled, so a redelivered event (Stripe delivers
 * at least once, sometimes twice, sometimes days later) is acknowledged without running again. It plays the part of
 * the reference's unique `(source, external_id)` row. The endpoint marks an event only after the domain committed
 * its effect, so the store never needs to be transactional with the checkout: a crash in between leaves the event
 * unmarked, Stripe retries it, and the idempotent use cases turn the retry into a no-op.
 *
 * The contract is written for a SQL table (`INSERT … ON CONFLICT DO NOTHING`, rows pruned by age): marking twice is
 * not an error, a forgotten id is only a cheaper path lost (never a double effect), and storage failures are
 * defects. The memory layer keeps the most recent ids only.
 */
import { Context, Effect, Layer } from "effect"

export class ProcessedEvents extends Context.Service<ProcessedEvents, {
  /** Whether this event id was marked. May answer false for an id marked long ago (retention is bounded). */
  readonly isProcessed: (eventId: string) => Effect.Effect<boolean>
  /** Records the event id as handled. Idempotent. */
  readonly markProcessed: (eventId: string) => Effect.Effect<void>
}>()("@checkout-kit/stripe/ProcessedEvents") {
  /**
   * In-process memory, forgetting the oldest ids past `capacity` (default 100 000: Stripe retries an event for up to
   * three days, far fewer events than that for one process). Lost on restart, which is harmless for the same reason.
   */
  static readonly layerMemory = (options: { readonly capacity?: number } = {}): Layer.Layer<ProcessedEvents> =>
    Layer.sync(ProcessedEvents, () => makeMemory(options.capacity ?? defaultCapacity))
}

export const defaultCapacity = 100_000

/** An insertion-ordered set (a JS `Set` keeps insertion order) that evicts its oldest entries. */
export const makeMemory = (capacity: number): typeof ProcessedEvents.Service => {
  const ids = new Set<string>()
  return ProcessedEvents.of({
    isProcessed: (eventId) => Effect.sync(() => ids.has(eventId)),
    markProcessed: (eventId) =>
      Effect.sync(() => {
        if (ids.has(eventId)) return
        ids.add(eventId)
        while (ids.size > capacity) {
          const oldest = ids.values().next()
          if (oldest.done === true) break
          ids.delete(oldest.value)
        }
      })
  })
}
