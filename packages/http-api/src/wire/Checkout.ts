/**
 * The three checkout representations (spec §1.2): `Checkout` for the organization API, `CheckoutPublic` for the
 * client-secret API (no metadata, customer/subscription internals; adds `organization`), and
 * `CheckoutPublicConfirmed` returned by confirm (status fixed to `confirmed`, plus `customer_session_token`).
 *
 * Every key is always present, nullable ones as `null`. Keys the reference hides from its OpenAPI but still
 * serializes are included (`subtotal_amount`, `customer_billing_address_fields`, `customer_external_id`), as are
 * `units`/`min_units`/`max_units`, which postdate the OpenAPI snapshot.
 */
import { Schema } from "effect"
import { Address } from "./Address.ts"
import { AttachedCustomField } from "./CustomField.ts"
import { CheckoutDiscount } from "./Discount.ts"
import { CustomerMetadataOutput, CustomFieldDataOutput, MetadataOutput } from "./Metadata.ts"
import { CheckoutOrganization } from "./Organization.ts"
import { AnyProductPrice } from "./Price.ts"
import { CheckoutProduct } from "./Product.ts"
import {
  Amount,
  BillingAddressFieldMode,
  CheckoutStatus,
  PaymentProcessor,
  TaxBehavior,
  Timestamp,
  TrialInterval,
  Uuid
} from "./Scalars.ts"

/** Which billing-address inputs the checkout form shows, and how (spec §1.8). */
export const CheckoutBillingAddressFields = Schema.Struct({
  country: BillingAddressFieldMode,
  state: BillingAddressFieldMode,
  city: BillingAddressFieldMode,
  postal_code: BillingAddressFieldMode,
  line1: BillingAddressFieldMode,
  line2: BillingAddressFieldMode
}).annotate({ identifier: "CheckoutBillingAddressFields" })
export type CheckoutBillingAddressFields = typeof CheckoutBillingAddressFields.Type

/** Deprecated boolean form of `billing_address_fields` (`true` = required). */
export const CheckoutCustomerBillingAddressFields = Schema.Struct({
  country: Schema.Boolean,
  state: Schema.Boolean,
  city: Schema.Boolean,
  postal_code: Schema.Boolean,
  line1: Schema.Boolean,
  line2: Schema.Boolean
})
export type CheckoutCustomerBillingAddressFields = typeof CheckoutCustomerBillingAddressFields.Type

/** `product_id → prices` of the products on the checkout (ad-hoc prices replace catalog ones). */
export const CheckoutPrices = Schema.Record(Uuid, Schema.Array(AnyProductPrice))

const Count = Schema.NullOr(Schema.Int)

