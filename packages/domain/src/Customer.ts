/**
 * Customers of an organization, matched at confirm by id, email or external id, and created or updated there.
 * `processorCustomerId` is the payment processor's customer (Stripe `cus_...`).
 */
import { Schema } from "effect"
import * as Address from "./Address.ts"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"

export const Customer = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  deletedAt: Schema.NullOr(Schema.DateTimeUtc),
  organizationId: Id,
  type: Schema.Literals(["individual", "team"]),
  email: Schema.NullOr(Schema.String),
  name: Schema.NullOr(Schema.String),
  billingName: Schema.NullOr(Schema.String),
  billingAddress: Schema.NullOr(Address.Address),
  taxId: Schema.NullOr(Address.TaxId),
  externalId: Schema.NullOr(Schema.String),
  locale: Schema.NullOr(Schema.String),
  metadata: Metadata.Metadata,
  processorCustomerId: Schema.NullOr(Schema.String),
  /**
   * A team customer's owner member's e-mail (the reference's `customer.owner.email`): a checkout created for a team
   * without an e-mail of its own is prefilled with it. Absent or null for individuals and for stores without members.
   */
  ownerEmail: Schema.optionalKey(Schema.NullOr(Schema.String))
})
export type Customer = typeof Customer.Type
