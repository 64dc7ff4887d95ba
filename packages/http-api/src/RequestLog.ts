/**
 * One structured log line per request, for operators: `http request` with the method, the route TEMPLATE (e.g.
 * `/v1/checkouts/client/:client_secret/confirm`, never the path itself, which carries client secrets), the status
 * that was sent, the duration to the response in milliseconds and a request id. The id is the caller's
 * `X-Request-Id` when it is a plain token (letters, digits, `.`, `_`, `:`, `-`, up to 128), else a fresh UUID; it is
 * echoed in the `X-Request-Id` response header and annotates every log line written while the request runs.
 *
 * It hooks the final response (a pre-response handler), so the line and the header cover every answer, whatever
 * middleware produced it (the edge's 404/413/500, a 429, a handler's). 5xx lines are at Error level, others Info.
 */
import { Effect, Layer } from "effect"
import { HttpEffect, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpApi } from "effect/http-api"
import { randomUUID } from "node:crypto"
import { Api } from "./Api.ts"

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
}

/** The request log as a global router middleware (merge it next to `Routes.layer`). */
export const layer = (options: Options = {}): Layer.Layer<never, never, HttpRouter.HttpRouter> => {
  const table = templates(options.extraRoutes)
  return HttpRouter.middleware((httpEffect) =>
    Effect.flatMap(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
      const incoming = request.headers[header]
      const requestId = incoming !== undefined && validId.test(incoming) ? incoming : randomUUID()
      const startedAt = performance.now()
      return HttpEffect.withPreResponseHandler(
        Effect.annotateLogs(httpEffect, "requestId", requestId),
        (_, response) => {
          const fields = {
            method: request.method,
            route: routeOf(table, request.url),
            status: response.status,
            durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
            requestId
          }
          const line = response.status >= 500 ? Effect.logError("http request") : Effect.logInfo("http request")
          return Effect.as(Effect.annotateLogs(line, fields), HttpServerResponse.setHeader(response, header, requestId))
        }
      )
    }), { global: true })
}
