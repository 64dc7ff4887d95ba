/**
 * The parameter allow-lists of the endpoints the fake Stripe serves. Top-level names are the real API's for the
 * pinned version (taken from the SDK 23.1.0 `*CreateParams` / `*UpdateParams` types); what the adapter sends is
 * modelled to the leaf, other real parameters are accepted as opaque. A name missing here is a name Stripe would
 * refuse, so keep these in step with the SDK when it is upgraded.
 */
import * as P from "./ParamSpec.ts"


export const addressSpec = P.object({
  city: P.string(),
  country: P.string(),
  line1: P.string(),
  line2: P.string(),
  postal_code: P.string(),
  state: P.string()
})

export const expandSpec = P.array(P.string())

export const automaticPaymentMethodsSpec = P.object({
  enabled: P.required(P.boolean),
  allow_redirects: P.string(["always", "never"])
})

export const billingDetailsSpec = P.object({
  address: addressSpec,
  email: P.string(),
  name: P.string(),
  phone: P.string(),
  tax_id: P.string()
})

export const customerCommon: P.Fields = {
  address: addressSpec,
  description: P.string(),
  email: P.string(),
  expand: expandSpec,
  metadata: P.metadata,
  name: P.string(),
  phone: P.string(),
  preferred_locales: P.array(P.string()),
  ...P.opaqueAll(
    "balance",
    "business_name",
    "cash_balance",
    "individual_name",
    "invoice_prefix",
    "invoice_settings",
    "next_invoice_sequence",
    "shipping",
    "source",
    "tax",
    "tax_exempt",
    "validate"
  )
}

export const customerCreateFields: P.Fields = {
  ...customerCommon,
  payment_method: P.string(),
  tax_id_data: P.array(P.object({ type: P.required(P.string()), value: P.required(P.string()) })),
  test_clock: P.string()
}

export const customerUpdateFields: P.Fields = { ...customerCommon, ...P.opaqueAll("default_source") }

export const paymentIntentCreateFields: P.Fields = {
  amount: P.required(P.integer(1)),
  currency: P.required(P.string()),
  automatic_payment_methods: automaticPaymentMethodsSpec,
  confirm: P.boolean,
  confirmation_token: P.string(),
  customer: P.string(),
  description: P.string(),
  expand: expandSpec,
  metadata: P.metadata,
  off_session: P.boolean,
  payment_method: P.string(),
  return_url: P.string(),
  setup_future_usage: P.string(["off_session", "on_session"]),
  statement_descriptor: P.string(),
  statement_descriptor_suffix: P.string(),
  receipt_email: P.string(),
  use_stripe_sdk: P.boolean,
  payment_method_options: P.object({
    card: P.object({
      request_three_d_secure: P.string(["any", "automatic", "challenge"]),
      ...P.opaqueAll(
        "setup_future_usage",
        "capture_method",
        "installments",
        "mandate_options",
        "network",
        "require_cvc_recollection",
        "statement_descriptor_suffix_kana",
        "statement_descriptor_suffix_kanji",
        "request_extended_authorization",
        "request_incremental_authorization",
        "request_multicapture",
        "request_overcapture",
        "three_d_secure"
      )
    }),
    ...P.opaqueAll("us_bank_account", "link", "sepa_debit", "paypal", "klarna", "ideal", "bancontact")
  }),
  ...P.opaqueAll(
    "allowed_payment_method_types",
    "amount_details",
    "application_fee_amount",
    "capture_method",
    "confirmation_method",
    "customer_account",
    "error_on_requires_action",
    "excluded_payment_method_types",
    "hooks",
    "mandate",
    "mandate_data",
    "on_behalf_of",
    "payment_details",
    "payment_method_configuration",
    "payment_method_data",
    "radar_options",
    "shipping",
    "transfer_data",
    "transfer_group"
  )
}

export const paymentIntentUpdateFields: P.Fields = {
  amount: P.integer(1),
  currency: P.string(),
  customer: P.string(),
  description: P.string(),
  expand: expandSpec,
  metadata: P.metadata,
  payment_method: P.string(),
  receipt_email: P.string(),
  setup_future_usage: P.string(["off_session", "on_session"]),
  statement_descriptor: P.string(),
  statement_descriptor_suffix: P.string(),
  ...P.opaqueAll(
    "allowed_payment_method_types",
    "amount_details",
    "application_fee_amount",
    "capture_method",
    "customer_account",
    "excluded_payment_method_types",
    "hooks",
    "payment_details",
    "payment_method_configuration",
    "payment_method_data",
    "payment_method_options",
    "shipping",
    "transfer_data",
    "transfer_group"
  )
}

export const paymentIntentConfirmFields: P.Fields = {
  confirmation_token: P.string(),
  expand: expandSpec,
  off_session: P.boolean,
  payment_method: P.string(),
  return_url: P.string(),
  setup_future_usage: P.string(["off_session", "on_session"]),
  use_stripe_sdk: P.boolean,
  ...P.opaqueAll(
    "allowed_payment_method_types",
    "amount_details",
    "amount_to_confirm",
    "capture_method",
    "error_on_requires_action",
    "excluded_payment_method_types",
    "hooks",
    "mandate",
    "mandate_data",
    "payment_details",
    "payment_method_data",
    "payment_method_options",
    "radar_options",
    "receipt_email",
    "shipping"
  )
}

