/**
 * Confirm (spec 5): the buyer presses pay. No transaction spans a call to another system:
 *
 * 1. prepare, with no lock held: read the checkout, apply the body, price it (the tax quote is asked here and
 *    recorded), read the confirmation token, validate (`ConfirmPlan.evaluate`); then find or create the customer
 *    and upsert its processor customer (so two checkouts of one buyer never wait on each other behind the
 *    processor);
 * 2. transaction 1: lock the checkout, check that nothing changed since (else CheckoutLocked: retry), redo the
 *    same load with the recorded quote and redeem the discount; the pure `ConfirmPlan.plan` decides what to write
 *    (the attempt: request, idempotency key, frozen parameters; the checkout moved to `confirmed`). Commit;
 * 3. the processor call and transaction 2 (AttemptAnswered: accepted / declined / unknown) run in the service's
 *    background FiberSet, bounded by CheckoutConfig.PaymentCallTimeout: a client disconnect or a request timeout
 *    only stops the waiting, never the call or the recording of its outcome, and shutdown waits for them.
 *
 * A confirm on a confirmed checkout whose attempt has no recorded answer replays the stored request under the same
 * key (the processor replays its first answer: one charge, whatever token the retry carries), or answers
 * CheckoutLocked while the first call is still in flight.
 */
import { DateTime, Effect, type Exit, Fiber, FiberSet, Option, Result } from "effect"
import * as UseCase from "../UseCase.ts"
import type * as Checkout from "../../Checkout.ts"
import * as CheckoutConfig from "../../CheckoutConfig.ts"
import type { ConfirmInput } from "../../CheckoutService.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import * as Confirmation from "../../Confirmation.ts"
import type * as Customer from "../../Customer.ts"
import * as Errors from "../../Errors.ts"
import * as Organization from "../../Organization.ts"
import {
  type ConfirmationTokenPreview,
  type ConfirmInput as ChargeRequest,
  ConfirmOutcome
} from "../../ports/PaymentProcessor.ts"
import * as CheckoutPatch from "./CheckoutPatch.ts"
import * as ConfirmPlan from "./ConfirmPlan.ts"
import type { Calculate, Kit, Loaded } from "./Kit.ts"
import * as CustomerStep from "./customer.ts"
import type { Notify } from "./notify.ts"
import { emptyToNull } from "./Rules.ts"
import * as Now from "../Now.ts"

/** The external answers a confirm's preparation obtained, replayed inside its transaction. */
interface Recorded {
  readonly quotes: Map<string, ReturnType<Calculate> extends Effect.Effect<infer A, infer E> ? Exit.Exit<A, E> : never>
  readonly previews: Map<string, Option.Option<ConfirmationTokenPreview>>
}

