/**
 * The merchant webhook use cases behind the reference's `/v1/webhooks/*` API: endpoints (create, list, get, update,
 * delete, reset the signing secret), the delivery log and redelivery; plus `checkoutView`, the checkout as the API
 * shows it, rebuilt from the snapshot a webhook event carries. Another organization's endpoint or event is
 * `ResourceNotFound`, exactly as an unknown id. Delivery itself is the webhooks adapter's (a worker over
 * `WebhookQueue`).
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import type * as Checkout from "./Checkout.ts"
import * as CheckoutConfig from "./CheckoutConfig.ts"
import * as CheckoutView from "./CheckoutView.ts"
import * as Errors from "./Errors.ts"
import * as Issue from "./Issue.ts"
import type { Id } from "./Ids.ts"
import { Catalog } from "./ports/Catalog.ts"
import type { Page } from "./ports/CheckoutRepository.ts"
import { Organizations } from "./ports/Organizations.ts"
import { Secrets } from "./ports/Secrets.ts"
import { type DeliveryRecord, type HttpCodeClass, WebhookEndpoints, WebhookQueue } from "./ports/Webhooks.ts"
import * as UseCase from "./internal/UseCase.ts"
import * as WebhookEndpoint from "./WebhookEndpoint.ts"
import * as Now from "./internal/Now.ts"

export interface Caller {
  readonly organizationId: Id
}

/** Settings with a default (private targets refused); read when the service's layer is built. */
export interface Settings {
  /** `WEBHOOKS_ALLOW_PRIVATE_TARGETS`: accept http URLs and loopback/private addresses. */
  readonly allowPrivateTargets: boolean
}

export const Settings = Context.Reference<Settings>("@checkout-kit/domain/WebhookService/Settings", {
  defaultValue: () => ({ allowPrivateTargets: false })
})

export interface CreateInput {
  readonly url: string
  readonly name?: string | null | undefined
  readonly format: WebhookEndpoint.Format
  readonly events: ReadonlyArray<WebhookEndpoint.EventType>
  /** Must be absent with an organization token (the endpoint belongs to the caller's organization). */
  readonly organizationId?: string | null | undefined
}

export interface UpdateInput {
  readonly url?: string | null | undefined
  readonly name?: string | null | undefined
  readonly format?: WebhookEndpoint.Format | null | undefined
  readonly events?: ReadonlyArray<WebhookEndpoint.EventType> | null | undefined
  readonly enabled?: boolean | null | undefined
}

export interface PageInput {
  readonly page?: number | undefined
  readonly limit?: number | undefined
}

export interface ListInput extends PageInput {
  readonly organizationIds?: ReadonlyArray<Id> | undefined
}

export interface DeliveryListInput extends PageInput {
  readonly endpointIds?: ReadonlyArray<Id> | undefined
  readonly succeeded?: boolean | undefined
  readonly eventTypes?: ReadonlyArray<string> | undefined
  /** Attempts made after this instant (the reference's `start_timestamp`, exclusive). */
  readonly startTimestamp?: DateTime.Utc | undefined
  /** Attempts made before this instant (`end_timestamp`, exclusive). */
  readonly endTimestamp?: DateTime.Utc | undefined
  /** `query`: a case-insensitive part of the delivery id, the event id or the HTTP code. */
  readonly query?: string | undefined
  readonly httpCodeClass?: HttpCodeClass | undefined
}

type NotFound = Errors.ResourceNotFound
type Invalid = Errors.RequestValidationError