/** `CheckoutBase`: shared by the org and client representations. */
export const checkoutBaseFields = {
  id: Uuid,
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  custom_field_data: CustomFieldDataOutput,
  payment_processor: PaymentProcessor,
  status: CheckoutStatus,
  client_secret: Schema.String,
  url: Schema.String,
  expires_at: Timestamp,
  /** Never null: defaults to the hosted confirmation page. */
  success_url: Schema.String,
  return_url: Schema.NullOr(Schema.String),
  embed_origin: Schema.NullOr(Schema.String),
  /** Before discount and tax. */
  amount: Amount,
  seats: Count,
  min_seats: Count,
  max_seats: Count,
  units: Count,
  min_units: Count,
  max_units: Count,
  discount_amount: Amount,
  /** After discount, before exclusive tax (inclusive tax already removed). */
  net_amount: Amount,
  /** `null` while there is not enough information to compute it. */
  tax_amount: Schema.NullOr(Amount),
  tax_behavior: Schema.NullOr(TaxBehavior),
  /** `net_amount + (tax_amount ?? 0)`. */
  total_amount: Amount,
  currency: Schema.String,
  allow_trial: Schema.NullOr(Schema.Boolean),
  active_trial_interval: Schema.NullOr(TrialInterval),
  active_trial_interval_count: Count,
  trial_end: Schema.NullOr(Timestamp),
  organization_id: Uuid,
  product_id: Schema.NullOr(Uuid),
  /** Deprecated. */
  product_price_id: Schema.NullOr(Uuid),
  discount_id: Schema.NullOr(Uuid),
  allow_discount_codes: Schema.Boolean,
  require_billing_address: Schema.Boolean,
  is_discount_applicable: Schema.Boolean,
  is_free_product_price: Schema.Boolean,
  is_payment_required: Schema.Boolean,
  is_payment_setup_required: Schema.Boolean,
  is_payment_form_required: Schema.Boolean,
  customer_id: Schema.NullOr(Uuid),
  is_business_customer: Schema.Boolean,
  customer_name: Schema.NullOr(Schema.String),
  customer_email: Schema.NullOr(Schema.String),
  customer_ip_address: Schema.NullOr(Schema.String),
  customer_billing_name: Schema.NullOr(Schema.String),
  customer_billing_address: Schema.NullOr(Address),
  /** The tax id number only. */
  customer_tax_id: Schema.NullOr(Schema.String),
  locale: Schema.NullOr(Schema.String),
  payment_method_type: Schema.NullOr(Schema.String),
  /** Exposed to the client too: publishable key, intent client secret, … */
  payment_processor_metadata: Schema.Record(Schema.String, Schema.String),
  billing_address_fields: CheckoutBillingAddressFields,
  /** Deprecated, hidden from the reference OpenAPI, still serialized. */
  customer_billing_address_fields: CheckoutCustomerBillingAddressFields,
  /** Deprecated (= `net_amount`), hidden from the reference OpenAPI, still serialized. */
  subtotal_amount: Schema.NullOr(Amount)
}

/** Keys of both representations that describe the catalog side. */
const checkoutCatalogFields = {
  products: Schema.Array(CheckoutProduct),
  product: Schema.NullOr(CheckoutProduct),
  /** Deprecated: the selected price. */
  product_price: Schema.NullOr(AnyProductPrice),
  prices: Schema.NullOr(CheckoutPrices),
  discount: Schema.NullOr(CheckoutDiscount),
  attached_custom_fields: Schema.NullOr(Schema.Array(AttachedCustomField))
}

/** Organization-API representation. */
export const Checkout = Schema.Struct({
  ...checkoutBaseFields,
  trial_interval: Schema.NullOr(TrialInterval),
  trial_interval_count: Count,
  metadata: MetadataOutput,
  external_customer_id: Schema.NullOr(Schema.String),
  /** Deprecated duplicate of `external_customer_id`, hidden from the reference OpenAPI, still serialized. */
  customer_external_id: Schema.NullOr(Schema.String),
  ...checkoutCatalogFields,
  subscription_id: Schema.NullOr(Uuid),
  customer_metadata: CustomerMetadataOutput
}).annotate({ identifier: "Checkout" })
export type Checkout = typeof Checkout.Type

/** Client-secret-API representation: no metadata, adds the organization. */
export const CheckoutPublic = Schema.Struct({
  ...checkoutBaseFields,
  ...checkoutCatalogFields,
  organization: CheckoutOrganization
}).annotate({ identifier: "CheckoutPublic" })
export type CheckoutPublic = typeof CheckoutPublic.Type

/** Response of confirm. */
export const CheckoutPublicConfirmed = Schema.Struct({
  ...checkoutBaseFields,
  ...checkoutCatalogFields,
  organization: CheckoutOrganization,
  status: Schema.Literal("confirmed"),
  /** Absent (null) when the customer was matched by e-mail only. */
  customer_session_token: Schema.NullOr(Schema.String)
}).annotate({ identifier: "CheckoutPublicConfirmed" })
export type CheckoutPublicConfirmed = typeof CheckoutPublicConfirmed.Type
