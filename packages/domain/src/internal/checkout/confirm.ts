/**
 * Confirm (spec 5): the buyer presses pay. No transaction spans a call to another system:
 *
 * 1. prepare, with no lock held: read the checkout, apply the body, price it (the tax quote is asked here and
 *    recorded), read the confirmation token, validate; then find or create the customer and upsert its processor
 *    customer (so two checkouts of one buyer never wait on each other behind the processor);
 * 2. transaction 1: lock the checkout, check that nothing changed since (else CheckoutLocked: retry), redo the
 *    same pure steps with the recorded quote, redeem the discount, record the attempt (request, idempotency key,
 *    frozen parameters) and move the checkout to `confirmed`. Commit;
 * 3. the processor call and transaction 2 (AttemptAnswered: accepted / declined / unknown) run in the service's
 *    background FiberSet, bounded by CheckoutConfig.PaymentCallTimeout: a client disconnect or a request timeout
 *    only stops the waiting, never the call or the recording of its outcome, and shutdown waits for them.
 *
 * A confirm on a confirmed checkout whose attempt has no recorded answer replays the stored request under the same
 * key (the processor replays its first answer: one charge, whatever token the retry carries), or answers
 * CheckoutLocked while the first call is still in flight.
 */
import { DateTime, Effect, type Exit, Fiber, FiberSet, Option, Result } from "effect"
import * as SpanAttributes from "../SpanAttributes.ts"
import * as Checkout from "../../Checkout.ts"
import * as CheckoutConfig from "../../CheckoutConfig.ts"
import type { ConfirmInput } from "../../CheckoutService.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import * as Confirmation from "../../Confirmation.ts"
import type * as Customer from "../../Customer.ts"
import * as Errors from "../../Errors.ts"
import * as Organization from "../../Organization.ts"
import type * as Pricing from "../../Pricing.ts"
import {
  type ConfirmationTokenPreview,
  type ConfirmInput as ChargeRequest,
  ConfirmOutcome
} from "../../ports/PaymentProcessor.ts"
import * as CheckoutPatch from "./CheckoutPatch.ts"
import type { Calculate, Kit, Loaded } from "./Kit.ts"
import * as CustomerStep from "./customer.ts"
import type { Notify } from "./notify.ts"
import {
  emptyToNull,
  flagsOf,
  type Issue,
  invalid,
  issue,
  Reason,
  requiredFieldIssues,
  resetPaymentFormFields,
  type Selection
} from "./Rules.ts"

/** The external answers a confirm's preparation obtained, replayed inside its transaction. */
interface Recorded {
  readonly quotes: Map<string, ReturnType<Calculate> extends Effect.Effect<infer A, infer E> ? Exit.Exit<A, E> : never>
  readonly previews: Map<string, Option.Option<ConfirmationTokenPreview>>
}

interface Evaluated {
  readonly checkout: Checkout.Checkout
  readonly selection: Selection
  readonly flags: Pricing.Flags
  readonly tokenId: string | null
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
   * Steps 2-12 on a loaded open checkout: the body as a client update, (redemption,) tax, reset, archived price,
   * payments readiness, the token's name, required fields. Fails with every validation problem at once.
   */
  const evaluate = Effect.fnUntraced(function*(
    loaded: Loaded,
    input: ConfirmInput,
    now: DateTime.Utc,
    recorded: Recorded,
    inTransaction: boolean
  ) {
    const organization = loaded.organization
    const foundDiscount = yield* kit.findDiscount(organization.id, CheckoutPatch.discountRef(loaded.checkout, input, "confirm"))
    const applied = CheckoutPatch.decide({
      loaded,
      current: kit.selectionOf(loaded),
      patch: input,
      mode: "confirm",
      now,
      foundDiscount
    })
    const issues: Array<Issue> = [...applied.issues]
    const { selection } = applied
    if (inTransaction && selection.discount !== null) {
      const redeemed = yield* Effect.result(
        catalog.redeemDiscount({ discountId: selection.discount.id, checkoutId: loaded.checkout.id, now })
      )
      if (Result.isFailure(redeemed)) {
        issues.push(issue(["discountId"], Reason.DiscountNotRedeemable(), selection.discount.id))
      }
    }
    const calculate = inTransaction ? replayedCalculate(recorded) : recordingCalculate(recorded)
    const priced = yield* kit.reprice(applied.draft, selection, organization, calculate)
    if (priced.taxError !== null) {
      issues.push(issue(["customerBillingAddress"], Reason.TaxRejected({ message: priced.taxError }), applied.draft.customerBillingAddress))
    }
    const flags = flagsOf(priced.checkout, selection)
    let checkout = resetPaymentFormFields(priced.checkout, flags)
    if (selection.selectedPrice !== null && selection.selectedPrice.isArchived) {
      issues.push(issue(["productPriceId"], Reason.PriceArchived(), selection.selectedPrice.id))
    }
    if (!organization.canAcceptPayments && (flags.isPaymentRequired || flags.isPaymentSetupRequired)) {
      return yield* new Errors.PaymentNotReady({ organizationId: organization.id })
    }
    // Step 8: a wallet hides the name field; take the cardholder name from the token.
    const tokenId = emptyToNull(input.confirmationTokenId)
    if (tokenId !== null && checkout.customerName === null) {
      const found = yield* preview(recorded, tokenId, !inTransaction)
      if (Option.isSome(found) && found.value.billingName !== null) checkout = { ...checkout, customerName: found.value.billingName }
    }
    issues.push(...requiredFieldIssues(checkout, flags, tokenId))
    if (issues.length > 0) return yield* invalid(issues)
    return { checkout, selection, flags, tokenId } satisfies Evaluated as Evaluated
  })

