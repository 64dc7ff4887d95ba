/**
 * A fresh database per use, cloned from the run's migrated template (test/globalSetup.ts) and dropped afterwards:
 * `layerClient` gives a PgClient/SqlClient on it, `layerStore(fixtures)` the whole store seeded with fixtures.
 */
import type { Secrets } from "@checkout-kit/domain"
import * as TestSecrets from "./TestSecrets.ts"
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, Redacted } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { randomBytes } from "node:crypto"
import { inject } from "vitest"
import type * as Admin from "../Admin.ts"
import * as PostgresStore from "../PostgresStore.ts"

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the maintenance database of the run's embedded PostgreSQL (password inside: never print it). */
    readonly pgAdminUrl: string
    /** The migrated template database to clone. */
    readonly pgTemplate: string
    /** The embedded server's data directory (for tests that stop and start it). */
    readonly pgDataDir: string
  }
}

const adminLayer = () => PgClient.layer({ url: Redacted.make(inject("pgAdminUrl")), maxConnections: 1, connectTimeout: Duration.seconds(5) })

/** The URL of a database of the run's server. */
export const urlOf = (database: string): Redacted.Redacted<string> => {
  const u = new URL(inject("pgAdminUrl"))
  u.pathname = `/${database}`
  return Redacted.make(u.toString())
}

/** Creates a database cloned from the template and returns its name (nobody drops it: see `freshDatabase`). */
export const createDatabase: Effect.Effect<string> = Effect.gen(function*() {
  const name = `ck_${randomBytes(6).toString("hex")}`
  yield* Effect.gen(function*() {
    const sql = yield* PgClient.PgClient
    yield* sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject("pgTemplate")} STRATEGY FILE_COPY`)
  }).pipe(Effect.provide(adminLayer()), Effect.orDie)
  return name
})

/** Creates a database cloned from the template; dropped (forcefully) when the scope closes. */
export const freshDatabase = Effect.acquireRelease(
  createDatabase,
  (name) =>
    Effect.gen(function*() {
      const sql = yield* PgClient.PgClient
      yield* sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }).pipe(Effect.provide(adminLayer()), Effect.orDie)
)

/** A PgClient (and SqlClient) on a fresh database. */
export const layerClient = (options: { readonly maxConnections?: number } = {}): Layer.Layer<PgClient.PgClient | SqlClient> =>
  Layer.unwrap(
    Effect.map(freshDatabase, (name) =>
      PgClient.layer({ url: urlOf(name), maxConnections: options.maxConnections ?? 10 }).pipe(Layer.orDie))
  )

/** A PgClient (and SqlClient) on an existing database of the run's server. */
export const layerClientOn = (database: string, maxConnections = 10): Layer.Layer<PgClient.PgClient | SqlClient> =>
  PgClient.layer({ url: urlOf(database), maxConnections }).pipe(Layer.orDie)

/** Every table of the schema, emptied between the stores a test file builds. */
const tables = [
  "organizations", "access_tokens", "products", "prices", "discounts", "discount_redemptions", "customers",
  "checkouts", "checkout_links", "checkout_events", "processed_stripe_events"
]

/**
 * One database per test file (this module is instantiated per file), made on first use and emptied for every
 * store: a TRUNCATE costs ~10 ms where cloning the template costs ~300 ms, which the contract suite pays 53 times.
 * Left for the run's global setup to drop (every `ck_` database is dropped when the next run starts).
 */
let fileDatabase: Promise<string> | undefined
const fileDatabaseName = Effect.suspend(() => {
  if (fileDatabase === undefined) {
    fileDatabase = Effect.runPromise(createDatabase)
  }
  return Effect.promise(() => fileDatabase!)
})

/**
 * The whole store seeded with `fixtures`, on this test file's database emptied first (tests in a file run one
 * after the other; migrations are already applied by the template).
 */
export const layerStore = (fixtures: Admin.Fixtures = {}): Layer.Layer<PostgresStore.Services | Secrets> =>
  Layer.unwrap(
    Effect.gen(function*() {
      const name = yield* fileDatabaseName
      yield* Effect.gen(function*() {
        const sql = yield* PgClient.PgClient
        yield* sql.unsafe(`TRUNCATE ${tables.join(", ")} RESTART IDENTITY CASCADE`)
      }).pipe(Effect.provide(PgClient.layer({ url: urlOf(name), maxConnections: 1 })), Effect.orDie)
      return PostgresStore.layer({ url: urlOf(name), seed: fixtures, secrets: TestSecrets.layer }).pipe(Layer.orDie)
    })
  )
