/**
 * The fake's public surface: its options, injectable faults, webhook signing types and the running handle.
 */
import Stripe from "stripe"
import type { Scenario } from "./Scenarios.ts"
import type {
  TaxId,
  Customer,
  PaymentMethod,
  ConfirmationToken,
  PaymentIntent,
  SetupIntent,
  Charge,
  TaxCalculation,
  Event,
  LoggedRequest
} from "./Objects.ts"

export interface Options {
  /**
   * The `Stripe-Version` every request must carry; a different one is Stripe's 400 "Invalid Stripe API version", so an
   * SDK upgrade that moves the pinned version shows up here. Defaults to the SDK's pinned version; `null` accepts any.
   */
  readonly apiVersion?: string | null
  /** Secret used by `webhookEvent`/`sign`. Default `whsec_test`. */
  readonly webhookSecret?: string
  /**
   * Tax rates (percent) for `POST /v1/tax/calculations`, keyed by country (`FR`) or country-state (`US-CA`).
   * A missing jurisdiction yields no tax (`not_collecting`).
   */
  readonly taxRates?: { readonly [jurisdiction: string]: number }
}

export const defaultWebhookSecret = "whsec_test"

export const defaultTaxRates: { readonly [jurisdiction: string]: number } = {
  FR: 20,
  DE: 19,
  GB: 20,
  SE: 25,
  "US-CA": 7.25,
  "US-NY": 8.875,
  CA: 5,
  IN: 18
}

/**
 * A one-shot failure applied to the next matching request.
 * - `server_error`: 500 before anything runs (the SDK retries it); `server_error_no_retry` adds
 *   `Stripe-Should-Retry: false`.
 * - `rate_limited`: 429 before anything runs (the SDK does not retry it).
 * - `lost_response`: the request runs and its result is stored under its idempotency key, then the socket is
 *   destroyed before any byte of the reply is sent (the SDK retries with the same key and gets the replay).
 * - `{ delayMs }`: the request holds its idempotency key for that long before running (a concurrent request with the
 *   same key gets 409 `idempotency_key_in_use`).
 * - `{ delayReplyMs }`: the request runs at once (state changed, events emitted) and its reply is held that long: the
 *   window in which Stripe's webhook can overtake the caller's own commit.
 * - `{ reply }`: answers this status and JSON body instead of running anything (e.g. an intent status Stripe has not
 *   documented yet, to check the adapter refuses to guess).
 */
export type Fault =
  | "server_error"
  | "server_error_no_retry"
  /**
   * A 500 after execution began: no intent is created, and the error is STORED under the idempotency key, so every
   * replay of the key gets the same 500 (Stripe's documented behaviour; the "replays forever" hole).
   */
  | "server_error_stored"
  | "rate_limited"
  | "lost_response"
  | { readonly delayMs: number }
  | { readonly delayReplyMs: number }
  | { readonly reply: { readonly status: number; readonly body: unknown } }

export interface FaultOptions {
  /** How many matching requests get this fault (default 1). */
  readonly times?: number
  readonly method?: "GET" | "POST"
  /** Exact path, or a pattern, e.g. `/^\/v1\/payment_intents/`. */
  readonly path?: string | RegExp
}

export type WebhookEventType =
  | "charge.succeeded"
  | "charge.failed"
  | "payment_intent.succeeded"
  | "payment_intent.payment_failed"
  | "setup_intent.succeeded"
  | "setup_intent.setup_failed"

export interface SignedEvent {
  readonly event: Event
  /** The exact raw body to POST (the signature covers these bytes). */
  readonly payload: string
  /** The `Stripe-Signature` header value. */
  readonly header: string
}

export interface SignOptions {
  readonly secret?: string
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number
}

export interface Delivery {
  readonly eventId: string
  readonly status: number
  readonly body: string
}

