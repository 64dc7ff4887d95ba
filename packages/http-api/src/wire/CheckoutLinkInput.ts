/**
 * Request bodies of the checkout-link endpoints (spec §4.3): `CheckoutLinkCreate` (three variants, in the
 * contract's order) and `CheckoutLinkUpdate`. Create bodies decode with defaults applied; the update keeps absent
 * and explicit `null` apart (`discount_id: null` and `seats: null` clear).
 */
import { Schema } from "effect"
import { HttpUrl, nullByDefault, withDefault } from "./Input.ts"
import { MetadataInput } from "./Metadata.ts"
import { PaymentProcessor, TrialInterval, Uuid } from "./Scalars.ts"
import { isTrialPair, Seats, TrialIntervalCount, Units } from "./CheckoutInput.ts"


const createBaseFields = {
  metadata: withDefault(MetadataInput, {}),
  trial_interval: nullByDefault(TrialInterval),
  trial_interval_count: nullByDefault(TrialIntervalCount),
  /** Required by the reference; only `stripe`. */
  payment_processor: PaymentProcessor,
  label: nullByDefault(Schema.String),
  allow_discount_codes: withDefault(Schema.Boolean, true),
  require_billing_address: withDefault(Schema.Boolean, false),
  discount_id: nullByDefault(Uuid),
  seats: nullByDefault(Seats),
  units: nullByDefault(Units),
  success_url: nullByDefault(HttpUrl),
  return_url: nullByDefault(HttpUrl)
}

/** Deprecated: a single price. */
export const CheckoutLinkCreateProductPrice = Schema.Struct({
  ...createBaseFields,
  product_price_id: Uuid
}).check(isTrialPair()).annotate({ identifier: "CheckoutLinkCreateProductPrice" })

/** Deprecated: a single product. */
export const CheckoutLinkCreateProduct = Schema.Struct({
  ...createBaseFields,
  product_id: Uuid
}).check(isTrialPair()).annotate({ identifier: "CheckoutLinkCreateProduct" })

/** Current: a list of products (ids are not required to be unique). */
export const CheckoutLinkCreateProducts = Schema.Struct({
  ...createBaseFields,
  products: Schema.Array(Uuid).check(Schema.isMinLength(1))
}).check(isTrialPair()).annotate({ identifier: "CheckoutLinkCreateProducts" })

/** Decoded in the contract's order; the first matching variant wins. */
export const CheckoutLinkCreate = Schema.Union([
  CheckoutLinkCreateProductPrice,
  CheckoutLinkCreateProduct,
  CheckoutLinkCreateProducts
])
export type CheckoutLinkCreate = typeof CheckoutLinkCreate.Type

const patch = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))

export const CheckoutLinkUpdate = Schema.Struct({
  trial_interval: patch(TrialInterval),
  trial_interval_count: patch(TrialIntervalCount),
  metadata: Schema.optionalKey(MetadataInput),
  products: patch(Schema.Array(Uuid).check(Schema.isMinLength(1))),
  label: patch(Schema.String),
  allow_discount_codes: patch(Schema.Boolean),
  require_billing_address: patch(Schema.Boolean),
  /** Explicit `null` clears. */
  discount_id: patch(Uuid),
  /** Explicit `null` clears the seat lock. */
  seats: patch(Seats),
  units: patch(Units),
  success_url: patch(HttpUrl),
  return_url: patch(HttpUrl)
}).check(isTrialPair()).annotate({ identifier: "CheckoutLinkUpdate" })
export type CheckoutLinkUpdate = typeof CheckoutLinkUpdate.Type
