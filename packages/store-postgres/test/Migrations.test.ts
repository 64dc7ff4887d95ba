/**
 * Migrations: an empty database migrates to the latest schema (tables, constraints and the list/expiry indexes
 * checked in the catalog), running again is a no-op, two processes migrating at once apply each migration once, and
 * the list queries the API issues are answered by index scans.
 */
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { randomBytes } from "node:crypto"
import { inject } from "vitest"
import * as Migrations from "../src/Migrations.ts"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

/** An EMPTY database (cloned from template0, not from the migrated template), dropped afterwards. */
const emptyDatabase = Effect.acquireRelease(
  Effect.gen(function*() {
    const name = `ck_empty_${randomBytes(4).toString("hex")}`
    yield* Effect.gen(function*() {
      const sql = yield* PgClient.PgClient
      yield* sql.unsafe(`CREATE DATABASE ${name} TEMPLATE template0`)
    }).pipe(Effect.provide(PgClient.layer({ url: TestDatabase.urlOf("postgres"), maxConnections: 1 })), Effect.orDie)
    return name
  }),
  (name) =>
    Effect.gen(function*() {
      const sql = yield* PgClient.PgClient
      yield* sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }).pipe(Effect.provide(PgClient.layer({ url: TestDatabase.urlOf("postgres"), maxConnections: 1 })), Effect.orDie)
)

const expectedTables = [
  "access_tokens",
  "checkout_events",
  "checkout_links",
  "checkouts",
  "customers",
  "discount_redemptions",
  "discounts",
  "effect_sql_migrations",
  "organizations",
  "prices",
  "processed_stripe_events",
  "products",
  "rate_limit_blocks",
  "rate_limit_counters",
  "webhook_deliveries",
  "webhook_endpoints",
  "webhook_events"
]

const expectedIndexes = [
  "checkouts_client_secret",
  "checkouts_organization_created",
  "checkouts_organization_product_created",
  "checkouts_organization_status_created",
  "checkouts_organization_expires",
  "checkouts_confirmed",
  "checkouts_customer",
  "checkouts_external_customer",
  "checkouts_organization_email_trgm",
  "checkouts_open_expires",
  "checkout_links_client_secret",
  "checkout_links_organization_created",
  "checkout_links_product_ids",
  "customers_organization_email",
  "customers_organization_external_id",
  "discounts_organization_code",
  "checkout_events_unrelayed",
  "webhook_endpoints_organization",
  "webhook_events_due",
  "webhook_events_pair",
  "webhook_deliveries_organization"
]

