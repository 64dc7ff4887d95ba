/**
 * The Stripe event ids the webhook endpoint has handled, on PostgreSQL (`processed_stripe_events`): the same
 * contract as `@checkout-kit/stripe`'s ProcessedEvents port (structurally; this package does not depend on the Stripe
 * adapter): marking is `INSERT ... ON CONFLICT DO NOTHING`, so every node sharing the database sees every mark.
 * `prune` drops marks older than Stripe's retry horizon.
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export interface ProcessedEventsStore {
  readonly isProcessed: (eventId: string) => Effect.Effect<boolean>
  readonly markProcessed: (eventId: string) => Effect.Effect<void>
  /** Deletes marks older than `days` (default 30; Stripe retries for up to three days). Returns how many. */
  readonly prune: (days?: number) => Effect.Effect<number>
}

export const make: Effect.Effect<ProcessedEventsStore, never, SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient
  return {
    isProcessed: (eventId) =>
      sql<{ one: number }>`SELECT 1 AS one FROM processed_stripe_events WHERE event_id = ${eventId}`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie
      ),
    markProcessed: (eventId) =>
      sql`INSERT INTO processed_stripe_events (event_id) VALUES (${eventId}) ON CONFLICT DO NOTHING`.pipe(
        Effect.asVoid,
        Effect.orDie
      ),
    prune: (days = 30) =>
      sql<{ n: number }>`WITH gone AS (DELETE FROM processed_stripe_events
          WHERE processed_at < now() - make_interval(days => ${days}) RETURNING 1)
        SELECT count(*)::int AS n FROM gone`.pipe(Effect.map((rows) => rows[0]?.n ?? 0), Effect.orDie)
  }
})
