/**
 * Ports: merchant webhook storage. `WebhookEndpoints` keeps the endpoints (per organization, like every other
 * resource). `WebhookQueue` turns committed domain events into webhook events and hands them to delivery workers:
 *
 * - `relay` reads committed outbox events not relayed yet, in commit order, and in ONE transaction creates a webhook
 *   event for every enabled endpoint of the checkout's organization subscribed to its type, and marks the outbox
 *   events relayed (a crash either side of the commit loses nothing and duplicates nothing). One relay runs at a time
 *   per store (PostgreSQL: an advisory lock), so webhook events are created in commit order.
 * - `claim` leases due events to a worker: pending, due (`nextAttemptAt <= now`), not leased (or the lease
 *   expired: the worker that held it crashed), endpoint enabled, and no EARLIER pending event of the same checkout
 *   for the same endpoint (per checkout and endpoint order). Several workers and processes may claim concurrently;
 *   an event is leased to one of them at a time (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
 * - `complete` records one attempt and its consequence (delivered, retry at, given up) only if the lease is still
 *   the caller's; it also counts the endpoint's consecutive failures and disables it at the threshold. `release`
 *   hands an unfinished claim back (graceful shutdown).
 *
 * Times are epoch milliseconds from the caller's Clock.
 */
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { Checkout } from "../Checkout.ts"
import type { Id } from "../Ids.ts"
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from "../WebhookEndpoint.ts"
import type { Page, PageRequest } from "./CheckoutRepository.ts"

/** Endpoints of these organizations, newest first. A present but empty list matches nothing. */
export interface EndpointListQuery extends PageRequest {
  readonly organizationIds: ReadonlyArray<Id>
}

export class WebhookEndpoints extends Context.Service<WebhookEndpoints, {
  readonly insert: (endpoint: WebhookEndpoint) => Effect.Effect<void>
  /** A non-deleted endpoint by id. */
  readonly findById: (id: Id) => Effect.Effect<Option.Option<WebhookEndpoint>>
  readonly list: (query: EndpointListQuery) => Effect.Effect<Page<WebhookEndpoint>>
  /** Replaces the endpoint's configuration (url, name, format, secret, events, enabled, consecutiveFailures). */
  readonly update: (endpoint: WebhookEndpoint) => Effect.Effect<void>
  /** Deletes the endpoint and its pending events (nothing more is sent to it); false when there was none. */
  readonly delete: (id: Id) => Effect.Effect<boolean>
}>()("@checkout-kit/domain/WebhookEndpoints") {}

/** A webhook event leased to a worker for one attempt. */
export interface Claimed {
  readonly event: WebhookEvent
  readonly endpoint: WebhookEndpoint
  /** The checkout as it was when the domain event was committed. */
  readonly checkout: Checkout
  /** 1 for the first attempt (redeliveries continue the count). */
  readonly attempt: number
  /** Proof of the lease; `complete` is ignored once another worker took the event over. */
  readonly lease: string
}

export type Outcome =
  | { readonly _tag: "Delivered" }
  | { readonly _tag: "Retry"; readonly at: number }
  | { readonly _tag: "GiveUp" }

export interface Completion {
  readonly claimed: Claimed
  /** The body sent (kept on the event at the first attempt so that every retry sends the same bytes). */
  readonly payload: string
  readonly delivery: WebhookDelivery
  readonly outcome: Outcome
  /** Disable the endpoint once this many attempts in a row failed. */
  readonly disableAfterFailures: number
}

/** The reference's `http_code_class` filter: the hundreds of the response code (no response never matches). */
export const httpCodeClasses = ["2xx", "3xx", "4xx", "5xx"] as const
export type HttpCodeClass = typeof httpCodeClasses[number]

/**
 * Attempts (newest first) of the endpoints of these organizations, optionally narrowed; every filter given must hold
 * (the reference's `list_deliveries`).
 */
export interface DeliveryListQuery extends PageRequest {
  readonly organizationIds: ReadonlyArray<Id>
  readonly endpointIds?: ReadonlyArray<Id>
  readonly succeeded?: boolean
  readonly eventTypes?: ReadonlyArray<string>
  /** Attempts made strictly after this instant (epoch ms). */
  readonly createdAfter?: number
  /** Attempts made strictly before this instant (epoch ms). */
  readonly createdBefore?: number
  /** Case-insensitive substring of the delivery id, the event id (`webhook-id`) or the HTTP code as text. */
  readonly text?: string
  readonly httpCodeClass?: HttpCodeClass
}

export interface DeliveryRecord {
  readonly delivery: WebhookDelivery
  readonly event: WebhookEvent
}

export class WebhookQueue extends Context.Service<WebhookQueue, {
  /** Relays at most `limit` committed outbox events; returns how many were relayed (0: nothing waiting). */
  readonly relay: (limit: number) => Effect.Effect<number>
  readonly claim: (options: { readonly now: number; readonly limit: number; readonly leaseMs: number }) => Effect.Effect<ReadonlyArray<Claimed>>
  /** Records the attempt; false when the lease was lost (the attempt is then not recorded). */
  readonly complete: (completion: Completion, now: number) => Effect.Effect<boolean>
  /**
   * Gives a claim back without recording an attempt (a worker shutting down before its send finished): the event
   * is claimable again at once, not after the lease, and the attempt number is not used up. No-op when the lease
   * was lost already.
   */
  readonly release: (claimed: Claimed) => Effect.Effect<void>
  readonly listDeliveries: (query: DeliveryListQuery) => Effect.Effect<Page<DeliveryRecord>>
  readonly findEvent: (id: Id) => Effect.Effect<Option.Option<WebhookEvent>>
  /** Sends the event again (same id and payload): pending, due now. No-op while it is pending already. */
  readonly redeliver: (id: Id, now: number) => Effect.Effect<void>
}>()("@checkout-kit/domain/WebhookQueue") {}
