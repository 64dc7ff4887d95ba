/**
 * Port: checkout storage. Written so that a SQL store can implement it directly: versioned updates (a stale
 * version is a VersionConflict), a row lock with NOWAIT semantics inside a unit of work, filtered/sorted/paginated
 * listing, and the candidates of the expiry sweep. Infrastructure failures are defects, not typed errors.
 */
import type { DateTime, Effect, Option } from "effect"
import { Context } from "effect"
import type { Checkout } from "../Checkout.ts"
import type * as CheckoutStatus from "../CheckoutStatus.ts"
import type { CheckoutLocked, VersionConflict } from "../Errors.ts"
import type { Id } from "../Ids.ts"

export type SortField = "createdAt" | "expiresAt" | "status"

/**
 * One sort criterion. A list applies its criteria in order, as PostgreSQL's `ORDER BY` would, so that the memory and
 * SQL stores return the same order and pages never overlap or skip rows:
 * - ties after the last criterion break by `id`, in the direction of the LAST criterion (`ORDER BY ..., id ASC|DESC`;
 *   ids compare as lowercase UUID text, as PostgreSQL's `uuid` type does);
 * - NULL sorts as in PostgreSQL: last ascending, first descending (NULLS LAST / NULLS FIRST defaults);
 * - booleans: false < true; `status` sorts as text (alphabetical: confirmed < expired < failed < open < succeeded);
 * - text compares by code point, i.e. the `"C"` collation: the SQL adapter must sort text columns `COLLATE "C"`
 *   (a locale collation orders case and accents differently);
 * - an empty `sorting` means the default of the list (checkouts: createdAt descending; links: createdAt ascending).
 */
export interface Sort<F extends string> {
  readonly field: F
  readonly descending: boolean
}

/** Page numbers start at 1; the caller has already clamped `limit` to 1..100. */
export interface PageRequest {
  readonly page: number
  readonly limit: number
}

export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly totalCount: number
}

/**
 * Every filter that is present must match (AND); within one filter, any of the values matches (OR). A present but
 * EMPTY list matches nothing (SQL `IN ()`), which is not the same as an absent filter.
 */
export interface ListQuery extends PageRequest {
  /** Always set by the service to the caller's organization(s): isolation is not optional. */
  readonly organizationIds: ReadonlyArray<Id>
  /** Matches the checkout's SELECTED product (`productId`), not its product list (reference: checkout.product_id IN). */
  readonly productIds?: ReadonlyArray<Id>
  readonly customerIds?: ReadonlyArray<Id>
  /**
   * Matches the checkout's own `externalCustomerId` OR the external id of its linked customer (`customerId`); the
   * reference joins the customer table for the latter.
   */
  readonly externalCustomerIds?: ReadonlyArray<string>
  readonly statuses?: ReadonlyArray<CheckoutStatus.Status>
  /**
   * A literal, case-insensitive substring of `customerEmail` (`customer_email ILIKE '%' || q || '%'` with `%`, `_`
   * and the escape character escaped in q: they are not wildcards). A NULL email never matches; `""` matches every
   * non-NULL email.
   */
  readonly query?: string
  /** Applied in order (see Sort for ties, NULLs, collation). Empty: the default, createdAt descending. */
  readonly sorting: ReadonlyArray<Sort<SortField>>
}

export class CheckoutRepository extends Context.Service<CheckoutRepository, {
  readonly findById: (id: Id) => Effect.Effect<Option.Option<Checkout>>
  readonly findByClientSecret: (clientSecret: string) => Effect.Effect<Option.Option<Checkout>>
  /**
   * Takes the row lock on the checkout until the enclosing UnitOfWork.transaction ends, and returns the current row.
   * Fails at once with CheckoutLocked when another transaction holds it (FOR UPDATE NOWAIT). Outside a transaction
   * it is a defect.
   */
  readonly lockForUpdate: (id: Id) => Effect.Effect<Option.Option<Checkout>, CheckoutLocked>
  /** Stores a new checkout; its `version` must be 1. */
  readonly insert: (checkout: Checkout) => Effect.Effect<void>
  /**
   * Stores `checkout` if the stored version equals `expectedVersion`, with version `expectedVersion + 1`, and returns
   * what was stored. The repository persists what it is given; it never changes status by itself.
   */
  readonly update: (checkout: Checkout, expectedVersion: number) => Effect.Effect<Checkout, VersionConflict>
  readonly list: (query: ListQuery) => Effect.Effect<Page<Checkout>>
  /** Open checkouts whose expires_at <= now, oldest first, at most `limit` (the expiry sweep's candidates). */
  readonly listExpirable: (now: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<Checkout>>
  /**
   * Confirmed checkouts whose last change (`modifiedAt`, else `createdAt`) is at or before `changedBefore`, oldest
   * change first (ties by id), at most `limit`: the reconciliation job's candidates (an attempt whose answer is not
   * recorded, or an intent whose notification never came). SQL: `WHERE status = 'confirmed' AND
   * coalesce(modified_at, created_at) <= $1 ORDER BY coalesce(modified_at, created_at), id LIMIT $2`.
   */
  readonly listConfirmed: (changedBefore: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<Checkout>>
}>()("@checkout-kit/domain/CheckoutRepository") {}
