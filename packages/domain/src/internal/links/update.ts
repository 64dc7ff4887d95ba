/**
 * Changing checkout links: update (validated like create, in one unit of work with a versioned write), soft delete,
 * and the removal of an archived product from every link of its organization (a link left empty is deleted).
 */
import { DateTime, Effect, Option } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller, UpdateInput } from "../../CheckoutLinkService.ts"
import type { Id } from "../../Ids.ts"
import type * as Product from "../../Product.ts"
import { defaultLinkSorting } from "../../ports/CheckoutLinkRepository.ts"
import * as SpanAttributes from "../SpanAttributes.ts"
import { invalid, type Kit } from "./load.ts"

export const make = (kit: Kit) => {
  const { catalog, find, linkProducts, links, uow, validatedDiscount, validatedProducts, validatedSeats } = kit

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
  }, SpanAttributes.annotate("CheckoutLinkService.update"))

  const delete_ = Effect.fn("CheckoutLinkService.delete")(function*(caller: Caller, id: Id) {
    const current = yield* find(caller, id)
    const now = yield* DateTime.now
    yield* links.update({ ...current, deletedAt: now, modifiedAt: now }, current.version)
  }, SpanAttributes.annotate("CheckoutLinkService.delete"))

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
        const result = yield* links.list({ organizationIds, productIds: [productId], sorting: defaultLinkSorting, page, limit })
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
  }, SpanAttributes.annotate("CheckoutLinkService.archiveProduct"))

  return { update, delete: delete_, archiveProduct }
}
