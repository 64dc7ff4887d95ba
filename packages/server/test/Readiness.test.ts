/**
 * `/readyz`: 503 while the store cannot serve (database down, migrations pending) and 200 once it can again;
 * `/healthz` stays 200 throughout (liveness). Start-up's 503 is the guarded server's (App.test.ts).
 */
import { Embedded } from "@checkout-kit/store-postgres"
import { Migrations } from "@checkout-kit/store-postgres"
import { Scratch, TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { rmSync } from "node:fs"
import { startApp } from "./Harness.ts"

const get = (url: string) =>
  Effect.promise(() =>
    fetch(url).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: JSON.parse(await r.text()) }))
  )

/** Polls `/readyz` until it answers `status` (or gives up after ~5 s) and returns the last answer. */
const readyz = (base: string, status: number) =>
  Effect.gen(function*() {
    let answer = yield* get(`${base}/readyz`)
    for (let i = 0; i < 50 && answer.status !== status; i++) {
      yield* Effect.sleep(100)
      answer = yield* get(`${base}/readyz`)
    }
    return answer
  })

describe("/readyz", () => {
  it.live("memory store: ready once started; /healthz is liveness", () =>
    Effect.gen(function*() {
      const app = yield* startApp()
      assert.deepStrictEqual((yield* get(`${app.url}/readyz`)).body, { status: "ready" })
      assert.strictEqual((yield* get(`${app.url}/healthz`)).status, 200)
      yield* Scope.close(app.scope, Exit.void)
    }), 30_000)

  it.live("migrations pending: 503 with the reason, 200 once the database is migrated again", () =>
    Effect.gen(function*() {
      const database = yield* TestDatabase.freshDatabase
      const app = yield* startApp({ CHECKOUT_STORE: "postgres", DATABASE_URL: Redacted.value(TestDatabase.urlOf(database)) })
      assert.strictEqual((yield* get(`${app.url}/readyz`)).status, 200)
      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), yield* Layer.build(TestDatabase.layerClientOn(database, 1)))
      // As if the database were restored from a backup taken before the latest migration.
      const [removed] = yield* sql<{ migration_id: number; name: string; created_at: Date }>`
        DELETE FROM effect_sql_migrations WHERE migration_id = ${Migrations.latest} RETURNING *`
      const pending = yield* get(`${app.url}/readyz`)
      assert.strictEqual(pending.status, 503)
      assert.strictEqual(pending.retryAfter, "1")
      assert.strictEqual(pending.body.status, "not ready")
      assert.include(pending.body.reason, "migrations pending")
      assert.strictEqual((yield* get(`${app.url}/healthz`)).status, 200)
      yield* sql`INSERT INTO effect_sql_migrations ${sql.insert(removed!)}`
      assert.strictEqual((yield* get(`${app.url}/readyz`)).status, 200)
      yield* Scope.close(app.scope, Exit.void)
    }).pipe(Effect.scoped), 60_000)

  it.live("database down: 503 'database unreachable' within the probe deadline, 200 when it is back", () =>
    Effect.gen(function*() {
      const dataDir = Scratch.scratchDir("test-server-readyz")
      // A fresh cluster every run: a database left by an older build would carry other migrations.
      rmSync(dataDir, { recursive: true, force: true })
      const pg = yield* Embedded.start({ dataDir, ephemeralSettings: true })
      const app = yield* startApp({ CHECKOUT_STORE: "postgres", DATABASE_URL: Redacted.value(pg.url("postgres")) })
      assert.strictEqual((yield* get(`${app.url}/readyz`)).status, 200)
      yield* pg.stop
      const started = Date.now()
      const down = yield* get(`${app.url}/readyz`)
      assert.isBelow(Date.now() - started, 4_000)
      assert.strictEqual(down.status, 503)
      assert.include(down.body.reason, "database")
      assert.strictEqual((yield* get(`${app.url}/healthz`)).status, 200)
      yield* pg.restart
      assert.strictEqual((yield* readyz(app.url, 200)).status, 200)
      yield* Scope.close(app.scope, Exit.void)
    }).pipe(Effect.scoped), 60_000)
})