describe("migrations", () => {
  it.live("an empty database migrates to the latest schema; a second run applies nothing; concurrent runs apply each once", () =>
    Effect.gen(function*() {
      assert.isDefined(inject("pgTemplate"))
      const name = yield* emptyDatabase
      const node = () => Layer.build(TestDatabase.layerClientOn(name, 2))
      const a = yield* node()
      const b = yield* node()
      const [first, second] = yield* Effect.all([
        Effect.provide(Migrations.run, a),
        Effect.provide(Migrations.run, b)
      ], { concurrency: 2 })
      const applied = [...first, ...second].map(([id, n]) => `${String(id).padStart(4, "0")}_${n}`)
      assert.deepStrictEqual(applied, Object.keys(Migrations.migrations), "each migration applied exactly once")
      assert.deepStrictEqual(yield* Effect.provide(Migrations.run, a), [])

      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), a)
      const tables = yield* sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`
      assert.deepStrictEqual(tables.map((t) => t.tablename), expectedTables)
      const indexes = new Set((yield* sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`).map((i) => i.indexname))
      for (const index of expectedIndexes) assert.isTrue(indexes.has(index), `index ${index}`)
      const [recorded] = yield* sql<{ n: number; latest: number }>`SELECT count(*)::int AS n, max(migration_id) AS latest FROM effect_sql_migrations`
      assert.deepStrictEqual(recorded, { n: Object.keys(Migrations.migrations).length, latest: Migrations.latest })
      // Real constraints, not conventions.
      const email = yield* sql<{ def: string }>`SELECT pg_get_indexdef('customers_organization_email'::regclass) AS def`
      assert.match(email[0]!.def, /UNIQUE INDEX .* \(organization_id, lower\(email\)\) WHERE \(\(deleted_at IS NULL\) AND \(email IS NOT NULL\)\)/)
      const status = yield* sql<{ collation: string }>`SELECT collation_name AS collation FROM information_schema.columns
        WHERE table_name = 'checkouts' AND column_name = 'status'`
      assert.strictEqual(status[0]!.collation, "C")
    }).pipe(Effect.scoped))

  it.live("list queries and the expiry sweep use indexes (EXPLAIN on 20 000 checkouts, 60 000 for the e-mail search)", () =>
    Effect.gen(function*() {
      const name = yield* TestDatabase.freshDatabase
      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), yield* Layer.build(TestDatabase.layerClientOn(name, 1)))
      yield* sql`INSERT INTO checkouts (id, organization_id, client_secret, version, status, created_at, expires_at, product_id, customer_email, data)
        SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((i % 20)::text, 12, '0'))::uuid, 'polar_c_' || i, 1,
          (ARRAY['open','expired','confirmed','succeeded','failed'])[1 + i % 5], now() - (i || ' seconds')::interval,
          now() + (i || ' seconds')::interval, ('00000000-0000-4000-8000-' || lpad((100 + i % 50)::text, 12, '0'))::uuid,
          'buyer' || i || '@example.com', '{}'::jsonb
        FROM generate_series(1, 20000) AS i`
      yield* sql`ANALYZE checkouts`
      const plan = (query: string) =>
        Effect.map(sql.unsafe<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`), (rows) => rows.map((r) => r["QUERY PLAN"]).join("\n"))
      const org = "'00000000-0000-4000-8000-000000000003'"
      const byOrg = yield* plan(`SELECT data FROM checkouts c WHERE c.organization_id = ${org}::uuid ORDER BY c.created_at DESC, c.id DESC LIMIT 10`)
      assert.match(byOrg, /Index Scan Backward using checkouts_organization_created/)
      const byProduct = yield* plan(`SELECT data FROM checkouts c WHERE c.organization_id = ${org}::uuid
        AND c.product_id = '00000000-0000-4000-8000-000000000103'::uuid ORDER BY c.created_at DESC, c.id DESC LIMIT 10`)
      assert.match(byProduct, /checkouts_organization_product_created/)
      // The e-mail search within an organization of 20 000 checkouts (2 000 more organizations hold 10 each): the
      // organization and the pattern's trigrams are intersected inside one GIN index (migration 5), neither the
      // organization's rows nor every organization's matching e-mails are read.
      yield* sql`INSERT INTO checkouts (id, organization_id, client_secret, version, status, created_at, expires_at, customer_email, data)
        SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(CASE WHEN i <= 20000 THEN 'ff' ELSE (1000 + i % 2000)::text END, 12, '0'))::uuid,
          'polar_c_big_' || i, 1, 'open', now() - (i || ' seconds')::interval, now() + (i || ' seconds')::interval,
          'buyer' || i || '@example.com', '{}'::jsonb
        FROM generate_series(1, 40000) AS i`
      // Statistics over every row, not ANALYZE's random sample (30 000 of the 60 000 rows at the default target):
      // with a sample, the estimated share of e-mails matching the pattern (11 rows) varies from run to run, and so
      // does the plan. With exact statistics the plan is the same every run.
      yield* sql`ALTER TABLE checkouts ALTER COLUMN customer_email SET STATISTICS 10000`
      yield* sql`ALTER TABLE checkouts ALTER COLUMN organization_id SET STATISTICS 10000`
      yield* sql`ANALYZE checkouts`
      const byEmail = yield* plan(`SELECT data FROM checkouts c WHERE c.organization_id = '00000000-0000-4000-8000-0000000000ff'::uuid
        AND c.customer_email ILIKE '%buyer1234%' ORDER BY c.created_at DESC, c.id DESC LIMIT 10`)
      assert.match(byEmail, /Bitmap Index Scan on checkouts_organization_email_trgm/)
      assert.match(byEmail, /Index Cond: \(\(organization_id = .*\) AND \(customer_email ~~\* /)
      const everywhere = yield* plan(`SELECT id FROM checkouts c WHERE c.customer_email ILIKE '%buyer12345@%'`)
      assert.match(everywhere, /checkouts_organization_email_trgm/)
      const indexes = (yield* sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'checkouts'`).map((i) => i.indexname)
      assert.notInclude(indexes, "checkouts_customer_email_trgm", "migration 5 replaced the table-wide trigram index")
      const sweep = yield* plan(`SELECT data FROM checkouts WHERE status = 'open' AND expires_at <= now() ORDER BY expires_at, id LIMIT 100`)
      assert.match(sweep, /checkouts_open_expires/)
    }).pipe(Effect.scoped))
})
