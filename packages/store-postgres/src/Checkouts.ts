/**
 * CheckoutRepository on PostgreSQL. Versioned writes are `UPDATE ... WHERE id = $id AND version = $expected`: at
 * READ COMMITTED a second writer waits for the first's row lock, re-reads the row and matches nothing, so a stale
 * update is a VersionConflict, never a lost update. `lockForUpdate` is `FOR UPDATE SKIP LOCKED` plus, only when that
 * returns nothing, a plain read telling "locked" (CheckoutLocked) from "absent": the same answer as `FOR UPDATE
 * NOWAIT` without aborting the transaction on contention. Lists use the (organization[, product|status], created_at,
 * id) indexes; the expiry sweep reads the partial index of open checkouts by expiry and skips rows another node is
 * expiring.
 */
import { type Checkout, CheckoutRepository, Errors, type ListQuery, type SortField } from "@checkout-kit/domain"
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import type { Fragment } from "effect/sql/Statement"
import * as Codec from "./Codec.ts"
import { inTransaction } from "./Sql.ts"

/** The parameters of one checkout row: its columns, the value stored (with `version`) and its JSON text (`data`, bound as `${data}::jsonb`). */
export const columns = (checkout: Checkout.Checkout, version: number) => {
  const stored = checkout.version === version ? checkout : { ...checkout, version }
  return {
    id: checkout.id,
    organization_id: checkout.organizationId,
    client_secret: checkout.clientSecret,
    version,
    status: checkout.status,
    created_at: new Date(checkout.createdAt.epochMilliseconds),
    expires_at: new Date(checkout.expiresAt.epochMilliseconds),
    product_id: checkout.productId,
    customer_id: checkout.customerId,
    external_customer_id: checkout.externalCustomerId,
    customer_email: checkout.customerEmail,
    stored,
    data: Codec.checkoutJson(stored)
  }
}

