/**
 * Organization-token authentication (spec §4.1). `OrganizationAuth` is a Bearer security middleware that provides
 * the `Caller` (organization and granted scopes) to handlers and fails with a 401 `Unauthorized`. Endpoints state
 * the scopes they accept with the `RequiredScopes` annotation (any one of them suffices, as in the reference); a
 * token without them gets the OAuth2 403 `insufficient_scope`.
 *
 * The token store is not known here: `layerOrganizationAuth(lookup)` builds the middleware from a lookup function
 * that the composition root wires to the domain.
 */
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import type { HttpApiEndpoint } from "effect/http-api"
import { InsufficientScope, Unauthorized, UnauthorizedResponse } from "./Errors.ts"

export interface CallerInfo {
  readonly organizationId: string
  readonly scopes: ReadonlySet<string>
}

/** The authenticated organization of the current request. */
export class Caller extends Context.Service<Caller, CallerInfo>()("@checkout-kit/http-api/Caller") {}

/** OAuth2 scopes of the checkout API. */
export const ApiScope = {
  checkoutsRead: "checkouts:read",
  checkoutsWrite: "checkouts:write",
  checkoutLinksRead: "checkout_links:read",
  checkoutLinksWrite: "checkout_links:write",
  webhooksRead: "webhooks:read",
  webhooksWrite: "webhooks:write"
} as const
export type ApiScope = typeof ApiScope[keyof typeof ApiScope]

/** Read endpoints accept either scope of the resource; writes need the write scope. */
export const scopesFor = {
  checkoutsRead: [ApiScope.checkoutsRead, ApiScope.checkoutsWrite],
  checkoutsWrite: [ApiScope.checkoutsWrite],
  checkoutLinksRead: [ApiScope.checkoutLinksRead, ApiScope.checkoutLinksWrite],
  checkoutLinksWrite: [ApiScope.checkoutLinksWrite],
  webhooksRead: [ApiScope.webhooksRead, ApiScope.webhooksWrite],
  webhooksWrite: [ApiScope.webhooksWrite]
} as const satisfies Record<string, ReadonlyArray<ApiScope>>

/** Endpoint annotation: the scopes of which the caller needs at least one. */
export class RequiredScopes extends Context.Service<RequiredScopes, ReadonlyArray<string>>()(
  "@checkout-kit/http-api/RequiredScopes"
) {}

/** Scopes an endpoint accepts; empty when it is not annotated. */
export const requiredScopes = (endpoint: HttpApiEndpoint.Top): ReadonlyArray<string> =>
  Context.getOrUndefined(endpoint.annotations, RequiredScopes) ?? []

/** True when `required` is empty or the caller holds one of its scopes. */
export const hasAnyScope = (caller: CallerInfo, required: ReadonlyArray<string>): boolean =>
  required.length === 0 || required.some((scope) => caller.scopes.has(scope))

/** For handlers that need a finer check than the endpoint annotation. */
export const requireScope = (...scopes: ReadonlyArray<string>): Effect.Effect<void, InsufficientScope, Caller> =>
  Effect.gen(function*() {
    const caller = yield* Caller
    if (!hasAnyScope(caller, scopes)) return yield* new InsufficientScope()
  })

/** Bearer middleware on the organization API. */
export class OrganizationAuth extends HttpApiMiddleware.Service<OrganizationAuth, { provides: Caller }>()(
  "@checkout-kit/http-api/OrganizationAuth",
  {
    security: { bearer: HttpApiSecurity.bearer },
    error: [UnauthorizedResponse, InsufficientScope],
    requiredForClient: true
  }
) {}

/**
 * Resolves a bearer token to its caller; `None` for unknown, expired or revoked tokens. The token stays `Redacted`
 * so that it cannot end up in a log line or a span by accident.
 */
export type TokenLookup = (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<CallerInfo>>

const refused = (error: Unauthorized | InsufficientScope): Effect.Effect<never, Unauthorized | InsufficientScope> =>
  Effect.fail(error)

/**
 * Server side of `OrganizationAuth`: looks the token up, enforces the endpoint's `RequiredScopes` and provides
 * `Caller`. A missing `Authorization` header reaches the lookup as an empty token and is refused without calling it.
 */
export const layerOrganizationAuth = (lookup: TokenLookup): Layer.Layer<OrganizationAuth> =>
  Layer.succeed(OrganizationAuth, {
    bearer: (httpEffect, { credential, endpoint }) =>
      Redacted.value(credential) === ""
        ? refused(new Unauthorized())
        : Effect.flatMap(lookup(credential), (caller): Effect.Effect<
          Effect.Success<typeof httpEffect>,
          Effect.Error<typeof httpEffect> | Unauthorized | InsufficientScope
        > =>
          Option.isNone(caller)
            ? refused(new Unauthorized())
            : !hasAnyScope(caller.value, requiredScopes(endpoint))
            ? refused(new InsufficientScope())
            : Effect.provideService(httpEffect, Caller, caller.value))
  })
