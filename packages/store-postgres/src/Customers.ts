/**
 * Customers on PostgreSQL. The partial unique indexes (organization, lower(email)) and (organization, external_id)
 * among non-deleted rows do the work: a plain insert breaking one is a unique violation (a defect), and
 * `insertOrGet` is `INSERT ... ON CONFLICT DO NOTHING RETURNING`, which at READ COMMITTED waits for a concurrent
 * inserter of the same key and then yields to its committed row (read back by the port's documented SELECT).
 */
import { type Customer, Customers } from "@checkout-kit/domain"
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Codec from "./Codec.ts"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`
  const one = (rows: ReadonlyArray<{ data: unknown }>) =>
    Option.map(Option.fromUndefinedOr(rows[0]), (r) => Codec.customer.decode(r.data))

  const values = (c: Customer.Customer) =>
    sql`(${c.id}, ${c.organizationId}, ${c.email}, ${c.externalId}, ${Codec.millis(c.deletedAt)}, ${json(Codec.customer.encode(c))})`

  const findById = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : sql<{ data: unknown }>`SELECT data FROM customers WHERE id = ${id}`.pipe(Effect.map(one), Effect.orDie)

  const findByEmail = (organizationId: string, email: string) =>
    !Codec.isUuid(organizationId)
      ? Effect.succeedNone
      : sql<{ data: unknown }>`SELECT data FROM customers
          WHERE organization_id = ${organizationId} AND lower(email) = lower(${email}) AND deleted_at IS NULL`.pipe(
        Effect.map(one),
        Effect.orDie
      )

  const findByExternalId = (organizationId: string, externalId: string) =>
    !Codec.isUuid(organizationId)
      ? Effect.succeedNone
      : sql<{ data: unknown }>`SELECT data FROM customers
          WHERE organization_id = ${organizationId} AND external_id = ${externalId} AND deleted_at IS NULL`.pipe(
        Effect.map(one),
        Effect.orDie
      )

  const insert = (customer: Customer.Customer) =>
    sql`INSERT INTO customers (id, organization_id, email, external_id, deleted_at, data) VALUES ${values(customer)}`.pipe(
      Effect.asVoid,
      Effect.orDie
    )

  const insertOrGet = (customer: Customer.Customer) =>
    Effect.gen(function*() {
      const inserted = yield* sql<{ data: unknown }>`INSERT INTO customers (id, organization_id, email, external_id, deleted_at, data)
        VALUES ${values(customer)} ON CONFLICT DO NOTHING RETURNING data`
      if (inserted.length > 0) return customer
      const live = customer.deletedAt === null
      const email = live ? customer.email : null
      const externalId = live ? customer.externalId : null
      const found = yield* sql<{ data: unknown }>`SELECT data FROM customers
        WHERE id = ${customer.id}
          OR (organization_id = ${customer.organizationId} AND deleted_at IS NULL
              AND (lower(email) = lower(${email}::text) OR external_id = ${externalId}::text))
        ORDER BY (id = ${customer.id}) DESC, (lower(email) IS NOT DISTINCT FROM lower(${email}::text)) DESC
        LIMIT 1`
      const existing = one(found)
      if (Option.isNone(existing)) {
        return yield* Effect.die(new Error(`customer ${customer.id}: insert conflicted but no conflicting row is visible`))
      }
      return existing.value
    }).pipe(Effect.orDie)

  const update = (customer: Customer.Customer) =>
    sql<{ id: string }>`UPDATE customers SET organization_id = ${customer.organizationId}, email = ${customer.email},
        external_id = ${customer.externalId}, deleted_at = ${Codec.millis(customer.deletedAt)},
        data = ${json(Codec.customer.encode(customer))}
      WHERE id = ${customer.id} RETURNING id`.pipe(
      Effect.orDie,
      Effect.flatMap((rows) =>
        rows.length === 1 ? Effect.void : Effect.die(new Error(`Customers.update: no customer ${customer.id}`))
      )
    )

  return Customers.of({ findById, findByEmail, findByExternalId, insert, insertOrGet, update })
})

export const layer: Layer.Layer<Customers, never, SqlClient> = Layer.effect(Customers, make)
