/**
 * Port: the payment processor (Stripe in production, a scripted fake in tests, a local test-mode processor in the
 * demo server). Confirm takes an explicit business idempotency key so that a retried or resubmitted confirm never
 * creates a second charge, and its outcome is exhaustive: a lost answer is `Unknown`, never a decline.
 */
import type { Effect, Option } from "effect"
import { Context, Data } from "effect"
import type { Address, TaxId } from "../Address.ts"
import type { PaymentProcessorUnavailable } from "../Errors.ts"

export interface CustomerInput {
  /** The processor customer already linked to our customer, if any (then it is updated, not created). */
  readonly existingId: string | null
  readonly email: string
  readonly name: string | null
  readonly address: Address | null
  readonly taxId: TaxId | null
}

export interface ConfirmationTokenPreview {
  readonly billingName: string | null
  readonly cardFingerprint: string | null
}

export interface ConfirmInput {
  /** `payment`: charge `amount` now (PaymentIntent). `setup`: save the payment method only (SetupIntent). */
  readonly kind: "payment" | "setup"
  readonly checkoutId: string
  readonly organizationId: string
  readonly confirmationTokenId: string
  /** Minor units; ignored for `setup`. */
  readonly amount: number
  readonly currency: string
  readonly processorCustomerId: string
  /** organization_id, checkout_id, type, tax_amount, tax_country, tax_state (see spec 5 step 15). */
  readonly metadata: Readonly<Record<string, string>>
  readonly returnUrl: string
  readonly description: string
  readonly statementDescriptorSuffix: string
  /** Recurring products save the payment method for off-session renewals. */
  readonly setupFutureUsage: boolean
  /**
   * Same key => same charge. Derived from the checkout id and its payment attempt counter. The caller sends a key
   * again only with exactly the same parameters (after an unknown outcome it stores the request on the checkout and
   * re-sends it); an adapter treats a key reused with other parameters as a defect (Stripe: 400 idempotency_error).
   */
  readonly idempotencyKey: string
}

export type ConfirmOutcome = Data.TaggedEnum<{
  /** Money moved (or the setup completed). Final success still arrives as a notification. */
  Succeeded: { readonly intentId: string; readonly clientSecret: string; readonly intentStatus: string }
  /** The processor accepted the payment and will settle it asynchronously. */
  Processing: { readonly intentId: string; readonly clientSecret: string; readonly intentStatus: string }
  /** The buyer must complete an action (3-D Secure) in the browser with this client secret. */
  RequiresAction: { readonly intentId: string; readonly clientSecret: string; readonly intentStatus: string }
  /** Definite refusal. */
  Declined: { readonly code: string | null; readonly declineCode: string | null; readonly message: string | null }
  /**
   * No definite answer (connection lost, 5xx after retries): the processor may or may not have charged. Retrying with
   * the same key and the same parameters is safe. `intentId` when the adapter learnt which intent was created.
   */
  Unknown: { readonly reason: string; readonly intentId: string | null }
}>
export const ConfirmOutcome = Data.taggedEnum<ConfirmOutcome>()

export class PaymentProcessor extends Context.Service<PaymentProcessor, {
  readonly upsertCustomer: (input: CustomerInput) => Effect.Effect<{ readonly processorCustomerId: string }, PaymentProcessorUnavailable>
  /** Errors are swallowed (None), as the reference does. */
  readonly getConfirmationTokenPreview: (tokenId: string) => Effect.Effect<Option.Option<ConfirmationTokenPreview>>
  readonly confirm: (input: ConfirmInput) => Effect.Effect<ConfirmOutcome>
  /** Publishable key exposed to the browser in payment_processor_metadata. */
  readonly publishableKey: string | null
}>()("@checkout-kit/domain/PaymentProcessor") {}
