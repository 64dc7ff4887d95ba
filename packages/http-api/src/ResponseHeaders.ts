/**
 * Security headers on every response, set once at the router's edge (`Edge.layerEdge` applies them to whatever
 * answer leaves the router: a handler's, a 401/404/422, the edge's own 404/413/422/500, `/openapi.json`, routes a
 * server adds such as `/healthz`), never per handler:
 *
 * - `X-Content-Type-Options: nosniff` on every response (our addition: the reference sets it on its backoffice only);
 * - `Cache-Control: private, no-store`, the reference's value (its `CacheControlMiddleware`), on every response that
 *   does not set its own. On the checkout API (`/v1/checkouts/...`, org and client, and `/v1/checkout-links/...`,
 *   errors and the link redirect included) it is forced even over a response's own value: those bodies carry client
 *   secrets and buyer data (e-mail, name, address), and a client-secret URL must never sit in a shared or browser
 *   cache.
 */
import type { HttpServerRequest } from "effect/http"
import { HttpServerResponse } from "effect/http"

/** The reference's `Cache-Control` value. */
export const noStore = "private, no-store"

/** Path prefixes whose responses are never stored by a cache, whatever the response says. */
export const noStorePrefixes: ReadonlyArray<string> = ["/v1/checkouts", "/v1/checkout-links"]

const hasPrefix = (path: string, prefix: string): boolean =>
  path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === "/" || path[prefix.length] === "?")

/** Whether the response to a request for `url` (path and query) must not be stored, whatever it says itself. */
export const isCheckoutApi = (url: string): boolean => noStorePrefixes.some((prefix) => hasPrefix(url, prefix))

/** `response` with the headers every answer to `request` carries. */
export const apply = (
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  const withNosniff = HttpServerResponse.setHeader(response, "x-content-type-options", "nosniff")
  return response.headers["cache-control"] === undefined || isCheckoutApi(request.url)
    ? HttpServerResponse.setHeader(withNosniff, "cache-control", noStore)
    : withNosniff
}
