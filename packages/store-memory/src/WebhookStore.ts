/**
 * The webhook ports (`WebhookEndpoints`, `WebhookQueue`) in memory, with the semantics of the PostgreSQL store:
 * the relay reads the outbox with its own cursor in commit order, a claimed event is leased (an expired lease is
 * claimable again), per (checkout, endpoint) order is kept by serving only the oldest pending event of each pair.
 * Every operation is one synchronous step, so concurrent fibers never see a half-done change. Nothing survives the
 * process, as with everything in this store.
 */
import {
  type Checkout,
  type Ids,
  type Page,
  WebhookEndpoint,
  WebhookEndpoints,
  WebhookQueue
} from "@checkout-kit/domain"
import { randomUUID } from "node:crypto"
import { Context, DateTime, Effect, Layer, Option } from "effect"
import { Database } from "./Database.ts"

interface Row {
  event: WebhookEndpoint.WebhookEvent
  readonly checkout: Checkout.Checkout
  /** Relay order: the position of the domain event in the outbox. */
  readonly seq: number
  attempts: number
  nextAttemptAt: number
  leaseUntil: number
  lease: string | null
}

interface DeliveryRow {
  readonly delivery: WebhookEndpoint.WebhookDelivery
  readonly organizationId: Ids.Id
}

const pairKey = (endpointId: string, checkoutId: string) => `${endpointId}|${checkoutId}`

const utc = (ms: number) => DateTime.makeUnsafe(ms)

