/**
 * Wire schemas of the reference's webhook API (`server/polar/webhook/schemas.py`, SDK `WebhookEndpoint`,
 * `WebhookEndpointCreate`, `WebhookEndpointUpdate`, `WebhookDelivery`, `WebhookEvent`): snake_case, the reference's
 * field order. The URL rule (https, or http/private when the server allows it) depends on server settings and is the
 * domain's; these schemas check shapes and enums.
 */
import { WebhookEndpoint as Domain } from "@checkout-kit/domain"
import { Schema } from "effect"
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

/** `GET /v1/webhooks/deliveries` query (the reference's time range, text and status-class filters are not supported). */
export const WebhookDeliveryListQuery = {
  endpoint_id: many(Uuid),
  succeeded: Schema.optionalKey(Schema.Boolean),
  event_type: many(WebhookEventType),
  page: Page,
  limit: Limit
}
