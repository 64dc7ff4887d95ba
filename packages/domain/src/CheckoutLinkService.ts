/**
 * Use cases of checkout links (spec 4.3, 6 "Checkout-link rules"): create, read, list, update and soft-delete
 * links of the caller's organization, drop archived products from links, and open a link (the redirect flow),
 * which creates a fresh checkout through CheckoutService's building block. Another organization's link does not
 * exist for the caller (ResourceNotFound), exactly like an unknown id.
 */
import { Array as Arr, Context, DateTime, Effect, Layer, Option, Result } from "effect"
import * as CheckoutLink from "./CheckoutLink.ts"
import { CheckoutService } from "./CheckoutService.ts"
import type { CheckoutView } from "./CheckoutView.ts"
import * as EmbedOrigin from "./EmbedOrigin.ts"
import * as Errors from "./Errors.ts"
import type { Id } from "./Ids.ts"
import type * as Metadata from "./Metadata.ts"
import * as Organization from "./Organization.ts"
import { Catalog } from "./ports/Catalog.ts"
import { CheckoutLinkRepository, type LinkSortField } from "./ports/CheckoutLinkRepository.ts"
import type { Page, Sort } from "./ports/CheckoutRepository.ts"
import { Organizations } from "./ports/Organizations.ts"
import { Secrets } from "./ports/Secrets.ts"
import { UnitOfWork } from "./ports/UnitOfWork.ts"
import type * as Product from "./Product.ts"

/** The organization the caller acts for (an organization access token's grant). */
export interface Caller {
  readonly organizationId: Id
}

/** Settings shared by the three create variants; omitted fields take the reference defaults. */
export interface CreateSettings {
  readonly paymentProcessor?: "stripe"
  readonly label?: string | null
  readonly allowDiscountCodes?: boolean
  readonly requireBillingAddress?: boolean
  readonly discountId?: Id | null
  /** Seat lock (1-10 000, checked by the request schema). */
  readonly seats?: number | null
  /** Kept raw: `{CHECKOUT_ID}` is substituted per checkout, not on the link. */
  readonly successUrl?: string | null
  readonly returnUrl?: string | null
  readonly metadata?: Metadata.Metadata
  readonly trialInterval?: Product.Interval | null
  readonly trialIntervalCount?: number | null
}

/** `products` is the current form; `productId` and `productPriceId` are the deprecated ones. */
export type CreateInput =
  | (CreateSettings & { readonly products: Arr.NonEmptyReadonlyArray<Id> })
  | (CreateSettings & { readonly productId: Id })
  | (CreateSettings & { readonly productPriceId: Id })

/**
 * The create settings (but the processor, fixed at creation) and the product list. Absent fields are left
 * unchanged; an explicit null clears a nullable field.
 */
export interface UpdateInput extends Omit<CreateSettings, "paymentProcessor"> {
  readonly products?: Arr.NonEmptyReadonlyArray<Id>
}

export interface ListInput {
  /** Narrows to these organizations (intersected with the caller's). */
  readonly organizationIds?: ReadonlyArray<Id>
  /** Links containing any of these products. */
  readonly productIds?: ReadonlyArray<Id>
  /** Default: created_at ascending. */
  readonly sorting?: ReadonlyArray<Sort<LinkSortField>>
  /** From 1; default 1. */
  readonly page?: number
  /** Clamped to 1-100; default 10. */
  readonly limit?: number
}

export interface OpenInput {
  readonly clientSecret: string
  /** The decoded query string of the link URL (prefill, embed_origin, tracking keys...). */
  readonly query: CheckoutLink.Query
  readonly ipAddress: string | null
}

export interface Opened {
  readonly checkout: CheckoutView
  /** The checkout page plus the forwarded query parameters (spec 4.3 step 13). */
  readonly redirectUrl: string
}

const notFound = (id: string) => new Errors.ResourceNotFound({ resource: "CheckoutLink", id })

const invalid = (errors: ReadonlyArray<Errors.ValidationIssue>) => new Errors.RequestValidationError({ errors })