/** `%`, `_` and the escape character taken literally in an ILIKE pattern. */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`)

const sortColumn: { readonly [K in SortField]: string } = {
  createdAt: "c.created_at",
  expiresAt: "c.expires_at",
  status: "c.status"
}

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient

  const findById = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : sql<Codec.VersionedRow>`SELECT data::text AS data, version FROM checkouts WHERE id = ${id}`.pipe(
        Effect.map((rows) => Option.map(Option.fromUndefinedOr(rows[0]), Codec.decodeCheckout)),
        Effect.orDie
      )

  const findByClientSecret = (clientSecret: string) =>
    sql<Codec.VersionedRow>`SELECT data::text AS data, version FROM checkouts WHERE client_secret = ${clientSecret}`.pipe(
      Effect.map((rows) => Option.map(Option.fromUndefinedOr(rows[0]), Codec.decodeCheckout)),
      Effect.orDie
    )

  const lockForUpdate = (id: string) =>
    Effect.gen(function*() {
      if (!(yield* inTransaction(sql))) {
        return yield* Effect.die(new Error("CheckoutRepository.lockForUpdate called outside UnitOfWork.transaction"))
      }
      if (!Codec.isUuid(id)) return Option.none<Checkout.Checkout>()
      const locked = yield* sql<Codec.VersionedRow>`SELECT data::text AS data, version FROM checkouts WHERE id = ${id} FOR UPDATE SKIP LOCKED`
      if (locked.length > 0) return Option.some(Codec.decodeCheckout(locked[0]!))
      const present = yield* sql<{ id: string }>`SELECT id FROM checkouts WHERE id = ${id}`
      if (present.length > 0) return yield* Effect.fail(new Errors.CheckoutLocked({ checkoutId: id }))
      return Option.none<Checkout.Checkout>()
    }).pipe(Effect.catchTag("SqlError", (e) => Effect.die(e)))

  const insert = (checkout: Checkout.Checkout) => {
    if (checkout.version !== 1) {
      return Effect.die(new Error(`checkout ${checkout.id} inserted with version ${checkout.version}, expected 1`))
    }
    const c = columns(checkout, 1)
    return sql`INSERT INTO checkouts (id, organization_id, client_secret, version, status, created_at, expires_at,
        product_id, customer_id, external_customer_id, customer_email, data)
      VALUES (${c.id}, ${c.organization_id}, ${c.client_secret}, 1, ${c.status}, ${c.created_at}, ${c.expires_at},
        ${c.product_id}, ${c.customer_id}, ${c.external_customer_id}, ${c.customer_email}, ${c.data}::jsonb)`.pipe(
      Effect.asVoid,
      Effect.orDie
    )
  }

  const update = (checkout: Checkout.Checkout, expectedVersion: number) => {
    // Made only when refused: an error value validates its fields and captures a stack.
    const conflict = () => new Errors.VersionConflict({ entity: "Checkout", id: checkout.id, expectedVersion })
    if (!Codec.isUuid(checkout.id)) return Effect.fail(conflict())
    const c = columns(checkout, expectedVersion + 1)
    return sql<{ id: string }>`UPDATE checkouts SET organization_id = ${c.organization_id}, client_secret = ${c.client_secret},
        version = ${c.version}, status = ${c.status}, created_at = ${c.created_at}, expires_at = ${c.expires_at},
        product_id = ${c.product_id}, customer_id = ${c.customer_id}, external_customer_id = ${c.external_customer_id},
        customer_email = ${c.customer_email}, data = ${c.data}::jsonb
      WHERE id = ${c.id} AND version = ${expectedVersion}
      RETURNING id`.pipe(
      Effect.orDie,
      Effect.flatMap((rows) =>
        rows.length === 1 ? Effect.succeed(c.stored) : Effect.fail(conflict())
      )
    )
  }

  const where = (query: ListQuery): Fragment => {
    const clauses: Array<Fragment> = [anyUuid(sql, "c.organization_id", query.organizationIds)]
    if (query.productIds !== undefined) clauses.push(anyUuid(sql, "c.product_id", query.productIds))
    if (query.customerIds !== undefined) clauses.push(anyUuid(sql, "c.customer_id", query.customerIds))
    if (query.externalCustomerIds !== undefined) {
      const ids = [...query.externalCustomerIds]
      clauses.push(sql`(c.external_customer_id = ANY(${ids}::text[])
        OR c.customer_id IN (SELECT id FROM customers WHERE external_id = ANY(${ids}::text[])))`)
    }
    if (query.statuses !== undefined) clauses.push(sql`c.status = ANY(${[...query.statuses]}::text[])`)
    if (query.query !== undefined) {
      clauses.push(sql`c.customer_email ILIKE ${`%${likeLiteral(query.query)}%`} ESCAPE '\\'`)
    }
    return sql.and(clauses)
  }

  const orderBy = (query: ListQuery): Fragment => {
    const sorting = query.sorting.length > 0 ? query.sorting : [{ field: "createdAt" as const, descending: true }]
    const parts = sorting.map((s) => `${sortColumn[s.field]} ${s.descending ? "DESC" : "ASC"}`)
    parts.push(`c.id ${sorting[sorting.length - 1]!.descending ? "DESC" : "ASC"}`)
    return sql.literal(parts.join(", "))
  }

  const list = (query: ListQuery) =>
    Effect.gen(function*() {
      const offset = (Math.max(1, Math.floor(query.page)) - 1) * query.limit
      const filter = where(query)
      const rows = yield* sql<Codec.VersionedRow>`SELECT c.data::text AS data, c.version FROM checkouts c WHERE ${filter}
        ORDER BY ${orderBy(query)} LIMIT ${query.limit} OFFSET ${offset}`
      // A full first page needs the count; a short one is the count (saves a statement on small lists).
      const totalCount = offset === 0 && rows.length < query.limit
        ? rows.length
        : (yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM checkouts c WHERE ${filter}`)[0]!.n
      return { items: rows.map(Codec.decodeCheckout), totalCount }
    }).pipe(Effect.orDie)

  const listExpirable = (now: { readonly epochMilliseconds: number }, limit: number) =>
    sql<Codec.VersionedRow>`SELECT data, version FROM checkouts
      WHERE status = 'open' AND expires_at <= ${new Date(now.epochMilliseconds)}
      ORDER BY expires_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.pipe(
      Effect.map((rows) => rows.map(Codec.decodeCheckout)),
      Effect.orDie
    )

  /** Confirmed checkouts last changed by `before` (the partial index `checkouts_confirmed` finds them). */
  const listConfirmed = (before: { readonly epochMilliseconds: number }, limit: number) =>
    sql<Codec.VersionedRow>`SELECT data, version FROM checkouts
      WHERE status = 'confirmed'
        AND coalesce((data->>'modifiedAt')::timestamptz, created_at) <= ${new Date(before.epochMilliseconds)}
      ORDER BY coalesce((data->>'modifiedAt')::timestamptz, created_at), id LIMIT ${limit}`.pipe(
      Effect.map((rows) => rows.map(Codec.decodeCheckout)),
      Effect.orDie
    )

  return CheckoutRepository.of({
    findById,
    findByClientSecret,
    lockForUpdate,
    insert,
    update,
    list,
    listExpirable,
    listConfirmed
  })
})

/** Ids PostgreSQL can parse as uuid (others cannot match any row). */
export const validIds = (ids: ReadonlyArray<string>): Array<string> => ids.filter(Codec.isUuid)

/**
 * `column = ANY($ids)`, or `column = $id` for one id: the planner then reads the (column, created_at, id) index in
 * order and stops after the page instead of sorting every match. An empty list matches nothing (`IN ()`).
 */
export const anyUuid = (sql: SqlClient, column: string, ids: ReadonlyArray<string>): Fragment => {
  const valid = validIds(ids)
  return valid.length === 1
    ? sql`${sql.literal(column)} = ${valid[0]!}::uuid`
    : sql`${sql.literal(column)} = ANY(${valid}::uuid[])`
}

export const layer: Layer.Layer<CheckoutRepository, never, SqlClient> = Layer.effect(CheckoutRepository, make)
