/**
 * CheckoutLinkRepository on PostgreSQL: versioned updates as for checkouts, soft delete (`deleted_at` set by an
 * update; every read filters `deleted_at IS NULL`), lists on the (organization, created_at, id) partial index and
 * the product filter on a GIN index over `product_ids` (a link matches when it holds any of the products).
 */
import { type CheckoutLink, CheckoutLinkRepository, Errors, type LinkListQuery, type LinkSortField } from "@checkout-kit/domain"
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import type { Fragment } from "effect/sql/Statement"
import { anyUuid, validIds } from "./Checkouts.ts"
import * as Codec from "./Codec.ts"

const sortColumn: { readonly [K in LinkSortField]: string } = {
  createdAt: "l.created_at",
  label: "l.label",
  successUrl: "l.success_url",
  allowDiscountCodes: "l.allow_discount_codes"
}

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`

  const one = (rows: ReadonlyArray<Codec.VersionedRow>) => Option.map(Option.fromUndefinedOr(rows[0]), Codec.decodeLink)

  const findById = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : sql<Codec.VersionedRow>`SELECT data::text AS data, version FROM checkout_links WHERE id = ${id} AND deleted_at IS NULL`.pipe(
        Effect.map(one),
        Effect.orDie
      )

  const findByClientSecret = (clientSecret: string) =>
    sql<Codec.VersionedRow>`SELECT data::text AS data, version FROM checkout_links
      WHERE client_secret = ${clientSecret} AND deleted_at IS NULL`.pipe(Effect.map(one), Effect.orDie)

  const insert = (link: CheckoutLink.CheckoutLink) =>
    sql`INSERT INTO checkout_links (id, organization_id, client_secret, version, created_at, deleted_at, label, success_url,
        allow_discount_codes, product_ids, data)
      VALUES (${link.id}, ${link.organizationId}, ${link.clientSecret}, ${link.version},
        ${Codec.millis(link.createdAt)}, ${Codec.millis(link.deletedAt)}, ${link.label}, ${link.successUrl},
        ${link.allowDiscountCodes}, ${[...link.productIds]}::uuid[], ${json(Codec.link.encode(link))})`.pipe(
      Effect.asVoid,
      Effect.orDie
    )

  const update = (link: CheckoutLink.CheckoutLink, expectedVersion: number) => {
    // Made only when refused: an error value validates its fields and captures a stack.
    const conflict = () => new Errors.VersionConflict({ entity: "CheckoutLink", id: link.id, expectedVersion })
    if (!Codec.isUuid(link.id)) return Effect.fail(conflict())
    const stored = { ...link, version: expectedVersion + 1 }
    return sql<{ id: string }>`UPDATE checkout_links SET organization_id = ${link.organizationId},
        client_secret = ${link.clientSecret}, version = ${stored.version}, created_at = ${Codec.millis(link.createdAt)},
        deleted_at = ${Codec.millis(link.deletedAt)}, label = ${link.label}, success_url = ${link.successUrl},
        allow_discount_codes = ${link.allowDiscountCodes}, product_ids = ${[...link.productIds]}::uuid[],
        data = ${json(Codec.link.encode(stored))}
      WHERE id = ${link.id} AND version = ${expectedVersion} AND deleted_at IS NULL
      RETURNING id`.pipe(
      Effect.orDie,
      Effect.flatMap((rows) => rows.length === 1 ? Effect.succeed(stored) : Effect.fail(conflict()))
    )
  }

  const where = (query: LinkListQuery): Fragment => {
    const clauses: Array<Fragment> = [
      sql`l.deleted_at IS NULL`,
      anyUuid(sql, "l.organization_id", query.organizationIds)
    ]
    if (query.productIds !== undefined) clauses.push(sql`l.product_ids && ${validIds(query.productIds)}::uuid[]`)
    return sql.and(clauses)
  }

  const orderBy = (query: LinkListQuery): Fragment => {
    const sorting = query.sorting.length > 0 ? query.sorting : [{ field: "createdAt" as const, descending: false }]
    const parts = sorting.map((s) => `${sortColumn[s.field]} ${s.descending ? "DESC" : "ASC"}`)
    parts.push(`l.id ${sorting[sorting.length - 1]!.descending ? "DESC" : "ASC"}`)
    return sql.literal(parts.join(", "))
  }

  const list = (query: LinkListQuery) =>
    Effect.gen(function*() {
      const offset = (Math.max(1, Math.floor(query.page)) - 1) * query.limit
      const filter = where(query)
      const rows = yield* sql<Codec.VersionedRow>`SELECT l.data::text AS data, l.version FROM checkout_links l WHERE ${filter}
        ORDER BY ${orderBy(query)} LIMIT ${query.limit} OFFSET ${offset}`
      const totalCount = offset === 0 && rows.length < query.limit
        ? rows.length
        : (yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM checkout_links l WHERE ${filter}`)[0]!.n
      return { items: rows.map(Codec.decodeLink), totalCount }
    }).pipe(Effect.orDie)

  return CheckoutLinkRepository.of({ findById, findByClientSecret, insert, update, list })
})

export const layer: Layer.Layer<CheckoutLinkRepository, never, SqlClient> = Layer.effect(CheckoutLinkRepository, make)
