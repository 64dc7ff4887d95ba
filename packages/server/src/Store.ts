/**
 * The store the server runs on, chosen by the configuration (Config.StoreSettings):
 * - `embedded` (the default): a PostgreSQL started from the npm package, data kept under the project
 *   (`.data/postgres`) across restarts, stopped on shutdown;
 * - `postgres`: the database at DATABASE_URL (no server started);
 * - `memory`: the in-memory store (CHECKOUT_STORE=memory), lost on restart.
 * On PostgreSQL, migrations run at start-up and the seed is loaded once (rows already there are left as they are);
 * the Stripe webhook's processed-event ids live in the database, so every node sharing it sees them.
 */
import type {
  Catalog,
  CheckoutLinkRepository,
  CheckoutRepository,
  Customers,
  Events,
  Organizations,
  Secrets,
  UnitOfWork
} from "@checkout-kit/domain"
import { ClientSecret, MemoryStore, type Seed } from "@checkout-kit/store-memory"
import { type EmbeddedPostgresError, PostgresStore, ProcessedEvents, type StoreStartError } from "@checkout-kit/store-postgres"
import { Context, Effect, Layer, Option } from "effect"
import type * as ServerConfig from "./Config.ts"

export type Ports =
  | CheckoutRepository
  | CheckoutLinkRepository
  | Catalog
  | Customers
  | Organizations
  | Events
  | UnitOfWork
  | Secrets

/** Where the webhook endpoint records handled Stripe events: the database, or (None) process memory. */
export class WebhookDedup extends Context.Service<WebhookDedup, Option.Option<ProcessedEvents.ProcessedEventsStore>>()(
  "@checkout-kit/server/WebhookDedup"
) {}

/** The store in one line for the banner and the log (no secrets). */
export class StoreDescription extends Context.Service<StoreDescription, string>()("@checkout-kit/server/StoreDescription") {}

const sqlDedup = Layer.effect(WebhookDedup, Effect.map(ProcessedEvents.make, Option.some))

export const layer = (
  settings: ServerConfig.StoreSettings,
  seed: Seed.Seed,
  description: string
): Layer.Layer<Ports | WebhookDedup | StoreDescription, StoreStartError | EmbeddedPostgresError> => {
  const described = Layer.succeed(StoreDescription, description)
  switch (settings._tag) {
    case "memory":
      return Layer.mergeAll(MemoryStore.layer(seed), Layer.succeed(WebhookDedup, Option.none()), described)
    case "postgres":
      return Layer.mergeAll(
        sqlDedup,
        described
      ).pipe(Layer.provideMerge(PostgresStore.layer({ url: settings.url, maxConnections: settings.poolSize, seed, secrets: ClientSecret.layer })))
    case "embedded":
      return Layer.mergeAll(sqlDedup, described).pipe(
        Layer.provideMerge(PostgresStore.layerEmbedded({ dataDir: settings.dataDir, maxConnections: settings.poolSize, seed, secrets: ClientSecret.layer }))
      )
  }
}
