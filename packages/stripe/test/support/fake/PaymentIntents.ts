/**
 * PaymentIntents and their charges: create (optionally confirming), retrieve, update, confirm and cancel, with
 * the outcome chosen by the payment method's scenario and the events Stripe emits.
 */
import type * as ConfirmationTokens from "./ConfirmationTokens.ts"
import { type Store, randomId, newId, nowSeconds } from "./State.ts"
import type * as P from "../ParamSpec.ts"
import type {
  PaymentMethod,
  StripeErrorObject,
  PaymentIntentStatus,
  PaymentIntent,
  Charge,
  LoggedRequest
} from "./Objects.ts"
import {
  type Reply,
  type Ctx,
  returnUrlRequired,
  docUrl,
  errorReply,
  invalid,
  missing,
  ok,
  byId,
  str,
  obj,
  toMetadata
} from "./Reply.ts"
import { nextActionFor } from "./ConfirmationTokens.ts"

/** Stripe's minimum charge amounts for the currencies tests use (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). */
const minimumCharge: { readonly [currency: string]: number } = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50 }

export const declineError = (scenario: "decline" | "insufficient_funds"): StripeErrorObject => ({
  type: "card_error",
  code: "card_declined",
  decline_code: scenario === "decline" ? "generic_decline" : "insufficient_funds",
  message: scenario === "decline" ? "Your card was declined." : "Your card has insufficient funds.",
  doc_url: docUrl("card_declined")
})

const cancellable = new Set<PaymentIntentStatus>([
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing"
])