export const setupIntentCreateFields: P.Fields = {
  automatic_payment_methods: automaticPaymentMethodsSpec,
  confirm: P.boolean,
  confirmation_token: P.string(),
  customer: P.string(),
  description: P.string(),
  expand: expandSpec,
  metadata: P.metadata,
  payment_method: P.string(),
  return_url: P.string(),
  usage: P.string(["off_session", "on_session"]),
  use_stripe_sdk: P.boolean,
  payment_method_options: P.object({
    card: P.object({
      request_three_d_secure: P.string(["any", "automatic", "challenge"]),
      ...P.opaqueAll("mandate_options", "network", "moto", "three_d_secure")
    }),
    ...P.opaqueAll("us_bank_account", "link", "sepa_debit", "paypal", "klarna", "bacs_debit", "acss_debit")
  }),
  ...P.opaqueAll(
    "allowed_payment_method_types",
    "attach_to_self",
    "customer_account",
    "excluded_payment_method_types",
    "flow_directions",
    "mandate_data",
    "on_behalf_of",
    "payment_method_configuration",
    "payment_method_data",
    "single_use"
  )
}

export const setupIntentUpdateFields: P.Fields = {
  customer: P.string(),
  description: P.string(),
  expand: expandSpec,
  metadata: P.metadata,
  payment_method: P.string(),
  ...P.opaqueAll(
    "allowed_payment_method_types",
    "attach_to_self",
    "customer_account",
    "excluded_payment_method_types",
    "flow_directions",
    "payment_method_configuration",
    "payment_method_data",
    "payment_method_options"
  )
}

export const setupIntentConfirmFields: P.Fields = {
  confirmation_token: P.string(),
  expand: expandSpec,
  payment_method: P.string(),
  return_url: P.string(),
  use_stripe_sdk: P.boolean,
  ...P.opaqueAll(
    "allowed_payment_method_types",
    "mandate_data",
    "payment_method_data",
    "payment_method_options"
  )
}

export const confirmationTokenCreateFields: P.Fields = {
  expand: expandSpec,
  payment_method: P.string(),
  payment_method_data: P.object({
    type: P.string(),
    billing_details: billingDetailsSpec,
    ...P.opaqueAll("allow_redisplay", "metadata", "radar_options", "card", "us_bank_account")
  }),
  return_url: P.string(),
  setup_future_usage: P.string(["off_session", "on_session"]),
  ...P.opaqueAll("payment_method_options", "shipping")
}

export const taxCalculationCreateFields: P.Fields = {
  currency: P.required(P.string()),
  line_items: P.required(P.array(P.object({
    amount: P.required(P.integer()),
    metadata: P.metadata,
    product: P.string(),
    quantity: P.integer(1),
    reference: P.string(),
    tax_behavior: P.string(["exclusive", "inclusive"]),
    tax_code: P.string(),
    performance_location: P.opaque
  }))),
  customer: P.string(),
  customer_details: P.object({
    address: addressSpec,
    address_source: P.string(["billing", "shipping"]),
    ip_address: P.string(),
    tax_ids: P.array(P.object({ type: P.required(P.string()), value: P.required(P.string()) })),
    taxability_override: P.string(["customer_exempt", "none", "reverse_charge"])
  }),
  expand: expandSpec,
  tax_date: P.integer(),
  ...P.opaqueAll("ship_from_details", "shipping_cost")
}

export const retrieveFields: P.Fields = { expand: expandSpec }
export const intentRetrieveFields: P.Fields = { expand: expandSpec, client_secret: P.string() }
/** `GET /v1/payment_intents` and `GET /v1/setup_intents` (the subset the reconciliation uses). */
export const intentListFields: P.Fields = {
  expand: expandSpec,
  customer: P.string(),
  limit: P.integer(1),
  starting_after: P.string(),
  ending_before: P.string()
}

/** `POST /v1/refunds` for a PaymentIntent. */
export const refundCreateFields: P.Fields = {
  expand: expandSpec,
  payment_intent: P.required(P.string()),
  amount: P.integer(1),
  reason: P.string(["duplicate", "fraudulent", "requested_by_customer"]),
  metadata: P.metadata
}

export const paymentIntentCancelFields: P.Fields = {
  expand: expandSpec,
  cancellation_reason: P.string(["abandoned", "duplicate", "fraudulent", "requested_by_customer"])
}

export const setupIntentCancelFields: P.Fields = {
  expand: expandSpec,
  cancellation_reason: P.string(["abandoned", "duplicate", "requested_by_customer"])
}

export const customerTaxIdCreateFields: P.Fields = {
  type: P.required(P.string()),
  value: P.required(P.string()),
  expand: expandSpec
}
