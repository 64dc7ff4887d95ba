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
  allowCustomerUpdates: Schema.Boolean
})
export type Organization = typeof Organization.Type
