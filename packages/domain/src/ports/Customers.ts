/**
 * Port: the organization's customers, looked up at create (prefill) and created or updated at confirm.
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
  readonly findByExternalId: (organizationId: Id, externalId: string) => Effect.Effect<Option.Option<Customer>>
  readonly insert: (customer: Customer) => Effect.Effect<void>
  readonly update: (customer: Customer) => Effect.Effect<void>
}>()("@checkout-kit/domain/Customers") {}
