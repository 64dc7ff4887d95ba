/**
 * The read use cases: the organization's get and list (another organization's or a blocked one's checkouts are not
 * found) and the buyer's read by client secret (404, 410 when expired by time, 403 for a blocked organization).
 */
import { Effect, Option } from "effect"
import type { Caller, ListInput } from "../../CheckoutService.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import type { CheckoutView } from "../../CheckoutView.ts"
import * as Errors from "../../Errors.ts"
import * as Organization from "../../Organization.ts"
import type { Page } from "../../ports/CheckoutRepository.ts"
import * as UseCase from "../UseCase.ts"
import type { Kit } from "./Kit.ts"
import * as Now from "../Now.ts"

export const make = (kit: Kit) => {
  const { load, organizations, readViewOf, repo, viewOf } = kit

  /** The org API reads like the reference: another organization's checkouts, or a blocked one's, are not found. */
  const get = UseCase.fn("CheckoutService.get")(function*(caller: Caller, id: string) {
    const found = yield* repo.findById(id)
    if (Option.isNone(found) || found.value.organizationId !== caller.organizationId) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    }
    const loaded = yield* load(found.value)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    return yield* readViewOf(loaded)
  })

  /** A blocked (or unknown) organization lists nothing. */
  const list = UseCase.fn("CheckoutService.list")(function*(caller: Caller, query: ListInput) {
    const organization = yield* organizations.findById(caller.organizationId)
    if (Option.isNone(organization) || !Organization.canAuthenticate(organization.value)) {
      return { items: [], totalCount: 0 } satisfies Page<CheckoutView> as Page<CheckoutView>
    }
    const organizationIds = query.organizationIds === undefined
      ? [caller.organizationId]
      : query.organizationIds.filter((id) => id === caller.organizationId)
    const page = yield* repo.list({
      page: Math.max(1, Math.trunc(query.page)),
      limit: Math.min(100, Math.max(1, Math.trunc(query.limit))),
      organizationIds,
      ...(query.productIds !== undefined ? { productIds: query.productIds } : {}),
      ...(query.customerIds !== undefined ? { customerIds: query.customerIds } : {}),
      ...(query.externalCustomerIds !== undefined ? { externalCustomerIds: query.externalCustomerIds } : {}),
      ...(query.statuses !== undefined ? { statuses: query.statuses } : {}),
      ...(query.query !== undefined ? { query: query.query } : {}),
      sorting: query.sorting ?? [{ field: "createdAt", descending: true }]
    })
    const items = yield* Effect.forEach(page.items, (c) => Effect.flatMap(load(c), (l) => viewOf(l)))
    return { items, totalCount: page.totalCount }
  })

  const clientGet = UseCase.fn("CheckoutService.clientGet")(function*(clientSecret: string) {
    const now = yield* Now.now
    const found = yield* repo.findByClientSecret(clientSecret)
    if (Option.isNone(found)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
    if (CheckoutStatus.isExpiredByTime(found.value, now)) {
      return yield* new Errors.ExpiredCheckoutError({ checkoutId: found.value.id })
    }
    const loaded = yield* load(found.value)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.NotPermitted({ detail: "Not permitted" })
    return yield* readViewOf(loaded)
  })

  return { get, list, clientGet }
}
