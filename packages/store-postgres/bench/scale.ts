/**
 * Benchmark (not a test): the first page of the checkout lists the API offers, through CheckoutRepository.list, at
 * 10^3 and at 10^6 stored checkouts, on an embedded PostgreSQL (data under <repo>/.data/bench-postgres, durable
 * settings). Also prints EXPLAIN for each query and the bytes per stored checkout (table, TOAST and indexes).
 *
 *   node --conditions=@checkout-kit/source packages/store-postgres/bench/scale.ts [rows=1000000]
 *
 * Rows are inserted by `INSERT ... SELECT generate_series` from a real encoded checkout (so `data` has the size
 * and shape the store writes), 50 products, the five statuses, distinct e-mails. The first 1 000 rows belong to
 * organizations 1 and 2 (500 each); the rest are spread evenly over 1 999 more organizations (~500 each at 10^6),
 * so the timed lists (organization 1) read a 500-checkout organization in a table of 10^3 and of 10^6 rows.
 * `BIG_ORG=1` instead gives half of all rows to organization 1 (the worst case: one organization holding 500 000).
 * The cluster (~3 GB at 10^6) is printed and left for reuse: delete it with `rm -rf .data/bench-postgres*`.
 */
import * as TestSecrets from "../src/testing/TestSecrets.ts"
import { type ListQuery, CheckoutRepository } from "@checkout-kit/domain"
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { fileURLToPath } from "node:url"
import * as Codec from "../src/Codec.ts"
import * as PostgresStore from "../src/PostgresStore.ts"

const target = Number(process.argv[2] ?? 1_000_000)
const dataDir = fileURLToPath(new URL("../../../.data/bench-postgres", import.meta.url))
const bigOrg = process.env.BIG_ORG === "1"
const org = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

const queries: ReadonlyArray<readonly [string, ListQuery]> = [
  ["org, -created_at (the default list)", { organizationIds: [org(1)], sorting: [], page: 1, limit: 10 }],
  ["org + product", { organizationIds: [org(1)], productIds: [org(0x100 + 8)], sorting: [], page: 1, limit: 10 }],
  ["org + status=succeeded", { organizationIds: [org(1)], statuses: ["succeeded"], sorting: [], page: 1, limit: 10 }],
  ["org + e-mail search", { organizationIds: [org(1)], query: "buyer42", sorting: [], page: 1, limit: 10 }],
  ["org, expires_at", { organizationIds: [org(1)], sorting: [{ field: "expiresAt", descending: false }], page: 1, limit: 10 }]
]