export class WebhookService extends Context.Service<WebhookService, {
  readonly create: (caller: Caller, input: CreateInput) => Effect.Effect<WebhookEndpoint.WebhookEndpoint, Invalid>
  readonly list: (caller: Caller, input: ListInput) => Effect.Effect<Page<WebhookEndpoint.WebhookEndpoint>>
  readonly get: (caller: Caller, id: Id) => Effect.Effect<WebhookEndpoint.WebhookEndpoint, NotFound>
  /** Re-enabling (`enabled: true`) also clears the consecutive failure count. */
  readonly update: (caller: Caller, id: Id, input: UpdateInput) => Effect.Effect<WebhookEndpoint.WebhookEndpoint, NotFound | Invalid>
  readonly delete: (caller: Caller, id: Id) => Effect.Effect<void, NotFound>
  /** A new signing secret; the old one stops signing at once. */
  readonly resetSecret: (caller: Caller, id: Id) => Effect.Effect<WebhookEndpoint.WebhookEndpoint, NotFound>
  readonly listDeliveries: (caller: Caller, input: DeliveryListInput) => Effect.Effect<Page<DeliveryRecord>>
  readonly redeliver: (caller: Caller, eventId: Id) => Effect.Effect<void, NotFound>
  /** The checkout as the API shows it, from a snapshot (catalog and organization as they are now). */
  readonly checkoutView: (checkout: Checkout.Checkout) => Effect.Effect<CheckoutView.CheckoutView>
}>()("@checkout-kit/domain/WebhookService") {}

const invalid = (issues: ReadonlyArray<Issue.Issue>) => new Errors.RequestValidationError({ issues })

const pageOf = (input: PageInput) => ({
  page: Math.max(1, Math.trunc(input.page ?? 1)),
  limit: Math.min(100, Math.max(1, Math.trunc(input.limit ?? 10)))
})

