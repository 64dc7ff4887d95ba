/**
 * Refunds (`POST /v1/refunds`) of a PaymentIntent's successful charge, once.
 */
import { type Store, newId, nowSeconds } from "./State.ts"
import type { Refund } from "./Api.ts"
import { type Reply, type Ctx, invalid, missing, ok, str, obj } from "./Reply.ts"

/** The refund handler, over one fake's state. */
export const make = (store: Store) => {
  const { paymentIntents, charges, refunds, emit } = store

  /** `POST /v1/refunds` for a PaymentIntent: the whole captured amount of its charge, once. */
  const createRefund = ({ params, log }: Ctx): Reply => {
    const intentId = str(params.payment_intent) ?? ""
    const pi = paymentIntents.get(intentId)
    if (pi === undefined) return missing("payment_intent", intentId, "payment_intent")
    const charge = [...charges.values()].find((c) => c.payment_intent === pi.id && c.status === "succeeded")
    if (charge === undefined) {
      return invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
        code: "charge_not_refundable",
        param: "payment_intent"
      })
    }
    if ([...refunds.values()].some((r) => r.charge === charge.id)) {
      return invalid(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" })
    }
    const refund: Refund = {
      id: newId("re"),
      object: "refund",
      amount: charge.amount_captured,
      currency: charge.currency,
      payment_intent: pi.id,
      charge: charge.id,
      metadata: (obj(params.metadata) ?? {}) as Record<string, string>,
      reason: str(params.reason),
      status: "succeeded",
      created: nowSeconds()
    }
    refunds.set(refund.id, refund)
    emit("charge.refunded", charge, log)
    return ok(refund)
  }

  return { createRefund }
}
