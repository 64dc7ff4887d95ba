/**
 * The handlers of the contract (`Api`): thin adapters that take the decoded request, map it to a domain input
 * (`Requests`), call `CheckoutService` / `CheckoutLinkService`, and map the answer (`Responses`) or the failure
 * (`Failures`) back to the wire. HttpApi decodes every request with the endpoint's schemas and encodes every answer
 * with its success schema; handlers see and return typed wire values only. No business rule lives here; the only lookups are the ones a checkout-link
 * response needs (its products, discount and the organization's default currency), read from the catalog.
 *
 * `layerAuth` wires `OrganizationAuth` to the `Organizations` port, which compares token digests.
 */
import {
  Catalog,
  CheckoutConfig,
  CheckoutLinkService,
  CheckoutService,
  type CheckoutLink,
  type CheckoutView,
  Organizations,
  type WebhookService
} from "@checkout-kit/domain"
import { Array as Arr, Effect, Layer, Option } from "effect"
import type { HttpServerRequest } from "effect/http"
import { HttpApiBuilder, HttpApiSchema } from "effect/http-api"
import { Api } from "./Api.ts"
import { Caller, layerOrganizationAuth, type OrganizationAuth } from "./Auth.ts"
import { toHttp } from "./Failures.ts"
import * as JsonEncoder from "./internal/JsonEncoder.ts"
import * as LinkRedirect from "./LinkRedirect.ts"
import * as Requests from "./Requests.ts"
import * as Responses from "./Responses.ts"
import * as WebhookHandlers from "./WebhookHandlers.ts"
import * as Wire from "./wire/index.ts"
import { makePagination } from "./wire/ListResource.ts"

export interface Options {
  /**
   * Public base URL of this API, used in a link's `url` (`{base}/v1/checkout-links/{secret}/redirect`). Default: the
   * domain's `CheckoutConfig.Urls.frontendBaseUrl`, read per request.
   */
  readonly linkBaseUrl?: string | undefined
}

/** The domain services the handlers call. */
export type Services =
  | CheckoutService.CheckoutService
  | CheckoutLinkService.CheckoutLinkService
  | Catalog
  | Organizations
  | WebhookService.WebhookService

/**
 * The authenticated caller, as the use cases take it (they read its `organizationId`): the service itself, not a
 * copy. Handlers that make one call use `Caller.use(f)` (one fiber step; `flatMap(caller, f)` takes three), and
 * `Effect.flatMapEager` over `Requests`' answers, which are already settled: the organization API's hot paths.
 */
const caller = Effect.service(Caller)

/** `OrganizationAuth` over the `Organizations` port: unknown tokens are a 401, the grant's scopes are checked per endpoint. */
export const layerAuth: Layer.Layer<OrganizationAuth, never, Organizations> = Layer.unwrap(
  Effect.gen(function*() {
    const organizations = yield* Organizations
    // A grant is a `CallerInfo` (organization and scopes): handed on as it is.
    return layerOrganizationAuth((token) => organizations.authenticate(token))
  })
)

/**
 * The checkout bodies (the large answers of the hot endpoints) are written by the encoder compiled from their
 * success schemas (`internal/JsonEncoder`): the same bytes as HttpApi's encoding of the same values, at a fraction
 * of the cost (docs/benchmarks.md, "HTTP server"). The reads keep their answer per view
 * (`JsonEncoder.rememberedAnswers`): the domain gives the same view object for an unchanged checkout read again, whose
 * body is then not written again. A write answers with a new view, so its body is written without being kept. Every
 * other body is encoded by HttpApi.
 */
const checkoutBody = JsonEncoder.response(Wire.Checkout)
const createdBody = JsonEncoder.response(Wire.Checkout, 201)
const checkoutPublicBody = JsonEncoder.response(Wire.CheckoutPublic)
const confirmedBody = JsonEncoder.response(Wire.CheckoutPublicConfirmed)
const checkoutAnswer = (view: CheckoutView.CheckoutView) => checkoutBody(Responses.checkout(view))
const created = (view: CheckoutView.CheckoutView) => createdBody(Responses.checkout(view))
const checkoutPublicAnswer = (view: CheckoutView.CheckoutView) => checkoutPublicBody(Responses.checkoutPublic(view))
const confirmed = (view: CheckoutView.CheckoutView) => confirmedBody(Responses.checkoutPublicConfirmed(view))
const checkoutRead = JsonEncoder.rememberedAnswers(checkoutAnswer)
const checkoutPublicRead = JsonEncoder.rememberedAnswers(checkoutPublicAnswer)

const checkouts = HttpApiBuilder.group(
  Api,
  "checkouts",
  Effect.fnUntraced(function*(handlers) {
    const service = yield* CheckoutService.CheckoutService
    return handlers
      .handle("list", ({ query }) =>
        Effect.gen(function*() {
          const page = yield* service.list(yield* caller, Requests.checkoutList(query))
          return {
            items: page.items.map(Responses.checkout),
            pagination: makePagination(page.totalCount, query.limit)
          }
        }))
      .handle("get", ({ params }) =>
        toHttp(Caller.use((c) => service.get(c, params.id))).pipe(Effect.map(checkoutRead)))
      .handle("create", ({ payload }) =>
        toHttp(Effect.flatMapEager(
          Requests.checkoutCreate(payload),
          (input) => Caller.use((c) => service.create(c, input))
        )).pipe(Effect.map(created)))
      .handle("update", ({ params, payload }) =>
        toHttp(Effect.gen(function*() {
          const input = yield* Requests.checkoutUpdate(payload)
          return yield* service.update(yield* caller, params.id, input)
        })).pipe(Effect.map(checkoutAnswer)))
  })
)

