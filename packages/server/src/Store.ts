/**
 * The store the server runs on, chosen by the configuration (Config.StoreSettings):
 * - `embedded` (the default): a PostgreSQL started from the npm package, data kept under the project
 *   (`.data/postgres`) across restarts, stopped on shutdown;
 * - `postgres`: the database at DATABASE_URL (no server started);
 * - `memory`: the in-memory store (CHECKOUT_STORE=memory), lost on restart.
 * On PostgreSQL, migrations run at start-up and the seed is loaded once (rows already there are left as they are);
 * the Stripe webhook's processed-event ids live in the database, so every node sharing it sees them, and so do the
 * rate-limit counters and blocks (in memory: this process's own).
 */
import type { RateLimitStore, Secrets, StorePorts } from "@checkout-kit/domain"
import type { Seed } from "@checkout-kit/http-api"
import { MemoryStore, RateLimits as MemoryRateLimits } from "@checkout-kit/store-memory"
import {
  type EmbeddedPostgresError,
  PoolMetrics,
  PostgresStore,
  ProcessedEvents,
  RateLimits as PostgresRateLimits,
  Readiness,
  type StoreStartError
} from "@checkout-kit/store-postgres"
import { Context, Duration, Effect, Layer, Option } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type * as ServerConfig from "./Config.ts"
import * as Randomness from "./Randomness.ts"
import { StoreReadiness } from "./Readiness.ts"

export type Ports =
  | StorePorts
  | Secrets
  | RateLimitStore
  | StoreReadiness

/** Where the webhook endpoint records handled Stripe events: the database, or (None) process memory. */
export class WebhookDedup extends Context.Service<WebhookDedup, Option.Option<ProcessedEvents.ProcessedEventsStore>>()(
  "@checkout-kit/server/WebhookDedup"
) {}

/** The store in one line for the banner and the log (no secrets). */
export class StoreDescription extends Context.Service<StoreDescription, string>()("@checkout-kit/server/StoreDescription") {}

const sqlDedup = Layer.mergeAll(
  Layer.effect(WebhookDedup, Effect.map(ProcessedEvents.make, Option.some)),
  PostgresRateLimits.layer(),
  Layer.effect(StoreReadiness, Effect.map(Effect.context<SqlClient>(), (context) => ({
    check: Readiness.check().pipe(Effect.provideContext(context))
  })))
)

const sqlExtras = (poolMetricsEveryMs: number | undefined) =>
  poolMetricsEveryMs === undefined ? sqlDedup : Layer.merge(sqlDedup, PoolMetrics.layer(Duration.millis(poolMetricsEveryMs)))

export const layer = (
  settings: ServerConfig.StoreSettings,
  seed: Seed.Seed,
  description: string,
  /** Sample the connection pool into metrics this often (set when OpenTelemetry export is on). */
  options: { readonly poolMetricsEveryMs?: number | undefined } = {}
): Layer.Layer<Ports | WebhookDedup | StoreDescription, StoreStartError | EmbeddedPostgresError> => {
  const described = Layer.succeed(StoreDescription, description)
  switch (settings._tag) {
    case "memory":
      return Layer.mergeAll(
        MemoryStore.layer(seed, { secrets: Randomness.secrets }),
        MemoryRateLimits.layer,
        StoreReadiness.always,
        Layer.succeed(WebhookDedup, Option.none()),
        described
      )
    case "postgres":
      return Layer.mergeAll(
        sqlExtras(options.poolMetricsEveryMs),
        described
      ).pipe(Layer.provideMerge(PostgresStore.layer({ url: settings.url, maxConnections: settings.poolSize, seed, secrets: Randomness.secrets })))
    case "embedded":
      return Layer.mergeAll(sqlExtras(options.poolMetricsEveryMs), described).pipe(
        Layer.provideMerge(PostgresStore.layerEmbedded({ dataDir: settings.dataDir, maxConnections: settings.poolSize, seed, secrets: Randomness.secrets }))
      )
  }
}
