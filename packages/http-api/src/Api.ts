/**
 * The HTTP contract of checkout-kit, wire-compatible with Polar's public checkout API (paths, methods, statuses
 * and bodies of `spec/polar-openapi-checkout.json`). Definitions only: no server code, so a typed client can
 * import it alone. Handlers live elsewhere and are built with `HttpApiBuilder.group(Api, "<group>", ...)`.
 *
 * Groups:
 * - `checkouts`: organization API, Bearer token (`OrganizationAuth`).
 * - `checkoutsClient`: buyer API addressed by client secret, no credentials.
 * - `checkoutLinks`: organization API for links.
 * - `webhooks`: webhook endpoints and deliveries (`WebhooksApi`), organization token.
 * - `checkoutLinkRedirect`: opening a link, no credentials. Modelled as an endpoint (not a raw route) so that it
 *   shares validation, error bodies and OpenAPI with the rest; it answers 307 with a `Location` header.
 *
 * Collection paths are declared with the trailing slash the official SDK sends (`/v1/checkouts/`); the router
 * ignores trailing slashes by default (`RouterConfig.ignoreTrailingSlash`), so `/v1/checkouts` matches too.
 * Path ids are UUIDs (a malformed one is a 422 at `["path","id"]`).
 */
import { Schema } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { OrganizationAuth, RequiredScopes, scopesFor } from "./Auth.ts"
import {
  AlreadyActiveSubscriptionError,
  CheckoutCustomerDeleted,
  CheckoutCustomerExternalIdMismatch,
  CheckoutLocked,
  DiscountRedemptionLimitReached,
  EmbedHostNotAllowed,
  ExpiredCheckoutError,
  InternalServerError,
  NotOpenCheckout,
  NotPermitted,
  PaymentError,
  PaymentNotReady,
  PaymentOutcomeUnknown,
  PaymentProcessorUnavailable,
  ResourceNotFound,
  TrialAlreadyRedeemed
} from "./Errors.ts"
import { RequestValidation } from "./Validation.ts"
import { Checkout, CheckoutPublic, CheckoutPublicConfirmed } from "./wire/Checkout.ts"
import { CheckoutCreate, CheckoutUpdate, CheckoutConfirmStripe, CheckoutUpdatePublic } from "./wire/CheckoutInput.ts"
import { CheckoutLink } from "./wire/CheckoutLink.ts"
import { CheckoutLinkCreate, CheckoutLinkUpdate } from "./wire/CheckoutLinkInput.ts"
import { CheckoutLinkListQuery, CheckoutLinkRedirectQuery, CheckoutListQuery } from "./wire/ListQuery.ts"
import { ListResource } from "./wire/ListResource.ts"
import { Uuid } from "./wire/Scalars.ts"
import { WebhooksGroup } from "./WebhooksApi.ts"

const IdParams = { id: Uuid }
const ClientSecretParams = { client_secret: Schema.String }

/** The 403s of a checkout mutation (the contract's `CheckoutForbiddenError`), plus a blocked organization. */
const checkoutForbidden = [
  NotOpenCheckout,
  AlreadyActiveSubscriptionError,
  PaymentNotReady,
  TrialAlreadyRedeemed,
  DiscountRedemptionLimitReached,
  NotPermitted
] as const

const operation = (identifier: string) => OpenApi.annotations({ identifier })

export const CheckoutList = ListResource(Checkout, "Checkout")
export const CheckoutLinkList = ListResource(CheckoutLink, "CheckoutLink")

/** `/v1/checkouts/*` with an organization token. */
export class CheckoutsGroup extends HttpApiGroup.make("checkouts")
  .add(
    HttpApiEndpoint.get("list", "/v1/checkouts/", {
      query: CheckoutListQuery,
      success: CheckoutList
    }).annotate(RequiredScopes, scopesFor.checkoutsRead).annotateMerge(operation("checkouts:list")),
    HttpApiEndpoint.get("get", "/v1/checkouts/:id", {
      params: IdParams,
      success: Checkout,
      error: [ResourceNotFound, NotPermitted]
    }).annotate(RequiredScopes, scopesFor.checkoutsRead).annotateMerge(operation("checkouts:get")),
    HttpApiEndpoint.post("create", "/v1/checkouts/", {
      payload: CheckoutCreate,
      success: Checkout.pipe(HttpApiSchema.status(201)),
      error: [NotPermitted, InternalServerError]
    }).annotate(RequiredScopes, scopesFor.checkoutsWrite).annotateMerge(operation("checkouts:create")),
    HttpApiEndpoint.patch("update", "/v1/checkouts/:id", {
      params: IdParams,
      payload: CheckoutUpdate,
      success: Checkout,
      error: [ResourceNotFound, ...checkoutForbidden, CheckoutLocked, InternalServerError]
    }).annotate(RequiredScopes, scopesFor.checkoutsWrite).annotateMerge(operation("checkouts:update"))
  )
  .middleware(OrganizationAuth)
  .annotateMerge(OpenApi.annotations({ title: "checkouts", description: "Checkout sessions (organization API)." }))
{}