/** The PaymentIntent handlers, over one fake's state and the shared payment-source resolution. */
export const make = (store: Store, sources: ConfirmationTokens.Sources) => {
  const { customers, paymentIntents, charges, emit, expansions, renderPaymentIntent } = store

  const { storeNewIntent, attachSource, resolveSource } = sources

  const newCharge = (pi: PaymentIntent, pm: PaymentMethod, status: Charge["status"], failure: StripeErrorObject | null) => {
    const charge: Charge = {
      id: newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: status === "succeeded" ? pi.amount : 0,
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      metadata: { ...pi.metadata },
      payment_intent: pi.id,
      payment_method: pm.id,
      status,
      paid: status === "succeeded",
      captured: status === "succeeded",
      failure_code: failure?.code ?? null,
      failure_message: failure?.message ?? null,
      outcome: status === "pending"
        ? null
        : status === "succeeded"
        ? { type: "authorized", network_status: "approved_by_network", reason: null, seller_message: "Payment complete." }
        : {
          type: "issuer_declined",
          network_status: "declined_by_network",
          reason: failure?.decline_code ?? null,
          seller_message: "The bank did not return any further details with this decline."
        },
      billing_details: pm.billing_details,
      payment_method_details: pm.card !== null
        ? { type: "card", card: { brand: pm.card.brand, last4: pm.card.last4, fingerprint: pm.card.fingerprint } }
        : { type: "us_bank_account" },
      created: nowSeconds(),
      livemode: false
    }
    charges.set(charge.id, charge)
    pi.latest_charge = charge.id
    return charge
  }

  const confirmPaymentIntent = (
    pi: PaymentIntent,
    params: P.TypedObject,
    returnUrl: string | null,
    log: LoggedRequest
  ): Reply => {
    const expand = expansions(params)
    if (pi.status === "succeeded") {
      return invalid(
        "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.",
        { code: "payment_intent_unexpected_state" }
      )
    }
    if (pi.status !== "requires_payment_method" && pi.status !== "requires_confirmation") {
      return invalid(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`, {
        code: "payment_intent_unexpected_state"
      })
    }
    const source = resolveSource(params, "payment_intent")
    if (source._tag === "Failed") return source.reply
    if (source._tag === "None" && pi.payment_method === null) {
      return invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method or ConfirmationToken.",
        { code: "payment_intent_unexpected_state" }
      )
    }
    if (pi.automatic_payment_methods?.enabled === true && returnUrl === null) {
      return invalid(
        returnUrlRequired("Payment Intent"),
        { param: "return_url" }
      )
    }
    const { pm, scenario } = attachSource(source, pi, params, "payment_intent")
    if (pi.setup_future_usage !== null && pi.customer !== null) pm.customer = pi.customer
    const offSession = params.off_session === true
    /** A card error: the intent back to requires_payment_method, a failed charge, Stripe's 402 naming both. */
    const declined = (error: StripeErrorObject): Reply => {
      pi.status = "requires_payment_method"
      pi.last_payment_error = { ...error, payment_method: pm }
      const charge = newCharge(pi, pm, "failed", error)
      emit("charge.failed", charge, log)
      emit("payment_intent.payment_failed", pi, log)
      return errorReply(402, {
        ...error,
        charge: charge.id,
        payment_intent: renderPaymentIntent(pi, expand),
        payment_method: pm
      })
    }

    switch (scenario) {
      case "success": {
        pi.status = "succeeded"
        pi.amount_received = pi.amount
        const charge = newCharge(pi, pm, "succeeded", null)
        emit("charge.succeeded", charge, log)
        emit("payment_intent.succeeded", pi, log)
        return ok(renderPaymentIntent(pi, expand))
      }
      case "processing": {
        pi.status = "processing"
        const charge = newCharge(pi, pm, "pending", null)
        emit("charge.pending", charge, log)
        emit("payment_intent.processing", pi, log)
        return ok(renderPaymentIntent(pi, expand))
      }
      case "requires_action": {
        if (offSession) {
          const error: StripeErrorObject = {
            type: "card_error",
            code: "authentication_required",
            decline_code: "authentication_required",
            message:
              "Your card was declined. This transaction requires authentication.",
            doc_url: docUrl("authentication_required")
          }
          return declined(error)
        }
        pi.status = "requires_action"
        pi.next_action = nextActionFor(returnUrl, pi.id)
        emit("payment_intent.requires_action", pi, log)
        return ok(renderPaymentIntent(pi, expand))
      }
      case "decline":
      case "insufficient_funds":
        return declined(declineError(scenario))
    }
  }

  const createPaymentIntent = (ctx: Ctx): Reply => {
    const { params } = ctx
    const currency = str(params.currency)!
    if (!/^[a-z]{3}$/u.test(currency)) return invalid(`Invalid currency: ${currency}`, { param: "currency" })
    const amount = params.amount as number
    const minimum = minimumCharge[currency] ?? 1
    if (amount < minimum) {
      return invalid(`Amount must be at least ${minimum} ${currency}`, { code: "amount_too_small", param: "amount" })
    }
    const customer = str(params.customer)
    if (customer !== null && !customers.has(customer)) return missing("customer", customer, "customer", 400)
    const apm = obj(params.automatic_payment_methods)
    const id = newId("pi")
    const pi: PaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      currency,
      status: "requires_payment_method",
      client_secret: `${id}_secret_${randomId(25)}`,
      customer,
      description: str(params.description),
      metadata: toMetadata(params.metadata),
      statement_descriptor_suffix: str(params.statement_descriptor_suffix),
      setup_future_usage: str(params.setup_future_usage) as PaymentIntent["setup_future_usage"],
      automatic_payment_methods: apm === null ? null : { enabled: apm.enabled === true, allow_redirects: "always" },
      capture_method: "automatic_async",
      confirmation_method: "automatic",
      payment_method: null,
      latest_charge: null,
      next_action: null,
      last_payment_error: null,
      amount_received: 0,
      canceled_at: null,
      cancellation_reason: null,
      payment_method_types: ["card", "us_bank_account"],
      created: nowSeconds(),
      livemode: false
    }
    return storeNewIntent(pi, ctx, {
      kind: "payment_intent",
      objects: paymentIntents,
      missingMessage:
        "You cannot confirm this PaymentIntent because it's missing a payment method. Provide a payment_method or a confirmation_token.",
      render: (intent) => renderPaymentIntent(intent, expansions(params)),
      confirm: confirmPaymentIntent
    })
  }

  const retrievePaymentIntent = byId(paymentIntents, "payment_intent", (pi, { params }) =>
    ok(renderPaymentIntent(pi, expansions(params))))

  const updatePaymentIntent = byId(paymentIntents, "payment_intent", (pi, { params }) => {
    const touchesMoney = "amount" in params || "currency" in params || "payment_method" in params
    if (touchesMoney && (pi.status === "succeeded" || pi.status === "processing" || pi.status === "canceled")) {
      return invalid(
        `You cannot update this PaymentIntent because it has a status of ${pi.status}.`,
        { code: "payment_intent_unexpected_state" }
      )
    }
    if ("metadata" in params) pi.metadata = toMetadata(params.metadata, pi.metadata)
    if ("description" in params) pi.description = str(params.description)
    if (typeof params.amount === "number") pi.amount = params.amount
    if ("statement_descriptor_suffix" in params) pi.statement_descriptor_suffix = str(params.statement_descriptor_suffix)
    return ok(renderPaymentIntent(pi, expansions(params)))
  })

  const confirmExistingPaymentIntent = byId(paymentIntents, "payment_intent", (pi, { params, log }) =>
    confirmPaymentIntent(pi, params, str(params.return_url), log))

  const cancelPaymentIntent = byId(paymentIntents, "payment_intent", (pi, { params, log }) => {
    if (!cancellable.has(pi.status)) {
      return invalid(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
        { code: "payment_intent_unexpected_state" }
      )
    }
    pi.status = "canceled"
    pi.canceled_at = nowSeconds()
    pi.cancellation_reason = str(params.cancellation_reason)
    pi.next_action = null
    emit("payment_intent.canceled", pi, log)
    return ok(renderPaymentIntent(pi, expansions(params)))
  })

  return {
    newCharge,
    createPaymentIntent,
    retrievePaymentIntent,
    updatePaymentIntent,
    confirmExistingPaymentIntent,
    cancelPaymentIntent
  }
}

/** The PaymentIntent handlers and `newCharge` (used when a test resolves an intent). */
export type Payments = ReturnType<typeof make>
