/**
 * Migration 5: the e-mail search (`customer_email ILIKE '%q%'`, always within one or a few organizations) gets one
 * GIN index on (organization_id, e-mail trigrams), so PostgreSQL intersects the organization's entry with the
 * pattern's trigrams inside the index instead of matching the trigrams table-wide and then filtering by
 * organization (that cost grew with the table). `btree_gin` gives GIN the uuid equality operator class; like
 * `pg_trgm` it is a trusted extension (the database owner may create it). The table-wide trigram index of migration
 * 1 is dropped: the new index answers a search without an organization too (GIN reads any subset of its columns).
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export const statements: ReadonlyArray<string> = [
  `CREATE EXTENSION IF NOT EXISTS btree_gin`,
  `CREATE INDEX checkouts_organization_email_trgm ON checkouts USING gin (organization_id, customer_email gin_trgm_ops)`,
  `DROP INDEX checkouts_customer_email_trgm`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
