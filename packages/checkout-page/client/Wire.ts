/**
 * The parts of the public client API's JSON the page reads (Polar's `CheckoutPublic`, snake_case). Only what the
 * page shows or sends: the server remains the authority on every rule.
 */
export type Status = "open" | "expired" | "confirmed" | "succeeded" | "failed"
export type FieldMode = "required" | "optional" | "disabled"
export type AddressField = "country" | "state" | "city" | "postal_code" | "line1" | "line2"

export interface SeatTier {
  readonly min_seats: number
  readonly max_seats: number | null
  readonly price_per_seat: number
}

export interface Price {
  readonly id: string
  readonly amount_type: "fixed" | "custom" | "free" | "seat_based" | "metered_unit"
  readonly price_currency: string
  readonly type: "one_time" | "recurring"
  readonly recurring_interval: string | null
  readonly price_amount?: number
  readonly minimum_amount?: number | null
  readonly maximum_amount?: number | null
  readonly preset_amount?: number | null
  readonly seat_tiers?: {
    readonly seat_tier_type: "graduated" | "volume"
    readonly tiers: ReadonlyArray<SeatTier>
    readonly minimum_seats: number
    readonly maximum_seats: number | null
  }
  readonly unit_amount?: string | number
  readonly meter?: { readonly name: string } | null
}

export interface Product {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly is_recurring: boolean
  readonly recurring_interval: string | null
  readonly recurring_interval_count: number | null
  readonly prices: ReadonlyArray<Price>
  readonly benefits: ReadonlyArray<{ readonly description: string }>
}

export interface CustomField {
  readonly slug: string
  readonly name: string
  readonly type: "text" | "number" | "date" | "checkbox" | "select"
  readonly properties: {
    readonly form_label?: string
    readonly form_help_text?: string
    readonly form_placeholder?: string
    readonly textarea?: boolean
    readonly min_length?: number
    readonly max_length?: number
    readonly ge?: number
    readonly le?: number
    readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string }>
  }
}

export interface Checkout {
  readonly id: string
  readonly status: Status
  readonly client_secret: string
  readonly url: string
  readonly success_url: string
  readonly embed_origin: string | null
  readonly amount: number
  readonly discount_amount: number
  readonly net_amount: number
  readonly tax_amount: number | null
  readonly total_amount: number
  readonly currency: string
  readonly seats: number | null
  readonly min_seats: number | null
  readonly max_seats: number | null
  readonly product_id: string | null
  readonly product_price_id: string | null
  readonly products: ReadonlyArray<Product>
  readonly product: Product | null
  readonly product_price: Price | null
  readonly prices: Readonly<Record<string, ReadonlyArray<Price>>> | null
  readonly discount: { readonly code: string | null; readonly name: string } | null
  readonly allow_discount_codes: boolean
  readonly require_billing_address: boolean
  readonly is_discount_applicable: boolean
  readonly is_free_product_price: boolean
  readonly is_payment_required: boolean
  readonly is_payment_form_required: boolean
  readonly is_business_customer: boolean
  readonly customer_email: string | null
  readonly customer_name: string | null
  readonly customer_billing_name: string | null
  readonly customer_billing_address: Partial<Record<AddressField, string | null>> | null
  readonly customer_tax_id: string | null
  readonly custom_field_data: Readonly<Record<string, unknown>>
  readonly attached_custom_fields: ReadonlyArray<{ readonly required: boolean; readonly custom_field: CustomField }>
  readonly billing_address_fields: Readonly<Record<AddressField, FieldMode>>
  readonly active_trial_interval: string | null
  readonly active_trial_interval_count: number | null
  readonly trial_end: string | null
  readonly organization: { readonly name: string; readonly avatar_url: string | null }
  readonly payment_processor_metadata: Readonly<Record<string, string>>
}

/** One item of a 422 body: `loc` starts with "body", then the field path. */
export interface ValidationItem {
  readonly loc: ReadonlyArray<string | number>
  readonly msg: string
  readonly type: string
}
