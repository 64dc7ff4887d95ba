/**
 * What the checkout-link use cases share: the ports, a link of the caller's organization (another organization's
 * is not found), a link's current products, and the 422 of a refused body (decided by `LinkDraft`/`LinkPatch`).
 */
import { Array as Arr, Effect, Option } from "effect"
import type * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller } from "../../CheckoutLinkService.ts"
import type { CheckoutService } from "../../CheckoutService.ts"
import * as Errors from "../../Errors.ts"
import type * as Issue from "../../Issue.ts"
import type { Id } from "../../Ids.ts"
import type { Catalog } from "../../ports/Catalog.ts"
import type { CheckoutLinkRepository } from "../../ports/CheckoutLinkRepository.ts"
import type { Organizations } from "../../ports/Organizations.ts"
import type { Secrets } from "../../ports/Secrets.ts"
import type { UnitOfWork } from "../../ports/UnitOfWork.ts"

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

  const find = Effect.fnUntraced(function*(caller: Caller, id: Id) {
    const link = yield* links.findById(id)
    if (Option.isNone(link) || link.value.organizationId !== caller.organizationId) return yield* notFound(id)
    return link.value
  })

  const linkProducts = Effect.fnUntraced(function*(link: CheckoutLink.CheckoutLink) {
    const found = yield* Effect.forEach(link.productIds, (id) => catalog.getProduct(id))
    return Arr.getSomes(found)
  })

  return { ...ports, find, linkProducts }
}

/** The ports and helpers every link use case receives. */
export type Kit = ReturnType<typeof make>
