/**
 * What the checkout-link use cases share: the ports, and the lookups with their validation (products, discount,
 * seat lock: each refused one is a 422), a link of the caller's organization (another organization's is not
 * found), and a link's current products.
 */
import { Array as Arr, Effect, Option, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller } from "../../CheckoutLinkService.ts"
import type { CheckoutService } from "../../CheckoutService.ts"
import * as Errors from "../../Errors.ts"
import * as Issue from "../../Issue.ts"
import type { Id } from "../../Ids.ts"
import type { Catalog } from "../../ports/Catalog.ts"
import type { CheckoutLinkRepository } from "../../ports/CheckoutLinkRepository.ts"
import type { Organizations } from "../../ports/Organizations.ts"
import type { Secrets } from "../../ports/Secrets.ts"
import type { UnitOfWork } from "../../ports/UnitOfWork.ts"
import type * as Product from "../../Product.ts"

/** The ports (and the checkout service, which opening a link creates checkouts with) the link service is built on. */
export interface Ports {
  readonly links: CheckoutLinkRepository["Service"]
  readonly catalog: Catalog["Service"]
  readonly secrets: Secrets["Service"]
  readonly uow: UnitOfWork["Service"]
  readonly organizations: Organizations["Service"]
  readonly checkouts: CheckoutService["Service"]
}

export const notFound = (id: string) => new Errors.ResourceNotFound({ resource: "CheckoutLink", id })

export const invalid = (issues: ReadonlyArray<Issue.Issue>) => new Errors.RequestValidationError({ issues })

export const readableBy = (caller: Caller) => (organizationId: string) => organizationId === caller.organizationId

export const make = (ports: Ports) => {
  const { catalog, links } = ports

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

  return { ...ports, validatedProducts, validatedDiscount, validatedSeats, find, linkProducts }
}

/** The ports and helpers every link use case receives. */
export type Kit = ReturnType<typeof make>
