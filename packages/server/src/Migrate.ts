/**
 * The `migrate` command (`node packages/server/dist/main.js migrate`, scripts/migrate.sh): applies the pending schema
 * migrations to the configured store's database (DATABASE_URL, or the embedded PostgreSQL of CHECKOUT_DATA_DIR,
 * started for the run and stopped afterwards) and prints which ran, one per line, or that there was nothing to do.
 * No seed, no HTTP server. Idempotent: a second run prints "nothing to do". On the memory store there is no
 * schema: that is an error (exit code 1), since asking for it means the configuration is not what was meant.
 */
import { PostgresStore } from "@checkout-kit/store-postgres"
import { Data, Effect } from "effect"
import type * as ServerConfig from "./Config.ts"

export class MigrateFailed extends Data.TaggedError("MigrateFailed")<{ readonly message: string }> {}

/** The lines the command prints for a result. */
export const report = (result: PostgresStore.MigrateResult): ReadonlyArray<string> => [
  `Database: ${result.where}`,
  ...(result.applied.length === 0
    ? [`Schema is at the latest migration (${String(result.latest).padStart(4, "0")}): nothing to do.`]
    : [
      ...result.applied.map(([id, name]) => `Applied ${String(id).padStart(4, "0")}_${name}`),
      `${result.applied.length} migration(s) applied; schema is at ${String(result.latest).padStart(4, "0")}.`
    ])
]

/** Runs the migrations for `store`; the printed lines, or a one-line failure. */
export const run = (store: ServerConfig.StoreSettings): Effect.Effect<ReadonlyArray<string>, MigrateFailed> => {
  switch (store._tag) {
    case "memory":
      return Effect.fail(new MigrateFailed({ message: "CHECKOUT_STORE=memory has no database to migrate (unset it, or set DATABASE_URL)" }))
    case "postgres":
      return PostgresStore.migrate({ url: store.url }).pipe(
        Effect.map(report),
        Effect.mapError((error) => new MigrateFailed({ message: error.message }))
      )
    case "embedded":
      return PostgresStore.migrateEmbedded({ dataDir: store.dataDir }).pipe(
        Effect.map(report),
        Effect.mapError((error) => new MigrateFailed({ message: error.message }))
      )
  }
}
