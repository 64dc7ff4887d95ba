/**
 * The CheckoutLink aggregate (spec 1.3): a reusable, shareable link that creates a fresh checkout each time it is
 * opened. Soft-deleted (`deletedAt`), versioned like checkouts.
 */
import { Schema } from "effect"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"
import * as Product from "./Product.ts"

export const CheckoutLink = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  deletedAt: Schema.NullOr(Schema.DateTimeUtc),
  version: Schema.Int,
  paymentProcessor: Schema.Literal("stripe"),
  clientSecret: Schema.String,
  successUrl: Schema.NullOr(Schema.String),
  returnUrl: Schema.NullOr(Schema.String),
  label: Schema.NullOr(Schema.String),
  allowDiscountCodes: Schema.Boolean,
  requireBillingAddress: Schema.Boolean,
  /** Seat lock: the checkout's seats, min and max are all set to it when it still fits the product's tiers. */
  seats: Schema.NullOr(Schema.Int),
  discountId: Schema.NullOr(Id),
  organizationId: Id,
  trialInterval: Schema.NullOr(Product.Interval),
  trialIntervalCount: Schema.NullOr(Schema.Int),
  metadata: Metadata.Metadata,
  productIds: Schema.NonEmptyArray(Id)
})
export type CheckoutLink = typeof CheckoutLink.Type
