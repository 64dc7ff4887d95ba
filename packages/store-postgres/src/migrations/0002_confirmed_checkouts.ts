/**
 * Migration 2: the payment reconciliation's candidates (CheckoutRepository.listConfirmed) are the confirmed
 * checkouts, few next to all checkouts: a partial index finds them without scanning the table. Their last change
 * (`modifiedAt`, else `createdAt`) is read from `data` and sorted in SQL; confirmed checkouts are few enough for that.
 * And the outbox keeps a refund's detail with `checkout.payment_refunded` events.
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export const statements: ReadonlyArray<string> = [
  `CREATE INDEX checkouts_confirmed ON checkouts (created_at, id) WHERE status = 'confirmed'`,
  `ALTER TABLE checkout_events ADD COLUMN refund jsonb`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
