/**
 * Port: domain events for the embedding service (webhooks, fulfilment). Published inside the unit of work, so an
 * adapter backed by an outbox delivers them only if the use case commits. `checkout.succeeded` is the event the
 * embedding service fulfils orders from; `checkout.payment_refunded` records money given back for it.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { Checkout } from "../Checkout.ts"

export type CheckoutEventType =
  | "checkout.created"
  | "checkout.updated"
  | "checkout.expired"
  | "checkout.succeeded"
  | "checkout.payment_refunded"

export interface CheckoutEvent {
  readonly type: CheckoutEventType
  readonly checkout: Checkout
  /**
   * `checkout.payment_refunded` only: the payment given back (a success the checkout could not keep: a superseded
   * attempt, or a checkout no longer confirmed). Absent on every other event.
   */
  readonly refund?: {
    readonly intentId: string
    readonly refundId: string | null
    readonly amount: number
    readonly reason: string
  }
}

export class Events extends Context.Service<Events, {
  readonly publish: (event: CheckoutEvent) => Effect.Effect<void>
}>()("@checkout-kit/domain/Events") {}