const checkoutsClient = HttpApiBuilder.group(
  Api,
  "checkoutsClient",
  Effect.fnUntraced(function*(handlers) {
    const service = yield* CheckoutService.CheckoutService
    return handlers
      .handle("get", ({ params }) =>
        toHttp(service.clientGet(params.client_secret)).pipe(Effect.map(checkoutPublicRead)))
      .handle("update", ({ params, payload }) =>
        toHttp(Effect.flatMapEager(
          Requests.checkoutClientUpdate(payload),
          (input) => service.clientUpdate(params.client_secret, input)
        )).pipe(Effect.map(checkoutPublicAnswer)))
      .handle("confirm", ({ params, payload }) =>
        toHttp(Effect.flatMapEager(
          Requests.checkoutConfirm(payload),
          (input) => service.confirm(params.client_secret, input)
        )).pipe(Effect.map(confirmed)))
  })
)

/** Loads what a link's representation embeds: its products (link order), its discount, the organization's currency. */
const linkContext = (options: Options) =>
  Effect.fnUntraced(function*(link: CheckoutLink.CheckoutLink) {
    const catalog = yield* Catalog
    const organizations = yield* Organizations
    const products = Arr.getSomes(yield* Effect.forEach(link.productIds, (id) => catalog.getProduct(id)))
    const discount = link.discountId === null ? Option.none() : yield* catalog.getDiscount(link.discountId)
    const organization = yield* organizations.findById(link.organizationId)
    const baseUrl = options.linkBaseUrl ?? (yield* CheckoutConfig.Urls).frontendBaseUrl
    return Responses.checkoutLink(link, {
      products,
      discount: Option.getOrNull(discount),
      defaultCurrency: Option.match(organization, {
        onNone: () => "usd",
        onSome: (o) => o.defaultPresentmentCurrency
      }),
      baseUrl
    })
  })

const checkoutLinks = (options: Options) =>
  HttpApiBuilder.group(
    Api,
    "checkoutLinks",
    Effect.fnUntraced(function*(handlers) {
      const service = yield* CheckoutLinkService.CheckoutLinkService
      const context = yield* Effect.context<Catalog | Organizations>()
      const toWire = linkContext(options)
      const respond = (link: CheckoutLink.CheckoutLink) => toWire(link).pipe(Effect.provideContext(context))
      return handlers
        .handle("list", ({ query }) =>
          Effect.gen(function*() {
            const page = yield* service.list(yield* caller, Requests.linkList(query))
            return {
              items: yield* Effect.forEach(page.items, respond),
              pagination: makePagination(page.totalCount, query.limit)
            }
          }))
        .handle("get", ({ params }) =>
          toHttp(Caller.use((c) => service.get(c, params.id))).pipe(Effect.flatMap(respond)))
        .handle("create", ({ payload }) =>
          toHttp(Effect.gen(function*() {
            const input = yield* Requests.linkCreate(payload)
            return yield* service.create(yield* caller, input)
          })).pipe(Effect.flatMap(respond)))
        .handle("update", ({ params, payload }) =>
          toHttp(Effect.gen(function*() {
            const input = yield* Requests.linkUpdate(payload)
            return yield* service.update(yield* caller, params.id, input)
          })).pipe(Effect.flatMap(respond)))
        .handle("delete", ({ params }) => toHttp(Caller.use((c) => service.delete(c, params.id))))
    })
  )

/**
 * The buyer's address as seen by this process: the connection's peer, or the forwarded client address when the
 * router trusts a proxy (see `Routes.Options.trustedProxies`, which rewrites `remoteAddress`).
 */
const clientIp = (request: HttpServerRequest.HttpServerRequest): string | null => {
  const address = Option.getOrNull(request.remoteAddress)
  if (address === null) return null
  // IPv4 peers of a dual-stack socket show up as IPv4-mapped IPv6 addresses.
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address
}

const checkoutLinkRedirect = HttpApiBuilder.group(
  Api,
  "checkoutLinkRedirect",
  Effect.fnUntraced(function*(handlers) {
    const service = yield* CheckoutLinkService.CheckoutLinkService
    return handlers.handle("redirect", ({ params, query, request }) =>
      toHttp(
        service.openLink({ clientSecret: params.client_secret, prefill: LinkRedirect.prefillOf(query), ipAddress: clientIp(request) })
      ).pipe(
        Effect.map((opened) =>
          HttpApiSchema.withHeaders({
            body: undefined,
            headers: { location: LinkRedirect.redirectUrl(opened.checkout.url, query) }
          })
        )
      ))
  })
)

/** Every group of `Api`, over the domain services (the middleware implementations come from `Routes`). */
export const layer = (options: Options = {}) => Layer.mergeAll(checkouts, checkoutsClient, checkoutLinks(options), checkoutLinkRedirect, WebhookHandlers.layer)
