/**
 * Handlers of the webhook group: decode (done by the schemas), call `WebhookService`, map the answer to the wire.
 * The signing secret leaves its `Redacted` wrapper only here, in the body sent to the organization that owns it.
 */
import { type WebhookEndpoint, WebhookService } from "@checkout-kit/domain"
import { Effect, Redacted } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "./Api.ts"
import { Caller } from "./Auth.ts"
import { toHttp } from "./Failures.ts"
import { makePagination } from "./wire/ListResource.ts"
import type * as Wire from "./wire/Webhook.ts"

const caller = Effect.map(Effect.service(Caller), ({ organizationId }) => ({ organizationId }))

export const endpointToWire = (e: WebhookEndpoint.WebhookEndpoint): Wire.WebhookEndpoint => ({
  created_at: e.createdAt,
  modified_at: e.modifiedAt,
  id: e.id,
  url: e.url,
  name: e.name,
  format: e.format,
  secret: Redacted.value(e.secret),
  organization_id: e.organizationId,
  events: e.events,
  enabled: e.enabled
})

export const deliveryToWire = (
  delivery: WebhookEndpoint.WebhookDelivery,
  event: WebhookEndpoint.WebhookEvent
): Wire.WebhookDelivery => ({
  created_at: delivery.createdAt,
  modified_at: null,
  id: delivery.id,
  succeeded: delivery.succeeded,
  http_code: delivery.httpCode,
  response: delivery.response,
  webhook_event: {
    created_at: event.createdAt,
    modified_at: event.modifiedAt,
    id: event.id,
    last_http_code: event.lastHttpCode,
    succeeded: event.status === "pending" ? null : event.status === "delivered",
    skipped: false,
    payload: event.payload,
    type: event.type,
    is_archived: false
  }
})

export const layer = HttpApiBuilder.group(
  Api,
  "webhooks",
  Effect.fnUntraced(function*(handlers) {
    const service = yield* WebhookService.WebhookService
    return handlers
      .handle("listEndpoints", ({ query }) =>
        Effect.gen(function*() {
          const page = yield* service.list(yield* caller, {
            organizationIds: query.organization_id,
            page: query.page,
            limit: query.limit
          })
          return { items: page.items.map(endpointToWire), pagination: makePagination(page.totalCount, query.limit) }
        }))
      .handle("createEndpoint", ({ payload }) =>
        toHttp(Effect.flatMap(caller, (c) =>
          service.create(c, {
            url: payload.url,
            name: payload.name,
            format: payload.format,
            events: payload.events,
            organizationId: payload.organization_id
          }))).pipe(Effect.map(endpointToWire)))
      .handle("getEndpoint", ({ params }) =>
        toHttp(Effect.flatMap(caller, (c) => service.get(c, params.id))).pipe(Effect.map(endpointToWire)))
      .handle("updateEndpoint", ({ params, payload }) =>
        toHttp(Effect.flatMap(caller, (c) => service.update(c, params.id, payload))).pipe(Effect.map(endpointToWire)))
      .handle("deleteEndpoint", ({ params }) => toHttp(Effect.flatMap(caller, (c) => service.delete(c, params.id))))
      .handle("resetSecret", ({ params }) =>
        toHttp(Effect.flatMap(caller, (c) => service.resetSecret(c, params.id))).pipe(Effect.map(endpointToWire)))
      .handle("listDeliveries", ({ query }) =>
        Effect.gen(function*() {
          const page = yield* service.listDeliveries(yield* caller, {
            endpointIds: query.endpoint_id,
            succeeded: query.succeeded,
            eventTypes: query.event_type,
            startTimestamp: query.start_timestamp,
            endTimestamp: query.end_timestamp,
            query: query.query,
            httpCodeClass: query.http_code_class,
            page: query.page,
            limit: query.limit
          })
          return {
            items: page.items.map((r) => deliveryToWire(r.delivery, r.event)),
            pagination: makePagination(page.totalCount, query.limit)
          }
        }))
      .handle("redeliver", ({ params }) =>
        toHttp(Effect.flatMap(caller, (c) => service.redeliver(c, params.id))).pipe(Effect.as(null)))
  })
)
