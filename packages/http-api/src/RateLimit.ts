/**
 * Abuse limits at the edge, as the reference has them in production (polar `server/polar/rate_limit.py` on
 * asgi-ratelimit): confirm (`^/v1/checkouts/.+/confirm`) at most 6 a minute and 20 an hour per identity, then the
 * identity is blocked for 30 minutes; every other `/v1` route 500 a minute per identity. Rules are tried in order
 * and the first whose pattern matches the path applies (so a confirm counts in its own zone only); paths no rule
 * matches (`/healthz`, `/openapi.json`, ...) are never limited.
 *
 * Identity, as the reference's `rate_limit.py` keys it (the authenticated subject, else the client address):
 * - a bearer token that authenticates counts for its ORGANIZATION (`org:<id>`): every token of one organization
 *   shares one allowance, as the reference's `organization:<id>` subject does;
 * - no token, or one that does not authenticate (made up, revoked), counts for the client address (`ip:<addr>`):
 *   the reference's anonymous subject. So random tokens cannot multiply an attacker's allowance: they all draw on
 *   the address's. (The reference answers an unknown token 401 before its limiter; here it is counted first, under
 *   the address, then the route answers 401: the attacker gets no more requests either way.)
 * The address is the connection's peer, or what `X-Forwarded-For` says when the peer is one of the operator's
 * trusted proxies (the same `trustedProxies` option as `Routes.layer`). On the anonymous routes
 * (`/v1/checkouts/client/...`, the link redirect) the token is not even looked up: those routes never read one.
 * Tokens that authenticated are remembered for a minute (by SHA-256, at most 10,000), so an API client's requests
 * cost one token lookup a minute here, not one each.
 *
 * A refused request is a 429 with `Retry-After` (seconds) and the API's error body
 * `{"error":"TooManyRequests","detail":...}` (asgi-ratelimit's own answer has an empty body); it never reaches a
 * handler, so neither the domain nor the payment processor sees it. The counters are the `RateLimitStore` port's:
 * per process in memory, shared by every process on PostgreSQL.
 */
import { Organizations, RateLimitStore } from "@checkout-kit/domain"
import type { RateLimitRule } from "@checkout-kit/domain"
import { Effect, Layer, Option, Redacted } from "effect"
import { type HttpMiddleware, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpMiddleware as Middleware } from "effect/http"
import { createHash } from "node:crypto"
import * as ResponseHeaders from "./ResponseHeaders.ts"
import { withRequest } from "./internal/CurrentRequest.ts"

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

const addressOf = (request: HttpServerRequest.HttpServerRequest): string =>
  Option.match(request.remoteAddress, { onNone: () => "anonymous", onSome: (address) => `ip:${address}` })

const tokenTtlMs = 60_000
const tokenCacheSize = 10_000

/**
 * Who requests count for: `org:<organization id>` for a token that authenticates, else `ip:<address>` (or
 * `anonymous` when the address is unknown). `authenticate` is the `Organizations` port's.
 */
export const makeIdentity = (authenticate: Organizations["Service"]["authenticate"]) => {
  // SHA-256 of a token that authenticated -> its organization, until `expires` (ms).
  const known = new Map<string, { readonly organizationId: string; readonly expires: number }>()
  return (request: HttpServerRequest.HttpServerRequest, path: string = pathOf(request.url)): Effect.Effect<string> => {
    const token = anonymousPaths.test(path) ? undefined : bearerToken(request.headers["authorization"])
    if (token === undefined) return Effect.succeed(addressOf(request))
    const hash = createHash("sha256").update(token).digest("hex")
    const now = Date.now()
    const hit = known.get(hash)
    if (hit !== undefined && hit.expires > now) return Effect.succeed(`org:${hit.organizationId}`)
    return Effect.map(authenticate(Redacted.make(token)), (grant) => {
      if (Option.isNone(grant)) return addressOf(request)
      if (known.size >= tokenCacheSize) known.clear()
      known.set(hash, { organizationId: grant.value.organizationId, expires: now + tokenTtlMs })
      return `org:${grant.value.organizationId}`
    })
  }
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
 * The limits as a global router middleware (merge it next to `Routes.layer`); it needs a `RateLimitStore` and the
 * `Organizations` port (to tell a real token from a made-up one).
 * Place-independent: it resolves the client address itself and sets the security headers on its own answers.
 */
export const layer = (
  options: Options = {}
): Layer.Layer<never, never, HttpRouter.HttpRouter | RateLimitStore | Organizations> => {
  const rules = options.rules ?? productionRules
  const forwarded = options.trustedProxies === undefined
    ? undefined
    : Middleware.xForwardedHeaders({ trustedProxies: options.trustedProxies })
  return HttpRouter.middleware(
    Effect.map(Effect.all([Effect.service(RateLimitStore), Effect.service(Organizations)]), ([store, organizations]) => {
      const identityOf = makeIdentity(organizations.authenticate)
      return (httpEffect) => {
        const limited = withRequest((request) => {
          const path = pathOf(request.url)
          const rule = ruleFor(rules, path)
          if (rule === undefined) return httpEffect
          return identityOf(request, path).pipe(
            Effect.flatMap((identity) => store.hit(identity, rule)),
            Effect.flatMap((decision) =>
              decision._tag === "Allowed"
                ? httpEffect
                : Effect.succeed(ResponseHeaders.apply(request, tooManyRequests(decision.retryAfterSeconds))))
          )
        })
        return forwarded === undefined ? limited : forwarded(limited)
      }
    }),
    { global: true }
  )
}
