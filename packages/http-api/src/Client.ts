/**
 * Typed client for the contract, for tests, the e2e suite and services that call a checkout-kit server. It
 * validates payloads with the same schemas before sending, and needs the client half of `OrganizationAuth`
 * (`layerBearer`) for the organization endpoints.
 */
import { type Effect, flow } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { HttpApiClient, HttpApiMiddleware } from "effect/http-api"
import { Api } from "./Api.ts"
import { OrganizationAuth } from "./Auth.ts"

/** Sends `Authorization: Bearer <token>` on the organization endpoints. */
export const layerBearer = (token: string) =>
  HttpApiMiddleware.layerClient(OrganizationAuth, ({ next, request }) =>
    next(HttpClientRequest.bearerToken(request, token)))

/** A client for a server at `baseUrl` (e.g. `http://127.0.0.1:8000`). Needs an `HttpClient`. */
export const make = (baseUrl: string) =>
  HttpApiClient.make(Api, {
    transformClient: HttpClient.mapRequest(flow(HttpClientRequest.prependUrl(baseUrl)))
  })

export type Client = Effect.Success<ReturnType<typeof make>>
