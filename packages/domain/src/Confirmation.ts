/**
 * Pure decisions of the payment path (confirm, the processor's answers and notifications, reconciliation), kept
 * apart from the effects that load and store checkouts so they can be table- and property-tested without a store.
 *
 * The rule they implement (docs/checkout-lifecycle.md, "Payment attempts"): an attempt is recorded on the checkout,
 * which becomes `confirmed`, BEFORE the processor is called; from then on the checkout cannot expire or change what
 * it charges until the attempt's outcome is recorded. A success the checkout cannot keep (an attempt that is not its
 * current one, or a checkout that is no longer confirmed) is refunded, never dropped.
 */
import { DateTime, Duration } from "effect"
import * as Checkout from "./Checkout.ts"
import type * as CheckoutStatus from "./CheckoutStatus.ts"
import type { ConfirmInput as ChargeRequest, LookupOutcome } from "./ports/PaymentProcessor.ts"

// ---------------------------------------------------------------------------------------------------------------
// Recording an attempt
// ---------------------------------------------------------------------------------------------------------------

/** The attempt record of a request about to be sent (state `sending`, sent now). */
export const pendingOf = (
  request: ChargeRequest,
  checkout: Checkout.Checkout,
  now: DateTime.Utc
): Checkout.PendingPayment => ({
  attempt: checkout.paymentAttempt,
  idempotencyKey: request.idempotencyKey,
  kind: request.kind,
  confirmationTokenId: request.confirmationTokenId,
  amount: request.amount,
  currency: request.currency,
  processorCustomerId: request.processorCustomerId,
  productPriceId: checkout.productPriceId,
  metadata: request.metadata,
  returnUrl: request.returnUrl,
  description: request.description,
  statementDescriptorSuffix: request.statementDescriptorSuffix,
  setupFutureUsage: request.setupFutureUsage,
  intentId: null,
  state: "sending",
  sentAt: now
})

/** The stored request of a pending attempt, byte for byte (the processor compares every parameter of a replay). */
export const requestOf = (checkout: Checkout.Checkout, pending: Checkout.PendingPayment): ChargeRequest => ({
  kind: pending.kind,
  checkoutId: checkout.id,
  organizationId: checkout.organizationId,
  confirmationTokenId: pending.confirmationTokenId,
  amount: pending.amount,
  currency: pending.currency,
  processorCustomerId: pending.processorCustomerId,
  metadata: pending.metadata,
  returnUrl: pending.returnUrl,
  description: pending.description,
  statementDescriptorSuffix: pending.statementDescriptorSuffix,
  setupFutureUsage: pending.setupFutureUsage,
  idempotencyKey: pending.idempotencyKey
})

/** Whether a `sending` attempt's call may still be running (else its process died mid-call: it is stale). */
export const isInFlight = (pending: Checkout.PendingPayment, now: DateTime.Utc, callTimeout: Duration.Duration): boolean =>
  pending.state === "sending" && DateTime.isLessThan(now, DateTime.addDuration(pending.sentAt, callTimeout))

// ---------------------------------------------------------------------------------------------------------------
// A confirm on a checkout that is not open
// ---------------------------------------------------------------------------------------------------------------

/**
 * What a confirm does with a checkout that is not open: replay its pending attempt when the outcome is unknown (or
 * its call is stale), tell the buyer it is being processed while the call runs, else refuse it as not open (the
 * reference's answer once a confirm committed).
 */
export type Retry = "replay" | "in_flight" | "not_open"

export const onRetry = (checkout: Checkout.Checkout, now: DateTime.Utc, callTimeout: Duration.Duration): Retry => {
  const pending = checkout.pendingPayment
  if (checkout.status !== "confirmed" || pending === null) return "not_open"
  return isInFlight(pending, now, callTimeout) ? "in_flight" : "replay"
}

// ---------------------------------------------------------------------------------------------------------------
// The processor's answer
// ---------------------------------------------------------------------------------------------------------------

