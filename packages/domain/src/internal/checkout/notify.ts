/**
 * The processor's notifications (Stripe webhooks: `charge.succeeded`, `payment_intent.payment_failed`, ...), and the
 * one place that records an attempt's answer (confirm's second transaction and the reconciliation call it too).
 *
 * Load (lock the checkout) -> decide (Confirmation.onSuccess, the status machine) -> persist, in one unit of work.
 * A refund is the exception: the decision is taken under the lock, the refund is asked for after the commit (no
 * transaction spans a processor call), and `checkout.payment_refunded` is published in a second unit of work. If the
 * refund call fails, the notification fails (the processor delivers it again) and the same key is reused, so the
 * money goes back once.
 */
import { DateTime, Effect, Option, Result } from "effect"
import * as UseCase from "../UseCase.ts"
import type * as Checkout from "../../Checkout.ts"
import type { PaymentNotification, PaymentResult } from "../../CheckoutService.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import * as Confirmation from "../../Confirmation.ts"
import * as Errors from "../../Errors.ts"
import type { CheckoutEventType } from "../../ports/Events.ts"
import type { LookupOutcome } from "../../ports/PaymentProcessor.ts"
import type { Kit } from "./Kit.ts"
import * as Now from "../Now.ts"

export interface Notify {
  readonly paymentSucceeded: (
    n: PaymentNotification
  ) => Effect.Effect<
    PaymentResult,
    Errors.ResourceNotFound | Errors.NotConfirmedCheckout | Errors.CheckoutLocked | Errors.PaymentProcessorUnavailable
  >
  readonly paymentFailed: (n: PaymentNotification) => Effect.Effect<PaymentResult, Errors.ResourceNotFound | Errors.CheckoutLocked>
  /**
   * Records the processor's answer to pending attempt `attempt` (AttemptAnswered): accepted, declined (open again,
   * redemption released) or unknown. With `complete`, an intent that already succeeded also succeeds the checkout
   * (reconciliation: its notification may never come); confirm leaves that to the notification, as the reference
   * does, so that its response shows `confirmed`. Returns the stored checkout; a no-op when the attempt was settled
   * by someone else first.
   */
  readonly recordAnswer: (
    checkoutId: string,
    attempt: number,
    outcome: LookupOutcome,
    complete: boolean
  ) => Effect.Effect<Checkout.Checkout, Errors.ResourceNotFound | Errors.CheckoutLocked>
}

type Decided =
  | { readonly _tag: "Done"; readonly result: PaymentResult }
  | {
    readonly _tag: "Refund"
    readonly checkout: Checkout.Checkout
    readonly intentId: string
    readonly reason: Confirmation.RefundReason
  }