export class CheckoutLinkService extends Context.Service<CheckoutLinkService, {
  readonly create: (
    caller: Caller,
    input: CreateInput
  ) => Effect.Effect<CheckoutLink.CheckoutLink, Errors.RequestValidationError>
  readonly get: (caller: Caller, id: Id) => Effect.Effect<CheckoutLink.CheckoutLink, Errors.ResourceNotFound>
  readonly list: (caller: Caller, input: ListInput) => Effect.Effect<Page<CheckoutLink.CheckoutLink>>
  readonly update: (
    caller: Caller,
    id: Id,
    input: UpdateInput
  ) => Effect.Effect<
    CheckoutLink.CheckoutLink,
    Errors.ResourceNotFound | Errors.RequestValidationError | Errors.VersionConflict
  >
  /** Soft delete: the link disappears from every read and can no longer be opened. */
  readonly delete: (caller: Caller, id: Id) => Effect.Effect<void, Errors.ResourceNotFound | Errors.VersionConflict>
  /**
   * Called when a product is archived: removes it from every link of its organization; a link left with no product
   * is soft-deleted. Returns the number of links changed.
   */
  readonly archiveProduct: (productId: Id) => Effect.Effect<number, Errors.VersionConflict>
  /**
   * Opens a link (the public redirect endpoint): creates a fresh checkout from it and the query prefill. A deleted
   * link or one of a blocked organization is ResourceNotFound; a refused embed origin is EmbedHostNotAllowed.
   */
  readonly openLink: (input: OpenInput) => Effect.Effect<
    Opened,
    Errors.ResourceNotFound | Errors.EmbedHostNotAllowed | Errors.RequestValidationError | Errors.TaxCalculationTechnicalError
  >
}>()("@checkout-kit/domain/CheckoutLinkService") {
  static readonly layer = Layer.effect(
    CheckoutLinkService,
    Effect.gen(function*() {
      const links = yield* CheckoutLinkRepository
      const catalog = yield* Catalog
      const secrets = yield* Secrets
      const uow = yield* UnitOfWork
      const organizations = yield* Organizations
      const checkouts = yield* CheckoutService

      const readableBy = (caller: Caller) => (organizationId: string) => organizationId === caller.organizationId

      const validatedProducts = Effect.fnUntraced(function*(caller: Caller, ids: ReadonlyArray<Id>) {
        const requested = yield* Effect.forEach(ids, (id) => Effect.map(catalog.getProduct(id), (product) => ({ id, product })))
        const result = CheckoutLink.validateProducts(requested, readableBy(caller))
        if (Result.isFailure(result)) return yield* invalid(result.failure)
        return result.success
      })

      const validatedDiscount = Effect.fnUntraced(function*(
        discountId: Id,
        organizationId: Id,
        products: ReadonlyArray<Product.Product>
      ) {
        const discount = yield* catalog.getDiscount(discountId)
        const result = CheckoutLink.validateDiscount(discountId, discount, organizationId, products)
        if (Result.isFailure(result)) return yield* invalid([result.failure])
        return result.success
      })

      const validatedSeats = (seats: number, products: ReadonlyArray<Product.Product>) => {
        const result = CheckoutLink.validateSeatLock(seats, products)
        return Result.isFailure(result) ? Effect.fail(invalid([result.failure])) : Effect.succeed(result.success)
      }

      const find = Effect.fnUntraced(function*(caller: Caller, id: Id) {
        const link = yield* links.findById(id)
        if (Option.isNone(link) || link.value.organizationId !== caller.organizationId) return yield* notFound(id)
        return link.value
      })

      const linkProducts = Effect.fnUntraced(function*(link: CheckoutLink.CheckoutLink) {
        const found = yield* Effect.forEach(link.productIds, (id) => catalog.getProduct(id))
        return Arr.getSomes(found)
      })

      const create = Effect.fn("CheckoutLinkService.create")(function*(caller: Caller, input: CreateInput) {
        let products: Arr.NonEmptyReadonlyArray<Product.Product>
        if ("products" in input) {
          products = yield* validatedProducts(caller, input.products)
        } else if ("productId" in input) {
          products = yield* validatedProducts(caller, [input.productId])
        } else {
          const found = yield* catalog.getPrice(input.productPriceId)
          const result = CheckoutLink.validatePrice(input.productPriceId, found, readableBy(caller))
          if (Result.isFailure(result)) return yield* invalid([result.failure])
          products = [result.success]
        }
        const organizationId = products[0].organizationId
        const discountId = input.discountId ?? null
        if (discountId !== null) yield* validatedDiscount(discountId, organizationId, products)
        const seats = input.seats ?? null
        if (seats !== null) yield* validatedSeats(seats, products)
        const now = yield* DateTime.now
        const link: CheckoutLink.CheckoutLink = {
          id: yield* secrets.newId,
          createdAt: now,
          modifiedAt: null,
          deletedAt: null,
          version: 1,
          paymentProcessor: input.paymentProcessor ?? "stripe",
          clientSecret: yield* secrets.clientSecret(CheckoutLink.clientSecretPrefix),
          successUrl: input.successUrl ?? null,
          returnUrl: input.returnUrl ?? null,
          label: input.label ?? null,
          allowDiscountCodes: input.allowDiscountCodes ?? true,
          requireBillingAddress: input.requireBillingAddress ?? false,
          seats,
          discountId,
          organizationId,
          trialInterval: input.trialInterval ?? null,
          trialIntervalCount: input.trialIntervalCount ?? null,
          metadata: input.metadata ?? {},
          productIds: Arr.map(products, (p) => p.id)
        }
        yield* links.insert(link)
        return link
      })

      const get = Effect.fn("CheckoutLinkService.get")(function*(caller: Caller, id: Id) {
        return yield* find(caller, id)
      })

      const list = Effect.fn("CheckoutLinkService.list")(function*(caller: Caller, input: ListInput) {
        const organizationIds = input.organizationIds === undefined
          ? [caller.organizationId]
          : input.organizationIds.filter((id) => id === caller.organizationId)
        const page = Math.max(1, Math.trunc(input.page ?? 1))
        const limit = Math.min(100, Math.max(1, Math.trunc(input.limit ?? 10)))
        if (organizationIds.length === 0) return { items: [], totalCount: 0 } satisfies Page<CheckoutLink.CheckoutLink>
        return yield* links.list({
          organizationIds,
          ...(input.productIds === undefined ? {} : { productIds: input.productIds }),
          sorting: input.sorting === undefined || input.sorting.length === 0 ? CheckoutLink.defaultSorting : input.sorting,
          page,
          limit
        })
      })

      const update = Effect.fn("CheckoutLinkService.update")(function*(caller: Caller, id: Id, input: UpdateInput) {
        return yield* uow.transaction(Effect.gen(function*() {
          const current = yield* find(caller, id)
          let next = current
          let products: ReadonlyArray<Product.Product> | undefined
          if (input.products !== undefined) {
            const validated = yield* validatedProducts(caller, input.products)
            if (validated[0].organizationId !== current.organizationId) {
              return yield* invalid([{
                type: "value_error",
                loc: ["body", "products"],
                msg: "Products don't belong to the checkout link's organization.",
                input: input.products
              }])
            }
            products = validated
            next = CheckoutLink.withProducts(next, validated)
          }
          if (input.discountId !== undefined) {
            if (input.discountId === null) {
              next = { ...next, discountId: null }
            } else {
              yield* validatedDiscount(input.discountId, current.organizationId, products ?? (yield* linkProducts(next)))
              next = { ...next, discountId: input.discountId }
            }
          }
          if (input.seats !== undefined) {
            if (input.seats !== null) yield* validatedSeats(input.seats, products ?? (yield* linkProducts(next)))
            next = { ...next, seats: input.seats }
          }
          next = {
            ...next,
            ...(input.label === undefined ? {} : { label: input.label }),
            ...(input.allowDiscountCodes === undefined ? {} : { allowDiscountCodes: input.allowDiscountCodes }),
            ...(input.requireBillingAddress === undefined ? {} : { requireBillingAddress: input.requireBillingAddress }),
            ...(input.successUrl === undefined ? {} : { successUrl: input.successUrl }),
            ...(input.returnUrl === undefined ? {} : { returnUrl: input.returnUrl }),
            ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
            ...(input.trialInterval === undefined ? {} : { trialInterval: input.trialInterval }),
            ...(input.trialIntervalCount === undefined ? {} : { trialIntervalCount: input.trialIntervalCount }),
            modifiedAt: yield* DateTime.now
          }
          return yield* links.update(next, current.version)
        }))
      })

      const delete_ = Effect.fn("CheckoutLinkService.delete")(function*(caller: Caller, id: Id) {
        const current = yield* find(caller, id)
        const now = yield* DateTime.now
        yield* links.update({ ...current, deletedAt: now, modifiedAt: now }, current.version)
      })

      const archiveProduct = Effect.fn("CheckoutLinkService.archiveProduct")(function*(productId: Id) {
        const product = yield* catalog.getProduct(productId)
        if (Option.isNone(product)) return 0
        const organizationIds = [product.value.organizationId]
        return yield* uow.transaction(Effect.gen(function*() {
          const now = yield* DateTime.now
          // Collect every affected link first: updating while paging would shift the pages.
          const affected: Array<CheckoutLink.CheckoutLink> = []
          const limit = 100
          for (let page = 1;; page++) {
            const result = yield* links.list({ organizationIds, productIds: [productId], sorting: CheckoutLink.defaultSorting, page, limit })
            affected.push(...result.items)
            if (result.items.length < limit || page * limit >= result.totalCount) break
          }
          let changed = 0
          for (const link of affected) {
            const next = CheckoutLink.withoutProduct(link, productId, now)
            if (Option.isSome(next)) {
              yield* links.update(next.value, link.version)
              changed++
            }
          }
          return changed
        }))
      })

      const openLink = Effect.fn("CheckoutLinkService.openLink")(function*(input: OpenInput) {
        const link = yield* links.findByClientSecret(input.clientSecret)
        if (Option.isNone(link)) return yield* notFound(input.clientSecret)
        const organization = yield* organizations.findById(link.value.organizationId)
        // A blocked organization's links behave as if they did not exist (the reference filters them in the query).
        if (Option.isNone(organization) || !Organization.canAuthenticate(organization.value)) return yield* notFound(input.clientSecret)
        const { query } = input
        const embedOrigin = EmbedOrigin.resolve(CheckoutLink.queryValue(query, "embed_origin"), organization.value.embedHosts)
        if (Result.isFailure(embedOrigin)) return yield* embedOrigin.failure
        const products = Arr.getSomes(yield* Effect.forEach(link.value.productIds, (id) => catalog.getProduct(id)))
        const queryProductId = CheckoutLink.queryValue(query, "product_id")
        const view = yield* checkouts.createFromLink({
          organization: organization.value,
          products,
          selectedProductId: queryProductId !== null && link.value.productIds.includes(queryProductId) ? queryProductId : null,
          seatLock: link.value.seats,
          amount: Option.getOrNull(CheckoutLink.parseQueryAmount(CheckoutLink.queryValue(query, "amount"))),
          discountId: link.value.discountId,
          discountCode: CheckoutLink.queryValue(query, "discount_code"),
          trialInterval: link.value.trialInterval,
          trialIntervalCount: link.value.trialIntervalCount,
          allowDiscountCodes: link.value.allowDiscountCodes,
          requireBillingAddress: link.value.requireBillingAddress,
          successUrl: link.value.successUrl,
          returnUrl: link.value.returnUrl,
          metadata: CheckoutLink.checkoutMetadata(link.value, query),
          embedOrigin: Option.getOrNull(embedOrigin.success),
          customerIpAddress: input.ipAddress,
          customerEmail: CheckoutLink.queryValue(query, "customer_email"),
          customerName: CheckoutLink.queryValue(query, "customer_name"),
          customFieldData: CheckoutLink.queryCustomFieldData(query),
          // Organizations have no localization opt-in here, so the reference's default applies.
          locale: "en"
        })
        return { checkout: view, redirectUrl: CheckoutLink.redirectUrl(view.url, query) }
      })

      return CheckoutLinkService.of({ create, get, list, update, delete: delete_, archiveProduct, openLink })
    })
  )
}
