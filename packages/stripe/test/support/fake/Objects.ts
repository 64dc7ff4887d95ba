/**
 * The stored objects: the JSON shapes Stripe returns, trimmed to what the adapter and tests read.
 */
import type * as FormBody from "../FormBody.ts"

export interface Address {
  readonly city: string | null
  readonly country: string | null
  readonly line1: string | null
  readonly line2: string | null
  readonly postal_code: string | null
  readonly state: string | null
}

export interface TaxId {
  readonly id: string
  readonly object: "tax_id"
  readonly type: string
  readonly value: string
  readonly customer: string
  readonly country: string | null
  readonly created: number
  readonly livemode: false
}

export interface Customer {
  readonly id: string
  readonly object: "customer"
  email: string | null
  name: string | null
  phone: string | null
  description: string | null
  address: Address | null
  metadata: Record<string, string>
  preferred_locales: ReadonlyArray<string>
  readonly created: number
  readonly livemode: false
}

export interface BillingDetails {
  readonly address: Address
  readonly email: string | null
  readonly name: string | null
  readonly phone: string | null
}

export interface PaymentMethod {
  readonly id: string
  readonly object: "payment_method"
  readonly type: "card" | "us_bank_account"
  readonly billing_details: BillingDetails
  readonly card: CardDetails | null
  readonly us_bank_account: { readonly bank_name: string; readonly last4: string; readonly fingerprint: string } | null
  customer: string | null
  readonly created: number
  readonly livemode: false
  readonly metadata: Record<string, string>
}

export interface CardDetails {
  readonly brand: string
  readonly last4: string
  readonly exp_month: number
  readonly exp_year: number
  readonly fingerprint: string
  readonly funding: "credit"
  readonly country: "US"
}

export interface ConfirmationToken {
  readonly id: string
  readonly object: "confirmation_token"
  readonly created: number
  readonly expires_at: number
  readonly livemode: false
  payment_intent: string | null
  setup_intent: string | null
  readonly return_url: string | null
  readonly setup_future_usage: string | null
  readonly use_stripe_sdk: boolean
  readonly payment_method_preview: {
    readonly type: "card" | "us_bank_account"
    readonly billing_details: BillingDetails
    readonly card: CardDetails | null
    readonly us_bank_account: PaymentMethod["us_bank_account"]
    readonly customer: string | null
    readonly allow_redisplay: "unspecified"
  }
}

export interface StripeErrorObject {
  readonly type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error"
  readonly code?: string
  readonly decline_code?: string
  readonly message: string
  readonly param?: string
  readonly doc_url?: string
  readonly charge?: string
  readonly payment_intent?: unknown
  readonly setup_intent?: unknown
  readonly payment_method?: unknown
}

export type NextAction =
  | {
    readonly type: "redirect_to_url"
    readonly redirect_to_url: { readonly url: string; readonly return_url: string }
  }
  | { readonly type: "use_stripe_sdk"; readonly use_stripe_sdk: { readonly type: "three_d_secure_redirect" } }

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "succeeded"
  | "canceled"

export interface PaymentIntent {
  readonly id: string
  readonly object: "payment_intent"
  amount: number
  readonly currency: string
  status: PaymentIntentStatus
  readonly client_secret: string
  customer: string | null
  description: string | null
  metadata: Record<string, string>
  statement_descriptor_suffix: string | null
  setup_future_usage: "off_session" | "on_session" | null
  readonly automatic_payment_methods: { readonly enabled: boolean; readonly allow_redirects: "always" } | null
  readonly capture_method: "automatic_async"
  readonly confirmation_method: "automatic"
  payment_method: string | null
  latest_charge: string | null
  next_action: NextAction | null
  last_payment_error: StripeErrorObject | null
  amount_received: number
  canceled_at: number | null
  cancellation_reason: string | null
  readonly payment_method_types: ReadonlyArray<string>
  readonly created: number
  readonly livemode: false
}

export type SetupIntentStatus = PaymentIntentStatus

