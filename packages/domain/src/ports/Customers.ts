/**
 * Port: the organization's customers, looked up at create (prefill) and created or updated at confirm.
 *
 * Uniqueness (the reference's partial unique indexes, among non-deleted customers): (organization, lower(email)) and
 * (organization, external_id). `insert` or `update` breaking one is a unique violation, which is a defect (an
 * infrastructure error the domain cannot act on), not a typed error. Writes take part in the enclosing
 * UnitOfWork.transaction.
 */
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { Customer } from "../Customer.ts"
import type { Id } from "../Ids.ts"

export class Customers extends Context.Service<Customers, {
  /** Deleted customers are returned too (deletedAt set): confirm must answer CheckoutCustomerDeleted for them. */
  readonly findById: (id: Id) => Effect.Effect<Option.Option<Customer>>
  /** Non-deleted customer of the organization with this email (case-insensitive). */
  readonly findByEmail: (organizationId: Id, email: string) => Effect.Effect<Option.Option<Customer>>
  /** Non-deleted customer of the organization with this external id (exact match). */
  readonly findByExternalId: (organizationId: Id, externalId: string) => Effect.Effect<Option.Option<Customer>>
  /** A new customer. A duplicate id, email or external id (see above) is a defect. */
  readonly insert: (customer: Customer) => Effect.Effect<void>
  /**
   * Inserts the customer unless one already holds its id, or (for a non-deleted customer) its organization's email
   * (case-insensitive) or external id; returns the stored customer: the inserted one, or the one already there (by
   * id first, then email, then external id), unchanged. Never a unique violation, also under concurrency: when
   * another unfinished transaction is inserting the same email or external id, the call waits for it to end and
   * then returns its customer if it committed (PostgreSQL's behaviour for the SQL below at READ COMMITTED). This is
   * how confirm creates a first-time buyer, so that concurrent confirms of different checkouts by the same new email
   * share one customer instead of failing on the unique index.
   * SQL: `INSERT ... ON CONFLICT DO NOTHING RETURNING *`, and when nothing is returned
   * `SELECT ... WHERE id = $id OR (organization_id = $org AND deleted_at IS NULL AND (lower(email) = lower($email)
   * OR external_id = $external_id)) ORDER BY (id = $id) DESC, (lower(email) = lower($email)) DESC LIMIT 1`.
   */
  readonly insertOrGet: (customer: Customer) => Effect.Effect<Customer>
  /**
   * Replaces the stored customer with the same id. The row must exist: updating a missing customer is a defect (the
   * SQL adapter checks that the UPDATE touched one row), never a silent no-op or an insert.
   */
  readonly update: (customer: Customer) => Effect.Effect<void>
}>()("@checkout-kit/domain/Customers") {}
