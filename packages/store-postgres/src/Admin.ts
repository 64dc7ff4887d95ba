/**
 * Administration of the PostgreSQL store: catalog data the domain ports cannot write (organizations, tokens,
 * products, discounts, seeded customers), as upserts or insert-if-missing, and row counts. Used by the seed loader,
 * tests and embedding services.
 */
import type { AccessTokenGrant, Checkout, Customer, Discount, Organization, Product } from "@checkout-kit/domain"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { productRow } from "./Catalog.ts"
import { CatalogCache } from "./CatalogCache.ts"
import { columns as checkoutColumns } from "./Checkouts.ts"
import * as Codec from "./Codec.ts"
import { tokenDigest } from "./Organizations.ts"
import { transactional } from "./Sql.ts"

/** Catalog and customer data as domain values; every part optional (a decoded seed file is one). */
export interface Fixtures {
  readonly organizations?: ReadonlyArray<Organization.Organization>
  readonly tokens?: ReadonlyArray<{ readonly digest: string; readonly grant: AccessTokenGrant }>
  readonly products?: ReadonlyArray<Product.Product>
  readonly discounts?: ReadonlyArray<Discount.Discount>
  readonly customers?: ReadonlyArray<Customer.Customer>
  /** Checkouts in any status (a seed's examples), stored with the version they carry. */
  readonly checkouts?: ReadonlyArray<Checkout.Checkout>
}

export interface Counts {
  readonly checkouts: number
  readonly links: number
  readonly customers: number
  readonly events: number
}

export class PostgresStore extends Context.Service<PostgresStore, {
  readonly putOrganization: (organization: Organization.Organization) => Effect.Effect<void>
  /** Registers a token (only its SHA-256 digest is stored). */
  readonly putAccessToken: (token: Redacted.Redacted<string>, grant: AccessTokenGrant) => Effect.Effect<void>
  /** Adds or replaces a product with its prices. */
  readonly putProduct: (product: Product.Product) => Effect.Effect<void>
  /** Adds or replaces a discount (its redemptionsCount is taken as given). */
  readonly putDiscount: (discount: Discount.Discount) => Effect.Effect<void>
  /**
   * Loads fixtures in one transaction. `replace` (default) upserts every row; `insertMissing` only adds rows whose
   * id is absent and leaves existing ones (and their counters) untouched: seeding a persistent database once.
   */
  readonly load: (fixtures: Fixtures, mode?: "replace" | "insertMissing") => Effect.Effect<void>
  readonly counts: Effect.Effect<Counts>
}>()("@checkout-kit/store-postgres/PostgresStore") {}