export interface SetupIntent {
  readonly id: string
  readonly object: "setup_intent"
  status: SetupIntentStatus
  readonly client_secret: string
  customer: string | null
  description: string | null
  metadata: Record<string, string>
  readonly usage: "off_session" | "on_session"
  readonly automatic_payment_methods: { readonly enabled: boolean; readonly allow_redirects: "always" } | null
  payment_method: string | null
  next_action: NextAction | null
  last_setup_error: StripeErrorObject | null
  cancellation_reason: string | null
  readonly payment_method_types: ReadonlyArray<string>
  readonly created: number
  readonly livemode: false
}

export interface Charge {
  readonly id: string
  readonly object: "charge"
  readonly amount: number
  amount_captured: number
  readonly currency: string
  readonly customer: string | null
  readonly description: string | null
  readonly metadata: Record<string, string>
  readonly payment_intent: string
  readonly payment_method: string
  status: "succeeded" | "pending" | "failed"
  paid: boolean
  captured: boolean
  failure_code: string | null
  failure_message: string | null
  outcome: {
    readonly type: "authorized" | "issuer_declined" | "manual_review"
    readonly network_status: "approved_by_network" | "declined_by_network"
    readonly reason: string | null
    readonly seller_message: string
  } | null
  readonly billing_details: BillingDetails
  readonly payment_method_details: {
    readonly type: "card" | "us_bank_account"
    readonly card?: { readonly brand: string; readonly last4: string; readonly fingerprint: string }
  }
  readonly created: number
  readonly livemode: false
}

export interface TaxCalculation {
  readonly id: string
  readonly object: "tax.calculation"
  readonly amount_total: number
  readonly currency: string
  readonly customer: string | null
  readonly customer_details: {
    readonly address: Address
    readonly address_source: "billing" | "shipping"
    readonly ip_address: string | null
    readonly tax_ids: ReadonlyArray<{ readonly type: string; readonly value: string }>
    readonly taxability_override: "customer_exempt" | "none" | "reverse_charge"
  }
  readonly expires_at: number
  readonly livemode: false
  readonly shipping_cost: null
  readonly tax_amount_exclusive: number
  readonly tax_amount_inclusive: number
  readonly tax_breakdown: ReadonlyArray<{
    readonly amount: number
    readonly inclusive: boolean
    readonly taxability_reason: string
    readonly taxable_amount: number
    readonly tax_rate_details: {
      readonly country: string | null
      readonly state: string | null
      readonly percentage_decimal: string
      readonly tax_type: string | null
      readonly rate_type: "percentage"
      readonly flat_amount: null
    }
  }>
  readonly tax_date: number
  readonly line_items?: {
    readonly object: "list"
    readonly has_more: false
    readonly url: string
    readonly data: ReadonlyArray<{
      readonly id: string
      readonly object: "tax.calculation_line_item"
      readonly amount: number
      readonly amount_tax: number
      readonly reference: string | null
      readonly tax_behavior: "exclusive" | "inclusive"
      readonly tax_code: string
      readonly quantity: number
      readonly livemode: false
    }>
  }
}

export interface Event {
  readonly id: string
  readonly object: "event"
  readonly api_version: string
  readonly created: number
  readonly livemode: false
  readonly pending_webhooks: number
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null }
  readonly type: string
  readonly data: { readonly object: unknown }
}

/** One request as the fake saw it, for assertions on exactly what the adapter sent. */
export interface LoggedRequest {
  readonly requestId: string
  readonly method: string
  readonly path: string
  /** The decoded form body (POST) or query string (GET), values still strings, as the SDK encoded them. */
  readonly params: FormBody.Obj
  readonly rawBody: string
  readonly idempotencyKey: string | undefined
  readonly stripeVersion: string | undefined
  readonly apiKey: string | undefined
  /** HTTP status sent, or "destroyed" when a lost-response fault cut the connection. */
  status: number | "destroyed" | "pending"
  replayed: boolean
  fault: string | undefined
}
