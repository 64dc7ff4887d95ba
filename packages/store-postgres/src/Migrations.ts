/**
 * Schema migrations with effect's SQL migrator: numbered modules in `./migrations` (`<id>_<name>.ts`, each a
 * default-exported Effect), recorded in `effect_sql_migrations`. `run` applies those not applied yet, in order, in
 * one transaction under `LOCK TABLE ... ACCESS EXCLUSIVE`, so several processes starting together apply each
 * migration once; running it again is a no-op. Add a migration as a new file with the next number and list it
 * below; never edit one that has shipped.
 */
import { Effect } from "effect"
import * as Migrator from "effect/sql/Migrator"
import type { SqlClient } from "effect/sql/SqlClient"
import m0001 from "./migrations/0001_initial.ts"
import m0002 from "./migrations/0002_confirmed_checkouts.ts"
import m0003 from "./migrations/0003_rate_limits.ts"
import m0004 from "./migrations/0004_webhooks.ts"
import m0005 from "./migrations/0005_organization_email_search.ts"

/** Every migration, by `<id>_<name>`. */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient>> = {
  "0001_initial": m0001,
  "0002_confirmed_checkouts": m0002,
  "0003_rate_limits": m0003,
  "0004_webhooks": m0004,
  "0005_organization_email_search": m0005
}

const migrator = Migrator.make({})

/** Applies the pending migrations; returns those applied now as [id, name]. */
export const run: Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, Migrator.MigrationError | import("effect/sql/SqlError").SqlError, SqlClient> =
  migrator({ loader: Migrator.fromRecord(migrations) })

/** The id of the latest migration this build knows. */
export const latest: number = Math.max(...Object.keys(migrations).map((k) => Number(k.split("_")[0])))

export const runLogged = Effect.tap(run, (applied) =>
  applied.length === 0 ? Effect.void : Effect.logInfo(`Applied migrations: ${applied.map(([id, name]) => `${id}_${name}`).join(", ")}`))
