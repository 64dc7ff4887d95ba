/**
 * The organization as shown to buyers on the client-secret API (`CheckoutOrganization`, spec §1.4). The reference
 * also serializes hidden legacy keys (bio, company, socials, …); they are left out here because no client reads
 * them and their types are not part of the contract.
 */
import { Schema } from "effect"
import { SubscriptionProrationBehavior, Timestamp, Uuid } from "./Scalars.ts"

export const CheckoutOrganization = Schema.Struct({
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  id: Uuid,
  name: Schema.String,
  slug: Schema.String,
  avatar_url: Schema.NullOr(Schema.String),
  proration_behavior: SubscriptionProrationBehavior,
  allow_customer_updates: Schema.Boolean
}).annotate({ identifier: "CheckoutOrganization" })
export type CheckoutOrganization = typeof CheckoutOrganization.Type
