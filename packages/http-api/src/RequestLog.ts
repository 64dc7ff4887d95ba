/**
 * One structured log line per request, for operators: `http request` with the method, the route TEMPLATE (e.g.
 * `/v1/checkouts/client/:client_secret/confirm`, never the path itself, which carries client secrets), the status
 * that was sent, the duration to the response in milliseconds and a request id. The id is the caller's
 * `X-Request-Id` when it is a plain token (letters, digits, `.`, `_`, `:`, `-`, up to 128), else a fresh UUID; it is
 * echoed in the `X-Request-Id` response header and annotates every log line written while the request runs.
 *
 * It hooks the final response (a pre-response handler), so the line and the header cover every answer, whatever
 * middleware produced it (the edge's 404/413/500, a 429, a handler's). 5xx lines are at Error level, others Info.
 *
 * With `telemetry: true` (the server turns it on when OpenTelemetry export is configured) it also opens the request's
 * server span, named `<METHOD> <route template>` (Effect's own server span is meant to be off then: it records the
 * URL path, which holds client secrets), and records the metrics `http.server.requests` (by method, route, status),
 * `http.server.request.duration` (milliseconds, by route) and `checkout.confirm.outcomes` (by outcome). Off, none of
 * that runs.
 */
import { Effect, Layer, Metric, Option } from "effect"
import { HttpEffect, HttpRouter, HttpServerResponse, HttpTraceContext } from "effect/http"
import { HttpApi } from "effect/http-api"
import { randomUUID } from "node:crypto"
import { Api } from "./Api.ts"
import { withRequest } from "./internal/CurrentRequest.ts"

export const header = "x-request-id"

interface Template {
  readonly template: string
  readonly pattern: RegExp
  /** More literal segments first, so `/v1/checkouts/client/:s` wins over `/v1/checkouts/:id`. */
  readonly literals: number
}

const trim = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path)

const compile = (template: string): Template => {
  const segments = trim(template).split("/")
  const pattern = new RegExp(
    `^${segments.map((s) => (s.startsWith(":") ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&"))).join("/")}$`,
    "u"
  )
  return { template, pattern, literals: segments.filter((s) => !s.startsWith(":")).length }
}

/** The API's path templates plus `extra` ones (the server's own routes), most specific first. */
export const templates = (extra: ReadonlyArray<string> = []): ReadonlyArray<Template> => {
  const paths = new Set<string>(extra)
  HttpApi.reflect(Api, { onGroup: () => {}, onEndpoint: ({ endpoint }) => void paths.add(endpoint.path) })
  return [...paths].map(compile).sort((a, b) => b.literals - a.literals)
}

/** The template a request path matches, or `(unmatched)` (the path itself is never logged). */
export const routeOf = (table: ReadonlyArray<Template>, url: string): string => {
  const q = url.search(/[?#]/u)
  const path = trim(q === -1 ? url : url.slice(0, q))
  return table.find((t) => t.pattern.test(path))?.template ?? "(unmatched)"
}

const validId = /^[\w.:-]{1,128}$/u

export interface Options {
  /** Routes the server adds beside the API (`/healthz`, `/readyz`, `/openapi.json`, a webhook path...). */
  readonly extraRoutes?: ReadonlyArray<string> | undefined
  /** Server span and metrics per request (default off). */
  readonly telemetry?: boolean | undefined
}

const requests = Metric.counter("http.server.requests", { description: "HTTP requests answered", incremental: true })
const duration = Metric.histogram("http.server.request.duration", {
  description: "Time to the response, in milliseconds",
  boundaries: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]
})
const confirmOutcomes = Metric.counter("checkout.confirm.outcomes", {
  description: "Confirm requests by outcome",
  incremental: true
})
const confirmRoute = /\/confirm$/u

/** What a confirm's status means, for the outcomes metric. */
export const confirmOutcome = (status: number): string => {
  switch (status) {
    case 200:
      return "confirmed"
    case 400:
      return "payment_failed"
    case 403:
      return "not_permitted_or_not_open"
    case 404:
      return "not_found"
    case 409:
      return "busy"
    case 410:
      return "expired"
    case 422:
      return "invalid"
    case 429:
      return "rate_limited"
    default:
      return status >= 500 ? "error" : `status_${status}`
  }
}

const record = (method: string, route: string, status: number, ms: number) =>
  Effect.all([
    Metric.update(Metric.withAttributes(requests, { method, route, status: String(status) }), 1),
    Metric.update(Metric.withAttributes(duration, { route }), ms),
    confirmRoute.test(route)
      ? Metric.update(Metric.withAttributes(confirmOutcomes, { outcome: confirmOutcome(status) }), 1)
      : Effect.void
  ], { discard: true })

/** The request log as a global router middleware (merge it next to `Routes.layer`). */
export const layer = (options: Options = {}): Layer.Layer<never, never, HttpRouter.HttpRouter> => {
  const table = templates(options.extraRoutes)
  const telemetry = options.telemetry === true
  return HttpRouter.middleware((httpEffect) =>
    withRequest((request) => {
      const incoming = request.headers[header]
      const requestId = incoming !== undefined && validId.test(incoming) ? incoming : randomUUID()
      const startedAt = performance.now()
      const route = routeOf(table, request.url)
      const handled = HttpEffect.withPreResponseHandler(
        Effect.annotateLogs(httpEffect, "requestId", requestId),
        (_, response) => {
          const ms = Math.round((performance.now() - startedAt) * 10) / 10
          const fields = { method: request.method, route, status: response.status, durationMs: ms, requestId }
          const line = response.status >= 500 ? Effect.logError("http request") : Effect.logInfo("http request")
          const logged = Effect.annotateLogs(line, fields)
          const answer = HttpServerResponse.setHeader(response, header, requestId)
          if (!telemetry) return Effect.as(logged, answer)
          return Effect.as(Effect.andThen(logged, record(request.method, route, response.status, ms)), answer)
        }
      )
      if (!telemetry) return handled
      return Effect.withSpan(
        // The router's edge has turned failures into answers by now: the status is the one sent.
        Effect.tap(handled, (response) => Effect.annotateCurrentSpan("http.response.status_code", response.status)),
        `${request.method} ${route}`,
        {
          kind: "server",
          // A caller's `traceparent` (or b3) makes this span a child of the caller's.
          parent: Option.getOrUndefined(HttpTraceContext.fromHeaders(request.headers)),
          attributes: { "http.request.method": request.method, "http.route": route, "request.id": requestId }
        }
      )
    }), { global: true })
}
