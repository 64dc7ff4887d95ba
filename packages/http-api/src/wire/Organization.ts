/**
 * The organization as shown to buyers on the client-secret API (`CheckoutOrganization`, spec §1.4). The reference
 * also serializes hidden legacy keys (bio, company, socials, …); they are left out here because no client reads
 * them and their types are not part of the contract.
 */
import { Organization } from "@checkout-kit/domain"
import { derive, SubscriptionProrationBehavior } from "./Scalars.ts"

/** Derived from the domain's organization: the keys buyers may see. */
export const CheckoutOrganization = derive(Organization.Organization, {
  keys: ["createdAt", "modifiedAt", "id", "name", "slug", "avatarUrl", "prorationBehavior", "allowCustomerUpdates"],
  // The contract's enum is wider than what the domain stores.
  overrides: { prorationBehavior: SubscriptionProrationBehavior },
  identifier: "CheckoutOrganization"
})
export type CheckoutOrganization = typeof CheckoutOrganization.Type
