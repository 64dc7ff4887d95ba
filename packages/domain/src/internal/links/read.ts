/**
 * Reading checkout links: one of the caller's organization, and a page of them (organizations intersected with the
 * caller's, page and limit clamped, default sorting by creation).
 */
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller, ListInput } from "../../CheckoutLinkService.ts"
import type { Id } from "../../Ids.ts"
import type { Page } from "../../ports/CheckoutRepository.ts"
import { defaultLinkSorting } from "../../ports/CheckoutLinkRepository.ts"
import * as UseCase from "../UseCase.ts"
import type { Kit } from "./load.ts"

export const make = (kit: Kit) => {
  const { find, links } = kit

  const get = UseCase.fn("CheckoutLinkService.get")(function*(caller: Caller, id: Id) {
    return yield* find(caller, id)
  })

  const list = UseCase.fn("CheckoutLinkService.list")(function*(caller: Caller, input: ListInput) {
    const organizationIds = input.organizationIds === undefined
      ? [caller.organizationId]
      : input.organizationIds.filter((id) => id === caller.organizationId)
    const page = Math.max(1, Math.trunc(input.page ?? 1))
    const limit = Math.min(100, Math.max(1, Math.trunc(input.limit ?? 10)))
    if (organizationIds.length === 0) return { items: [], totalCount: 0 } satisfies Page<CheckoutLink.CheckoutLink>
    return yield* links.list({
      organizationIds,
      ...(input.productIds === undefined ? {} : { productIds: input.productIds }),
      sorting: input.sorting === undefined || input.sorting.length === 0 ? defaultLinkSorting : input.sorting,
      page,
      limit
    })
  })

  return { get, list }
}
