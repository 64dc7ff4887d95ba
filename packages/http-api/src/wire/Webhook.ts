/**
 * Wire schemas of the reference's webhook API (`server/polar/webhook/schemas.py`, SDK `WebhookEndpoint`,
 * `WebhookEndpointCreate`, `WebhookEndpointUpdate`, `WebhookDelivery`, `WebhookEvent`): snake_case, the reference's
 * field order. The URL rule (https, or http/private when the server allows it) depends on server settings and is the
 * domain's; these schemas check shapes and enums.
 */
import { httpCodeClasses, WebhookEndpoint as Domain } from "@checkout-kit/domain"
import { DateTime, Schema, SchemaTransformation } from "effect"
import { Limit, Page } from "./ListQuery.ts"
import { ListResource } from "./ListResource.ts"
import { Timestamp, Uuid } from "./Scalars.ts"

export const WebhookEventType = Schema.Literals(Domain.eventTypes).annotate({ identifier: "WebhookEventType" })
export const WebhookFormat = Schema.Literals(Domain.formats).annotate({ identifier: "WebhookFormat" })

export const WebhookEndpoint = Schema.Struct({
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  url: Schema.String,
  name: Schema.NullOr(Schema.String),
  format: WebhookFormat,
  /** The signing secret, as the reference returns it to the organization that owns the endpoint. */
  secret: Schema.String,
  organization_id: Uuid,
  events: Schema.Array(WebhookEventType),
  enabled: Schema.Boolean
}).annotate({ identifier: "WebhookEndpoint" })
export type WebhookEndpoint = typeof WebhookEndpoint.Type

const Name = Schema.String.check(Schema.isMaxLength(256))

export const WebhookEndpointCreate = Schema.Struct({
  url: Schema.String,
  name: Schema.optionalKey(Schema.NullOr(Name)),
  format: WebhookFormat,
  events: Schema.Array(WebhookEventType),
  organization_id: Schema.optionalKey(Schema.NullOr(Uuid))
}).annotate({ identifier: "WebhookEndpointCreate" })
export type WebhookEndpointCreate = typeof WebhookEndpointCreate.Type

export const WebhookEndpointUpdate = Schema.Struct({
  url: Schema.optionalKey(Schema.NullOr(Schema.String)),
  name: Schema.optionalKey(Schema.NullOr(Name)),
  format: Schema.optionalKey(Schema.NullOr(WebhookFormat)),
  events: Schema.optionalKey(Schema.NullOr(Schema.Array(WebhookEventType))),
  enabled: Schema.optionalKey(Schema.NullOr(Schema.Boolean))
}).annotate({ identifier: "WebhookEndpointUpdate" })
export type WebhookEndpointUpdate = typeof WebhookEndpointUpdate.Type

export const WebhookEvent = Schema.Struct({
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  last_http_code: Schema.NullOr(Schema.Int),
  /** null while the event is still being retried. */
  succeeded: Schema.NullOr(Schema.Boolean),
  skipped: Schema.Boolean,
  /** The JSON body sent (null before the first attempt). */
  payload: Schema.NullOr(Schema.String),
  type: WebhookEventType,
  is_archived: Schema.Boolean
}).annotate({ identifier: "WebhookEvent" })

export const WebhookDelivery = Schema.Struct({
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  succeeded: Schema.Boolean,
  http_code: Schema.NullOr(Schema.Int),
  response: Schema.NullOr(Schema.String),
  webhook_event: WebhookEvent
}).annotate({ identifier: "WebhookDelivery" })
export type WebhookDelivery = typeof WebhookDelivery.Type

export const WebhookEndpointList = ListResource(WebhookEndpoint, "WebhookEndpoint")
export const WebhookDeliveryList = ListResource(WebhookDelivery, "WebhookDelivery")

const many = <S extends Schema.Top>(item: S) => Schema.optionalKey(Schema.Array(item))

/** `GET /v1/webhooks/endpoints` query. */
export const WebhookEndpointListQuery = {
  organization_id: many(Uuid),
  page: Page,
  limit: Limit
}

/**
 * An instant in a query string, as the reference's `AwareDatetime`: RFC 3339 with a zone (`Z` or an offset, a naive
 * date-time is refused), documented as `format: date-time`.
 */
const QueryTimestamp = (description: string) =>
  Schema.String.annotate({ format: "date-time", description }).check(
    Schema.makeFilter((s: string) =>
      /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/u.test(s) && !Number.isNaN(Date.parse(s)), {
      expected: "a date-time with a time zone (RFC 3339), e.g. 2026-01-31T10:00:00Z"
    })
  ).pipe(
    Schema.decodeTo(Schema.DateTimeUtc, SchemaTransformation.transform({
      decode: (s) => DateTime.makeUnsafe(Date.parse(s)),
      encode: (dt) => DateTime.formatIso(dt)
    }))
  )

/** `GET /v1/webhooks/deliveries` query: the reference's filters, in its order (bounds of the time range excluded). */
export const WebhookDeliveryListQuery = {
  endpoint_id: many(Uuid),
  start_timestamp: Schema.optionalKey(QueryTimestamp("Filter deliveries after this timestamp.")),
  end_timestamp: Schema.optionalKey(QueryTimestamp("Filter deliveries before this timestamp.")),
  succeeded: Schema.optionalKey(Schema.Boolean),
  query: Schema.optionalKey(Schema.String.annotate({ description: "Query to filter webhook deliveries." })),
  http_code_class: Schema.optionalKey(Schema.Literals(httpCodeClasses).annotate({
    description: "Filter by HTTP response code class (2xx, 3xx, 4xx, 5xx)."
  })),
  event_type: many(WebhookEventType),
  page: Page,
  limit: Limit
}