  /** The request a confirm sends for the checkout in its current state (spec 5 step 15). */
  const requestFor = Effect.fnUntraced(function*(
    checkout: Checkout.Checkout,
    organization: Organization.Organization,
    selection: Selection,
    flags: Pricing.Flags,
    tokenId: string,
    processorCustomerId: string
  ) {
    const urls = yield* CheckoutConfig.Urls
    return {
      kind: flags.isPaymentRequired ? "payment" : "setup",
      checkoutId: checkout.id,
      organizationId: organization.id,
      confirmationTokenId: tokenId,
      amount: checkout.totalAmount,
      currency: checkout.currency,
      processorCustomerId,
      metadata: Checkout.intentMetadata(checkout),
      returnUrl: Checkout.confirmationUrl(checkout, urls.frontendBaseUrl),
      description: Checkout.description(organization.name, selection.product?.name ?? null),
      statementDescriptorSuffix: organization.slug.slice(0, 15),
      setupFutureUsage: flags.shouldSavePaymentMethod,
      idempotencyKey: Checkout.idempotencyKey(checkout)
    } satisfies ChargeRequest as ChargeRequest
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
    const evaluated = yield* evaluate(loaded, input, now, prepared.recorded, true)
    const customer = prepared.customer
    const checkout: Checkout.Checkout = {
      ...evaluated.checkout,
      customerId: customer.id,
      paymentProcessorMetadata: {
        ...evaluated.checkout.paymentProcessorMetadata,
        ...(customer.processorCustomerId === null ? {} : { customer_id: customer.processorCustomerId })
      }
    }
    const discount = evaluated.selection.discount
    if (!evaluated.flags.isPaymentFormRequired) {
      const t = CheckoutStatus.transition(checkout, { _tag: "Confirm", intentId: null, pending: null }, now)
      if (Result.isFailure(t)) return yield* t.failure
      const stored = yield* kit.save(t.success.checkout, loaded.checkout.version)
      yield* kit.publish(stored, "checkout.updated")
      return { _tag: "Free", loaded: { ...loaded, checkout: stored, discount } } satisfies Started as Started
    }
    const request = yield* requestFor(
      checkout,
      loaded.organization,
      evaluated.selection,
      evaluated.flags,
      evaluated.tokenId ?? "",
      customer.processorCustomerId ?? ""
    )
    const pending = Confirmation.pendingOf(request, checkout, now)
    const t = CheckoutStatus.transition(checkout, { _tag: "Confirm", intentId: null, pending }, now)
    if (Result.isFailure(t)) return yield* t.failure
    const stored = yield* kit.save(t.success.checkout, loaded.checkout.version)
    yield* kit.publish(stored, "checkout.updated")
    return { _tag: "Charge", checkout: stored, request } satisfies Started as Started
  })

  const confirm = Effect.fn("CheckoutService.confirm")(function*(clientSecret: string, input: ConfirmInput) {
    const now = yield* DateTime.now
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
    const evaluated = yield* evaluate(loaded, input, now, recorded, false)
    const { customer, matchedByEmailOnly } = yield* resolveCustomer(evaluated.checkout, now)

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
  }, SpanAttributes.annotate("CheckoutService.confirm"))

  return { confirm }
}
