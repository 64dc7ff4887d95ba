/**
 * The `migrate` command (`main.ts migrate`, as scripts/migrate.sh runs it) as a real process: on an EMPTY database
 * it applies every migration and says which, leaving the same tables and indexes as the run's migrated template;
 * a second run applies nothing and says so; both exit 0 and print no password. On the memory store or an
 * unreachable database it is one line on stderr and exit code 1.
 */
import { Migrations } from "@checkout-kit/store-postgres"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { fileURLToPath } from "node:url"
import { inject } from "vitest"

const serverDir = fileURLToPath(new URL("..", import.meta.url))

const runMigrate = (env: Record<string, string>) =>
  Effect.callback<{ code: number | null; stdout: string; stderr: string }>((resume) => {
    const child = spawn(process.execPath, ["--conditions=@checkout-kit/source", "src/main.ts", "migrate"], {
      cwd: serverDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    child.once("exit", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const admin = TestDatabase.layerClientOn("postgres", 1)

/** An empty database (from template0, not the migrated template), dropped afterwards. */
const emptyDatabase = Effect.acquireRelease(
  Effect.gen(function*() {
    const name = `ck_migrate_${randomBytes(4).toString("hex")}`
    const sql = yield* SqlClient
    yield* sql.unsafe(`CREATE DATABASE ${name} TEMPLATE template0`)
    return name
  }).pipe(Effect.provide(admin), Effect.orDie),
  (name) =>
    Effect.gen(function*() {
      const sql = yield* SqlClient
      yield* sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }).pipe(Effect.provide(admin), Effect.orDie)
)

/** Tables and indexes of the public schema, and the recorded migrations. */
const schemaOf = (database: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient
    const tables = yield* sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`
    const indexes = yield* sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`
    const migrations = yield* sql<{ id: number }>`SELECT migration_id AS id FROM effect_sql_migrations ORDER BY 1`
    return {
      tables: tables.map((r) => r.name),
      indexes: indexes.map((r) => r.name),
      migrations: migrations.map((r) => Number(r.id))
    }
  }).pipe(Effect.provide(TestDatabase.layerClientOn(database, 1)), Effect.orDie)

describe("migrate command", () => {
  it.live("migrates an empty database to the template's schema, then has nothing to do", () =>
    Effect.gen(function*() {
      const name = yield* emptyDatabase
      const url = Redacted.value(TestDatabase.urlOf(name))
      const password = new URL(url).password
      const env = { DATABASE_URL: url, CHECKOUT_STORE: "postgres" }
      const ids = Object.keys(Migrations.migrations).sort()

      const first = yield* runMigrate(env)
      assert.strictEqual(first.code, 0, first.stderr)
      for (const id of ids) assert.include(first.stdout, `Applied ${id}\n`)
      assert.include(first.stdout, `${ids.length} migration(s) applied`)
      assert.include(first.stdout, `Database: postgres://`)
      assert.notInclude(first.stdout + first.stderr, password)

      const migrated = yield* schemaOf(name)
      const template = yield* schemaOf(inject("pgTemplate"))
      assert.deepStrictEqual(migrated, template)
      assert.deepStrictEqual(migrated.migrations, ids.map((id) => Number(id.split("_")[0])))
      assert.include(migrated.tables, "checkouts")

      const second = yield* runMigrate(env)
      assert.strictEqual(second.code, 0, second.stderr)
      assert.include(second.stdout, "nothing to do")
      assert.notInclude(second.stdout, "Applied")
      assert.deepStrictEqual(yield* schemaOf(name), migrated)
    }).pipe(Effect.scoped), 60_000)

  it.live("the memory store and an unreachable database: one line on stderr, exit code 1", () =>
    Effect.gen(function*() {
      const memory = yield* runMigrate({ CHECKOUT_STORE: "memory" })
      assert.strictEqual(memory.code, 1)
      assert.match(memory.stderr, /^migrate: CHECKOUT_STORE=memory has no database to migrate/)
      const unreachable = yield* runMigrate({ CHECKOUT_STORE: "postgres", DATABASE_URL: "postgres://u:secret-pw@127.0.0.1:1/db" })
      assert.strictEqual(unreachable.code, 1)
      assert.match(unreachable.stderr, /^migrate: Cannot connect to PostgreSQL at postgres:\/\/u@127\.0\.0\.1:1\/db/)
      assert.notInclude(unreachable.stderr, "secret-pw")
    }), 60_000)
})
