/**
 * The PostgreSQL store as layers: every storage port of the domain (CheckoutRepository, CheckoutLinkRepository,
 * Catalog, Customers, Organizations, Events, UnitOfWork) over one `@effect/sql-pg` pool, plus the outbox reader and
 * the admin service. `Secrets` is not this adapter's: the composition root passes one as `options.secrets` (the
 * server's `Randomness.secrets`: the domain's `ClientSecret.layer` on node:crypto). `layer({ url })` connects
 * (failing within `connectTimeout` when the database cannot be reached), applies pending migrations and optionally seeds; `layerEmbedded` does the same on an embedded
 * PostgreSQL it starts and stops.
 */
import type { CommittedEvents, Secrets, StorePorts } from "@checkout-kit/domain"
import { PgClient } from "@effect/sql-pg"
import { Context, Data, Duration, Effect, Layer, Redacted, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlClient } from "effect/sql/SqlClient"
import { isSqlError } from "effect/sql/SqlError"
import * as Admin from "./Admin.ts"
import * as Catalogs from "./Catalog.ts"
import * as CatalogCacheModule from "./CatalogCache.ts"
import * as Checkouts from "./Checkouts.ts"
import * as CommittedEventsTable from "./CommittedEvents.ts"
import * as CustomerTable from "./Customers.ts"
import * as Embedded from "./Embedded.ts"
import * as Outbox from "./Events.ts"
import * as Links from "./Links.ts"
import * as Migrations from "./Migrations.ts"
import * as Orgs from "./Organizations.ts"
import { layerUnitOfWork } from "./Sql.ts"
import * as Webhooks from "./Webhooks.ts"

/** Every service `layer` provides. */
export type Services =
  | StorePorts
  | CommittedEvents
  | Outbox.PostgresEvents
  | Admin.PostgresStore
  | PgClient.PgClient
  | SqlClient

/** The store could not start: unreachable or refused database, failed migration, bad seed. */
export class StoreStartError extends Data.TaggedError("StoreStartError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

export interface Options {
  /** `postgres://user:password@host:port/database`. */
  readonly url: Redacted.Redacted<string>
  /** Pool size (default 10). */
  readonly maxConnections?: number
  /** How long connecting may take before the start fails (default 5 seconds). */
  readonly connectTimeout?: Duration.Input
  /** Loaded after migrating, in `insertMissing` mode (rows already there are left untouched). */
  readonly seed?: Admin.Fixtures
  /**
   * The Secrets implementation (ids, client secrets) to provide along: this adapter does not make them; the
   * composition root picks one (e.g. the server's `Randomness.secrets`: the domain's `ClientSecret.layer` on node:crypto).
   */
  readonly secrets: Layer.Layer<Secrets>
}

/** Every port over the SqlClient in context (compose your own store from the pieces). */
export const layerPorts: Layer.Layer<Exclude<Services, PgClient.PgClient | SqlClient>, never, SqlClient> = Layer.mergeAll(
  Checkouts.layer,
  Links.layer,
  Catalogs.layer,
  CustomerTable.layer,
  Orgs.layer,
  Outbox.layer,
  layerUnitOfWork,
  Webhooks.layer,
  CommittedEventsTable.layer(),
  Admin.layer
).pipe(Layer.provide(CatalogCacheModule.layer()))

/** Where a URL points, without its password: for banners and error messages. */
export const describeUrl = (url: Redacted.Redacted<string>): string => {
  try {
    const u = new URL(Redacted.value(url))
    return `${u.protocol}//${u.username === "" ? "" : `${decodeURIComponent(u.username)}@`}${u.host}${u.pathname}`
  } catch {
    return "(unparsable DATABASE_URL)"
  }
}

/** The pool alone (nothing run on it yet); a connection failure is a `StoreStartError` naming the database. */
const layerPool = (options: Omit<Options, "secrets" | "seed">): Layer.Layer<PgClient.PgClient | SqlClient, StoreStartError> => {
  const where = describeUrl(options.url)
  return PgClient.layerFrom(
    PgClient.make({
      url: options.url,
      maxConnections: options.maxConnections ?? 10,
      connectTimeout: options.connectTimeout ?? Duration.seconds(5),
      applicationName: "checkout-kit"
    }).pipe(
      Effect.mapError((cause) => new StoreStartError({ message: `Cannot connect to PostgreSQL at ${where}: ${cause.message}`, cause }))
    )
  )
}

/** Applies the pending migrations within the connect timeout + 25 s; failures are `StoreStartError`s naming `where`. */
const applyMigrations = (where: string, connectTimeout: Duration.Input | undefined) =>
  Migrations.run.pipe(
    Effect.timeoutOrElse({
      duration: Duration.sum(Duration.fromInputUnsafe(connectTimeout ?? Duration.seconds(5)), Duration.seconds(25)),
      orElse: () => Effect.fail(new StoreStartError({ message: `PostgreSQL at ${where} did not answer while migrating` }))
    }),
    Effect.mapError((cause) =>
      cause instanceof StoreStartError
        ? cause
        : new StoreStartError({
          message: isSqlError(cause) && (cause.reason._tag === "ConnectionError" || cause.reason._tag === "AuthenticationError")
            ? `Cannot connect to PostgreSQL at ${where}: ${cause.message}`
            : `Cannot prepare the database at ${where}: ${cause.message}`,
          cause
        })
    )
  )

/** The pool, with migrations applied (and the seed loaded) before anything else uses it. */
export const layerClient = (options: Omit<Options, "secrets">): Layer.Layer<PgClient.PgClient | SqlClient, StoreStartError> => {
  const where = describeUrl(options.url)
  const setup = Layer.effectDiscard(
    Effect.gen(function*() {
      const applied = yield* applyMigrations(where, options.connectTimeout)
      if (applied.length > 0) yield* Effect.logInfo(`Applied migrations: ${applied.map(([id, name]) => `${id}_${name}`).join(", ")}`)
      if (options.seed !== undefined) {
        const admin = yield* Admin.make
        yield* admin.load(options.seed, "insertMissing")
      }
    })
  )
  return Layer.provideMerge(setup, layerPool(options))
}

/** The whole store on the database at `options.url`, with `options.secrets`. */
export const layer = (options: Options): Layer.Layer<Services | Secrets, StoreStartError> =>
  Layer.merge(layerPorts, options.secrets).pipe(Layer.provideMerge(layerClient(options)))

/** Creates `database` on the server if missing (connects to the `postgres` maintenance database). */
export const ensureDatabase = (
  adminUrl: Redacted.Redacted<string>,
  database: string
): Effect.Effect<void, StoreStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const sql = yield* PgClient.makeClient({ url: adminUrl, connectTimeout: Duration.seconds(5) })
    const rows = yield* sql<{ one: number }>`SELECT 1 AS one FROM pg_database WHERE datname = ${database}`
    if (rows.length === 0) yield* sql.unsafe(`CREATE DATABASE "${database.replaceAll("\"", "\"\"")}"`)
  }).pipe(
    Effect.scoped,
    Effect.provide(Reactivity.layer),
    Effect.mapError((cause) => new StoreStartError({ message: `Cannot create database ${database}: ${cause.message}`, cause }))
  )