/** The status machine's view of a confirm (or lookup) outcome; `NotFound` is not an answer (see reconcile). */
export const answerOf = (outcome: LookupOutcome, processorCustomerId: string): CheckoutStatus.Answer => {
  switch (outcome._tag) {
    case "Succeeded":
    case "Processing":
    case "RequiresAction":
      return {
        _tag: "Accepted",
        intentId: outcome.intentId,
        metadata: {
          customer_id: processorCustomerId,
          intent_client_secret: outcome.clientSecret,
          intent_status: outcome.intentStatus
        }
      }
    case "Declined":
      return { _tag: "Declined" }
    case "Unknown":
      return { _tag: "Unknown", intentId: outcome.intentId }
    case "NotFound":
      return { _tag: "Unknown" }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------------------------

export interface Notification {
  readonly intentId: string | null
  readonly idempotencyKey?: string | null | undefined
}

/**
 * What a success notification means for the checkout:
 * - `SettleAttempt`: it is about the pending attempt (by key, or by its known intent): record it and succeed;
 * - `Transition`: the status machine decides (the current intent succeeds; a duplicate is ignored; a free
 *   checkout's success, intent null);
 * - `RetryLater`: an attempt is pending and we do not know its intent yet, so this may be about it;
 * - `Refund`: money arrived for an intent the checkout cannot keep: it is not (or no longer) the checkout's current
 *   attempt, or the checkout is open again, expired or failed. Giving it back is the only safe answer: completing
 *   could fulfil something else than what was paid (the buyer may have changed the product since).
 */
export type SuccessDecision =
  | { readonly _tag: "SettleAttempt"; readonly intentId: string | null }
  | { readonly _tag: "Transition" }
  | { readonly _tag: "RetryLater" }
  | { readonly _tag: "Refund"; readonly intentId: string; readonly reason: RefundReason }

export type RefundReason = "superseded_attempt" | "checkout_not_confirmed" | "already_paid"

export const onSuccess = (checkout: Checkout.Checkout, n: Notification): SuccessDecision => {
  const pending = checkout.pendingPayment
  switch (checkout.status) {
    case "confirmed":
      if (pending !== null) {
        if (Checkout.isAboutPendingPayment(checkout, n)) return { _tag: "SettleAttempt", intentId: n.intentId ?? pending.intentId }
        return { _tag: "RetryLater" }
      }
      if (n.intentId === null || n.intentId === checkout.currentIntentId) return { _tag: "Transition" }
      return { _tag: "Refund", intentId: n.intentId, reason: "superseded_attempt" }
    case "succeeded":
      if (n.intentId === null || n.intentId === checkout.currentIntentId) return { _tag: "Transition" }
      return { _tag: "Refund", intentId: n.intentId, reason: "already_paid" }
    case "open":
      // Nothing is sent while open (the attempt is recorded, and the checkout confirmed, first): this is an older
      // attempt's money. Without an intent (a free checkout) there is nothing to refund.
      if (n.intentId === null) return { _tag: "Transition" }
      return { _tag: "Refund", intentId: n.intentId, reason: "checkout_not_confirmed" }
    case "expired":
    case "failed":
      if (n.intentId === null) return { _tag: "Transition" }
      return { _tag: "Refund", intentId: n.intentId, reason: "checkout_not_confirmed" }
  }
}

/** A failure notification about the pending attempt settles it as declined; anything else is the status machine's. */
export const isFailureOfPendingAttempt = (checkout: Checkout.Checkout, n: Notification): boolean =>
  checkout.status === "confirmed" && Checkout.isAboutPendingPayment(checkout, n)

// ---------------------------------------------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------------------------------------------

/**
 * What the reconciliation job does with a confirmed checkout:
 * - `ResolveAttempt`: its attempt's outcome is unknown (or its call is stale): look it up at the processor;
 * - `CheckIntent`: its intent was accepted but no final notification came within `notificationGrace`: read it;
 * - `CompleteFree`: a checkout without payment whose success step did not run (see confirm);
 * - `Skip`: a call in flight, or a recent intent whose notification may still come.
 */
export type ReconcileAction = "ResolveAttempt" | "CheckIntent" | "CompleteFree" | "Skip"

export const reconcileAction = (
  checkout: Checkout.Checkout,
  now: DateTime.Utc,
  callTimeout: Duration.Duration,
  notificationGrace: Duration.Duration
): ReconcileAction => {
  if (checkout.status !== "confirmed") return "Skip"
  const pending = checkout.pendingPayment
  if (pending !== null) return isInFlight(pending, now, callTimeout) ? "Skip" : "ResolveAttempt"
  const changed = checkout.modifiedAt ?? checkout.createdAt
  const quiet = !DateTime.isLessThan(now, DateTime.addDuration(changed, notificationGrace))
  if (checkout.currentIntentId === null) return quiet ? "CompleteFree" : "Skip"
  return quiet ? "CheckIntent" : "Skip"
}

/** The default grace before a confirmed checkout's intent is read at the processor (its webhook may be late). */
export const defaultNotificationGrace: Duration.Duration = Duration.minutes(10)
