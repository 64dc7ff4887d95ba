/**
 * Whether the database can serve this build: reachable within a deadline and migrated to the latest migration this
 * build knows (a database restored from an older backup, or one another deployment has not migrated yet, is not).
 * The server's `/readyz` asks it on every probe, so it is one cheap query.
 */
import { Duration, Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Migrations from "./Migrations.ts"

/** `undefined` when ready, else why not (no secrets: safe for a probe's body and the log). */
export const check = (timeout: Duration.Input = Duration.seconds(2)): Effect.Effect<string | undefined, never, SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient
    const [row] = yield* sql<{ applied: number | null }>`SELECT max(migration_id)::int AS applied FROM effect_sql_migrations`
    const applied = row?.applied ?? 0
    return applied >= Migrations.latest ? undefined : `migrations pending (database at ${applied}, this build needs ${Migrations.latest})`
  }).pipe(
    Effect.timeoutOrElse({ duration: timeout, orElse: () => Effect.succeed("database did not answer in time") }),
    Effect.catchCause(() => Effect.succeed("database unreachable"))
  )
