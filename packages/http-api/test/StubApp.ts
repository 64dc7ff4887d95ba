/**
 * The API served by stub handlers that answer fixed wire objects (and record what they were given), behind the
 * real middlewares: `RequestValidation`, `OrganizationAuth` (static tokens) and the router `Edge`.
 */
import { Effect, Layer, Option, Redacted } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { HttpApiBuilder, HttpApiSchema } from "effect/http-api"
import { Api } from "../src/Api.ts"
import { type CallerInfo, Caller, layerOrganizationAuth } from "../src/Auth.ts"
import { layerEdge } from "../src/Edge.ts"
import { ResourceNotFound } from "../src/Errors.ts"
import { layerRequestValidation } from "../src/Validation.ts"
import { makePagination } from "../src/wire/ListResource.ts"
import * as Fixtures from "./Fixtures.ts"

export const tokens: Record<string, CallerInfo> = {
  "tok-all": {
    organizationId: Fixtures.ids.organization,
    scopes: new Set(["checkouts:write", "checkout_links:write"])
  },
  "tok-read": {
    organizationId: Fixtures.ids.organization,
    scopes: new Set(["checkouts:read", "checkout_links:read"])
  }
}

/** The last decoded request each stub saw, keyed `group.endpoint`. */
export const seen = new Map<string, unknown>()

const record = (key: string, value: unknown) => Effect.sync(() => void seen.set(key, value))

/** Any id other than the fixture's is unknown. */
const find = <A>(id: string, expected: string, value: A) =>
  id === expected ? Effect.succeed(value) : Effect.fail(new ResourceNotFound())

const Checkouts = HttpApiBuilder.group(Api, "checkouts", (handlers) =>
  handlers
    .handle("list", ({ query }) =>
      Effect.gen(function*() {
        const caller = yield* Caller
        yield* record("checkouts.list", { query, caller: caller.organizationId })
        return { items: [Fixtures.checkout], pagination: makePagination(1, query.limit) }
      }))
    .handle("get", ({ params }) => find(params.id, Fixtures.ids.checkout, Fixtures.checkout))
    .handle("create", ({ payload }) => Effect.as(record("checkouts.create", payload), Fixtures.checkout))
    .handle("update", ({ params, payload }) =>
      Effect.andThen(record("checkouts.update", payload), find(params.id, Fixtures.ids.checkout, Fixtures.checkout))))

const CheckoutsClient = HttpApiBuilder.group(Api, "checkoutsClient", (handlers) =>
  handlers
    .handle("get", ({ params }) => find(params.client_secret, Fixtures.checkout.client_secret, Fixtures.checkoutPublic))
    .handle("update", ({ params, payload }) =>
      Effect.andThen(
        record("checkoutsClient.update", payload),
        find(params.client_secret, Fixtures.checkout.client_secret, Fixtures.checkoutPublic)
      ))
    .handle("confirm", ({ params, payload }) =>
      Effect.andThen(
        record("checkoutsClient.confirm", payload),
        find(params.client_secret, Fixtures.checkout.client_secret, Fixtures.checkoutConfirmed)
      )))

const CheckoutLinks = HttpApiBuilder.group(Api, "checkoutLinks", (handlers) =>
  handlers
    .handle("list", ({ query }) =>
      Effect.as(record("checkoutLinks.list", query), {
        items: [Fixtures.checkoutLink],
        pagination: makePagination(1, query.limit)
      }))
    .handle("get", ({ params }) => find(params.id, Fixtures.ids.link, Fixtures.checkoutLink))
    .handle("create", ({ payload }) => Effect.as(record("checkoutLinks.create", payload), Fixtures.checkoutLink))
    .handle("update", ({ params, payload }) =>
      Effect.andThen(record("checkoutLinks.update", payload), find(params.id, Fixtures.ids.link, Fixtures.checkoutLink)))
    .handle("delete", ({ params }) => Effect.asVoid(find(params.id, Fixtures.ids.link, undefined))))

const CheckoutLinkRedirect = HttpApiBuilder.group(Api, "checkoutLinkRedirect", (handlers) =>
  handlers.handle("redirect", ({ params, query }) =>
    Effect.andThen(
      record("checkoutLinkRedirect.redirect", query),
      Effect.map(find(params.client_secret, Fixtures.checkoutLink.client_secret, Fixtures.checkout), (checkout) =>
        HttpApiSchema.withHeaders({ body: undefined, headers: { location: checkout.url } }))
    )))

/** Webhooks are not part of the stubbed contract tests: every id is unknown, every list empty. */
const notFound = Effect.fail(new ResourceNotFound())
const emptyList = Effect.succeed({ items: [], pagination: { total_count: 0, max_page: 0 } })
const Webhooks = HttpApiBuilder.group(Api, "webhooks", (handlers) =>
  handlers
    .handle("listEndpoints", () => emptyList)
    .handle("createEndpoint", () => Effect.die("webhooks are not stubbed"))
    .handle("getEndpoint", () => notFound)
    .handle("updateEndpoint", () => notFound)
    .handle("deleteEndpoint", () => notFound)
    .handle("resetSecret", () => notFound)
    .handle("listDeliveries", () => emptyList)
    .handle("redeliver", () => notFound))

export const Handlers = Layer.mergeAll(Checkouts, CheckoutsClient, CheckoutLinks, CheckoutLinkRedirect, Webhooks)

export const Middlewares = Layer.mergeAll(
  layerOrganizationAuth((token) => Effect.succeed(Option.fromNullishOr(tokens[Redacted.value(token)]))),
  layerRequestValidation
)

/** Routes, OpenAPI JSON and the edge guards, with a small body limit to exercise 413. */
export const Routes = Layer.mergeAll(
  HttpApiBuilder.layer(Api, { openapiPath: "/openapi.json" }).pipe(
    Layer.provide(Handlers),
    Layer.provide(Middlewares)
  ),
  layerEdge({ maxBodyBytes: 16 * 1024 })
)

export const makeWebHandler = () =>
  HttpRouter.toWebHandler(Routes.pipe(Layer.provide(HttpServer.layerServices)), { disableLogger: true })