export const make = (kit: Kit, notify: Notify) => {
  const { catalog, processor, repo, secrets, uow } = kit
  const resolveCustomer = CustomerStep.make(kit)

  // --- external answers: asked before, replayed inside the transaction ---------------------------------------------

  const recordingCalculate = (recorded: Recorded): Calculate => (input) =>
    Effect.onExit(kit.taxes.calculate(input), (exit) => Effect.sync(() => recorded.quotes.set(JSON.stringify(input), exit)))

  /**
   * Inside transaction 1: the quote prepared for exactly this input. Another input (the catalog changed between
   * the two steps) is not asked for under the lock: the confirm fails as a technical tax error and can be retried.
   */
  const replayedCalculate = (recorded: Recorded): Calculate => (input) => {
    const quote = recorded.quotes.get(JSON.stringify(input))
    return quote === undefined
      ? Effect.fail(new Errors.TaxCalculationTechnicalError({ message: "The tax inputs changed during confirm. Please retry." }))
      : quote
  }

  const preview = (recorded: Recorded, tokenId: string, record: boolean) => {
    const known = recorded.previews.get(tokenId)
    if (known !== undefined || !record) return Effect.succeed(known ?? Option.none())
    return Effect.tap(processor.getConfirmationTokenPreview(tokenId), (p) => Effect.sync(() => recorded.previews.set(tokenId, p)))
  }

  /**
   * The load phase of steps 2-12 on a loaded open checkout: the discount the body names, the body applied, (inside
   * transaction 1: the discount redeemed,) the reprice with its tax, and the token's preview when it is wanted. The
   * decisions are `ConfirmPlan`'s.
   */
  const gather = Effect.fnUntraced(function*(
    loaded: Loaded,
    input: ConfirmInput,
    now: DateTime.Utc,
    recorded: Recorded,
    inTransaction: boolean
  ) {
    const organization = loaded.organization
    const foundDiscount = yield* kit.findDiscount(organization.id, CheckoutPatch.discountRef(loaded.checkout, input, "confirm"))
    const decision = CheckoutPatch.decide({
      loaded,
      current: kit.selectionOf(loaded),
      patch: input,
      mode: "confirm",
      now,
      foundDiscount
    })
    const discount = decision.selection.discount
    const redemptionRefused = inTransaction && discount !== null &&
      Result.isFailure(yield* Effect.result(catalog.redeemDiscount({ discountId: discount.id, checkoutId: loaded.checkout.id, now })))
    const calculate = inTransaction ? replayedCalculate(recorded) : recordingCalculate(recorded)
    const priced = yield* kit.reprice(decision.draft, decision.selection, organization, calculate)
    const found = { loaded, decision, redemptionRefused, priced, tokenId: emptyToNull(input.confirmationTokenId) }
    const wanted = ConfirmPlan.tokenPreviewWanted(found)
    const tokenPreview = wanted === null ? Option.none() : yield* preview(recorded, wanted, !inTransaction)
    return { ...found, tokenPreview } satisfies ConfirmPlan.Found as ConfirmPlan.Found
  })

  // --- the call and its recording, in the background ---------------------------------------------------------------

  /**
   * Sends a recorded attempt and records the answer, to completion whatever happens to the request that started it.
   * The call is bounded by the call timeout (then: unknown). Recording waits for a request holding the checkout; if
   * it still cannot be written (the store is down), the attempt stays `sending` and becomes stale, which the buyer's
   * retry or the reconciliation resolves.
   */
  const charge = (checkoutId: string, request: ChargeRequest, attempt: number) =>
    Effect.gen(function*() {
      const timeout = yield* CheckoutConfig.PaymentCallTimeout
      const outcome = yield* processor.confirm(request).pipe(
        Effect.timeoutOrElse({
          duration: timeout,
          orElse: () => Effect.succeed(ConfirmOutcome.Unknown({ reason: "processor call timed out", intentId: null }))
        })
      )
      const stored = yield* notify.recordAnswer(checkoutId, attempt, outcome, false).pipe(
        Effect.map(Option.some),
        Effect.catchCause((cause) =>
          Effect.as(Effect.logError(`payment outcome of checkout ${checkoutId} not recorded; reconciliation will`, cause), Option.none())
        )
      )
      return { outcome, stored }
    })

  /** Starts `charge` in the background set and waits for it; interrupting the wait leaves the work running. */
  const chargeInBackground = (checkoutId: string, request: ChargeRequest, attempt: number) =>
    Effect.flatMap(
      FiberSet.run(kit.background, { propagateInterruption: false })(charge(checkoutId, request, attempt)),
      (fiber) => Fiber.join(fiber as Fiber.Fiber<Effect.Success<ReturnType<typeof charge>>>)
    )

  /** What the buyer gets back once the processor answered (or did not). */
  const reply = (
    checkoutId: string,
    charged: { readonly outcome: ConfirmOutcome; readonly stored: Option.Option<Checkout.Checkout> },
    customerSessionToken: string | null
  ) =>
    Effect.gen(function*() {
      const { outcome } = charged
      switch (outcome._tag) {
        case "Declined":
          return yield* new Errors.PaymentError({
            checkoutId,
            message: outcome.message,
            code: outcome.code,
            declineCode: outcome.declineCode
          })
        case "Unknown":
          // Another request under this key exists (the processor refused the key): "being processed, retry".
          if (outcome.keyConflict === true) return yield* new Errors.CheckoutLocked({ checkoutId })
          return yield* new Errors.PaymentOutcomeUnknown({ checkoutId, reason: outcome.reason })
        case "Succeeded":
        case "Processing":
        case "RequiresAction": {
          const current = Option.isSome(charged.stored) ? charged.stored : yield* repo.findById(checkoutId)
          if (Option.isNone(current)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: checkoutId })
          return yield* kit.viewOf(yield* kit.load(current.value), customerSessionToken)
        }
      }
    })

  // --- the retry of a recorded attempt -----------------------------------------------------------------------------

  const replay = Effect.fnUntraced(function*(checkoutId: string, now: DateTime.Utc) {
    const timeout = yield* CheckoutConfig.PaymentCallTimeout
    const started = yield* uow.transaction(Effect.gen(function*() {
      const locked = yield* repo.lockForUpdate(checkoutId)
      if (Option.isNone(locked)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: checkoutId })
      const checkout = locked.value
      switch (Confirmation.onRetry(checkout, now, timeout)) {
        case "not_open":
          return yield* new Errors.NotOpenCheckout({ checkoutId, status: checkout.status })
        case "in_flight":
          return yield* new Errors.CheckoutLocked({ checkoutId })
        case "replay": {
          const pending = checkout.pendingPayment!
          yield* kit.save({ ...checkout, pendingPayment: { ...pending, state: "sending", sentAt: now } }, checkout.version)
          return { request: Confirmation.requestOf(checkout, pending), attempt: pending.attempt }
        }
      }
    }))
    const charged = yield* chargeInBackground(checkoutId, started.request, started.attempt)
    return yield* reply(checkoutId, charged, null)
  })

  // --- confirm -----------------------------------------------------------------------------------------------------

  type Started =
    | { readonly _tag: "Expired"; readonly checkout: Checkout.Checkout }
    | { readonly _tag: "Free"; readonly loaded: Loaded }
    | { readonly _tag: "Charge"; readonly checkout: Checkout.Checkout; readonly request: ChargeRequest }

  /** Transaction 1: lock, check, redo the pure steps with the prepared answers, record the attempt, confirm. */
  const start = Effect.fnUntraced(function*(
    clientSecret: string,
    input: ConfirmInput,
    now: DateTime.Utc,
    prepared: { readonly id: string; readonly version: number; readonly recorded: Recorded; readonly customer: Customer.Customer }
  ) {
    // The prepare step found the id by client secret: lock it directly (one statement fewer in the transaction).
    const gate = yield* kit.gateForWrite(clientSecret, now, prepared.id)
    if (gate._tag === "Expired") return gate satisfies Started as Started
    const loaded = gate.loaded
    // Changed since it was prepared (an update, another confirm): the buyer retries on fresh data.
    if (loaded.checkout.version !== prepared.version) return yield* new Errors.CheckoutLocked({ checkoutId: loaded.checkout.id })
    yield* kit.requireOpen(loaded.checkout, now)
    const found = yield* gather(loaded, input, now, prepared.recorded, true)
    const urls = yield* CheckoutConfig.Urls
    const plan = ConfirmPlan.plan(found, { customer: prepared.customer, now, frontendBaseUrl: urls.frontendBaseUrl })
    if (Result.isFailure(plan)) return yield* plan.failure
    const stored = yield* kit.save(plan.success.checkout, loaded.checkout.version)
    yield* kit.publish(stored, "checkout.updated")
    return plan.success._tag === "Free"
      ? { _tag: "Free", loaded: { ...loaded, checkout: stored, discount: plan.success.discount } } satisfies Started as Started
      : { _tag: "Charge", checkout: stored, request: plan.success.request } satisfies Started as Started
  })

  const confirm = UseCase.fn("CheckoutService.confirm")(function*(clientSecret: string, input: ConfirmInput) {
    const now = yield* Now.now
    const found = yield* repo.findByClientSecret(clientSecret)
    if (Option.isNone(found)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
    const snapshot = found.value
    if (CheckoutStatus.isExpiredByTime(snapshot, now)) {
      // Lazy expiry (a write) under the lock, then 410 whatever the status (gate order, spec 2.2).
      const gate = yield* uow.transaction(kit.gateForWrite(clientSecret, now))
      return yield* new Errors.ExpiredCheckoutError({ checkoutId: gate._tag === "Expired" ? gate.checkout.id : snapshot.id })
    }
    const loaded = yield* kit.load(snapshot)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.NotPermitted({ detail: "Not permitted" })
    if (snapshot.status !== "open") return yield* replay(snapshot.id, now)

    // 1. Prepare: every call to another system happens here, with no transaction and no lock.
    const recorded: Recorded = { quotes: new Map(), previews: new Map() }
    const evaluated = ConfirmPlan.evaluate(yield* gather(loaded, input, now, recorded, false))
    if (Result.isFailure(evaluated)) return yield* evaluated.failure
    const { customer, matchedByEmailOnly } = yield* resolveCustomer(evaluated.success.checkout, now)

    // 2. Transaction 1.
    const started = yield* uow.transaction(start(clientSecret, input, now, { id: snapshot.id, version: snapshot.version, recorded, customer }))
    if (started._tag === "Expired") return yield* new Errors.ExpiredCheckoutError({ checkoutId: started.checkout.id })
    const customerSessionToken = matchedByEmailOnly ? null : `polar_cst_${(yield* secrets.newId).replaceAll("-", "")}`
    if (started._tag === "Free") {
      // Nothing to charge: the reference finishes in a background job; we finish right after the commit. If that
      // step cannot run now (the checkout is busy), the checkout stays confirmed and the reconciliation (or a later
      // paymentSucceeded({ intentId: null })) completes it.
      yield* notify.paymentSucceeded({ checkoutId: started.loaded.checkout.id, intentId: null }).pipe(
        Effect.retry({ times: 3 }),
        Effect.catch((e) => Effect.logWarning("free checkout success deferred", e))
      )
      return yield* kit.viewOf(started.loaded, customerSessionToken)
    }

    // 3. The call and transaction 2, in the background; this request only waits for them.
    const charged = yield* chargeInBackground(started.checkout.id, started.request, started.checkout.pendingPayment!.attempt)
    return yield* reply(started.checkout.id, charged, customerSessionToken)
  })

  return { confirm }
}
