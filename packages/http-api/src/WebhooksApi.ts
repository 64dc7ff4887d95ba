/**
 * The reference's webhook API as an HttpApi group (`/v1/webhooks/*`, organization token, scopes `webhooks:read` /
 * `webhooks:write`): endpoints (create, list, get, update, delete, reset the secret), the delivery log and
 * redelivery of an event. Definitions only; handlers are in `WebhookHandlers`.
 */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { OrganizationAuth, RequiredScopes, scopesFor } from "./Auth.ts"
import { ResourceNotFound } from "./Errors.ts"
import { Uuid } from "./wire/Scalars.ts"
import {
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointList,
  WebhookEndpointListQuery,
  WebhookEndpointUpdate
} from "./wire/Webhook.ts"

const IdParams = { id: Uuid }
const operation = (identifier: string) => OpenApi.annotations({ identifier })

export class WebhooksGroup extends HttpApiGroup.make("webhooks")
  .add(
    HttpApiEndpoint.get("listEndpoints", "/v1/webhooks/endpoints", {
      query: WebhookEndpointListQuery,
      success: WebhookEndpointList
    }).annotate(RequiredScopes, scopesFor.webhooksRead).annotateMerge(operation("webhooks:list_webhook_endpoints")),
    HttpApiEndpoint.post("createEndpoint", "/v1/webhooks/endpoints", {
      payload: WebhookEndpointCreate,
      success: WebhookEndpoint.pipe(HttpApiSchema.status(201))
    }).annotate(RequiredScopes, scopesFor.webhooksWrite).annotateMerge(operation("webhooks:create_webhook_endpoint")),
    HttpApiEndpoint.get("getEndpoint", "/v1/webhooks/endpoints/:id", {
      params: IdParams,
      success: WebhookEndpoint,
      error: ResourceNotFound
    }).annotate(RequiredScopes, scopesFor.webhooksRead).annotateMerge(operation("webhooks:get_webhook_endpoint")),
    HttpApiEndpoint.patch("updateEndpoint", "/v1/webhooks/endpoints/:id", {
      params: IdParams,
      payload: WebhookEndpointUpdate,
      success: WebhookEndpoint,
      error: ResourceNotFound
    }).annotate(RequiredScopes, scopesFor.webhooksWrite).annotateMerge(operation("webhooks:update_webhook_endpoint")),
    HttpApiEndpoint.delete("deleteEndpoint", "/v1/webhooks/endpoints/:id", {
      params: IdParams,
      success: HttpApiSchema.NoContent,
      error: ResourceNotFound
    }).annotate(RequiredScopes, scopesFor.webhooksWrite).annotateMerge(operation("webhooks:delete_webhook_endpoint")),
    HttpApiEndpoint.patch("resetSecret", "/v1/webhooks/endpoints/:id/secret", {
      params: IdParams,
      success: WebhookEndpoint,
      error: ResourceNotFound
    }).annotate(RequiredScopes, scopesFor.webhooksWrite).annotateMerge(operation("webhooks:reset_webhook_endpoint_secret")),
    HttpApiEndpoint.get("listDeliveries", "/v1/webhooks/deliveries", {
      query: WebhookDeliveryListQuery,
      success: WebhookDeliveryList
    }).annotate(RequiredScopes, scopesFor.webhooksRead).annotateMerge(operation("webhooks:list_webhook_deliveries")),
    HttpApiEndpoint.post("redeliver", "/v1/webhooks/events/:id/redeliver", {
      params: IdParams,
      success: Schema.Null.pipe(HttpApiSchema.status(202)),
      error: ResourceNotFound
    }).annotate(RequiredScopes, scopesFor.webhooksWrite).annotateMerge(operation("webhooks:redeliver_webhook_event"))
  )
  .middleware(OrganizationAuth)
  .annotateMerge(OpenApi.annotations({ title: "webhooks", description: "Webhook endpoints and deliveries (organization API)." }))
{}