export const layer: Layer.Layer<WebhookEndpoints | WebhookQueue, never, Database> = Layer.effectContext(
  Effect.gen(function*() {
    const db = yield* Database
    const endpoints = new Map<string, WebhookEndpoint.WebhookEndpoint>()
    const rows = new Map<string, Row>()
    /** Pending event ids of each (endpoint, checkout), oldest first: only the head may be sent. */
    const queues = new Map<string, Array<string>>()
    const deliveries: Array<DeliveryRow> = []
    let cursor = 0
    let relaySeq = 0

    const enqueue = (row: Row) => {
      const key = pairKey(row.event.endpointId, row.event.checkoutId)
      const queue = queues.get(key) ?? []
      let at = queue.length
      while (at > 0 && rows.get(queue[at - 1]!)!.seq > row.seq) at--
      queue.splice(at, 0, row.event.id)
      queues.set(key, queue)
    }

    const dequeue = (row: Row) => {
      const key = pairKey(row.event.endpointId, row.event.checkoutId)
      const queue = queues.get(key)
      if (queue === undefined) return
      const at = queue.indexOf(row.event.id)
      if (at >= 0) queue.splice(at, 1)
      if (queue.length === 0) queues.delete(key)
    }

    const endpointsPort = WebhookEndpoints.of({
      insert: (endpoint) => Effect.sync(() => void endpoints.set(endpoint.id, endpoint)),
      findById: (id) => Effect.sync(() => Option.fromNullishOr(endpoints.get(id))),
      list: (query) =>
        Effect.sync((): Page<WebhookEndpoint.WebhookEndpoint> => {
          const orgs = new Set(query.organizationIds)
          const all = [...endpoints.values()]
            .filter((e) => orgs.has(e.organizationId))
            .sort((a, b) => DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt) || (a.id < b.id ? -1 : 1))
          return { items: all.slice((query.page - 1) * query.limit, query.page * query.limit), totalCount: all.length }
        }),
      update: (endpoint) => Effect.sync(() => void (endpoints.has(endpoint.id) && endpoints.set(endpoint.id, endpoint))),
      delete: (id) =>
        Effect.sync(() => {
          if (!endpoints.delete(id)) return false
          for (const row of rows.values()) {
            if (row.event.endpointId === id && row.event.status === "pending") {
              dequeue(row)
              row.event = { ...row.event, status: "failed" }
            }
          }
          return true
        })
    })

    const queuePort = WebhookQueue.of({
      relay: (limit) =>
        Effect.sync(() => {
          const read = db.outbox.readFrom(cursor, limit)
          cursor = read.next
          const now = Date.now()
          for (const domainEvent of read.events) {
            const seq = relaySeq++
            if (!WebhookEndpoint.isDeliveredEventType(domainEvent.type)) continue
            for (const endpoint of endpoints.values()) {
              if (
                endpoint.organizationId !== domainEvent.checkout.organizationId || !endpoint.enabled ||
                !endpoint.events.includes(domainEvent.type)
              ) continue
              const row: Row = {
                event: {
                  id: randomUUID(),
                  endpointId: endpoint.id,
                  organizationId: endpoint.organizationId,
                  type: domainEvent.type,
                  checkoutId: domainEvent.checkout.id,
                  timestamp: utc(now),
                  payload: null,
                  status: "pending",
                  lastHttpCode: null,
                  createdAt: utc(now),
                  modifiedAt: null
                },
                checkout: domainEvent.checkout,
                seq,
                attempts: 0,
                nextAttemptAt: now,
                leaseUntil: 0,
                lease: null
              }
              rows.set(row.event.id, row)
              enqueue(row)
            }
          }
          return read.events.length
        }),
      claim: ({ leaseMs, limit, now }) =>
        Effect.sync(() => {
          const due: Array<Row> = []
          for (const queue of queues.values()) {
            const row = rows.get(queue[0]!)!
            const endpoint = endpoints.get(row.event.endpointId)
            if (endpoint === undefined || !endpoint.enabled) continue
            if (row.nextAttemptAt <= now && row.leaseUntil <= now) due.push(row)
          }
          due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.seq - b.seq)
          return due.slice(0, limit).map((row) => {
            row.attempts += 1
            row.lease = randomUUID()
            row.leaseUntil = now + leaseMs
            return {
              event: row.event,
              endpoint: endpoints.get(row.event.endpointId)!,
              checkout: row.checkout,
              attempt: row.attempts,
              lease: row.lease
            }
          })
        }),
      complete: (completion, now) =>
        Effect.sync(() => {
          const row = rows.get(completion.claimed.event.id)
          if (row === undefined || row.lease !== completion.claimed.lease) return false
          row.lease = null
          row.leaseUntil = 0
          const outcome = completion.outcome
          const status = outcome._tag === "Delivered" ? "delivered" : outcome._tag === "GiveUp" ? "failed" : "pending"
          row.event = {
            ...row.event,
            payload: row.event.payload ?? completion.payload,
            status,
            lastHttpCode: completion.delivery.httpCode,
            modifiedAt: utc(now)
          }
          if (outcome._tag === "Retry") row.nextAttemptAt = outcome.at
          else dequeue(row)
          deliveries.push({ delivery: completion.delivery, organizationId: row.event.organizationId })
          const endpoint = endpoints.get(row.event.endpointId)
          if (endpoint !== undefined) {
            const failures = completion.delivery.succeeded ? 0 : endpoint.consecutiveFailures + 1
            const disable = failures >= completion.disableAfterFailures
            endpoints.set(endpoint.id, {
              ...endpoint,
              consecutiveFailures: failures,
              enabled: endpoint.enabled && !disable,
              ...(disable && endpoint.enabled ? { modifiedAt: utc(now) } : {})
            })
          }
          return true
        }),
      release: (claimed) =>
        Effect.sync(() => {
          const row = rows.get(claimed.event.id)
          if (row === undefined || row.lease !== claimed.lease) return
          row.lease = null
          row.leaseUntil = 0
          row.attempts -= 1
        }),
      listDeliveries: (query) =>
        Effect.sync(() => {
          const orgs = new Set(query.organizationIds)
          const endpointIds = query.endpointIds === undefined ? undefined : new Set(query.endpointIds)
          const types = query.eventTypes === undefined ? undefined : new Set(query.eventTypes)
          const text = query.text?.toLowerCase()
          const codeFloor = query.httpCodeClass === undefined ? undefined : Number(query.httpCodeClass[0]) * 100
          const matching = deliveries.filter((d) =>
            orgs.has(d.organizationId) &&
            (endpointIds === undefined || endpointIds.has(d.delivery.endpointId)) &&
            (query.succeeded === undefined || d.delivery.succeeded === query.succeeded) &&
            (types === undefined || types.has(rows.get(d.delivery.eventId)!.event.type)) &&
            (query.createdAfter === undefined || DateTime.toEpochMillis(d.delivery.createdAt) > query.createdAfter) &&
            (query.createdBefore === undefined || DateTime.toEpochMillis(d.delivery.createdAt) < query.createdBefore) &&
            (text === undefined || [d.delivery.id, d.delivery.eventId, String(d.delivery.httpCode ?? "")].some((s) => s.toLowerCase().includes(text))) &&
            (codeFloor === undefined || (d.delivery.httpCode !== null && d.delivery.httpCode >= codeFloor && d.delivery.httpCode < codeFloor + 100))
          ).reverse()
          return {
            items: matching.slice((query.page - 1) * query.limit, query.page * query.limit).map((d) => ({
              delivery: d.delivery,
              event: rows.get(d.delivery.eventId)!.event
            })),
            totalCount: matching.length
          }
        }),
      findEvent: (id) => Effect.sync(() => Option.map(Option.fromNullishOr(rows.get(id)), (row) => row.event)),
      redeliver: (id, now) =>
        Effect.sync(() => {
          const row = rows.get(id)
          if (row === undefined || row.event.status === "pending" || !endpoints.has(row.event.endpointId)) return
          row.event = { ...row.event, status: "pending", modifiedAt: utc(now) }
          row.nextAttemptAt = now
          enqueue(row)
        })
    })
    return Context.make(WebhookEndpoints, endpointsPort).pipe(Context.add(WebhookQueue, queuePort))
  })
)
