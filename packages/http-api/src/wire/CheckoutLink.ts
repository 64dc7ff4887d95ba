/**
 * A checkout link (spec §1.3): a reusable URL that opens a fresh checkout for its products. The deprecated
 * single-product keys (`product_id`, `product_price_id`, `product`, `product_price`, derived from the first
 * product) are hidden from the reference OpenAPI but still serialized, so they are part of the shape.
 */
import { Schema } from "effect"
import { CheckoutLinkDiscount } from "./Discount.ts"
import { MetadataOutput } from "./Metadata.ts"
import { AnyProductPrice } from "./Price.ts"
import { CheckoutLinkProduct } from "./Product.ts"
import { PaymentProcessor, Timestamp, TrialInterval, Uuid } from "./Scalars.ts"

export const CheckoutLink = Schema.Struct({
  id: Uuid,
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  trial_interval: Schema.NullOr(TrialInterval),
  trial_interval_count: Schema.NullOr(Schema.Int),
  metadata: MetadataOutput,
  payment_processor: PaymentProcessor,
  client_secret: Schema.String,
  /** Not substituted on the link; `{CHECKOUT_ID}` is resolved on the checkout it opens. */
  success_url: Schema.NullOr(Schema.String),
  return_url: Schema.NullOr(Schema.String),
  label: Schema.NullOr(Schema.String),
  allow_discount_codes: Schema.Boolean,
  require_billing_address: Schema.Boolean,
  discount_id: Schema.NullOr(Uuid),
  /** Seat lock applied to the checkouts it opens. */
  seats: Schema.NullOr(Schema.Int),
  /** Unit lock (postdates the OpenAPI snapshot). */
  units: Schema.NullOr(Schema.Int),
  organization_id: Uuid,
  products: Schema.Array(CheckoutLinkProduct),
  discount: Schema.NullOr(CheckoutLinkDiscount),
  /** Public URL that redirects to a new checkout. */
  url: Schema.String,
  /** Deprecated: `products[0].id`. */
  product_id: Schema.NullOr(Uuid),
  /** Deprecated: `products[0].prices[0].id`. */
  product_price_id: Schema.NullOr(Uuid),
  /** Deprecated: `products[0]`. */
  product: Schema.NullOr(CheckoutLinkProduct),
  /** Deprecated: `products[0].prices[0]`. */
  product_price: Schema.NullOr(AnyProductPrice)
}).annotate({ identifier: "CheckoutLink" })
export type CheckoutLink = typeof CheckoutLink.Type