export const make = Effect.gen(function*() {
  // The store's catalog cache when this service is part of one (layerPorts): local writes clear it.
  const cache = yield* Effect.serviceOption(CatalogCache)
  const sql = yield* SqlClient
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`
  type Mode = "replace" | "insertMissing"
  const conflict = (mode: Mode, set: string) => sql.literal(mode === "replace" ? `ON CONFLICT (id) DO UPDATE SET ${set}` : "ON CONFLICT DO NOTHING")

  const organization = (o: Organization.Organization, mode: Mode) =>
    sql`INSERT INTO organizations (id, data) VALUES (${o.id}, ${json(Codec.organization.encode(o))}) ${conflict(mode, "data = EXCLUDED.data")}`

  const token = (digest: string, grant: AccessTokenGrant, mode: Mode) =>
    sql`INSERT INTO access_tokens (token_sha256, organization_id, scopes)
      VALUES (${digest.toLowerCase()}, ${grant.organizationId}, ${[...grant.scopes]}::text[])
      ${sql.literal(mode === "replace"
      ? "ON CONFLICT (token_sha256) DO UPDATE SET organization_id = EXCLUDED.organization_id, scopes = EXCLUDED.scopes"
      : "ON CONFLICT DO NOTHING")}`

  const product = (p: Product.Product, mode: Mode) =>
    Effect.gen(function*() {
      const row = productRow(p)
      const written = yield* sql<{ id: string }>`INSERT INTO products (id, organization_id, data)
        VALUES (${row.id}, ${row.organization_id}, ${json(row.data)})
        ${conflict(mode, "organization_id = EXCLUDED.organization_id, data = EXCLUDED.data")} RETURNING id`
      if (written.length === 0) return
      yield* sql`DELETE FROM prices WHERE product_id = ${row.id} AND NOT (id = ANY(${row.prices}::uuid[]))`
      if (row.prices.length > 0) {
        yield* sql`INSERT INTO prices (id, product_id) SELECT unnest(${row.prices}::uuid[]), ${row.id}
          ON CONFLICT (id) DO UPDATE SET product_id = EXCLUDED.product_id`
      }
    })

  const discount = (d: Discount.Discount, mode: Mode) =>
    sql`INSERT INTO discounts (id, organization_id, code, starts_at, ends_at, max_redemptions, redemptions_count, data)
      VALUES (${d.id}, ${d.organizationId}, ${d.code}, ${Codec.millis(d.startsAt)}, ${Codec.millis(d.endsAt)},
        ${d.maxRedemptions}, ${d.redemptionsCount}, ${json(Codec.discount.encode(d))})
      ${conflict(mode, "organization_id = EXCLUDED.organization_id, code = EXCLUDED.code, starts_at = EXCLUDED.starts_at, " +
        "ends_at = EXCLUDED.ends_at, max_redemptions = EXCLUDED.max_redemptions, redemptions_count = EXCLUDED.redemptions_count, data = EXCLUDED.data")}`

  const customer = (c: Customer.Customer, mode: Mode) =>
    sql`INSERT INTO customers (id, organization_id, email, external_id, deleted_at, data)
      VALUES (${c.id}, ${c.organizationId}, ${c.email}, ${c.externalId}, ${Codec.millis(c.deletedAt)}, ${json(Codec.customer.encode(c))})
      ${conflict(mode, "organization_id = EXCLUDED.organization_id, email = EXCLUDED.email, external_id = EXCLUDED.external_id, " +
        "deleted_at = EXCLUDED.deleted_at, data = EXCLUDED.data")}`

  const checkout = (c: Checkout.Checkout, mode: Mode) => {
    const r = checkoutColumns(c, c.version)
    return sql`INSERT INTO checkouts (id, organization_id, client_secret, version, status, created_at, expires_at,
        product_id, customer_id, external_customer_id, customer_email, data)
      VALUES (${r.id}, ${r.organization_id}, ${r.client_secret}, ${r.version}, ${r.status}, ${r.created_at}, ${r.expires_at},
        ${r.product_id}, ${r.customer_id}, ${r.external_customer_id}, ${r.customer_email}, ${r.data}::jsonb)
      ${conflict(mode, "organization_id = EXCLUDED.organization_id, client_secret = EXCLUDED.client_secret, version = EXCLUDED.version, " +
        "status = EXCLUDED.status, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, product_id = EXCLUDED.product_id, " +
        "customer_id = EXCLUDED.customer_id, external_customer_id = EXCLUDED.external_customer_id, customer_email = EXCLUDED.customer_email, data = EXCLUDED.data")}`
  }

  const load = (fixtures: Fixtures, mode: Mode = "replace") =>
    transactional(
      sql,
      Effect.gen(function*() {
        for (const o of fixtures.organizations ?? []) yield* organization(o, mode)
        for (const t of fixtures.tokens ?? []) yield* token(t.digest, t.grant, mode)
        for (const p of fixtures.products ?? []) yield* product(p, mode)
        for (const d of fixtures.discounts ?? []) yield* discount(d, mode)
        for (const c of fixtures.customers ?? []) yield* customer(c, mode)
        for (const c of fixtures.checkouts ?? []) yield* checkout(c, mode)
      }).pipe(Effect.orDie)
    ).pipe(
      // This process's catalog cache (if the store has one) forgets what it held, also when the load failed.
      Effect.ensuring(Option.isSome(cache) ? cache.value.clear : Effect.void)
    )

  return PostgresStore.of({
    putOrganization: (o) => load({ organizations: [o] }),
    putAccessToken: (t, grant) => load({ tokens: [{ digest: tokenDigest(Redacted.value(t)), grant }] }),
    putProduct: (p) => load({ products: [p] }),
    putDiscount: (d) => load({ discounts: [d] }),
    load,
    counts: sql<{ checkouts: number; links: number; customers: number; events: number }>`SELECT
        (SELECT count(*)::int FROM checkouts) AS checkouts, (SELECT count(*)::int FROM checkout_links) AS links,
        (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM checkout_events) AS events`.pipe(
      Effect.map((rows) => rows[0]!),
      Effect.orDie
    )
  })
})

export const layer: Layer.Layer<PostgresStore, never, SqlClient> = Layer.effect(PostgresStore, make)