export interface EmbeddedOptions extends Omit<Options, "url"> {
  /** Data directory of the embedded cluster (kept across restarts). */
  readonly dataDir: string
  /** Database name (default `checkout_kit`). */
  readonly database?: string
  readonly port?: number
}

/**
 * The whole store on an embedded PostgreSQL started from `dataDir` (created on first use) and stopped when the
 * layer is released. Also provides the running server's description.
 */
export const layerEmbedded = (
  options: EmbeddedOptions
): Layer.Layer<Services | EmbeddedServer | Secrets, StoreStartError | Embedded.EmbeddedPostgresError> =>
  Layer.unwrap(
    Effect.gen(function*() {
      const running = yield* Embedded.start({ dataDir: options.dataDir, ...(options.port === undefined ? {} : { port: options.port }) })
      const database = options.database ?? "checkout_kit"
      yield* ensureDatabase(running.url("postgres"), database)
      return Layer.merge(layer({ ...options, url: running.url(database) }), Layer.succeed(EmbeddedServer, running))
    })
  )

/** The embedded server a `layerEmbedded` store runs on. */
export class EmbeddedServer extends Context.Service<EmbeddedServer, Embedded.Running>()("@checkout-kit/store-postgres/EmbeddedServer") {}

/** What `migrate` did. */
export interface MigrateResult {
  /** The migrations applied by this run, in order (empty: the schema was already the latest). */
  readonly applied: ReadonlyArray<readonly [id: number, name: string]>
  /** The latest migration this build knows. */
  readonly latest: number
  /** The database, without its password. */
  readonly where: string
}

/**
 * Applies the pending migrations to the database at `url` over one connection, then closes it (the server's
 * `migrate` command): no seed, no ports. Idempotent; concurrent runs apply each migration once.
 */
export const migrate = (options: {
  readonly url: Redacted.Redacted<string>
  readonly connectTimeout?: Duration.Input
}): Effect.Effect<MigrateResult, StoreStartError> => {
  const where = describeUrl(options.url)
  return applyMigrations(where, options.connectTimeout).pipe(
    Effect.map((applied): MigrateResult => ({ applied, latest: Migrations.latest, where })),
    Effect.provide(layerPool({ ...options, maxConnections: 1 }))
  )
}

/**
 * `migrate` on the embedded PostgreSQL of `dataDir` (started for the run, stopped afterwards; the cluster and the
 * database are created when missing).
 */
export const migrateEmbedded = (options: {
  readonly dataDir: string
  readonly database?: string
}): Effect.Effect<MigrateResult, StoreStartError | Embedded.EmbeddedPostgresError> =>
  Effect.gen(function*() {
    const running = yield* Embedded.start({ dataDir: options.dataDir })
    const database = options.database ?? "checkout_kit"
    yield* ensureDatabase(running.url("postgres"), database)
    const result = yield* migrate({ url: running.url(database) })
    return { ...result, where: `embedded PostgreSQL, data in ${running.dataDir}, database ${database}` }
  }).pipe(Effect.scoped)
