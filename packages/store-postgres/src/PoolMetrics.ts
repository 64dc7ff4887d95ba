/**
 * Connection-pool usage as metrics (for OpenTelemetry export): every `interval` the pool's snapshot is written to the
 * gauges `db.client.connections.usage` (by `state`: `idle`, `used`), `db.client.connections.pending_requests` and
 * `db.client.connections.max`. A pool that sits at `max` used with requests pending is the database bottleneck.
 */
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Metric, Schedule } from "effect"

const usage = Metric.gauge("db.client.connections.usage", { description: "Pool connections by state" })
const pending = Metric.gauge("db.client.connections.pending_requests", { description: "Requests waiting for a connection" })
const max = Metric.gauge("db.client.connections.max", { description: "Pool size limit" })

/** Samples the pool in context every `interval` (default 10 seconds) while the layer lives. */
export const layer = (interval: Duration.Input = Duration.seconds(10)): Layer.Layer<never, never, PgClient.PgClient> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const client = yield* PgClient.PgClient
    const sample = Effect.flatMap(client.poolStats, (stats) =>
      Effect.all([
        Metric.update(Metric.withAttributes(usage, { state: "idle" }), stats.idle),
        Metric.update(Metric.withAttributes(usage, { state: "used" }), stats.used),
        Metric.update(pending, stats.pending),
        Metric.update(max, stats.max)
      ], { discard: true }))
    yield* Effect.forkScoped(Effect.repeat(sample, Schedule.spaced(interval)))
  }))
