/**
 * A fresh database per use, cloned from the run's migrated template (test/globalSetup.ts) and dropped afterwards:
 * `layerClient` gives a PgClient/SqlClient on it, `layerStore(fixtures)` the whole store seeded with fixtures.
 */
import type { Secrets } from "@checkout-kit/domain"
import { ClientSecret } from "@checkout-kit/store-memory"
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

/** Creates a database cloned from the template; dropped (forcefully) when the scope closes. */
export const freshDatabase = Effect.acquireRelease(
  Effect.gen(function*() {
    const name = `ck_${randomBytes(6).toString("hex")}`
    yield* Effect.gen(function*() {
      const sql = yield* PgClient.PgClient
      yield* sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject("pgTemplate")} STRATEGY FILE_COPY`)
    }).pipe(Effect.provide(adminLayer()), Effect.orDie)
    return name
  }),
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

/** The whole store on a fresh database, seeded with `fixtures` (migrations are already applied by the template). */
export const layerStore = (fixtures: Admin.Fixtures = {}): Layer.Layer<PostgresStore.Services | Secrets> =>
  Layer.unwrap(
    Effect.map(freshDatabase, (name) =>
      PostgresStore.layer({ url: urlOf(name), seed: fixtures, secrets: ClientSecret.layer }).pipe(Layer.orDie))
  )
