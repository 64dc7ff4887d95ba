/**
 * The webhook ports on PostgreSQL. `relay` runs under a transaction-level advisory lock (one relay at a time across
 * every process, so webhook events are created in outbox order) and, in one transaction, turns unrelayed outbox
 * rows into webhook events for the subscribed, enabled endpoints and marks them relayed. `claim` leases due events
 * with `FOR UPDATE SKIP LOCKED` (several processes share the work; a row being claimed by one is skipped by the
 * others, and once leased it is not due for anyone until the lease ends), serving only the oldest pending event of
 * each (endpoint, checkout). `complete` records the attempt only while the lease is the caller's. Both `relay` and
 * `claim` first probe for work in one statement outside a transaction, so an idle worker's pass is two round trips.
 */
import {
  type Checkout,
  type Claimed,
  type DeliveryRecord,
  type Page,
  WebhookEndpoint,
  WebhookEndpoints,
  WebhookQueue
} from "@checkout-kit/domain"
import { Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Codec from "./Codec.ts"
import { transactional } from "./Sql.ts"

/** Key of the relay's advisory lock (any constant unique to this use). */
const relayLock = 1_707_017

interface EndpointRow {
  id: string
  organization_id: string
  url: string
  name: string | null
  format: WebhookEndpoint.Format
  secret: string
  events: Array<string>
  enabled: boolean
  consecutive_failures: number
  created_at: Date
  modified_at: Date | null
}

interface EventRow {
  id: string
  endpoint_id: string
  organization_id: string
  type: WebhookEndpoint.DeliveredEventType
  checkout_id: string
  timestamp: Date
  payload: string | null
  status: WebhookEndpoint.EventStatus
  last_http_code: number | null
  created_at: Date
  modified_at: Date | null
}

const utc = (d: Date) => DateTime.makeUnsafe(d.getTime())
const utcOrNull = (d: Date | null) => d === null ? null : utc(d)

const decodeEndpoint = (r: EndpointRow): WebhookEndpoint.WebhookEndpoint => ({
  id: r.id,
  organizationId: r.organization_id,
  url: r.url,
  name: r.name,
  format: r.format,
  secret: Redacted.make(r.secret),
  events: r.events as ReadonlyArray<WebhookEndpoint.EventType>,
  enabled: r.enabled,
  consecutiveFailures: r.consecutive_failures,
  createdAt: utc(r.created_at),
  modifiedAt: utcOrNull(r.modified_at)
})

const decodeEvent = (r: EventRow): WebhookEndpoint.WebhookEvent => ({
  id: r.id,
  endpointId: r.endpoint_id,
  organizationId: r.organization_id,
  type: r.type,
  checkoutId: r.checkout_id,
  timestamp: utc(r.timestamp),
  payload: r.payload,
  status: r.status,
  lastHttpCode: r.last_http_code,
  createdAt: utc(r.created_at),
  modifiedAt: utcOrNull(r.modified_at)
})

const eventColumns = `id, endpoint_id, organization_id, type, checkout_id, "timestamp", payload, status, last_http_code,
  created_at, modified_at`
const endpointColumns = `id, organization_id, url, name, format, secret, events, enabled, consecutive_failures, created_at,
  modified_at`

export const layer: Layer.Layer<WebhookEndpoints | WebhookQueue, never, SqlClient> = Layer.effectContext(
  Effect.gen(function*() {
    const sql = yield* SqlClient

    const findEndpoint = (id: string) =>
      !Codec.isUuid(id)
        ? Effect.succeedNone
        : sql<EndpointRow>`SELECT ${sql.literal(endpointColumns)} FROM webhook_endpoints
            WHERE id = ${id} AND deleted_at IS NULL`.pipe(
          Effect.map((rows) => Option.map(Option.fromUndefinedOr(rows[0]), decodeEndpoint)),
          Effect.orDie
        )

    const endpoints = WebhookEndpoints.of({
      insert: (e) =>
        sql`INSERT INTO webhook_endpoints (id, organization_id, url, name, format, secret, events, enabled,
            consecutive_failures, created_at, modified_at)
          VALUES (${e.id}, ${e.organizationId}, ${e.url}, ${e.name}, ${e.format}, ${Redacted.value(e.secret)},
            ${[...e.events]}::text[], ${e.enabled}, ${e.consecutiveFailures}, ${Codec.millis(e.createdAt)},
            ${Codec.millis(e.modifiedAt)})`.pipe(Effect.asVoid, Effect.orDie),
      findById: findEndpoint,
      list: (query) =>
        query.organizationIds.length === 0
          ? Effect.succeed({ items: [], totalCount: 0 })
          : sql<EndpointRow & { total: string }>`SELECT ${sql.literal(endpointColumns)}, count(*) OVER () AS total
              FROM webhook_endpoints
              WHERE organization_id = ANY(${[...query.organizationIds]}::uuid[]) AND deleted_at IS NULL
              ORDER BY created_at DESC, id
              LIMIT ${query.limit} OFFSET ${(query.page - 1) * query.limit}`.pipe(
            Effect.flatMap((rows) =>
              rows.length > 0 || query.page === 1
                ? Effect.succeed({ items: rows.map(decodeEndpoint), totalCount: rows.length === 0 ? 0 : Number(rows[0]!.total) })
                : Effect.map(
                  sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_endpoints
                    WHERE organization_id = ANY(${[...query.organizationIds]}::uuid[]) AND deleted_at IS NULL`,
                  (count) => ({ items: [], totalCount: count[0]!.n })
                )),
            Effect.orDie
          ),
      update: (e) =>
        sql`UPDATE webhook_endpoints SET url = ${e.url}, name = ${e.name}, format = ${e.format},
            secret = ${Redacted.value(e.secret)}, events = ${[...e.events]}::text[], enabled = ${e.enabled},
            consecutive_failures = ${e.consecutiveFailures}, modified_at = ${Codec.millis(e.modifiedAt)}
          WHERE id = ${e.id} AND deleted_at IS NULL`.pipe(Effect.asVoid, Effect.orDie),
      delete: (id) =>
        !Codec.isUuid(id) ? Effect.succeed(false) : transactional(
          sql,
          Effect.gen(function*() {
            const rows = yield* sql<{ id: string }>`UPDATE webhook_endpoints SET deleted_at = now()
              WHERE id = ${id} AND deleted_at IS NULL RETURNING id`
            if (rows.length === 0) return false
            yield* sql`UPDATE webhook_events SET status = 'failed', lease = NULL, lease_until = NULL
              WHERE endpoint_id = ${id} AND status = 'pending'`
            return true
          }).pipe(Effect.orDie)
        )
    })

    // An idle worker polls relay and claim every pass: each first asks one cheap question on a partial index
    // (one round trip, no transaction) and opens its transaction only when there is something to do. A row that
    // commits just after the probe is the next pass's.
    const unrelayed = sql<{ seq: string }>`SELECT seq FROM checkout_events WHERE NOT webhooks_relayed LIMIT 1`.pipe(
      Effect.map((rows) => rows.length > 0),
      Effect.orDie
    )
    const anyDue = (now: Date) =>
      sql<{ seq: string }>`SELECT seq FROM webhook_events WHERE status = 'pending' AND next_attempt_at <= ${now} LIMIT 1`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie
      )

    const relay = (limit: number) =>
      Effect.flatMap(unrelayed, (some) => !some ? Effect.succeed(0) : relayBatch(limit))

    const relayBatch = (limit: number) =>
      transactional(
        sql,
        Effect.gen(function*() {
          yield* sql`SELECT pg_advisory_xact_lock(${relayLock})`
          const batch = yield* sql<{ seq: string }>`SELECT seq FROM checkout_events WHERE NOT webhooks_relayed
            ORDER BY seq LIMIT ${limit} FOR UPDATE`
          if (batch.length === 0) return 0
          const seqs = batch.map((b) => b.seq)
          const now = new Date()
          yield* sql`INSERT INTO webhook_events (id, endpoint_id, organization_id, seq, type, checkout_id, checkout,
              "timestamp", status, next_attempt_at, created_at)
            SELECT gen_random_uuid(), e.id, e.organization_id, b.seq, b.type, b.checkout_id, b.checkout, b.created_at,
              'pending', ${now}, ${now}
            FROM checkout_events b
            JOIN webhook_endpoints e ON e.organization_id = (b.checkout->>'organizationId')::uuid
              AND e.enabled AND e.deleted_at IS NULL AND b.type = ANY(e.events)
            WHERE b.seq = ANY(${seqs}::bigint[]) AND b.type = ANY(${[...WebhookEndpoint.deliveredEventTypes]}::text[])
            ORDER BY b.seq
            ON CONFLICT (endpoint_id, seq) DO NOTHING`
          yield* sql`UPDATE checkout_events SET webhooks_relayed = true WHERE seq = ANY(${seqs}::bigint[])`
          return batch.length
        }).pipe(Effect.orDie)
      )

    /** The reference's `query` filter: a case-insensitive part of the delivery id, the event id or the HTTP code. */
    const searchClause = (text: string) => {
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      return sql`(d.id::text ILIKE ${pattern} ESCAPE '\\' OR d.event_id::text ILIKE ${pattern} ESCAPE '\\'
        OR d.http_code::text ILIKE ${pattern} ESCAPE '\\')`
    }
    const claim = (options: { readonly now: number; readonly limit: number; readonly leaseMs: number }) =>
      Effect.flatMap(anyDue(new Date(options.now)), (some) => !some ? Effect.succeed([]) : claimDue(options))

    const claimDue = (options: { readonly now: number; readonly limit: number; readonly leaseMs: number }) =>
      transactional(
        sql,
        Effect.gen(function*() {
          const now = new Date(options.now)
          const until = new Date(options.now + options.leaseMs)
          const rows = yield* sql<EventRow & { checkout: unknown; attempts: number; lease: string }>`
            WITH due AS (
              SELECT w.id FROM webhook_events w
              JOIN webhook_endpoints e ON e.id = w.endpoint_id AND e.enabled AND e.deleted_at IS NULL
              WHERE w.status = 'pending' AND w.next_attempt_at <= ${now}
                AND (w.lease_until IS NULL OR w.lease_until <= ${now})
                AND NOT EXISTS (SELECT 1 FROM webhook_events p WHERE p.endpoint_id = w.endpoint_id
                  AND p.checkout_id = w.checkout_id AND p.status = 'pending' AND p.seq < w.seq)
              ORDER BY w.next_attempt_at, w.seq
              LIMIT ${options.limit}
              FOR UPDATE OF w SKIP LOCKED
            )
            UPDATE webhook_events w SET attempts = w.attempts + 1, lease = gen_random_uuid(), lease_until = ${until}
            FROM due WHERE w.id = due.id
            RETURNING w.id, w.endpoint_id, w.organization_id, w.type, w.checkout_id, w."timestamp", w.payload, w.status,
              w.last_http_code, w.created_at, w.modified_at, w.checkout, w.attempts, w.lease, w.seq, w.next_attempt_at`
          if (rows.length === 0) return []
          const endpointRows = yield* sql<EndpointRow>`SELECT ${sql.literal(endpointColumns)} FROM webhook_endpoints
            WHERE id = ANY(${[...new Set(rows.map((r) => r.endpoint_id))]}::uuid[])`
          const byId = new Map(endpointRows.map((r) => [r.id, decodeEndpoint(r)]))
          const sorted = [...rows].sort((a, b) => {
            const x = a as unknown as { next_attempt_at: Date; seq: string }
            const y = b as unknown as { next_attempt_at: Date; seq: string }
            return x.next_attempt_at.getTime() - y.next_attempt_at.getTime() || Number(x.seq) - Number(y.seq)
          })
          return sorted.map((r): Claimed => ({
            event: decodeEvent(r),
            endpoint: byId.get(r.endpoint_id)!,
            checkout: Codec.checkout.decode(r.checkout) as Checkout.Checkout,
            attempt: r.attempts,
            lease: r.lease
          }))
        }).pipe(Effect.orDie)
      )

    const queue = WebhookQueue.of({
      relay,
      claim,
      complete: (completion, nowMs) =>
        transactional(
          sql,
          Effect.gen(function*() {
            const { claimed, delivery, outcome } = completion
            const now = new Date(nowMs)
            const status = outcome._tag === "Delivered" ? "delivered" : outcome._tag === "GiveUp" ? "failed" : "pending"
            const next = outcome._tag === "Retry" ? new Date(outcome.at) : null
            const updated = yield* sql<{ id: string }>`UPDATE webhook_events SET status = ${status},
                payload = COALESCE(payload, ${completion.payload}), last_http_code = ${delivery.httpCode},
                lease = NULL, lease_until = NULL, next_attempt_at = COALESCE(${next}, next_attempt_at), modified_at = ${now}
              WHERE id = ${claimed.event.id} AND lease = ${claimed.lease} RETURNING id`
            if (updated.length === 0) return false
            yield* sql`INSERT INTO webhook_deliveries (id, event_id, endpoint_id, organization_id, succeeded, http_code,
                response, duration_ms, created_at)
              VALUES (${delivery.id}, ${delivery.eventId}, ${delivery.endpointId}, ${claimed.event.organizationId},
                ${delivery.succeeded}, ${delivery.httpCode}, ${delivery.response}, ${Math.round(delivery.durationMs)},
                ${Codec.millis(delivery.createdAt)})`
            yield* sql`UPDATE webhook_endpoints SET
                consecutive_failures = CASE WHEN ${delivery.succeeded} THEN 0 ELSE consecutive_failures + 1 END,
                modified_at = CASE WHEN enabled AND NOT ${delivery.succeeded}
                  AND consecutive_failures + 1 >= ${completion.disableAfterFailures} THEN ${now} ELSE modified_at END,
                enabled = enabled AND (${delivery.succeeded}
                  OR consecutive_failures + 1 < ${completion.disableAfterFailures})
              WHERE id = ${claimed.endpoint.id}
                -- A success on an endpoint with no failures changes nothing: no write, no lock on the endpoint's row
                -- (every completion for one endpoint would otherwise queue behind that row lock).
                AND NOT (${delivery.succeeded} AND consecutive_failures = 0)`
            return true
          }).pipe(Effect.orDie)
        ),
      release: (claimed) =>
        !Codec.isUuid(claimed.event.id) ? Effect.void : sql`UPDATE webhook_events
            SET lease = NULL, lease_until = NULL, attempts = attempts - 1
            WHERE id = ${claimed.event.id} AND lease = ${claimed.lease}`.pipe(Effect.asVoid, Effect.orDie),
      listDeliveries: (query) =>
        Effect.gen(function*() {
          if (query.organizationIds.length === 0) return { items: [], totalCount: 0 }
          const filters = [
            sql`d.organization_id = ANY(${[...query.organizationIds]}::uuid[])`,
            ...(query.endpointIds === undefined ? [] : [sql`d.endpoint_id = ANY(${[...query.endpointIds].filter(Codec.isUuid)}::uuid[])`]),
            ...(query.succeeded === undefined ? [] : [sql`d.succeeded = ${query.succeeded}`]),
            ...(query.eventTypes === undefined ? [] : [sql`w.type = ANY(${[...query.eventTypes]}::text[])`]),
            ...(query.createdAfter === undefined ? [] : [sql`d.created_at > ${new Date(query.createdAfter)}`]),
            ...(query.createdBefore === undefined ? [] : [sql`d.created_at < ${new Date(query.createdBefore)}`]),
            ...(query.text === undefined ? [] : [searchClause(query.text)]),
            ...(query.httpCodeClass === undefined ? [] : [(() => {
              const floor = Number(query.httpCodeClass[0]) * 100
              return sql`d.http_code >= ${floor} AND d.http_code < ${floor + 100}`
            })()])
          ]
          const where = sql.and(filters)
          const rows = yield* sql<EventRow & {
            d_id: string
            d_endpoint_id: string
            d_succeeded: boolean
            d_http_code: number | null
            d_response: string | null
            d_duration_ms: number
            d_created_at: Date
          }>`SELECT d.id AS d_id, d.endpoint_id AS d_endpoint_id, d.succeeded AS d_succeeded, d.http_code AS d_http_code,
              d.response AS d_response, d.duration_ms AS d_duration_ms, d.created_at AS d_created_at,
              w.id, w.endpoint_id, w.organization_id, w.type, w.checkout_id, w."timestamp", w.payload, w.status,
              w.last_http_code, w.created_at, w.modified_at
            FROM webhook_deliveries d JOIN webhook_events w ON w.id = d.event_id
            WHERE ${where}
            ORDER BY d.created_at DESC, d.id DESC
            LIMIT ${query.limit} OFFSET ${(query.page - 1) * query.limit}`
          const [count] = yield* sql<{ n: number }>`SELECT count(*)::int AS n
            FROM webhook_deliveries d JOIN webhook_events w ON w.id = d.event_id WHERE ${where}`
          return {
            items: rows.map((r): DeliveryRecord => ({
              delivery: {
                id: r.d_id,
                eventId: r.id,
                endpointId: r.d_endpoint_id,
                succeeded: r.d_succeeded,
                httpCode: r.d_http_code,
                response: r.d_response,
                durationMs: r.d_duration_ms,
                createdAt: utc(r.d_created_at)
              },
              event: decodeEvent(r)
            })),
            totalCount: count!.n
          } satisfies Page<DeliveryRecord>
        }).pipe(Effect.orDie),
      findEvent: (id) =>
        !Codec.isUuid(id)
          ? Effect.succeedNone
          : sql<EventRow>`SELECT ${sql.literal(eventColumns)} FROM webhook_events WHERE id = ${id}`.pipe(
            Effect.map((rows) => Option.map(Option.fromUndefinedOr(rows[0]), decodeEvent)),
            Effect.orDie
          ),
      redeliver: (id, nowMs) =>
        !Codec.isUuid(id) ? Effect.void : sql`UPDATE webhook_events w SET status = 'pending', next_attempt_at = ${new Date(nowMs)},
            modified_at = ${new Date(nowMs)}
          WHERE w.id = ${id} AND w.status <> 'pending'
            AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = w.endpoint_id AND e.deleted_at IS NULL)`.pipe(
          Effect.asVoid,
          Effect.orDie
        )
    })
    return Context.make(WebhookEndpoints, endpoints).pipe(Context.add(WebhookQueue, queue))
  })
)