export const make = (kit: Kit): Notify => {
  const { catalog, repo, uow } = kit

  /** Stores a transition's result; `Ignored` when it left the checkout as it was. */
  const applyTransition = (before: Checkout.Checkout, t: CheckoutStatus.Transition, ...types: ReadonlyArray<CheckoutEventType>) =>
    Effect.gen(function*() {
      if (t._tag === "Ignored") return t satisfies PaymentResult as PaymentResult
      const stored = yield* kit.save(t.checkout, before.version)
      yield* kit.publish(stored, ...types)
      return { _tag: "Applied", checkout: stored } satisfies PaymentResult as PaymentResult
    })

  /** Runs `handle` in one unit of work on the checkout locked for update (not found when unknown). */
  const onLocked = <A, E, R>(checkoutId: string, handle: (checkout: Checkout.Checkout, now: DateTime.Utc) => Effect.Effect<A, E, R>) =>
    Effect.gen(function*() {
      const now = yield* Now.now
      return yield* uow.transaction(Effect.gen(function*() {
        const locked = yield* repo.lockForUpdate(checkoutId)
        if (Option.isNone(locked)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: checkoutId })
        return yield* handle(locked.value, now)
      }))
    })

  /** Accepted, then (for a succeeded intent) succeeded: the two transitions a confirm and its notification make. */
  const settleAccepted = (checkout: Checkout.Checkout, now: DateTime.Utc, answer: CheckoutStatus.Answer, succeeded: boolean) =>
    Effect.gen(function*() {
      const pending = checkout.pendingPayment!
      const t = CheckoutStatus.transition(checkout, { _tag: "AttemptAnswered", attempt: pending.attempt, answer }, now)
      if (Result.isFailure(t)) return yield* Effect.die(t.failure)
      if (t.success._tag === "Ignored" || answer._tag !== "Accepted" || !succeeded) {
        if (answer._tag === "Declined" && t.success._tag === "Moved") yield* catalog.releaseRedemption(checkout.id)
        return yield* applyTransition(checkout, t.success, ...(answer._tag === "Unknown" ? [] : ["checkout.updated" as const]))
      }
      const done = CheckoutStatus.transition(t.success.checkout, { _tag: "PaymentSucceeded", intentId: answer.intentId }, now)
      if (Result.isFailure(done)) return yield* Effect.die(done.failure)
      return yield* applyTransition(checkout, done.success, "checkout.updated", "checkout.succeeded")
    })

  /**
   * Like `onLocked`, for work that must not be dropped because a request holds the checkout for a moment: it reads
   * the row and writes it with a versioned update, which waits for the holder of the row lock (UnitOfWork), and a
   * concurrent change (CheckoutLocked) reads and decides again.
   */
  const onCurrent = <A, E extends { readonly _tag: string }, R>(
    checkoutId: string,
    handle: (checkout: Checkout.Checkout, now: DateTime.Utc) => Effect.Effect<A, E, R>
  ) =>
    Effect.gen(function*() {
      const now = yield* Now.now
      return yield* uow.transaction(Effect.gen(function*() {
        const found = yield* repo.findById(checkoutId)
        if (Option.isNone(found)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: checkoutId })
        return yield* handle(found.value, now)
      }))
    }).pipe(Effect.retry({ times: 20, while: (e) => e._tag === "CheckoutLocked" }))

  const recordAnswer = (checkoutId: string, attempt: number, outcome: LookupOutcome, complete: boolean) =>
    onCurrent(checkoutId, (checkout, now) =>
      Effect.gen(function*() {
        const pending = checkout.pendingPayment
        if (checkout.status !== "confirmed" || pending === null || pending.attempt !== attempt) return checkout
        const answer = Confirmation.answerOf(outcome, pending.processorCustomerId)
        const result = yield* settleAccepted(checkout, now, answer, complete && outcome._tag === "Succeeded")
        return result.checkout
      }))

  const refund = (checkout: Checkout.Checkout, intentId: string, reason: Confirmation.RefundReason) =>
    Effect.gen(function*() {
      const done = yield* kit.processor.refund({
        checkoutId: checkout.id,
        intentId,
        idempotencyKey: `refund:${intentId}`,
        reason
      })
      // Nothing at the processor to give back (no payment on that intent, or a setup): a stale notification.
      if (done._tag === "Nothing") {
        return { _tag: "Ignored", checkout, reason: "superseded_intent" } satisfies PaymentResult as PaymentResult
      }
      yield* Effect.logWarning(`payment ${intentId} for checkout ${checkout.id} refunded (${reason})`)
      yield* uow.transaction(kit.publishEvent({
        type: "checkout.payment_refunded",
        checkout,
        refund: { intentId, refundId: done.refundId, amount: done.amount, reason }
      }))
      return { _tag: "Refunded", checkout, reason, refundId: done.refundId } satisfies PaymentResult as PaymentResult
    })

  const paymentSucceeded = UseCase.fn("CheckoutService.paymentSucceeded")(function*(n: PaymentNotification) {
    const decided = yield* onLocked(n.checkoutId, (checkout, now) =>
      Effect.gen(function*() {
        const decision = Confirmation.onSuccess(checkout, n)
        switch (decision._tag) {
          case "RetryLater":
            return yield* new Errors.NotConfirmedCheckout({ checkoutId: checkout.id, status: checkout.status })
          case "Refund":
            return { _tag: "Refund", checkout, intentId: decision.intentId, reason: decision.reason } satisfies Decided as Decided
          case "SettleAttempt": {
            const pending = checkout.pendingPayment!
            const intentId = decision.intentId
            if (intentId === null) {
              // Matched by key, yet no intent named: nothing to record it against; the answer will name it.
              return yield* new Errors.NotConfirmedCheckout({ checkoutId: checkout.id, status: checkout.status })
            }
            const answer: CheckoutStatus.Answer = {
              _tag: "Accepted",
              intentId,
              metadata: { customer_id: pending.processorCustomerId }
            }
            return { _tag: "Done", result: yield* settleAccepted(checkout, now, answer, true) } satisfies Decided as Decided
          }
          case "Transition": {
            const t = CheckoutStatus.transition(checkout, { _tag: "PaymentSucceeded", intentId: n.intentId }, now)
            if (Result.isFailure(t)) return yield* t.failure
            const result = yield* applyTransition(checkout, t.success, "checkout.updated", "checkout.succeeded")
            return { _tag: "Done", result } satisfies Decided as Decided
          }
        }
      }))
    if (decided._tag === "Done") return decided.result
    return yield* refund(decided.checkout, decided.intentId, decided.reason)
  })

  const paymentFailed = UseCase.fn("CheckoutService.paymentFailed")(function*(n: PaymentNotification) {
    return yield* onLocked(n.checkoutId, (checkout, now) =>
      Effect.gen(function*() {
        if (Confirmation.isFailureOfPendingAttempt(checkout, n)) {
          // The pending attempt definitely failed: open again, the next confirm is a new charge under a new key.
          return yield* settleAccepted(checkout, now, { _tag: "Declined" }, false)
        }
        const t = CheckoutStatus.transition(checkout, { _tag: "PaymentFailed", intentId: n.intentId }, now)
        if (Result.isFailure(t)) return yield* Effect.die(t.failure)
        if (t.success._tag === "Moved") yield* catalog.releaseRedemption(checkout.id)
        return yield* applyTransition(checkout, t.success, "checkout.updated")
      }))
  })

  return { paymentSucceeded, paymentFailed, recordAnswer }
}
