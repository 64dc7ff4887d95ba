/**
 * The `RateLimitStore` port on PostgreSQL (`rate_limit_counters`, `rate_limit_blocks`, migration 3): every process
 * on the database shares the counters, and a block outlives a restart. Each hit is one call of the
 * `rate_limit_hit` function, atomic on its own. Time is the caller's Clock, so every node should keep its clock
 * synchronized (NTP); the layer also prunes ended counters and blocks every few minutes.
 */
import { RateLimitStore } from "@checkout-kit/domain"
import type { RateLimitDecision } from "@checkout-kit/domain"
import { Clock, Duration, Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

const allowed: RateLimitDecision = { _tag: "Allowed" }

export const make: Effect.Effect<RateLimitStore["Service"], never, SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient
  return {
    hit: (identity, rule) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        sql<{ retry: number }>`SELECT rate_limit_hit(${rule.zone}, ${identity},
            ${rule.windows.map((w) => w.seconds)}::integer[], ${rule.windows.map((w) => w.limit)}::integer[],
            ${rule.blockSeconds}::integer, ${new Date(now)}) AS retry`.pipe(
          Effect.map(([row]): RateLimitDecision =>
            row === undefined || row.retry === 0 ? allowed : { _tag: "Limited", retryAfterSeconds: row.retry }
          ),
          Effect.orDie
        ))
  }
})

/** Deletes counters whose window ended and blocks that ran out (before `now`); returns how many rows went. */
export const prune = (now: Date): Effect.Effect<number, never, SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient
    return yield* sql<{ n: number }>`WITH a AS (DELETE FROM rate_limit_counters WHERE ends_at <= ${now} RETURNING 1),
        b AS (DELETE FROM rate_limit_blocks WHERE blocked_until <= ${now} RETURNING 1)
      SELECT (SELECT count(*) FROM a)::int + (SELECT count(*) FROM b)::int AS n`.pipe(
      Effect.map(([row]) => row?.n ?? 0),
      Effect.orDie
    )
  })

/** The port over the SqlClient in context, with a pruning fiber every `pruneEvery` (default 5 minutes). */
export const layer = (options: { readonly pruneEvery?: Duration.Input } = {}): Layer.Layer<RateLimitStore, never, SqlClient> =>
  Layer.effect(
    RateLimitStore,
    Effect.gen(function*() {
      const store = yield* make
      yield* Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) => prune(new Date(now))),
        Effect.catchCause((cause) => Effect.logWarning("Rate limits: pruning failed", cause)),
        Effect.repeat(Schedule.spaced(options.pruneEvery ?? Duration.minutes(5))),
        Effect.forkScoped
      )
      return store
    })
  )
