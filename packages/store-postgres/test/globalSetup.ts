/**
 * One embedded PostgreSQL per test run: started before the first test file, stopped after the last. Its data lives
 * under <repo>/.data/test-postgres (git-ignored; the cluster is created once and reused by later runs, a stale
 * postmaster of a SIGKILLed run is stopped first). A template database is migrated to the latest schema; test
 * files clone it (test/support/TestDatabase.ts). Databases a killed run left behind are dropped here.
 */
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Exit, Redacted, Scope } from "effect"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"
import * as Embedded from "../src/Embedded.ts"
import * as Migrations from "../src/Migrations.ts"

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

export const template = "ck_template"
const dataDir = fileURLToPath(new URL("../../../.data/test-postgres", import.meta.url))

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scope = Effect.runSync(Scope.make())
  const started = Date.now()
  const running = await Effect.runPromise(Scope.provide(Embedded.start({ dataDir, ephemeralSettings: true }), scope))
  const admin = running.url("postgres")
  await Effect.runPromise(
    Effect.gen(function*() {
      const sql = yield* PgClient.PgClient
      const stale = yield* sql<{ datname: string }>`SELECT datname FROM pg_database WHERE datname LIKE 'ck\\_%'`
      for (const { datname } of stale) yield* sql.unsafe(`DROP DATABASE "${datname}" WITH (FORCE)`)
      yield* sql.unsafe(`CREATE DATABASE ${template}`)
    }).pipe(Effect.provide(PgClient.layer({ url: admin, maxConnections: 1, connectTimeout: Duration.seconds(5) })))
  )
  // The pool is closed when this returns: no connection may stay on the template, or cloning it fails.
  await Effect.runPromise(
    Migrations.run.pipe(
      Effect.provide(PgClient.layer({ url: running.url(template), maxConnections: 1 }))
    )
  )
  console.log(`store-postgres: embedded PostgreSQL on 127.0.0.1:${running.port} ready in ${Date.now() - started} ms (${dataDir})`)
  project.provide("pgAdminUrl", Redacted.value(admin))
  project.provide("pgTemplate", template)
  project.provide("pgDataDir", dataDir)
  return async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
