/**
 * Changing checkout links: update (load what the body names, decide with the pure `LinkPatch.apply`, then a
 * versioned write, in one unit of work), soft delete,
 * and the removal of an archived product from every link of its organization (a link left empty is deleted).
 */
import { Effect, Option, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller, UpdateInput } from "../../CheckoutLinkService.ts"
import type { Id } from "../../Ids.ts"
import { defaultLinkSorting } from "../../ports/CheckoutLinkRepository.ts"
import * as UseCase from "../UseCase.ts"
import * as LinkPatch from "./LinkPatch.ts"
import { invalid, type Kit, readableBy } from "./load.ts"
import * as Now from "../Now.ts"

export const make = (kit: Kit) => {
  const { catalog, find, linkProducts, links, uow } = kit

  const update = UseCase.fn("CheckoutLinkService.update")(function*(caller: Caller, id: Id, input: UpdateInput) {
    return yield* uow.transaction(Effect.gen(function*() {
      // Load what the body names, decide without effects, then persist with the version read.
      const current = yield* find(caller, id)
      const requested = input.products === undefined
        ? []
        : yield* Effect.forEach(input.products, (pid) => Effect.map(catalog.getProduct(pid), (product) => ({ id: pid, product })))
      const found: LinkPatch.Found = {
        now: yield* Now.now,
        readable: readableBy(caller),
        requested,
        current: LinkPatch.needsCurrentProducts(input) ? yield* linkProducts(current) : [],
        discount: input.discountId === undefined || input.discountId === null
          ? Option.none()
          : yield* catalog.getDiscount(input.discountId)
      }
      const next = LinkPatch.apply(current, input, found)
      if (Result.isFailure(next)) return yield* invalid(next.failure)
      return yield* links.update(next.success, current.version)
    }))
  })

  const delete_ = UseCase.fn("CheckoutLinkService.delete")(function*(caller: Caller, id: Id) {
    const current = yield* find(caller, id)
    const now = yield* Now.now
    yield* links.update({ ...current, deletedAt: now, modifiedAt: now }, current.version)
  })

  const archiveProduct = UseCase.fn("CheckoutLinkService.archiveProduct")(function*(productId: Id) {
    const product = yield* catalog.getProduct(productId)
    if (Option.isNone(product)) return 0
    const organizationIds = [product.value.organizationId]
    return yield* uow.transaction(Effect.gen(function*() {
      const now = yield* Now.now
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
  })

  return { update, delete: delete_, archiveProduct }
}
