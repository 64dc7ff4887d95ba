/**
 * Migration 3: merchant webhooks. Endpoints per organization (soft-deleted: their delivery log stays readable),
 * webhook events (one committed domain event for one endpoint; leased to a worker while it is being sent), every
 * attempt in `webhook_deliveries`, and a `webhooks_relayed` mark on the outbox so that the relay reads each
 * committed event once, whatever order transactions commit in (a cursor over `seq` could skip a late committer).
 * Events already in the outbox predate every endpoint and are marked relayed.
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export const statements: ReadonlyArray<string> = [
  `ALTER TABLE checkout_events ADD COLUMN webhooks_relayed boolean NOT NULL DEFAULT false`,
  `UPDATE checkout_events SET webhooks_relayed = true`,
  `CREATE INDEX checkout_events_unrelayed ON checkout_events (seq) WHERE NOT webhooks_relayed`,

  `CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    url text NOT NULL,
    name text,
    format text NOT NULL CHECK (format IN ('raw', 'discord', 'slack')),
    secret text NOT NULL,
    events text[] NOT NULL,
    enabled boolean NOT NULL,
    consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    created_at timestamptz NOT NULL,
    modified_at timestamptz,
    deleted_at timestamptz
  )`,
  `CREATE INDEX webhook_endpoints_organization ON webhook_endpoints (organization_id, created_at DESC, id)
    WHERE deleted_at IS NULL`,

  `CREATE TABLE webhook_events (
    id uuid PRIMARY KEY,
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
    organization_id uuid NOT NULL,
    seq bigint NOT NULL,
    type text NOT NULL,
    checkout_id uuid NOT NULL,
    checkout jsonb NOT NULL,
    "timestamp" timestamptz NOT NULL,
    payload text,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    last_http_code integer,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease uuid,
    lease_until timestamptz,
    created_at timestamptz NOT NULL,
    modified_at timestamptz,
    UNIQUE (endpoint_id, seq)
  )`,
  `CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at, seq) WHERE status = 'pending'`,
  `CREATE INDEX webhook_events_pair ON webhook_events (endpoint_id, checkout_id, seq) WHERE status = 'pending'`,

  `CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES webhook_events (id),
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
    organization_id uuid NOT NULL,
    succeeded boolean NOT NULL,
    http_code integer,
    response text,
    duration_ms integer NOT NULL,
    created_at timestamptz NOT NULL
  )`,
  `CREATE INDEX webhook_deliveries_organization ON webhook_deliveries (organization_id, created_at DESC, id DESC)`,
  `CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