const time = <A, E, R>(effect: Effect.Effect<A, E, R>, runs = 30) =>
  Effect.gen(function*() {
    yield* effect
    const samples: Array<number> = []
    for (let i = 0; i < runs; i++) {
      const t = performance.now()
      yield* effect
      samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    return { median: samples[Math.floor(runs / 2)]!, p90: samples[Math.floor(runs * 0.9)]! }
  })

const program = Effect.gen(function*() {
  const sql = yield* SqlClient
  const repo = yield* CheckoutRepository
  const template = Codec.checkout.encode(
    RepositoryContract.makeCheckout(org(0xffff), org(1), org(0x107), {
      customerEmail: "buyer@example.com",
      metadata: { order: "A-1" }
    })
  )
  const fill = (from: number, to: number) =>
    sql`INSERT INTO checkouts (id, organization_id, client_secret, version, status, created_at, expires_at, product_id,
        customer_email, data)
      SELECT gen_random_uuid(),
        ('00000000-0000-4000-8000-' || lpad(to_hex(${bigOrg ? sql.literal("CASE WHEN i % 2 = 0 THEN 1 ELSE 2 + i % 19 END") : sql.literal("CASE WHEN i <= 1000 THEN 1 + i % 2 ELSE 3 + i % 1999 END")}), 12, '0'))::uuid,
        'polar_c_bench_' || i, 1, (ARRAY['open','expired','confirmed','succeeded','failed'])[1 + i % 5],
        now() - (i || ' seconds')::interval, now() + ((i % 86400) || ' seconds')::interval,
        ('00000000-0000-4000-8000-' || lpad(to_hex(256 + i % 50), 12, '0'))::uuid,
        'buyer' || i || '@example.com', ${JSON.stringify(template)}::jsonb
      FROM generate_series(${from}::int, ${to}::int) AS i`
  console.log(`bench database: ${dataDir} (delete with rm -rf ${dataDir} ${dataDir}.password); ${bigOrg ? "organization 1 holds half the rows" : "~500 checkouts per organization"}`)
  yield* sql`TRUNCATE checkouts`
  const results: Array<string> = []
  let stored = 0
  for (const size of [1_000, target]) {
    const started = performance.now()
    for (let from = stored + 1; from <= size; from += 100_000) yield* fill(from, Math.min(size, from + 99_999))
    stored = size
    yield* sql`VACUUM ANALYZE checkouts`
    const loadMs = performance.now() - started
    const [bytes] = yield* sql<{ table: string; toast: string; indexes: string; n: number }>`SELECT
      pg_table_size('checkouts')::text AS table, pg_indexes_size('checkouts')::text AS indexes,
      COALESCE(pg_total_relation_size(NULLIF(reltoastrelid, 0)), 0)::text AS toast, (SELECT count(*)::int FROM checkouts) AS n
      FROM pg_class WHERE relname = 'checkouts'`
    const perRow = (x: string) => Math.round(Number(x) / bytes!.n)
    results.push(`\n## ${bytes!.n} checkouts (loaded in ${(loadMs / 1000).toFixed(1)} s)`)
    results.push(`bytes per checkout: table ${perRow(bytes!.table)} (of which TOAST ${perRow(bytes!.toast)}), indexes ${perRow(bytes!.indexes)}, total ${perRow(bytes!.table) + perRow(bytes!.indexes)}`)
    for (const [name, query] of queries) {
      const t = yield* time(repo.list(query))
      const page = yield* repo.list(query)
      results.push(`${name.padEnd(38)} median ${t.median.toFixed(2)} ms, p90 ${t.p90.toFixed(2)} ms (${page.items.length} items of ${page.totalCount})`)
    }
  }
  for (const [name, sqlText] of [
    ["org, -created_at", `SELECT data FROM checkouts c WHERE c.organization_id = '${org(1)}' ORDER BY c.created_at DESC, c.id DESC LIMIT 10`],
    ["count org", `SELECT count(*) FROM checkouts c WHERE c.organization_id = '${org(1)}'`],
    ["org + status", `SELECT data FROM checkouts c WHERE c.organization_id = '${org(1)}' AND c.status = ANY('{succeeded}') ORDER BY c.created_at DESC, c.id DESC LIMIT 10`],
    ["org + product", `SELECT data FROM checkouts c WHERE c.organization_id = '${org(1)}' AND c.product_id = '${org(0x100 + 8)}' ORDER BY c.created_at DESC, c.id DESC LIMIT 10`],
    ["org + e-mail search", `SELECT data FROM checkouts c WHERE c.organization_id = '${org(1)}' AND c.customer_email ILIKE '%buyer42%' ORDER BY c.created_at DESC, c.id DESC LIMIT 10`],
    ["org, expires_at", `SELECT data FROM checkouts c WHERE c.organization_id = '${org(1)}' ORDER BY c.expires_at, c.id LIMIT 10`]
  ] as const) {
    const plan = yield* sql.unsafe<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sqlText}`)
    results.push(`\nEXPLAIN ${name}:\n${plan.map((r) => "  " + r["QUERY PLAN"]).join("\n")}`)
  }
  console.log(results.join("\n"))
})

Effect.runPromise(
  Effect.scoped(Effect.gen(function*() {
    const store = PostgresStore.layerEmbedded({ dataDir, database: "bench", secrets: TestSecrets.layer })
    yield* program.pipe(Effect.provide(store))
  }))
).catch((e) => {
  console.error(e)
  process.exit(1)
})