const make = Effect.gen(function*() {
  const endpoints = yield* WebhookEndpoints
  const queue = yield* WebhookQueue
  const secrets = yield* Secrets
  const catalog = yield* Catalog
  const organizations = yield* Organizations
  // Read once, when the layer is built: provide `Settings` to the layer (the composition root does).
  const settings = yield* Settings

  const notFound = (id: Id) => new Errors.ResourceNotFound({ resource: "WebhookEndpoint", id })

  const find = (caller: Caller, id: Id) =>
    Effect.flatMap(endpoints.findById(id), (found) =>
      Option.isSome(found) && found.value.organizationId === caller.organizationId
        ? Effect.succeed(found.value)
        : Effect.fail(notFound(id)))

  const validate = (input: { url?: unknown; format?: WebhookEndpoint.Format | null | undefined }) =>
    Effect.gen(function*() {
      const issues = [
        ...(input.url === undefined || input.url === null ? [] : WebhookEndpoint.validateUrl(input.url, ["url"], settings.allowPrivateTargets)),
        ...(input.format === undefined || input.format === null ? [] : WebhookEndpoint.validateFormat(input.format, ["format"]))
      ]
      if (issues.length > 0) return yield* invalid(issues)
    })

  const newSecret = Effect.map(secrets.clientSecret("polar_whs_"), Redacted.make)

  const create = UseCase.fn("WebhookService.create")(function*(caller: Caller, input: CreateInput) {
    if (input.organizationId !== undefined && input.organizationId !== null) {
      return yield* invalid([
        Issue.make(["organizationId"], Issue.Reason.OrganizationSetByOrganizationToken(), input.organizationId)
      ])
    }
    yield* validate(input)
    const endpoint: WebhookEndpoint.WebhookEndpoint = {
      id: yield* secrets.newId,
      organizationId: caller.organizationId,
      url: input.url,
      name: input.name ?? null,
      format: input.format,
      secret: yield* newSecret,
      events: [...new Set(input.events)],
      enabled: true,
      consecutiveFailures: 0,
      createdAt: yield* Now.now,
      modifiedAt: null
    }
    yield* endpoints.insert(endpoint)
    return endpoint
  })

  const list = UseCase.fn("WebhookService.list")(function*(caller: Caller, input: ListInput) {
    const organizationIds = input.organizationIds === undefined
      ? [caller.organizationId]
      : input.organizationIds.filter((id) => id === caller.organizationId)
    if (organizationIds.length === 0) return { items: [], totalCount: 0 }
    return yield* endpoints.list({ organizationIds, ...pageOf(input) })
  })

  const get = UseCase.fn("WebhookService.get")(function*(caller: Caller, id: Id) {
    return yield* find(caller, id)
  })

  const update = UseCase.fn("WebhookService.update")(function*(caller: Caller, id: Id, input: UpdateInput) {
    const current = yield* find(caller, id)
    yield* validate(input)
    const reenabled = input.enabled === true && !current.enabled
    const next: WebhookEndpoint.WebhookEndpoint = {
      ...current,
      ...(input.url === undefined || input.url === null ? {} : { url: input.url }),
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.format === undefined || input.format === null ? {} : { format: input.format }),
      ...(input.events === undefined || input.events === null ? {} : { events: [...new Set(input.events)] }),
      ...(input.enabled === undefined || input.enabled === null ? {} : { enabled: input.enabled }),
      ...(reenabled ? { consecutiveFailures: 0 } : {}),
      modifiedAt: yield* Now.now
    }
    yield* endpoints.update(next)
    return next
  })

  const delete_ = UseCase.fn("WebhookService.delete")(function*(caller: Caller, id: Id) {
    yield* find(caller, id)
    yield* endpoints.delete(id)
  })

  const resetSecret = UseCase.fn("WebhookService.resetSecret")(function*(caller: Caller, id: Id) {
    const current = yield* find(caller, id)
    const next = { ...current, secret: yield* newSecret, modifiedAt: yield* Now.now }
    yield* endpoints.update(next)
    return next
  })

  const listDeliveries = UseCase.fn("WebhookService.listDeliveries")(function*(caller: Caller, input: DeliveryListInput) {
    return yield* queue.listDeliveries({
      organizationIds: [caller.organizationId],
      ...(input.endpointIds === undefined ? {} : { endpointIds: input.endpointIds }),
      ...(input.succeeded === undefined ? {} : { succeeded: input.succeeded }),
      ...(input.eventTypes === undefined ? {} : { eventTypes: input.eventTypes }),
      ...(input.startTimestamp === undefined ? {} : { createdAfter: DateTime.toEpochMillis(input.startTimestamp) }),
      ...(input.endTimestamp === undefined ? {} : { createdBefore: DateTime.toEpochMillis(input.endTimestamp) }),
      ...(input.query === undefined || input.query === "" ? {} : { text: input.query }),
      ...(input.httpCodeClass === undefined ? {} : { httpCodeClass: input.httpCodeClass }),
      ...pageOf(input)
    })
  })

  const redeliver = UseCase.fn("WebhookService.redeliver")(function*(caller: Caller, eventId: Id) {
    const event = yield* queue.findEvent(eventId)
    if (Option.isNone(event) || event.value.organizationId !== caller.organizationId) {
      return yield* new Errors.ResourceNotFound({ resource: "WebhookEvent", id: eventId })
    }
    yield* queue.redeliver(eventId, yield* Clock.currentTimeMillis)
  })

  const checkoutView = (checkout: Checkout.Checkout) =>
    Effect.gen(function*() {
      const organization = yield* organizations.findById(checkout.organizationId)
      if (Option.isNone(organization)) return yield* Effect.die(new Error(`organization ${checkout.organizationId} of a checkout is missing`))
      const products = yield* Effect.forEach(checkout.productIds, (id) => catalog.getProduct(id))
      const discount = checkout.discountId === null ? Option.none() : yield* catalog.getDiscount(checkout.discountId)
      const urls = yield* CheckoutConfig.Urls
      return CheckoutView.make({
        checkout,
        organization: organization.value,
        products: products.flatMap(Option.toArray),
        discount: Option.getOrNull(discount),
        frontendBaseUrl: urls.frontendBaseUrl
      })
    })

  return WebhookService.of({
    create,
    list,
    get,
    update,
    delete: delete_,
    resetSecret,
    listDeliveries,
    redeliver,
    checkoutView
  })
})

export const layer: Layer.Layer<WebhookService, never, WebhookEndpoints | WebhookQueue | Secrets | Catalog | Organizations> =
  Layer.effect(WebhookService, make)
