/**
 * @checkout-kit/stripe: the domain's PaymentProcessor and TaxCalculator ports on Stripe, plus webhook verification and the webhook endpoint. The `stripe` SDK is used only inside this package.
 */
export * as ProcessedEvents from "./ProcessedEvents.ts"
export * as StripeClient from "./StripeClient.ts"
export * as StripePaymentProcessor from "./StripePaymentProcessor.ts"
export * as StripeTaxCalculator from "./StripeTaxCalculator.ts"
export * as WebhookEndpoint from "./WebhookEndpoint.ts"
export * as Webhooks from "./Webhooks.ts"
