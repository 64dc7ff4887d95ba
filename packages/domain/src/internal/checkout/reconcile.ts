/**
 * Reconciliation: resolves what the confirm path could not record, by asking the processor (never by guessing).
 *
 * For each confirmed checkout (CheckoutRepository.listConfirmed), Confirmation.reconcileAction decides:
 * - an attempt with no recorded answer (unknown, or `sending` longer than the call timeout: its process died) is
 *   looked up (PaymentProcessor.lookup: by intent id, else the customer's intents carrying the checkout id). Found:
 *   its answer is recorded, and a succeeded intent succeeds the checkout. Not found: the stored request is replayed
 *   under the same key (the processor either replays what it stored or runs it now), and if that is still no
 *   answer, looked up again: still nothing means nothing was charged (Stripe stored an error under the key, e.g. a
 *   5xx), and the attempt is settled as declined, so the buyer can pay again under a new key;
 * - an accepted intent whose notification did not come within the grace period is read, and its final state
 *   (succeeded / failed) applied as the notification would have;
 * - a free checkout whose success step did not run is completed.
 * Each checkout is handled on its own: a failure is logged and left for the next run.
 */
import { DateTime, Duration, Effect, Fiber, FiberSet } from "effect"
import * as UseCase from "../UseCase.ts"
import type * as Checkout from "../../Checkout.ts"
import * as CheckoutConfig from "../../CheckoutConfig.ts"
import type { ReconcileOptions, ReconcileReport } from "../../CheckoutService.ts"
import * as Confirmation from "../../Confirmation.ts"
import type { LookupOutcome } from "../../ports/PaymentProcessor.ts"
import type { Kit } from "./Kit.ts"
import type { Notify } from "./notify.ts"
import * as Now from "../Now.ts"

type Resolution = "resolved" | "unresolved" | "skipped"

const isAnswer = (o: LookupOutcome) => o._tag !== "NotFound" && o._tag !== "Unknown"

export const make = (kit: Kit, notify: Notify) => {
  const { processor, repo, uow } = kit

  /** An attempt without a recorded answer. */
  const resolveAttempt = Effect.fnUntraced(function*(checkout: Checkout.Checkout, now: DateTime.Utc) {
    const pending = checkout.pendingPayment!
    const lookup = () =>
      processor.lookup({
        kind: pending.kind,
        checkoutId: checkout.id,
        idempotencyKey: pending.idempotencyKey,
        processorCustomerId: pending.processorCustomerId,
        intentId: pending.intentId
      })
    const first = yield* lookup()
    if (isAnswer(first)) {
      yield* notify.recordAnswer(checkout.id, pending.attempt, first, true)
      return "resolved" satisfies Resolution as Resolution
    }
    if (first._tag === "Unknown") return "unresolved" satisfies Resolution as Resolution
    // Not found: replay the very request under its key, marked as sending (a confirm retry meanwhile waits).
    const marked = yield* uow.transaction(Effect.gen(function*() {
      const current = yield* repo.findById(checkout.id)
      if (current._tag === "None" || current.value.pendingPayment?.attempt !== pending.attempt) return false
      const again = current.value.pendingPayment
      if (Confirmation.isInFlight(again, now, yield* CheckoutConfig.PaymentCallTimeout)) return false
      yield* kit.save({ ...current.value, pendingPayment: { ...again, state: "sending", sentAt: now } }, current.value.version)
      return true
    }))
    if (!marked) return "skipped" satisfies Resolution as Resolution
    const timeout = yield* CheckoutConfig.PaymentCallTimeout
    const replayed = yield* processor.confirm(Confirmation.requestOf(checkout, pending)).pipe(
      Effect.timeoutOrElse({ duration: timeout, orElse: () => Effect.succeed<LookupOutcome>({ _tag: "NotFound" }) })
    )
    if (isAnswer(replayed)) {
      yield* notify.recordAnswer(checkout.id, pending.attempt, replayed, true)
      return "resolved" satisfies Resolution as Resolution
    }
    const second = yield* lookup()
    if (second._tag === "Unknown") {
      yield* notify.recordAnswer(checkout.id, pending.attempt, second, false)
      return "unresolved" satisfies Resolution as Resolution
    }
    // Found now, or still nothing at the processor: nothing was charged under this key (declined).
    const settled: LookupOutcome = isAnswer(second)
      ? second
      : { _tag: "Declined", code: null, declineCode: null, message: "no payment was made for this attempt" }
    yield* notify.recordAnswer(checkout.id, pending.attempt, settled, true)
    return "resolved" satisfies Resolution as Resolution
  })

  /** An accepted intent whose final notification did not come. */
  const checkIntent = Effect.fnUntraced(function*(checkout: Checkout.Checkout) {
    const intentId = checkout.currentIntentId!
    const found = yield* processor.lookup({
      kind: null,
      checkoutId: checkout.id,
      idempotencyKey: null,
      processorCustomerId: checkout.paymentProcessorMetadata["customer_id"] ?? null,
      intentId
    })
    switch (found._tag) {
      case "Succeeded":
        yield* notify.paymentSucceeded({ checkoutId: checkout.id, intentId })
        return "resolved" satisfies Resolution as Resolution
      case "Declined":
        yield* notify.paymentFailed({ checkoutId: checkout.id, intentId })
        return "resolved" satisfies Resolution as Resolution
      case "Processing":
      case "RequiresAction":
        return "skipped" satisfies Resolution as Resolution
      case "Unknown":
      case "NotFound":
        return "unresolved" satisfies Resolution as Resolution
    }
  })

  const reconcilePayments = UseCase.fn("CheckoutService.reconcilePayments")(function*(options?: ReconcileOptions) {
    const now = yield* Now.now
    const timeout = yield* CheckoutConfig.PaymentCallTimeout
    const grace = options?.notificationGrace === undefined
      ? Confirmation.defaultNotificationGrace
      : Duration.fromInputUnsafe(options.notificationGrace)
    const candidates = yield* repo.listConfirmed(now, options?.limit ?? 500)
    const resolved: Array<string> = []
    const unresolved: Array<string> = []
    for (const checkout of candidates) {
      const action = Confirmation.reconcileAction(checkout, now, timeout, grace)
      const handle: Effect.Effect<Resolution, unknown, never> = action === "ResolveAttempt"
        ? resolveAttempt(checkout, now)
        : action === "CheckIntent"
        ? checkIntent(checkout)
        : action === "CompleteFree"
        ? Effect.as(notify.paymentSucceeded({ checkoutId: checkout.id, intentId: null }), "resolved" as const)
        : Effect.succeed("skipped" as const)
      // Each in the background set: a shutdown in the middle waits for the call and its recording.
      const safe = handle.pipe(
        Effect.catchCause((cause) =>
          Effect.as(Effect.logWarning(`reconciliation of checkout ${checkout.id} failed; next run retries`, cause), "unresolved" as const)
        )
      )
      const fiber = yield* FiberSet.run(kit.background, { propagateInterruption: false })(safe)
      const outcome = (yield* Fiber.join(fiber)) as Resolution
      if (outcome === "resolved") resolved.push(checkout.id)
      if (outcome === "unresolved") unresolved.push(checkout.id)
    }
    return { examined: candidates.length, resolved, unresolved } satisfies ReconcileReport
  })

  return { reconcilePayments }
}
