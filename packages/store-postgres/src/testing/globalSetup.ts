/**
 * One embedded PostgreSQL per test run: started before the first test file, stopped after the last. Its data lives
 * under <repo>/.data/test-postgres (git-ignored; the cluster is created once and reused by later runs, a stale
 * postmaster of a SIGKILLed run is stopped first). A template database is migrated to the latest schema; test
 * files clone it (test/support/TestDatabase.ts). Databases a killed run left behind are dropped here.
 */
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Exit, Redacted, Scope } from "effect"
import type { TestProject } from "vitest/node"
import * as Embedded from "../Embedded.ts"
import * as Migrations from "../Migrations.ts"
import { scratchDir } from "./Scratch.ts"
import type {} from "./TestDatabase.ts"


export const template = "ck_template"
/** Project-local when PostgreSQL can reach it, else under the temporary folder (Scratch.ts). */
const dataDir = scratchDir("test-postgres")

interface Shared {
  readonly urls: { readonly admin: string }
  users: number
  readonly stop: () => Promise<void>
}

/**
 * Several vitest projects (store-postgres, server) use this setup; vitest runs each project's global setup in the
 * one main process, possibly as separate module instances, so the server is shared through `globalThis` and
 * stopped when the last project's teardown runs.
 */
const registry = globalThis as { __checkoutKitTestPostgres?: Promise<Shared> }

const startShared = async (): Promise<Shared> => {
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
  console.log(`test PostgreSQL: embedded server on 127.0.0.1:${running.port} ready in ${Date.now() - started} ms (${dataDir})`)
  return {
    urls: { admin: Redacted.value(admin) },
    users: 0,
    stop: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  registry.__checkoutKitTestPostgres ??= startShared()
  const shared = await registry.__checkoutKitTestPostgres
  shared.users++
  project.provide("pgAdminUrl", shared.urls.admin)
  project.provide("pgTemplate", template)
  project.provide("pgDataDir", dataDir)
  return async () => {
    if (--shared.users === 0) {
      delete registry.__checkoutKitTestPostgres
      await shared.stop()
    }
  }
}
