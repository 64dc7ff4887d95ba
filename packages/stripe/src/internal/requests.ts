/**
 * What the payment processor sends to Stripe and shows the buyer: the PaymentIntent and SetupIntent parameters
 * (exactly the reference's), addresses in Stripe's shape, tax id types, and the reference's decline text.
 * Re-exported by StripePaymentProcessor.
 */
import type { Address, ConfirmInput } from "@checkout-kit/domain"
import type Stripe from "stripe"

/**
 * The reference's `PaymentError` detail for a refused payment: "The payment failed: <Stripe message> Please try again
 * with a different payment method.", or without the message when Stripe gave none.
 */
export const declineMessage = (declined: { readonly message: string | null }): string =>
  declined.message === null || declined.message === ""
    ? "The payment failed. Please try again with a different payment method."
    : `The payment failed: ${declined.message} Please try again with a different payment method.`

/** Stripe wants the bare subdivision code (`NY`); our addresses keep US/CA states prefixed (`US-NY`). */
export interface StripeAddress {
  readonly line1: string
  readonly line2: string
  readonly postal_code: string
  readonly city: string
  readonly state: string
  readonly country: string
}

/** Empty strings are Stripe's "unset" (the SDK sends `null` the same way). */
export const toStripeAddress = (address: Address.Address): StripeAddress => ({
  line1: address.line1 ?? "",
  line2: address.line2 ?? "",
  postal_code: address.postalCode ?? "",
  city: address.city ?? "",
  state: address.state === null ? "" : address.state.replace(/^[A-Z]{2}-/u, ""),
  country: address.country
})

/** The reference's tax id formats are Stripe's tax id types (`eu_vat`, `us_ein`, …). */
export const stripeTaxIdType = /^[a-z]{2}_[a-z_]+$/u

const metadataOf = (input: ConfirmInput): Record<string, string> => ({
  type: "product",
  ...input.metadata,
  // The webhook side finds the checkout through these two keys; they are never left to chance.
  organization_id: input.organizationId,
  checkout_id: input.checkoutId
})

/** PaymentIntent parameters, exactly the reference's (spec/stripe-adapter.md §1.3, step 3a). */
export const paymentIntentParams = (input: ConfirmInput): Stripe.PaymentIntentCreateParams => ({
  amount: input.amount,
  currency: input.currency,
  automatic_payment_methods: { enabled: true },
  confirm: true,
  confirmation_token: input.confirmationTokenId,
  customer: input.processorCustomerId,
  ...(input.statementDescriptorSuffix === "" ? {} : { statement_descriptor_suffix: input.statementDescriptorSuffix }),
  description: input.description,
  metadata: metadataOf(input),
  return_url: input.returnUrl,
  expand: ["payment_method"],
  ...(input.setupFutureUsage ? { setup_future_usage: "off_session" as const } : {})
})

/** SetupIntent parameters: the PaymentIntent's minus amount, currency, descriptor and setup_future_usage (step 3b). */
export const setupIntentParams = (input: ConfirmInput): Stripe.SetupIntentCreateParams => ({
  automatic_payment_methods: { enabled: true },
  confirm: true,
  confirmation_token: input.confirmationTokenId,
  customer: input.processorCustomerId,
  description: input.description,
  metadata: metadataOf(input),
  return_url: input.returnUrl,
  expand: ["payment_method"]
})
