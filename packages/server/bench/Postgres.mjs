// PostgreSQL for the benchmark scripts (postgres.mjs, pool.mjs): an embedded PostgreSQL 18 (store-postgres's
// Embedded.start, durable settings) with pg_stat_statements loaded, its data under <repo>/.data/bench-http-postgres
// (git-ignored; deleted by `stopPostgres(true)`), and helpers that count the statements a phase issued.
import { Embedded, PostgresStore } from "@checkout-kit/store-postgres"
import { Effect, Exit, Redacted, Scope } from "effect"
import { rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import pg from "pg"

const here = dirname(fileURLToPath(import.meta.url))
export const dataDir = join(here, "..", "..", "..", ".data", "bench-http-postgres")

/** Starts the server (a fresh cluster each time), creates `database`; returns its URL and a pg client on it. */
export const startPostgres = async (database = "checkout_bench") => {
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(`${dataDir}.password`, { force: true })
  const scope = Scope.makeUnsafe()
  const running = await Effect.runPromise(Scope.provide(scope)(Embedded.start({
    dataDir,
    settings: { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all", max_connections: "200" }
  })))
  await Effect.runPromise(Effect.scoped(PostgresStore.ensureDatabase(running.url("postgres"), database)))
  const url = Redacted.value(running.url(database))
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
  return {
    url,
    admin,
    stop: async (remove) => {
      await admin.end()
      await Effect.runPromise(Scope.close(scope, Exit.void))
      if (remove) for (const path of [dataDir, `${dataDir}.password`, `${dataDir}.owner`]) rmSync(path, { recursive: true, force: true })
    }
  }
}

/** Clears the statement statistics (call before a counted phase). */
export const resetStatements = (admin) => admin.query("SELECT pg_stat_statements_reset()")

/**
 * The statements issued since the reset on `database`, by query text (normalized by pg_stat_statements), except
 * this module's own. Each: { query, calls }.
 */
export const statements = async (admin) => {
  const r = await admin.query(
    `SELECT s.query, s.calls::int AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%' AND s.query NOT ILIKE '%pg_stat_activity%'
     ORDER BY s.calls DESC, s.query`)
  return r.rows
}
