/**
 * Abuse limits at the edge, as the reference has them in production (polar `server/polar/rate_limit.py` on
 * asgi-ratelimit): confirm (`^/v1/checkouts/.+/confirm`) at most 6 a minute and 20 an hour per identity, then the
 * identity is blocked for 30 minutes; every other `/v1` route 500 a minute per identity. Rules are tried in order
 * and the first whose pattern matches the path applies (so a confirm counts in its own zone only); paths no rule
 * matches (`/healthz`, `/openapi.json`, ...) are never limited.
 *
 * Identity: the SHA-256 of the bearer token when one is sent (the reference hashes it too), else the client
 * address: the connection's peer, or what `X-Forwarded-For` says when the peer is one of the operator's trusted
 * proxies (the same `trustedProxies` option as `Routes.layer`). One deliberate difference: on the anonymous routes
 * (`/v1/checkouts/client/...`, the link redirect) the address is always the identity, because those routes never
 * read a token, and a made-up `Authorization` header must not buy a card tester a fresh allowance.
 *
 * A refused request is a 429 with `Retry-After` (seconds) and the API's error body
 * `{"error":"TooManyRequests","detail":...}` (asgi-ratelimit's own answer has an empty body); it never reaches a
 * handler, so neither the domain nor the payment processor sees it. The counters are the `RateLimitStore` port's:
 * per process in memory, shared by every process on PostgreSQL.
 */
import { RateLimitStore } from "@checkout-kit/domain"
import type { RateLimitRule } from "@checkout-kit/domain"
import { Effect, Layer, Option } from "effect"
import { type HttpMiddleware, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpMiddleware as Middleware } from "effect/http"
import { createHash } from "node:crypto"
import * as ResponseHeaders from "./ResponseHeaders.ts"

export interface PathRule {
  /** Matched against the request path (without the query string), like the reference's regexes. */
  readonly pattern: RegExp
  readonly rule: RateLimitRule
}

/** The reference's production rules for the routes this API has. */
export const productionRules: ReadonlyArray<PathRule> = [
  {
    pattern: /^\/v1\/checkouts\/.+\/confirm/u,
    rule: { zone: "checkout-confirm", windows: [{ seconds: 60, limit: 6 }, { seconds: 3600, limit: 20 }], blockSeconds: 1800 }
  },
  { pattern: /^\/v1/u, rule: { zone: "api", windows: [{ seconds: 60, limit: 500 }], blockSeconds: null } }
]

/** Routes that never read a bearer token: the identity there is always the client address. */
const anonymousPaths = /^\/v1\/(checkouts\/client\/|checkout-links\/[^/]+\/redirect)/u

export interface Options {
  /** Default `productionRules`. */
  readonly rules?: ReadonlyArray<PathRule> | undefined
  /** Proxies whose `X-Forwarded-For` names the client (as in `Routes.Options`); unset: the peer is the client. */
  readonly trustedProxies?: HttpMiddleware.TrustedProxyOptions["trustedProxies"] | undefined
}

const pathOf = (url: string): string => {
  const q = url.indexOf("?")
  return q === -1 ? url : url.slice(0, q)
}

const bearerToken = (authorization: string | undefined): string | undefined => {
  if (authorization === undefined) return undefined
  const match = /^\s*bearer\s+(\S+)\s*$/iu.exec(authorization)
  return match?.[1]
}

/** Who a request counts for: `token:<sha256 prefix>`, `ip:<address>`, or `anonymous` when neither is known. */
export const identityOf = (request: HttpServerRequest.HttpServerRequest, path: string = pathOf(request.url)): string => {
  const token = anonymousPaths.test(path) ? undefined : bearerToken(request.headers["authorization"])
  if (token !== undefined) return `token:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`
  return Option.match(request.remoteAddress, { onNone: () => "anonymous", onSome: (address) => `ip:${address}` })
}

/** The first rule whose pattern matches `path`, if any. */
export const ruleFor = (rules: ReadonlyArray<PathRule>, path: string): RateLimitRule | undefined =>
  rules.find((r) => r.pattern.test(path))?.rule

/** The 429 answer. */
export const tooManyRequests = (retryAfterSeconds: number): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(
    { error: "TooManyRequests", detail: `Too many requests. Retry after ${retryAfterSeconds} seconds.` },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } }
  )

/**
 * The limits as a global router middleware (merge it next to `Routes.layer`); it needs a `RateLimitStore`.
 * Place-independent: it resolves the client address itself and sets the security headers on its own answers.
 */
export const layer = (options: Options = {}): Layer.Layer<never, never, HttpRouter.HttpRouter | RateLimitStore> => {
  const rules = options.rules ?? productionRules
  const forwarded = options.trustedProxies === undefined
    ? undefined
    : Middleware.xForwardedHeaders({ trustedProxies: options.trustedProxies })
  return HttpRouter.middleware(
    Effect.map(Effect.service(RateLimitStore), (store) => (httpEffect) => {
      const limited = Effect.flatMap(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
        const path = pathOf(request.url)
        const rule = ruleFor(rules, path)
        if (rule === undefined) return httpEffect
        return Effect.flatMap(store.hit(identityOf(request, path), rule), (decision) =>
          decision._tag === "Allowed"
            ? httpEffect
            : Effect.succeed(ResponseHeaders.apply(request, tooManyRequests(decision.retryAfterSeconds))))
      })
      return forwarded === undefined ? limited : forwarded(limited)
    }),
    { global: true }
  )
}
