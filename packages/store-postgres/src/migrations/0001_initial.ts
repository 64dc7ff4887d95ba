/**
 * Migration 1: every table of the store. Each entity keeps its full domain value in `data` (the JSON encoding of
 * its domain Schema) next to real columns for what SQL must see: keys, constraints, versions, filters, sort keys
 * and the expiry sweep. The columns are written from the same value as `data` in one statement, so they never
 * disagree. Text sort keys are `COLLATE "C"` (the ports sort by code point).
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export const statements: ReadonlyArray<string> = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,

  // Organizations and their access tokens (only the SHA-256 digest of a token is stored).
  `CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    data jsonb NOT NULL
  )`,
  `CREATE TABLE access_tokens (
    token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    scopes text[] NOT NULL
  )`,

  // Catalog: a product with its prices in `data`; `prices` maps a price id to its product.
  `CREATE TABLE products (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    data jsonb NOT NULL
  )`,
  `CREATE TABLE prices (
    id uuid PRIMARY KEY,
    product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX prices_product_id ON prices (product_id)`,

  // Discounts: the redemption cap is enforced by a guarded UPDATE of redemptions_count.
  `CREATE TABLE discounts (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    code text,
    starts_at timestamptz,
    ends_at timestamptz,
    max_redemptions integer CHECK (max_redemptions >= 1),
    redemptions_count integer NOT NULL DEFAULT 0 CHECK (redemptions_count >= 0),
    data jsonb NOT NULL
  )`,
  `CREATE UNIQUE INDEX discounts_organization_code ON discounts (organization_id, lower(code)) WHERE code IS NOT NULL`,
  `CREATE TABLE discount_redemptions (
    checkout_id uuid PRIMARY KEY,
    discount_id uuid NOT NULL REFERENCES discounts (id),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX discount_redemptions_discount_id ON discount_redemptions (discount_id)`,

  // Customers: unique e-mail (case-insensitive) and external id per organization among non-deleted customers.
  `CREATE TABLE customers (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    email text,
    external_id text,
    deleted_at timestamptz,
    data jsonb NOT NULL
  )`,
  `CREATE UNIQUE INDEX customers_organization_email ON customers (organization_id, lower(email))
    WHERE deleted_at IS NULL AND email IS NOT NULL`,
  `CREATE UNIQUE INDEX customers_organization_external_id ON customers (organization_id, external_id)
    WHERE deleted_at IS NULL AND external_id IS NOT NULL`,
  `CREATE INDEX customers_external_id ON customers (external_id) WHERE external_id IS NOT NULL`,

  // Checkouts.
  `CREATE TABLE checkouts (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    client_secret text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    status text COLLATE "C" NOT NULL
      CHECK (status IN ('open', 'expired', 'confirmed', 'succeeded', 'failed')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    product_id uuid,
    customer_id uuid,
    external_customer_id text,
    customer_email text,
    data jsonb NOT NULL,
    CONSTRAINT checkouts_client_secret UNIQUE (client_secret)
  )`,
  // Lists: one organization (maybe one selected product), newest first; both directions read the same index.
  `CREATE INDEX checkouts_organization_created ON checkouts (organization_id, created_at, id)`,
  `CREATE INDEX checkouts_organization_product_created ON checkouts (organization_id, product_id, created_at, id)`,
  `CREATE INDEX checkouts_organization_status_created ON checkouts (organization_id, status, created_at, id)`,
  `CREATE INDEX checkouts_organization_expires ON checkouts (organization_id, expires_at, id)`,
  `CREATE INDEX checkouts_customer ON checkouts (customer_id) WHERE customer_id IS NOT NULL`,
  `CREATE INDEX checkouts_external_customer ON checkouts (organization_id, external_customer_id)
    WHERE external_customer_id IS NOT NULL`,
  // E-mail search is a literal ILIKE '%q%': a trigram index answers it without scanning the organization.
  `CREATE INDEX checkouts_customer_email_trgm ON checkouts USING gin (customer_email gin_trgm_ops)`,
  // The expiry sweep: open checkouts by expiry.
  `CREATE INDEX checkouts_open_expires ON checkouts (expires_at, id) WHERE status = 'open'`,

  // Checkout links (soft-deleted rows stay, invisible to every read).
  `CREATE TABLE checkout_links (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    client_secret text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    label text COLLATE "C",
    success_url text COLLATE "C",
    allow_discount_codes boolean NOT NULL,
    product_ids uuid[] NOT NULL,
    data jsonb NOT NULL,
    CONSTRAINT checkout_links_client_secret UNIQUE (client_secret)
  )`,
  `CREATE INDEX checkout_links_organization_created ON checkout_links (organization_id, created_at, id)
    WHERE deleted_at IS NULL`,
  `CREATE INDEX checkout_links_product_ids ON checkout_links USING gin (product_ids) WHERE deleted_at IS NULL`,

  // The event outbox: written in the transaction of the change, read in commit order.
  `CREATE TABLE checkout_events (
    seq bigserial PRIMARY KEY,
    type text NOT NULL,
    checkout_id uuid NOT NULL,
    checkout jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX checkout_events_checkout ON checkout_events (checkout_id)`,

  // Stripe event ids already handled by the webhook endpoint (pruned by age).
  `CREATE TABLE processed_stripe_events (
    event_id text PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX processed_stripe_events_processed_at ON processed_stripe_events (processed_at)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
