/**
 * @checkout-kit/http-api — the Polar-compatible HTTP API. The contract: wire schemas (`Wire`), the `HttpApi`
 * definition (`Api`), error bodies (`Errors`), Bearer auth (`Auth`), the 422 mapping (`Validation`), the router-edge
 * guards (`Edge`) with the security headers they set (`ResponseHeaders`), a typed `Client`, and the seed file format
 * (`Seed`: the wire's shapes with defaults, decoded into domain values any store loads). The implementation:
 * `Routes.layer(options)` (everything a server mounts), built from `Handlers` over the domain services, with
 * `Requests`/`Responses`/`Failures` as the wire ↔ domain mapping. One namespace per module.
 */
export * as Api from "./Api.ts"
export * as Auth from "./Auth.ts"
export * as Client from "./Client.ts"
export * as Edge from "./Edge.ts"
export * as Errors from "./Errors.ts"
export * as Failures from "./Failures.ts"
export * as Handlers from "./Handlers.ts"
export * as OpenApiDocument from "./OpenApiDocument.ts"
export * as Requests from "./Requests.ts"
export * as ResponseHeaders from "./ResponseHeaders.ts"
export * as RateLimit from "./RateLimit.ts"
export * as RequestLog from "./RequestLog.ts"
export * as Responses from "./Responses.ts"
export * as Routes from "./Routes.ts"
export * as Seed from "./Seed.ts"
export * as Validation from "./Validation.ts"
export * as WebhookHandlers from "./WebhookHandlers.ts"
export * as WebhookPayload from "./WebhookPayload.ts"
export * as WebhooksApi from "./WebhooksApi.ts"
export * as WebhookWire from "./wire/Webhook.ts"
export * as Wire from "./wire/index.ts"
