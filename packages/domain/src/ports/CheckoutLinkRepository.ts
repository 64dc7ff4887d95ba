/**
 * Port: checkout-link storage. Same contract style as CheckoutRepository: versioned updates, soft delete (deleted
 * links are invisible to every read), filtered/sorted/paginated listing.
 */
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { CheckoutLink } from "../CheckoutLink.ts"
import type { VersionConflict } from "../Errors.ts"
import type { Id } from "../Ids.ts"
import type { Page, PageRequest, Sort } from "./CheckoutRepository.ts"

/** Sortable fields of the link list (the HTTP adapter maps the wire's `created_at`, `-label`, ... onto these). */
export type LinkSortField = "createdAt" | "label" | "successUrl" | "allowDiscountCodes"

/** The link list's default order: oldest first. */
export const defaultLinkSorting: ReadonlyArray<Sort<LinkSortField>> = [{ field: "createdAt", descending: false }]

/** Filters AND together; a present but empty list matches nothing (SQL `IN ()`). Soft-deleted links never match. */
export interface LinkListQuery extends PageRequest {
  readonly organizationIds: ReadonlyArray<Id>
  /** Links that contain any of these products (any position in the link's product list). */
  readonly productIds?: ReadonlyArray<Id>
  /**
   * Applied in order with the rules of CheckoutRepository's Sort (id tie-break in the direction of the last
   * criterion, NULLs as PostgreSQL: `label`/`successUrl` may be NULL, booleans false < true, `COLLATE "C"` text).
   * Empty: the default, createdAt ascending.
   */
  readonly sorting: ReadonlyArray<Sort<LinkSortField>>
}

export class CheckoutLinkRepository extends Context.Service<CheckoutLinkRepository, {
  /** Non-deleted link by id. */
  readonly findById: (id: Id) => Effect.Effect<Option.Option<CheckoutLink>>
  /** Non-deleted link by client secret. */
  readonly findByClientSecret: (clientSecret: string) => Effect.Effect<Option.Option<CheckoutLink>>
  readonly insert: (link: CheckoutLink) => Effect.Effect<void>
  /** Same semantics as CheckoutRepository.update; soft delete is an update that sets deletedAt. */
  readonly update: (link: CheckoutLink, expectedVersion: number) => Effect.Effect<CheckoutLink, VersionConflict>
  readonly list: (query: LinkListQuery) => Effect.Effect<Page<CheckoutLink>>
}>()("@checkout-kit/domain/CheckoutLinkRepository") {}
