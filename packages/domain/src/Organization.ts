/**
 * The selling organization as the checkout needs it: whether it may be used at all (blocked), whether it can take
 * payments, its default presentment currency and tax behaviour, and the hosts allowed to embed its checkouts.
 */
import { Schema } from "effect"
import * as Currency from "./Currency.ts"
import { Id } from "./Ids.ts"
import * as Price from "./Price.ts"

export const Organization = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  name: Schema.String,
  slug: Schema.String,
  avatarUrl: Schema.NullOr(Schema.String),
  /** Blocked or deleted organizations cannot be used by client endpoints (403 NotPermitted) nor found by links. */
  isBlocked: Schema.Boolean,
  /** False until the organization's payout account is ready: paid confirms are refused (PaymentNotReady). */
  canAcceptPayments: Schema.Boolean,
  defaultPresentmentCurrency: Currency.Code,
  defaultTaxBehavior: Price.TaxBehaviorOption,
  /** Null: embedding is not restricted. Otherwise origins must match one of these hosts (wildcards `*.x.com`). */
  embedHosts: Schema.NullOr(Schema.Array(Schema.String)),
  prorationBehavior: Schema.Literals(["invoice", "prorate"]),
  allowCustomerUpdates: Schema.Boolean,
  /** Set when the organization is soft-deleted: then, like a blocked one, it cannot be used (`canAuthenticate`). */
  deletedAt: Schema.optionalKey(Schema.NullOr(Schema.DateTimeUtc))
})
export type Organization = typeof Organization.Type

/**
 * The reference's `Organization.can_authenticate`: neither blocked nor soft-deleted. Client endpoints answer 403
 * NotPermitted otherwise, organization endpoints and links 404.
 */
export const canAuthenticate = (organization: Pick<Organization, "isBlocked" | "deletedAt">): boolean =>
  !organization.isBlocked && (organization.deletedAt ?? null) === null