/** `/v1/checkouts/client/*`: the buyer's side, addressed by the client secret. */
export class CheckoutsClientGroup extends HttpApiGroup.make("checkoutsClient")
  .add(
    HttpApiEndpoint.get("get", "/v1/checkouts/client/:client_secret", {
      params: ClientSecretParams,
      success: CheckoutPublic,
      error: [ResourceNotFound, ExpiredCheckoutError, NotPermitted]
    }).annotateMerge(operation("checkouts:client_get")),
    HttpApiEndpoint.patch("update", "/v1/checkouts/client/:client_secret", {
      params: ClientSecretParams,
      payload: CheckoutUpdatePublic,
      success: CheckoutPublic,
      error: [ResourceNotFound, ExpiredCheckoutError, ...checkoutForbidden, CheckoutLocked, InternalServerError]
    }).annotateMerge(operation("checkouts:client_update")),
    HttpApiEndpoint.post("confirm", "/v1/checkouts/client/:client_secret/confirm", {
      params: ClientSecretParams,
      payload: CheckoutConfirmStripe,
      success: CheckoutPublicConfirmed,
      error: [
        PaymentError,
        ResourceNotFound,
        ExpiredCheckoutError,
        ...checkoutForbidden,
        CheckoutLocked,
        CheckoutCustomerDeleted,
        CheckoutCustomerExternalIdMismatch,
        PaymentOutcomeUnknown,
        PaymentProcessorUnavailable,
        InternalServerError
      ]
    }).annotateMerge(operation("checkouts:client_confirm"))
  )
  .annotateMerge(OpenApi.annotations({ title: "checkouts (client)", description: "Checkout sessions (buyer API)." }))
{}

/** `/v1/checkout-links/*` with an organization token. */
export class CheckoutLinksGroup extends HttpApiGroup.make("checkoutLinks")
  .add(
    HttpApiEndpoint.get("list", "/v1/checkout-links/", {
      query: CheckoutLinkListQuery,
      success: CheckoutLinkList
    }).annotate(RequiredScopes, scopesFor.checkoutLinksRead).annotateMerge(operation("checkout-links:list")),
    HttpApiEndpoint.get("get", "/v1/checkout-links/:id", {
      params: IdParams,
      success: CheckoutLink,
      error: ResourceNotFound
    }).annotate(RequiredScopes, scopesFor.checkoutLinksRead).annotateMerge(operation("checkout-links:get")),
    HttpApiEndpoint.post("create", "/v1/checkout-links/", {
      payload: CheckoutLinkCreate,
      success: CheckoutLink.pipe(HttpApiSchema.status(201)),
      error: NotPermitted
    }).annotate(RequiredScopes, scopesFor.checkoutLinksWrite).annotateMerge(operation("checkout-links:create")),
    HttpApiEndpoint.patch("update", "/v1/checkout-links/:id", {
      params: IdParams,
      payload: CheckoutLinkUpdate,
      success: CheckoutLink,
      error: [ResourceNotFound, NotPermitted, CheckoutLocked]
    }).annotate(RequiredScopes, scopesFor.checkoutLinksWrite).annotateMerge(operation("checkout-links:update")),
    HttpApiEndpoint.delete("delete", "/v1/checkout-links/:id", {
      params: IdParams,
      success: HttpApiSchema.NoContent,
      error: [ResourceNotFound, NotPermitted, CheckoutLocked]
    }).annotate(RequiredScopes, scopesFor.checkoutLinksWrite).annotateMerge(operation("checkout-links:delete"))
  )
  .middleware(OrganizationAuth)
  .annotateMerge(OpenApi.annotations({ title: "checkout-links", description: "Checkout links (organization API)." }))
{}

/** 307 with the URL of the checkout just opened. */
export const RedirectResponse = HttpApiSchema.WithHeaders(HttpApiSchema.Empty(307), { location: Schema.String })

/**
 * `GET /v1/checkout-links/:client_secret/redirect`: opens a checkout from a link and redirects to it. Hidden from
 * the reference OpenAPI; kept visible here. Handlers return
 * `HttpApiSchema.withHeaders({ body: undefined, headers: { location } })`.
 */
export class CheckoutLinkRedirectGroup extends HttpApiGroup.make("checkoutLinkRedirect")
  .add(
    HttpApiEndpoint.get("redirect", "/v1/checkout-links/:client_secret/redirect", {
      params: ClientSecretParams,
      query: CheckoutLinkRedirectQuery,
      success: RedirectResponse,
      error: [ResourceNotFound, EmbedHostNotAllowed, InternalServerError]
    }).annotateMerge(operation("checkout-links:redirect"))
  )
  .annotateMerge(OpenApi.annotations({ title: "checkout-links (redirect)", description: "Opening a checkout link." }))
{}

/**
 * The whole API. Request decoding reports every issue, with the offending input, as FastAPI does: bodies, path and
 * query are decoded in the default first-issue mode, and a failed one is decoded once more in all-issues mode by the
 * 422 translation (internal/SchemaIssues.ts `everyIssue`), which keeps valid requests on the struct parser's fast
 * path.
 */
export class Api extends HttpApi.make("checkout-kit")
  .add(CheckoutsGroup)
  .add(CheckoutsClientGroup)
  .add(CheckoutLinksGroup)
  .add(CheckoutLinkRedirectGroup)
  .add(WebhooksGroup)
  .middleware(RequestValidation)
  .annotate(HttpApi.PayloadParseOptions, { reportInput: true })
  .annotate(HttpApi.ParamsParseOptions, { reportInput: true })
  .annotate(HttpApi.QueryParseOptions, { reportInput: true })
  .annotateMerge(OpenApi.annotations({
    title: "checkout-kit",
    version: "2026-04",
    description: "Polar-compatible checkout API (checkouts and checkout links)."
  }))
{}
