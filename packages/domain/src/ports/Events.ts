/**
 * Port: domain events for the embedding service (webhooks, fulfilment). Published inside the unit of work, so an
 * adapter backed by an outbox delivers them only if the use case commits. `checkout.succeeded` is the event the
 * embedding service fulfils orders from.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { Checkout } from "../Checkout.ts"

export type CheckoutEventType = "checkout.created" | "checkout.updated" | "checkout.expired" | "checkout.succeeded"

export interface CheckoutEvent {
  readonly type: CheckoutEventType
  readonly checkout: Checkout
}

export class Events extends Context.Service<Events, {
  readonly publish: (event: CheckoutEvent) => Effect.Effect<void>
}>()("@checkout-kit/domain/Events") {}
