/**
 * Webhook events: signing, building signed events about an intent without changing state, resolving intents
 * left in `requires_action` / `processing` (with the events Stripe emits) and delivering events to an endpoint.
 */
import type * as PaymentIntents from "./PaymentIntents.ts"
import { type Store, newId, nowSeconds, emptyAddress } from "./State.ts"
import type { StripeErrorObject, PaymentIntent, Charge, Event } from "./Objects.ts"
import { type SignedEvent, type SignOptions, type Delivery, type FakeStripe, signPayload } from "./Api.ts"
import { declineError } from "./PaymentIntents.ts"

/** The webhook helpers of one fake's handle (`signEvent`, `webhookEvent`, `resolveIntent`, `deliverEvents`). */
export const make = (store: Store, newCharge: PaymentIntents.Payments["newCharge"]) => {
  const { webhookSecret, paymentMethods, paymentIntents, setupIntents, charges, makeEvent, emit } = store

  const signEvent = (event: Event, options?: SignOptions): SignedEvent => {
    const payload = JSON.stringify(event, null, 2)
    const header = signPayload(payload, {
      secret: options?.secret ?? webhookSecret,
      ...(options?.timestamp === undefined ? {} : { timestamp: options.timestamp })
    })
    return { event, payload, header }
  }

  const syntheticCharge = (pi: PaymentIntent, status: "succeeded" | "failed"): Charge => {
    const existing = pi.latest_charge === null ? undefined : charges.get(pi.latest_charge)
    const pm = pi.payment_method === null ? undefined : paymentMethods.get(pi.payment_method)
    const base: Charge = existing ?? {
      id: newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: 0,
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      metadata: { ...pi.metadata },
      payment_intent: pi.id,
      payment_method: pi.payment_method ?? newId("pm"),
      status: "pending",
      paid: false,
      captured: false,
      failure_code: null,
      failure_message: null,
      outcome: null,
      billing_details: pm?.billing_details ?? { address: emptyAddress, email: null, name: null, phone: null },
      payment_method_details: { type: "card" },
      created: nowSeconds(),
      livemode: false
    }
    const declined = declineError("decline")
    return status === "succeeded"
      ? {
        ...base,
        status,
        paid: true,
        captured: true,
        amount_captured: base.amount,
        failure_code: null,
        failure_message: null,
        outcome: {
          type: "authorized",
          network_status: "approved_by_network",
          reason: null,
          seller_message: "Payment complete."
        }
      }
      : {
        ...base,
        status,
        paid: false,
        captured: false,
        amount_captured: 0,
        failure_code: declined.code ?? null,
        failure_message: declined.message,
        outcome: {
          type: "issuer_declined",
          network_status: "declined_by_network",
          reason: "generic_decline",
          seller_message: "The bank did not return any further details with this decline."
        }
      }
  }

  const webhookEvent: FakeStripe["webhookEvent"] = (type, intentId, options) => {
    let object: unknown
    switch (type) {
      case "charge.succeeded":
      case "charge.failed":
      case "payment_intent.succeeded":
      case "payment_intent.payment_failed": {
        const pi = paymentIntents.get(intentId)
        if (pi === undefined) throw new Error(`FakeStripe: no PaymentIntent ${intentId}`)
        if (type === "charge.succeeded") object = syntheticCharge(pi, "succeeded")
        else if (type === "charge.failed") object = syntheticCharge(pi, "failed")
        else if (type === "payment_intent.succeeded") object = { ...pi, status: "succeeded", amount_received: pi.amount }
        else object = { ...pi, status: "requires_payment_method", last_payment_error: declineError("decline") }
        break
      }
      case "setup_intent.succeeded":
      case "setup_intent.setup_failed": {
        const si = setupIntents.get(intentId)
        if (si === undefined) throw new Error(`FakeStripe: no SetupIntent ${intentId}`)
        object = type === "setup_intent.succeeded"
          ? { ...si, status: "succeeded", next_action: null }
          : { ...si, status: "requires_payment_method", last_setup_error: declineError("decline"), next_action: null }
        break
      }
    }
    return signEvent(makeEvent(type, object, null, options?.eventId), options)
  }

  const resolveIntent: FakeStripe["resolveIntent"] = (intentId, outcome) => {
    const emitted: Array<Event> = []
    const pi = paymentIntents.get(intentId)
    if (pi !== undefined) {
      const pm = paymentMethods.get(pi.payment_method ?? "")
      // A failed intent (requires_payment_method) can still be completed by the buyer's browser: Stripe.js
      // re-confirms it with the client secret it holds (a retried 3-D Secure).
      const reconfirmed = outcome === "succeed" && pi.status === "requires_payment_method"
      if (pm === undefined || (pi.status !== "requires_action" && pi.status !== "processing" && !reconfirmed)) {
        throw new Error(`FakeStripe: PaymentIntent ${intentId} is ${pi.status}; nothing to resolve`)
      }
      pi.next_action = null
      const pending = pi.latest_charge === null ? undefined : charges.get(pi.latest_charge)
      if (outcome === "succeed") {
        pi.status = "succeeded"
        pi.amount_received = pi.amount
        pi.last_payment_error = null
        const charge = pending !== undefined && pending.status === "pending" ? pending : newCharge(pi, pm, "succeeded", null)
        Object.assign(charge, syntheticCharge(pi, "succeeded"), { id: charge.id })
        emitted.push(emit("charge.succeeded", charge, null), emit("payment_intent.succeeded", pi, null))
      } else {
        const error: StripeErrorObject = pi.status === "requires_action"
          ? {
            type: "invalid_request_error",
            code: "payment_intent_authentication_failure",
            message:
              "We are unable to authenticate your payment method. Please choose a different payment method and try again."
          }
          : declineError("decline")
        if (pending !== undefined && pending.status === "pending") {
          Object.assign(pending, syntheticCharge(pi, "failed"), { id: pending.id })
          emitted.push(emit("charge.failed", pending, null))
        }
        pi.status = "requires_payment_method"
        pi.last_payment_error = error
        emitted.push(emit("payment_intent.payment_failed", pi, null))
      }
      return emitted
    }
    const si = setupIntents.get(intentId)
    if (si === undefined) throw new Error(`FakeStripe: no intent ${intentId}`)
    if (si.status !== "requires_action" && si.status !== "processing") {
      throw new Error(`FakeStripe: SetupIntent ${intentId} is ${si.status}; nothing to resolve`)
    }
    si.next_action = null
    if (outcome === "succeed") {
      si.status = "succeeded"
      emitted.push(emit("setup_intent.succeeded", si, null))
    } else {
      si.status = "requires_payment_method"
      si.last_setup_error = {
        type: "invalid_request_error",
        code: "setup_intent_authentication_failure",
        message: "We are unable to authenticate your payment method. Please choose a different payment method and try again."
      }
      emitted.push(emit("setup_intent.setup_failed", si, null))
    }
    return emitted
  }

  const deliverEvents: FakeStripe["deliverEvents"] = async (target, list, options) => {
    let ordered = options?.reverse === true ? [...list].reverse() : [...list]
    if (options?.duplicate === true) ordered = ordered.flatMap((e) => [e, e])
    const out: Array<Delivery> = []
    for (const event of ordered) {
      const signed = signEvent(event, options?.secret === undefined ? undefined : { secret: options.secret })
      const response = await fetch(target, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Stripe-Signature": signed.header },
        body: signed.payload
      })
      out.push({ eventId: event.id, status: response.status, body: await response.text() })
    }
    return out
  }

  return { signEvent, webhookEvent, resolveIntent, deliverEvents }
}
