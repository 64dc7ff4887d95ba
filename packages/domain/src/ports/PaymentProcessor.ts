/**
 * Port: the payment processor (Stripe in production, a scripted fake in tests, a local test-mode processor in the
 * demo server). Confirm takes an explicit business idempotency key so that a retried or resubmitted confirm never
 * creates a second charge, and its outcome is exhaustive: a lost answer is `Unknown`, never a decline. `lookup` finds
 * what the processor did with an attempt whose answer we lack (reconciliation), and `refund` gives back a payment the
 * checkout cannot keep (a success for a superseded attempt or an expired checkout).
 *
 * Calls never run inside a UnitOfWork.transaction: the caller records its intent, commits, calls, then records the
 * outcome, so no row lock or pooled connection waits on the processor.
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
   * No definite answer (connection lost, 5xx after retries, the key refused because another request with it ran or
   * runs): the processor may or may not have charged. Retrying with the same key and the same parameters is safe.
   * `intentId` when the adapter learnt which intent was created. `keyConflict`: the processor refused the key itself
   * (Stripe: `idempotency_error`, `idempotency_key_in_use` after retries), i.e. another request under it exists.
   */
  Unknown: { readonly reason: string; readonly intentId: string | null; readonly keyConflict?: boolean }
}>
export const ConfirmOutcome = Data.taggedEnum<ConfirmOutcome>()

/**
 * What `lookup` is asked about: an attempt as it was sent (kind, key, customer), or an intent by id. With an
 * `intentId` the intent is read directly; else the processor's intents of that customer (and kind) carrying the
 * checkout id in their metadata are searched.
 */
export interface LookupInput {
  readonly kind: "payment" | "setup" | null
  readonly checkoutId: string
  readonly idempotencyKey: string | null
  readonly processorCustomerId: string | null
  readonly intentId: string | null
}

/**
 * The processor's state of an attempt, as a confirm would have answered (`Succeeded`, `Processing`,
 * `RequiresAction`, `Declined`), or `NotFound`: the processor holds no intent for it (it never ran, or failed before
 * creating one), read consistently (Stripe: listing the customer's intents, not the eventually consistent search).
 * `Unknown` when the processor could not be asked.
 */
export type LookupOutcome = ConfirmOutcome | { readonly _tag: "NotFound" }

export interface RefundInput {
  readonly checkoutId: string
  /** The intent whose money goes back; a setup intent moved none (the refund is then `Nothing`). */
  readonly intentId: string
  /** Same key => same refund: `refund:<intentId>`, so a retried refund never pays back twice. */
  readonly idempotencyKey: string
  readonly reason: string
}

export type RefundOutcome =
  | { readonly _tag: "Refunded"; readonly refundId: string; readonly amount: number }
  /** Nothing to give back (a setup intent, or no successful payment on the intent). */
  | { readonly _tag: "Nothing" }

export class PaymentProcessor extends Context.Service<PaymentProcessor, {
  readonly upsertCustomer: (input: CustomerInput) => Effect.Effect<{ readonly processorCustomerId: string }, PaymentProcessorUnavailable>
  /** Errors are swallowed (None), as the reference does. */
  readonly getConfirmationTokenPreview: (tokenId: string) => Effect.Effect<Option.Option<ConfirmationTokenPreview>>
  readonly confirm: (input: ConfirmInput) => Effect.Effect<ConfirmOutcome>
  /** Reads what became of an attempt (reconciliation). Never creates anything. */
  readonly lookup: (input: LookupInput) => Effect.Effect<LookupOutcome>
  /** Refunds an intent's payment in full, idempotently per key. Unavailable: retry later (nothing is lost). */
  readonly refund: (input: RefundInput) => Effect.Effect<RefundOutcome, PaymentProcessorUnavailable>
  /** Publishable key exposed to the browser in payment_processor_metadata. */
  readonly publishableKey: string | null
}>()("@checkout-kit/domain/PaymentProcessor") {}
