/**
 * Fixed wire objects for stub handlers and contract checks: a one-product checkout with a fixed price, a
 * percentage discount and a custom field, in its org, public and confirmed forms, and a checkout link.
 */
import { DateTime } from "effect"
import type * as Wire from "../src/wire/index.ts"

export const ids = {
  organization: "6c5b0c2e-1d7f-4c51-9a55-3e2f0e2b7a11",
  product: "0b7a9d3e-5f1c-4e8a-b2d4-9c6e1f3a5b20",
  price: "a1d2c3b4-e5f6-4a7b-8c9d-0e1f2a3b4c30",
  checkout: "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d40",
  discount: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b50",
  customField: "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e60",
  link: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c70",
  benefit: "4b3a2f1e-0d9c-4b8a-a7f6-e5d4c3b2a180",
  media: "8e9f0a1b-2c3d-4e5f-8a7b-9c0d1e2f3a90"
} as const

const at = DateTime.makeUnsafe("2026-03-01T12:00:00.000Z")
const expires = DateTime.makeUnsafe("2026-03-02T12:00:00.000Z")

export const price: Wire.ProductPriceFixed = {
  created_at: at,
  modified_at: null,
  id: ids.price,
  source: "catalog",
  amount_type: "fixed",
  price_currency: "usd",
  tax_behavior: null,
  is_archived: false,
  product_id: ids.product,
  type: "one_time",
  recurring_interval: null,
  price_amount: 2500
}

export const product: Wire.CheckoutProduct = {
  id: ids.product,
  created_at: at,
  modified_at: null,
  trial_interval: null,
  trial_interval_count: null,
  name: "E-book",
  description: "A book",
  visibility: "public",
  recurring_interval: null,
  recurring_interval_count: null,
  meter_interval: null,
  meter_interval_count: null,
  is_recurring: false,
  is_archived: false,
  organization_id: ids.organization,
  prices: [price],
  benefits: [{
    id: ids.benefit,
    created_at: at,
    modified_at: null,
    type: "downloadables",
    description: "The PDF",
    selectable: true,
    deletable: true,
    is_deleted: false,
    organization_id: ids.organization
  }],
  medias: [{
    id: ids.media,
    organization_id: ids.organization,
    name: "cover.png",
    path: "org/cover.png",
    mime_type: "image/png",
    size: 1024,
    storage_version: null,
    checksum_etag: null,
    checksum_sha256_base64: null,
    checksum_sha256_hex: null,
    last_modified_at: null,
    version: null,
    service: "product_media",
    is_uploaded: true,
    created_at: at,
    size_readable: "1.0 KB",
    public_url: "https://cdn.example.com/org/cover.png"
  }]
}

const customField: Wire.AttachedCustomField = {
  custom_field_id: ids.customField,
  custom_field: {
    created_at: at,
    modified_at: null,
    id: ids.customField,
    metadata: {},
    slug: "company",
    name: "Company",
    organization_id: ids.organization,
    type: "text",
    properties: { form_label: "Company", max_length: 100 }
  },
  order: 0,
  required: false
}

const base = {
  id: ids.checkout,
  created_at: at,
  modified_at: null,
  custom_field_data: { company: "Acme" },
  payment_processor: "stripe",
  status: "open",
  client_secret: "polar_c_abcdefghijklmnopqrstuvwxyz0123456789aBcDeF",
  url: "https://checkout.example.com/checkout/polar_c_abcdefghijklmnopqrstuvwxyz0123456789aBcDeF",
  expires_at: expires,
  success_url: "https://example.com/success?checkout_id=5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d40",
  return_url: null,
  embed_origin: null,
  amount: 2500,
  seats: null,
  min_seats: null,
  max_seats: null,
  units: null,
  min_units: null,
  max_units: null,
  discount_amount: 250,
  net_amount: 2250,
  tax_amount: null,
  tax_behavior: null,
  total_amount: 2250,
  currency: "usd",
  allow_trial: true,
  active_trial_interval: null,
  active_trial_interval_count: null,
  trial_end: null,
  organization_id: ids.organization,
  product_id: ids.product,
  product_price_id: ids.price,
  discount_id: ids.discount,
  allow_discount_codes: true,
  require_billing_address: false,
  is_discount_applicable: true,
  is_free_product_price: false,
  is_payment_required: true,
  is_payment_setup_required: false,
  is_payment_form_required: true,
  customer_id: null,
  is_business_customer: false,
  customer_name: null,
  customer_email: "buyer@example.com",
  customer_ip_address: null,
  customer_billing_name: null,
  customer_billing_address: { line1: null, line2: null, postal_code: null, city: null, state: "US-NY", country: "US" },
  customer_tax_id: null,
  locale: "en",
  payment_method_type: null,
  payment_processor_metadata: { publishable_key: "pk_test_123" },
  billing_address_fields: {
    country: "required",
    state: "required",
    city: "required",
    postal_code: "required",
    line1: "required",
    line2: "optional"
  },
  customer_billing_address_fields: {
    country: true,
    state: true,
    city: true,
    postal_code: true,
    line1: true,
    line2: false
  },
  subtotal_amount: 2250,
  products: [product],
  product,
  product_price: price,
  prices: { [ids.product]: [price] },
  discount: {
    duration: "once",
    type: "percentage",
    basis_points: 1000,
    id: ids.discount,
    name: "Launch",
    code: "LAUNCH"
  },
  attached_custom_fields: [customField]
} as const satisfies Omit<Wire.CheckoutPublic, "organization">

export const checkout: Wire.Checkout = {
  ...base,
  trial_interval: null,
  trial_interval_count: null,
  metadata: { order: "A-1", count: 2, ratio: 0.5, vip: true },
  external_customer_id: "cus_ext_1",
  customer_external_id: "cus_ext_1",
  subscription_id: null,
  customer_metadata: { plan: "pro" }
}

const organization: Wire.CheckoutOrganization = {
  created_at: at,
  modified_at: null,
  id: ids.organization,
  name: "Acme",
  slug: "acme",
  avatar_url: null,
  proration_behavior: "prorate",
  allow_customer_updates: true
}

export const checkoutPublic: Wire.CheckoutPublic = { ...base, organization }

export const checkoutConfirmed: Wire.CheckoutPublicConfirmed = {
  ...base,
  organization,
  status: "confirmed",
  customer_session_token: "polar_cst_123"
}

export const checkoutLink: Wire.CheckoutLink = {
  id: ids.link,
  created_at: at,
  modified_at: null,
  trial_interval: null,
  trial_interval_count: null,
  metadata: {},
  payment_processor: "stripe",
  client_secret: "polar_cl_abcdefghijklmnopqrstuvwxyz0123456789aBcDeF",
  success_url: "https://example.com/success?checkout_id={CHECKOUT_ID}",
  return_url: null,
  label: "Launch link",
  allow_discount_codes: true,
  require_billing_address: false,
  discount_id: null,
  seats: null,
  units: null,
  organization_id: ids.organization,
  products: [{ ...product, metadata: {} }],
  discount: null,
  url: "https://api.example.com/v1/checkout-links/polar_cl_abcdefghijklmnopqrstuvwxyz0123456789aBcDeF/redirect",
  product_id: ids.product,
  product_price_id: ids.price,
  product: { ...product, metadata: {} },
  product_price: price
}