/** Read-only view of everything the fake holds, for assertions. */
export interface State {
  readonly customers: ReadonlyMap<string, Customer>
  readonly taxIds: ReadonlyMap<string, ReadonlyArray<TaxId>>
  readonly confirmationTokens: ReadonlyMap<string, ConfirmationToken>
  readonly paymentMethods: ReadonlyMap<string, PaymentMethod>
  readonly paymentIntents: ReadonlyMap<string, PaymentIntent>
  readonly setupIntents: ReadonlyMap<string, SetupIntent>
  readonly charges: ReadonlyMap<string, Charge>
  readonly taxCalculations: ReadonlyMap<string, TaxCalculation>
  readonly events: ReadonlyArray<Event>
  readonly requests: ReadonlyArray<LoggedRequest>
}

/** A refund the fake made (`POST /v1/refunds`). */
export interface Refund {
  readonly id: string
  readonly object: "refund"
  readonly amount: number
  readonly currency: string
  readonly payment_intent: string
  readonly charge: string | null
  readonly metadata: Record<string, string>
  readonly reason: string | null
  readonly status: "succeeded"
  readonly created: number
}

export interface FakeStripe {
  readonly port: number
  /** Refunds made, oldest first. */
  readonly refunds: () => ReadonlyArray<Refund>
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly apiVersion: string
  readonly webhookSecret: string
  readonly state: State
  /** Closes the listener and every open connection. */
  readonly stop: () => Promise<void>
  /** Clears all stored objects, logs and pending faults (the listener keeps running). */
  readonly reset: () => void
  /** Options for `new Stripe(key, …)` pointing at this fake. */
  readonly clientConfig: (maxNetworkRetries?: number) => Stripe.StripeConfig
  /** A real `stripe` client pointing at this fake, telemetry off. */
  readonly client: (options?: { readonly maxNetworkRetries?: number; readonly apiKey?: string }) => Stripe
  readonly injectFault: (fault: Fault, options?: FaultOptions) => void
  readonly pendingFaults: () => number
  readonly paymentIntents: () => ReadonlyArray<PaymentIntent>
  readonly setupIntents: () => ReadonlyArray<SetupIntent>
  readonly customers: () => ReadonlyArray<Customer>
  /** Charges, optionally only those with a status (`succeeded` counts money actually taken). */
  readonly charges: (status?: Charge["status"]) => ReadonlyArray<Charge>
  readonly chargeCount: (status?: Charge["status"]) => number
  readonly requests: (filter?: { readonly method?: string; readonly path?: string | RegExp }) => ReadonlyArray<
    LoggedRequest
  >
  readonly events: (type?: string) => ReadonlyArray<Event>
  /** Mints a single-use ConfirmationToken directly (same as the HTTP test helper). */
  readonly mintConfirmationToken: (options: {
    readonly paymentMethod?: string
    readonly scenario?: Exclude<Scenario, "expired">
    readonly billingName?: string | null
    readonly email?: string | null
  }) => ConfirmationToken
  /**
   * Finishes an intent left in `requires_action` (the buyer completed or failed 3DS) or `processing` (the debit
   * settled or bounced), emitting the events Stripe would; "succeed" also completes a failed intent again (the
   * buyer's browser re-confirms it with its client secret). Returns those events.
   */
  readonly resolveIntent: (intentId: string, outcome: "succeed" | "fail") => ReadonlyArray<Event>
  /** Builds (without storing or changing state) a signed webhook event about an intent, for webhook tests. */
  readonly webhookEvent: (
    type: WebhookEventType,
    intentId: string,
    options?: SignOptions & { readonly eventId?: string }
  ) => SignedEvent
  /** Signs a stored or hand-built event. */
  readonly signEvent: (event: Event, options?: SignOptions) => SignedEvent
  /** POSTs signed events to a URL; `duplicate` sends each twice, `reverse` sends them in reverse order. */
  readonly deliverEvents: (
    url: string,
    events: ReadonlyArray<Event>,
    options?: { readonly duplicate?: boolean; readonly reverse?: boolean; readonly secret?: string }
  ) => Promise<ReadonlyArray<Delivery>>
}

/** Signs a raw payload exactly as Stripe does (`t=<unix>,v1=<hmac>`), with the SDK's own test helper. */
export const signPayload = (payload: string, options?: SignOptions): string =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options?.secret ?? defaultWebhookSecret,
    ...(options?.timestamp === undefined ? {} : { timestamp: options.timestamp })
  })
