/**
 * A stateful fake of the slice of Stripe's v1 API the adapter uses, served over real HTTP on loopback so that the
 * official `stripe` client runs unmodified against it: form encoding, headers, its own retries and idempotency keys,
 * and the error classes it picks from status codes all execute as in production. Stripe's stripe-mock cannot serve
 * here (stateless, no ConfirmationTokens, no idempotency); see spec/stripe-adapter.md §4b for the contract modelled.
 *
 * Scenarios are chosen by the ConfirmationToken, like Stripe's test cards (see `Tokens` and `TestPaymentMethods`):
 *
 * | token                       | PaymentIntent                                   | SetupIntent          |
 * |-----------------------------|-------------------------------------------------|----------------------|
 * | `ctoken_success`            | `succeeded`, charge succeeded                   | `succeeded`          |
 * | `ctoken_decline`            | 402 card_error `card_declined`/`generic_decline`| 402 card_error       |
 * | `ctoken_insufficient_funds` | 402 card_error `card_declined`/`insufficient_funds` | `succeeded` (as Stripe: funds are only checked on a charge) |
 * | `ctoken_requires_action`    | `requires_action` (3DS), no charge yet; with `off_session=true` 402 `authentication_required` | `requires_action` |
 * | `ctoken_processing`         | `processing` (US bank debit), charge pending    | `processing`         |
 * | `ctoken_expired`            | 400 `resource_missing` on `confirmation_token`  | same                 |
 *
 * These bare ids are reusable "magic" tokens (like `pm_card_visa`). Tokens minted through the test helper
 * (`stripe.testHelpers.confirmationTokens.create({ payment_method: "pm_card_visa" })`) or `mintConfirmationToken`
 * are single-use, as Stripe's are: a second confirm with one is 400 `payment_intent_unexpected_state`.
 */
import { createHash, randomBytes } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer, Redacted } from "effect"
import type * as Scope from "effect/Scope"
import Stripe from "stripe"
import * as StripeClient from "../../src/StripeClient.ts"
import * as A from "./AllowLists.ts"
import * as FormBody from "./FormBody.ts"
import * as P from "./ParamSpec.ts"

// ---------------------------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------------------------

export type Scenario = "success" | "decline" | "insufficient_funds" | "requires_action" | "processing" | "expired"

/** Reusable scenario tokens, accepted as `confirmation_token` without minting. */
export const Tokens = {
  success: "ctoken_success",
  decline: "ctoken_decline",
  insufficientFunds: "ctoken_insufficient_funds",
  requiresAction: "ctoken_requires_action",
  processing: "ctoken_processing",
  expired: "ctoken_expired"
} as const

interface TestMethod {
  readonly scenario: Exclude<Scenario, "expired">
  readonly type: "card" | "us_bank_account"
  readonly brand: string
  readonly last4: string
}

/** Stripe's test payment methods the fake understands (as `payment_method` when minting a token or on an intent). */
export const TestPaymentMethods: { readonly [id: string]: TestMethod } = {
  pm_card_visa: { scenario: "success", type: "card", brand: "visa", last4: "4242" },
  pm_card_mastercard: { scenario: "success", type: "card", brand: "mastercard", last4: "4444" },
  pm_card_chargeDeclined: { scenario: "decline", type: "card", brand: "visa", last4: "0002" },
  pm_card_chargeDeclinedInsufficientFunds: {
    scenario: "insufficient_funds",
    type: "card",
    brand: "visa",
    last4: "9995"
  },
  pm_card_authenticationRequired: { scenario: "requires_action", type: "card", brand: "visa", last4: "3184" },
  pm_card_authenticationRequiredOnSetup: { scenario: "requires_action", type: "card", brand: "visa", last4: "3155" },
  /** Not a Stripe id: a US bank debit that stays `processing` until `resolveIntent`. */
  pm_usBankAccount_processing: { scenario: "processing", type: "us_bank_account", brand: "bank", last4: "6789" }
}

const magicTokens: { readonly [id: string]: { readonly method: string; readonly expired: boolean } } = {
  [Tokens.success]: { method: "pm_card_visa", expired: false },
  [Tokens.decline]: { method: "pm_card_chargeDeclined", expired: false },
  [Tokens.insufficientFunds]: { method: "pm_card_chargeDeclinedInsufficientFunds", expired: false },
  [Tokens.requiresAction]: { method: "pm_card_authenticationRequired", expired: false },
  [Tokens.processing]: { method: "pm_usBankAccount_processing", expired: false },
  [Tokens.expired]: { method: "pm_card_visa", expired: true }
}

/** Same card, same fingerprint (as on Stripe), so per-card rules can be tested; derived, not random. */
export const fingerprintOf = (testMethod: string): string =>
  createHash("sha256").update(`fake-stripe:${testMethod}`).digest("base64url").replace(/[-_]/gu, "x").slice(0, 16)

// ---------------------------------------------------------------------------------------------------------------
// Stored objects (the JSON shapes Stripe returns, trimmed to what the adapter and tests read)
// ---------------------------------------------------------------------------------------------------------------

export interface Address {
  readonly city: string | null
  readonly country: string | null
  readonly line1: string | null
  readonly line2: string | null
  readonly postal_code: string | null
  readonly state: string | null
}

export interface TaxId {
  readonly id: string
  readonly object: "tax_id"
  readonly type: string
  readonly value: string
  readonly customer: string
  readonly country: string | null
  readonly created: number
  readonly livemode: false
}

export interface Customer {
  readonly id: string
  readonly object: "customer"
  email: string | null
  name: string | null
  phone: string | null
  description: string | null
  address: Address | null
  metadata: Record<string, string>
  preferred_locales: ReadonlyArray<string>
  readonly created: number
  readonly livemode: false
}

export interface BillingDetails {
  readonly address: Address
  readonly email: string | null
  readonly name: string | null
  readonly phone: string | null
}

export interface PaymentMethod {
  readonly id: string
  readonly object: "payment_method"
  readonly type: "card" | "us_bank_account"
  readonly billing_details: BillingDetails
  readonly card: CardDetails | null
  readonly us_bank_account: { readonly bank_name: string; readonly last4: string; readonly fingerprint: string } | null
  customer: string | null
  readonly created: number
  readonly livemode: false
  readonly metadata: Record<string, string>
}

export interface CardDetails {
  readonly brand: string
  readonly last4: string
  readonly exp_month: number
  readonly exp_year: number
  readonly fingerprint: string
  readonly funding: "credit"
  readonly country: "US"
}

export interface ConfirmationToken {
  readonly id: string
  readonly object: "confirmation_token"
  readonly created: number
  readonly expires_at: number
  readonly livemode: false
  payment_intent: string | null
  setup_intent: string | null
  readonly return_url: string | null
  readonly setup_future_usage: string | null
  readonly use_stripe_sdk: boolean
  readonly payment_method_preview: {
    readonly type: "card" | "us_bank_account"
    readonly billing_details: BillingDetails
    readonly card: CardDetails | null
    readonly us_bank_account: PaymentMethod["us_bank_account"]
    readonly customer: string | null
    readonly allow_redisplay: "unspecified"
  }
}

export interface StripeErrorObject {
  readonly type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error"
  readonly code?: string
  readonly decline_code?: string
  readonly message: string
  readonly param?: string
  readonly doc_url?: string
  readonly charge?: string
  readonly payment_intent?: unknown
  readonly setup_intent?: unknown
  readonly payment_method?: unknown
}

export type NextAction =
  | {
    readonly type: "redirect_to_url"
    readonly redirect_to_url: { readonly url: string; readonly return_url: string }
  }
  | { readonly type: "use_stripe_sdk"; readonly use_stripe_sdk: { readonly type: "three_d_secure_redirect" } }

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "succeeded"
  | "canceled"

export interface PaymentIntent {
  readonly id: string
  readonly object: "payment_intent"
  amount: number
  readonly currency: string
  status: PaymentIntentStatus
  readonly client_secret: string
  customer: string | null
  description: string | null
  metadata: Record<string, string>
  statement_descriptor_suffix: string | null
  setup_future_usage: "off_session" | "on_session" | null
  readonly automatic_payment_methods: { readonly enabled: boolean; readonly allow_redirects: "always" } | null
  readonly capture_method: "automatic_async"
  readonly confirmation_method: "automatic"
  payment_method: string | null
  latest_charge: string | null
  next_action: NextAction | null
  last_payment_error: StripeErrorObject | null
  amount_received: number
  canceled_at: number | null
  cancellation_reason: string | null
  readonly payment_method_types: ReadonlyArray<string>
  readonly created: number
  readonly livemode: false
}

export type SetupIntentStatus = PaymentIntentStatus

export interface SetupIntent {
  readonly id: string
  readonly object: "setup_intent"
  status: SetupIntentStatus
  readonly client_secret: string
  customer: string | null
  description: string | null
  metadata: Record<string, string>
  readonly usage: "off_session" | "on_session"
  readonly automatic_payment_methods: { readonly enabled: boolean; readonly allow_redirects: "always" } | null
  payment_method: string | null
  next_action: NextAction | null
  last_setup_error: StripeErrorObject | null
  cancellation_reason: string | null
  readonly payment_method_types: ReadonlyArray<string>
  readonly created: number
  readonly livemode: false
}

export interface Charge {
  readonly id: string
  readonly object: "charge"
  readonly amount: number
  amount_captured: number
  readonly currency: string
  readonly customer: string | null
  readonly description: string | null
  readonly metadata: Record<string, string>
  readonly payment_intent: string
  readonly payment_method: string
  status: "succeeded" | "pending" | "failed"
  paid: boolean
  captured: boolean
  failure_code: string | null
  failure_message: string | null
  outcome: {
    readonly type: "authorized" | "issuer_declined" | "manual_review"
    readonly network_status: "approved_by_network" | "declined_by_network"
    readonly reason: string | null
    readonly seller_message: string
  } | null
  readonly billing_details: BillingDetails
  readonly payment_method_details: {
    readonly type: "card" | "us_bank_account"
    readonly card?: { readonly brand: string; readonly last4: string; readonly fingerprint: string }
  }
  readonly created: number
  readonly livemode: false
}

export interface TaxCalculation {
  readonly id: string
  readonly object: "tax.calculation"
  readonly amount_total: number
  readonly currency: string
  readonly customer: string | null
  readonly customer_details: {
    readonly address: Address
    readonly address_source: "billing" | "shipping"
    readonly ip_address: string | null
    readonly tax_ids: ReadonlyArray<{ readonly type: string; readonly value: string }>
    readonly taxability_override: "customer_exempt" | "none" | "reverse_charge"
  }
  readonly expires_at: number
  readonly livemode: false
  readonly shipping_cost: null
  readonly tax_amount_exclusive: number
  readonly tax_amount_inclusive: number
  readonly tax_breakdown: ReadonlyArray<{
    readonly amount: number
    readonly inclusive: boolean
    readonly taxability_reason: string
    readonly taxable_amount: number
    readonly tax_rate_details: {
      readonly country: string | null
      readonly state: string | null
      readonly percentage_decimal: string
      readonly tax_type: string | null
      readonly rate_type: "percentage"
      readonly flat_amount: null
    }
  }>
  readonly tax_date: number
  readonly line_items?: {
    readonly object: "list"
    readonly has_more: false
    readonly url: string
    readonly data: ReadonlyArray<{
      readonly id: string
      readonly object: "tax.calculation_line_item"
      readonly amount: number
      readonly amount_tax: number
      readonly reference: string | null
      readonly tax_behavior: "exclusive" | "inclusive"
      readonly tax_code: string
      readonly quantity: number
      readonly livemode: false
    }>
  }
}

export interface Event {
  readonly id: string
  readonly object: "event"
  readonly api_version: string
  readonly created: number
  readonly livemode: false
  readonly pending_webhooks: number
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null }
  readonly type: string
  readonly data: { readonly object: unknown }
}

/** One request as the fake saw it, for assertions on exactly what the adapter sent. */
export interface LoggedRequest {
  readonly requestId: string
  readonly method: string
  readonly path: string
  /** The decoded form body (POST) or query string (GET), values still strings, as the SDK encoded them. */
  readonly params: FormBody.Obj
  readonly rawBody: string
  readonly idempotencyKey: string | undefined
  readonly stripeVersion: string | undefined
  readonly apiKey: string | undefined
  /** HTTP status sent, or "destroyed" when a lost-response fault cut the connection. */
  status: number | "destroyed" | "pending"
  replayed: boolean
  fault: string | undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Options, faults and the running handle
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------------------------

interface Reply {
  readonly status: number
  readonly body: unknown
}

interface Ctx {
  readonly params: P.TypedObject
  readonly path: ReadonlyArray<string>
  readonly log: LoggedRequest
}

interface Route {
  readonly method: "GET" | "POST"
  readonly pattern: RegExp
  readonly fields: P.Fields
  readonly expandable: ReadonlyArray<string>
  readonly handle: (ctx: Ctx) => Reply
}

interface IdempotencyRecord {
  readonly method: string
  readonly path: string
  readonly canonicalBody: string
  readonly requestId: string
  response: { readonly status: number; readonly body: string } | undefined
}

interface PendingFault {
  readonly fault: Fault
  remaining: number
  readonly method: string | undefined
  readonly path: string | RegExp | undefined
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
const randomId = (length: number): string => {
  const bytes = randomBytes(length)
  let out = ""
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length]
  return out
}
const newId = (prefix: string) => `${prefix}_${randomId(24)}`

const nowSeconds = () => Math.floor(Date.now() / 1000)

const emptyAddress: Address = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }

const returnUrlRequired = (noun: string) =>
  `return_url must be specified because this ${noun} is configured to automatically accept the payment methods ` +
  "enabled in the Dashboard, some of which may require a full page redirect to succeed."

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/gu, "-")}`

const errorReply = (status: number, error: StripeErrorObject): Reply => ({
  status,
  body: { error: error.code === undefined || error.doc_url !== undefined ? error : { ...error, doc_url: docUrl(error.code) } }
})

const invalid = (message: string, extra?: { readonly code?: string; readonly param?: string }): Reply =>
  errorReply(400, { type: "invalid_request_error", message, ...extra })

const missing = (kind: string, id: string, param?: string, status = 404): Reply =>
  errorReply(status, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    ...(param === undefined ? {} : { param })
  })

const canonical = (value: FormBody.Value): string => {
  if (typeof value === "string") return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  const obj = value as FormBody.Obj
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonical(obj[k]!)}`).join(",")}}`
}

const str = (v: P.Typed | undefined): string | null => (typeof v === "string" ? v : null)
const obj = (v: P.Typed | undefined): P.TypedObject | null =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as P.TypedObject) : null
const strings = (v: P.Typed | undefined): ReadonlyArray<string> =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []

const toAddress = (v: P.Typed | undefined): Address | null => {
  const a = obj(v)
  if (a === null) return null
  return {
    city: str(a.city),
    country: str(a.country),
    line1: str(a.line1),
    line2: str(a.line2),
    postal_code: str(a.postal_code),
    state: str(a.state)
  }
}

const toMetadata = (v: P.Typed | undefined, base: Record<string, string> = {}): Record<string, string> => {
  if (v === null) return {}
  const m = obj(v)
  const out = { ...base }
  if (m === null) return out
  for (const [k, value] of Object.entries(m)) {
    if (typeof value === "string") out[k] = value
    else delete out[k]
  }
  return out
}

/** Stripe's minimum charge amounts for the currencies tests use (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). */
const minimumCharge: { readonly [currency: string]: number } = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50 }

const euCountries = new Set(
  "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" ")
)

/** Starts a fake on 127.0.0.1 and a random port. */
export const start = async (options: Options = {}): Promise<FakeStripe> => {
  const apiVersion = options.apiVersion === undefined ? Stripe.API_VERSION : options.apiVersion
  const webhookSecret = options.webhookSecret ?? defaultWebhookSecret
  const taxRates = options.taxRates ?? defaultTaxRates

  const customers = new Map<string, Customer>()
  const taxIds = new Map<string, Array<TaxId>>()
  const confirmationTokens = new Map<string, ConfirmationToken>()
  const tokenMethods = new Map<string, string>()
  const usedTokens = new Set<string>()
  const paymentMethods = new Map<string, PaymentMethod>()
  const paymentIntents = new Map<string, PaymentIntent>()
  const setupIntents = new Map<string, SetupIntent>()
  const charges = new Map<string, Charge>()
  const refunds = new Map<string, Refund>()
  const taxCalculations = new Map<string, TaxCalculation>()
  const events: Array<Event> = []
  const requests: Array<LoggedRequest> = []
  const idempotency = new Map<string, IdempotencyRecord>()
  let faults: Array<PendingFault> = []
  const timers = new Set<NodeJS.Timeout>()

  const state: State = {
    customers,
    taxIds,
    confirmationTokens,
    paymentMethods,
    paymentIntents,
    setupIntents,
    charges,
    taxCalculations,
    events,
    requests
  }

  // --- events ------------------------------------------------------------------------------------------------

  const makeEvent = (type: string, object: unknown, log: LoggedRequest | null, id?: string): Event => ({
    id: id ?? newId("evt"),
    object: "event",
    api_version: apiVersion ?? Stripe.API_VERSION,
    created: nowSeconds(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: log?.requestId ?? null, idempotency_key: log?.idempotencyKey ?? null },
    type,
    data: { object: structuredClone(object) }
  })

  const emit = (type: string, object: unknown, log: LoggedRequest | null): Event => {
    const event = makeEvent(type, object, log)
    events.push(event)
    return event
  }

  // --- rendering with expansion --------------------------------------------------------------------------------

  const expansions = (params: P.TypedObject) => new Set(strings(params.expand))

  const renderCustomer = (c: Customer, expand: ReadonlySet<string>) =>
    expand.has("tax_ids")
      ? {
        ...c,
        tax_ids: {
          object: "list",
          data: taxIds.get(c.id) ?? [],
          has_more: false,
          url: `/v1/customers/${c.id}/tax_ids`
        }
      }
      : c

  const renderPaymentIntent = (pi: PaymentIntent, expand: ReadonlySet<string>) => ({
    ...pi,
    payment_method: expand.has("payment_method") && pi.payment_method !== null
      ? paymentMethods.get(pi.payment_method) ?? pi.payment_method
      : pi.payment_method,
    latest_charge: expand.has("latest_charge") && pi.latest_charge !== null
      ? charges.get(pi.latest_charge) ?? pi.latest_charge
      : pi.latest_charge,
    customer: expand.has("customer") && pi.customer !== null
      ? customers.get(pi.customer) ?? pi.customer
      : pi.customer
  })

  const renderSetupIntent = (si: SetupIntent, expand: ReadonlySet<string>) => ({
    ...si,
    payment_method: expand.has("payment_method") && si.payment_method !== null
      ? paymentMethods.get(si.payment_method) ?? si.payment_method
      : si.payment_method,
    customer: expand.has("customer") && si.customer !== null
      ? customers.get(si.customer) ?? si.customer
      : si.customer
  })

  const ok = (body: unknown): Reply => ({ status: 200, body })

  // --- customers ---------------------------------------------------------------------------------------------

  const validTaxIdValue = (value: string) => /^[A-Za-z0-9][A-Za-z0-9 .-]*$/u.test(value) && !/invalid/iu.test(value)

  const addTaxId = (customerId: string, type: string, value: string): TaxId => {
    const taxId: TaxId = {
      id: newId("txi"),
      object: "tax_id",
      type,
      value,
      customer: customerId,
      country: type === "eu_vat" ? value.slice(0, 2).toUpperCase() : null,
      created: nowSeconds(),
      livemode: false
    }
    taxIds.set(customerId, [...(taxIds.get(customerId) ?? []), taxId])
    return taxId
  }

  const createCustomer = ({ params }: Ctx): Reply => {
    const data = Array.isArray(params.tax_id_data) ? params.tax_id_data : []
    for (let i = 0; i < data.length; i++) {
      const entry = obj(data[i])
      const type = str(entry?.type) ?? ""
      const value = str(entry?.value) ?? ""
      if (!validTaxIdValue(value)) {
        return invalid(`Invalid value for ${type}.`, { code: "tax_id_invalid", param: `tax_id_data[${i}][value]` })
      }
    }
    const customer: Customer = {
      id: newId("cus"),
      object: "customer",
      email: str(params.email),
      name: str(params.name),
      phone: str(params.phone),
      description: str(params.description),
      address: toAddress(params.address),
      metadata: toMetadata(params.metadata),
      preferred_locales: strings(params.preferred_locales),
      created: nowSeconds(),
      livemode: false
    }
    customers.set(customer.id, customer)
    for (const entry of data) {
      const e = obj(entry)
      addTaxId(customer.id, str(e?.type) ?? "", str(e?.value) ?? "")
    }
    return ok(renderCustomer(customer, expansions(params)))
  }

  const retrieveCustomer = ({ params, path }: Ctx): Reply => {
    const customer = customers.get(path[0]!)
    return customer === undefined ? missing("customer", path[0]!) : ok(renderCustomer(customer, expansions(params)))
  }

  const updateCustomer = ({ params, path }: Ctx): Reply => {
    const customer = customers.get(path[0]!)
    if (customer === undefined) return missing("customer", path[0]!)
    if ("email" in params) customer.email = str(params.email)
    if ("name" in params) customer.name = str(params.name)
    if ("phone" in params) customer.phone = str(params.phone)
    if ("description" in params) customer.description = str(params.description)
    if ("address" in params) customer.address = toAddress(params.address)
    if ("metadata" in params) customer.metadata = toMetadata(params.metadata, customer.metadata)
    if ("preferred_locales" in params) customer.preferred_locales = strings(params.preferred_locales)
    return ok(renderCustomer(customer, expansions(params)))
  }

  const createCustomerTaxId = ({ params, path }: Ctx): Reply => {
    const customer = customers.get(path[0]!)
    if (customer === undefined) return missing("customer", path[0]!)
    const type = str(params.type)!
    const value = str(params.value)!
    if (!validTaxIdValue(value)) return invalid(`Invalid value for ${type}.`, { code: "tax_id_invalid", param: "value" })
    const duplicate = (taxIds.get(customer.id) ?? []).some((t) => t.type === type && t.value === value)
    if (duplicate) {
      return invalid("Tax ID already exists for this customer.", { code: "resource_already_exists", param: "value" })
    }
    return ok(addTaxId(customer.id, type, value))
  }

  // --- confirmation tokens and payment methods ---------------------------------------------------------------

  const buildToken = (
    method: string,
    billing: { readonly name: string | null; readonly email: string | null; readonly address: Address | null },
    extra: { readonly returnUrl: string | null; readonly setupFutureUsage: string | null; readonly id?: string }
  ): ConfirmationToken => {
    const test = TestPaymentMethods[method]!
    const fingerprint = fingerprintOf(method)
    const created = nowSeconds()
    return {
      id: extra.id ?? newId("ctoken"),
      object: "confirmation_token",
      created,
      expires_at: created + 12 * 3600,
      livemode: false,
      payment_intent: null,
      setup_intent: null,
      return_url: extra.returnUrl,
      setup_future_usage: extra.setupFutureUsage,
      use_stripe_sdk: true,
      payment_method_preview: {
        type: test.type,
        billing_details: {
          address: billing.address ?? emptyAddress,
          email: billing.email,
          name: billing.name,
          phone: null
        },
        card: test.type === "card"
          ? {
            brand: test.brand,
            last4: test.last4,
            exp_month: 12,
            exp_year: new Date().getUTCFullYear() + 8,
            fingerprint,
            funding: "credit",
            country: "US"
          }
          : null,
        us_bank_account: test.type === "us_bank_account"
          ? { bank_name: "STRIPE TEST BANK", last4: test.last4, fingerprint }
          : null,
        customer: null,
        allow_redisplay: "unspecified"
      }
    }
  }

  const mintConfirmationToken: FakeStripe["mintConfirmationToken"] = (options) => {
    const method = options.paymentMethod ??
      Object.entries(TestPaymentMethods).find(([, m]) => m.scenario === (options.scenario ?? "success"))![0]
    if (TestPaymentMethods[method] === undefined) {
      throw new Error(`FakeStripe: unknown test payment method ${method}`)
    }
    const token = buildToken(method, { name: options.billingName ?? null, email: options.email ?? null, address: null }, {
      returnUrl: null,
      setupFutureUsage: null
    })
    confirmationTokens.set(token.id, token)
    tokenMethods.set(token.id, method)
    return token
  }

  const createConfirmationToken = ({ params }: Ctx): Reply => {
    const method = str(params.payment_method)
    const data = obj(params.payment_method_data)
    if (method === null && data === null) {
      return invalid("You must provide either payment_method or payment_method_data.", {
        code: "parameter_missing",
        param: "payment_method"
      })
    }
    const resolved = method ?? "pm_card_visa"
    if (TestPaymentMethods[resolved] === undefined) return missing("PaymentMethod", resolved, "payment_method", 400)
    const billing = obj(data?.billing_details)
    const token = buildToken(resolved, {
      name: str(billing?.name),
      email: str(billing?.email),
      address: toAddress(billing?.address)
    }, { returnUrl: str(params.return_url), setupFutureUsage: str(params.setup_future_usage) })
    confirmationTokens.set(token.id, token)
    tokenMethods.set(token.id, resolved)
    return ok(token)
  }

  const lookupToken = (id: string): { token: ConfirmationToken; method: string; magic: boolean; expired: boolean } | undefined => {
    const stored = confirmationTokens.get(id)
    if (stored !== undefined) return { token: stored, method: tokenMethods.get(id)!, magic: false, expired: false }
    const magic = magicTokens[id]
    if (magic === undefined) return undefined
    return {
      token: buildToken(magic.method, { name: null, email: null, address: null }, {
        id,
        returnUrl: null,
        setupFutureUsage: null
      }),
      method: magic.method,
      magic: true,
      expired: magic.expired
    }
  }

  const retrieveConfirmationToken = ({ path }: Ctx): Reply => {
    const found = lookupToken(path[0]!)
    return found === undefined ? missing("confirmation_token", path[0]!) : ok(found.token)
  }

  const retrievePaymentMethod = ({ path }: Ctx): Reply => {
    const pm = paymentMethods.get(path[0]!)
    return pm === undefined ? missing("PaymentMethod", path[0]!) : ok(pm)
  }

  const materialisePaymentMethod = (method: string, preview: ConfirmationToken["payment_method_preview"] | null) => {
    const test = TestPaymentMethods[method]!
    const fingerprint = fingerprintOf(method)
    const pm: PaymentMethod = {
      id: newId("pm"),
      object: "payment_method",
      type: test.type,
      billing_details: preview?.billing_details ?? { address: emptyAddress, email: null, name: null, phone: null },
      card: test.type === "card"
        ? preview?.card ?? {
          brand: test.brand,
          last4: test.last4,
          exp_month: 12,
          exp_year: new Date().getUTCFullYear() + 8,
          fingerprint,
          funding: "credit",
          country: "US"
        }
        : null,
      us_bank_account: test.type === "us_bank_account"
        ? { bank_name: "STRIPE TEST BANK", last4: test.last4, fingerprint }
        : null,
      customer: null,
      created: nowSeconds(),
      livemode: false,
      metadata: {}
    }
    paymentMethods.set(pm.id, pm)
    return pm
  }

  type Source =
    | { readonly _tag: "Resolved"; readonly pm: PaymentMethod; readonly scenario: TestMethod["scenario"] }
    | { readonly _tag: "Failed"; readonly reply: Reply }
    | { readonly _tag: "None" }

  /** Why `confirmation_token` / `payment_method` cannot be used, without consuming anything; null when usable. */
  const checkSource = (params: P.TypedObject, intentKind: "payment_intent" | "setup_intent"): Reply | null => {
    const tokenId = str(params.confirmation_token)
    const methodId = str(params.payment_method)
    if (tokenId !== null && methodId !== null) {
      return invalid("You cannot provide both confirmation_token and payment_method.", {
        code: "parameters_exclusive",
        param: "confirmation_token"
      })
    }
    if (tokenId !== null) {
      const found = lookupToken(tokenId)
      if (found === undefined || found.expired) {
        return errorReply(400, {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "confirmation_token",
          message: found === undefined
            ? `No such confirmation_token: '${tokenId}'`
            : `No such confirmation_token: '${tokenId}'; it has expired. Create a new ConfirmationToken.`
        })
      }
      if (!found.magic && usedTokens.has(tokenId)) {
        const noun = intentKind === "payment_intent" ? "PaymentIntent" : "SetupIntent"
        return invalid(
          `This ConfirmationToken (${tokenId}) has already been used to confirm a ${noun}. You cannot confirm this ${noun} with a ConfirmationToken that was already used.`,
          { code: `${intentKind}_unexpected_state`, param: "confirmation_token" }
        )
      }
    }
    if (methodId !== null && !paymentMethods.has(methodId) && TestPaymentMethods[methodId] === undefined) {
      return missing("PaymentMethod", methodId, "payment_method", 400)
    }
    return null
  }

  /**
   * The payment method and scenario a confirm uses (the resolved source, else the intent's own method), recorded on
   * the intent, and the confirmation token linked to the intent it confirmed.
   */
  const attachSource = (
    source: Source,
    intent: { readonly id: string; payment_method: string | null },
    params: P.TypedObject,
    intentKind: "payment_intent" | "setup_intent"
  ) => {
    const pm = source._tag === "Resolved" ? source.pm : paymentMethods.get(intent.payment_method!)!
    const scenario = source._tag === "Resolved" ? source.scenario : "success"
    const tokenId = str(params.confirmation_token)
    if (tokenId !== null) {
      const stored = confirmationTokens.get(tokenId)
      if (stored !== undefined) stored[intentKind] = intent.id
    }
    intent.payment_method = pm.id
    return { pm, scenario }
  }

  /** Turns `confirmation_token` / `payment_method` into a PaymentMethod and its scenario, consuming the token. */
  const resolveSource = (params: P.TypedObject, intentKind: "payment_intent" | "setup_intent"): Source => {
    const problem = checkSource(params, intentKind)
    if (problem !== null) return { _tag: "Failed", reply: problem }
    const tokenId = str(params.confirmation_token)
    const methodId = str(params.payment_method)
    if (tokenId !== null) {
      const found = lookupToken(tokenId)!
      if (!found.magic) usedTokens.add(tokenId)
      return {
        _tag: "Resolved",
        pm: materialisePaymentMethod(found.method, found.token.payment_method_preview),
        scenario: TestPaymentMethods[found.method]!.scenario
      }
    }
    if (methodId !== null) {
      const stored = paymentMethods.get(methodId)
      if (stored === undefined) {
        return {
          _tag: "Resolved",
          pm: materialisePaymentMethod(methodId, null),
          scenario: TestPaymentMethods[methodId]!.scenario
        }
      }
      const fingerprint = stored.card?.fingerprint ?? stored.us_bank_account?.fingerprint
      const origin = Object.keys(TestPaymentMethods).find((m) => fingerprintOf(m) === fingerprint) ?? "pm_card_visa"
      return { _tag: "Resolved", pm: stored, scenario: TestPaymentMethods[origin]!.scenario }
    }
    return { _tag: "None" }
  }

  const nextActionFor = (returnUrl: string | null, intentId: string): NextAction =>
    returnUrl !== null
      ? {
        type: "redirect_to_url",
        redirect_to_url: { url: `https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=${intentId}`, return_url: returnUrl }
      }
      : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } }

  // --- payment intents ---------------------------------------------------------------------------------------

  const declineError = (scenario: "decline" | "insufficient_funds"): StripeErrorObject => ({
    type: "card_error",
    code: "card_declined",
    decline_code: scenario === "decline" ? "generic_decline" : "insufficient_funds",
    message: scenario === "decline" ? "Your card was declined." : "Your card has insufficient funds.",
    doc_url: docUrl("card_declined")
  })

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
        pi.status = "requires_action"
        pi.next_action = nextActionFor(returnUrl, pi.id)
        emit("payment_intent.requires_action", pi, log)
        return ok(renderPaymentIntent(pi, expand))
      }
      case "decline":
      case "insufficient_funds": {
        const error = declineError(scenario)
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
    }
  }

  const createPaymentIntent = ({ params, log }: Ctx): Reply => {
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
    if (params.confirm !== true) {
      const source = resolveSource(params, "payment_intent")
      if (source._tag === "Failed") return source.reply
      if (source._tag === "Resolved") {
        pi.payment_method = source.pm.id
        pi.status = "requires_confirmation"
      }
      paymentIntents.set(pi.id, pi)
      emit("payment_intent.created", pi, log)
      return ok(renderPaymentIntent(pi, expansions(params)))
    }
    if (str(params.confirmation_token) === null && str(params.payment_method) === null) {
      return invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. Provide a payment_method or a confirmation_token.",
        { code: "payment_intent_unexpected_state" }
      )
    }
    // Stripe checks the return_url requirement before creating anything.
    if (pi.automatic_payment_methods?.enabled === true && str(params.return_url) === null) {
      return invalid(
        returnUrlRequired("Payment Intent"),
        { param: "return_url" }
      )
    }
    const problem = checkSource(params, "payment_intent")
    if (problem !== null) return problem
    paymentIntents.set(pi.id, pi)
    emit("payment_intent.created", pi, log)
    return confirmPaymentIntent(pi, params, str(params.return_url), log)
  }

  const retrievePaymentIntent = ({ params, path }: Ctx): Reply => {
    const pi = paymentIntents.get(path[0]!)
    return pi === undefined ? missing("payment_intent", path[0]!) : ok(renderPaymentIntent(pi, expansions(params)))
  }

  const updatePaymentIntent = ({ params, path }: Ctx): Reply => {
    const pi = paymentIntents.get(path[0]!)
    if (pi === undefined) return missing("payment_intent", path[0]!)
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
  }

  const confirmExistingPaymentIntent = ({ params, path, log }: Ctx): Reply => {
    const pi = paymentIntents.get(path[0]!)
    if (pi === undefined) return missing("payment_intent", path[0]!)
    return confirmPaymentIntent(pi, params, str(params.return_url), log)
  }

  const cancellable = new Set<PaymentIntentStatus>([
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing"
  ])

  const cancelPaymentIntent = ({ params, path, log }: Ctx): Reply => {
    const pi = paymentIntents.get(path[0]!)
    if (pi === undefined) return missing("payment_intent", path[0]!)
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
  }

  // --- setup intents -----------------------------------------------------------------------------------------

  const confirmSetupIntent = (si: SetupIntent, params: P.TypedObject, returnUrl: string | null, log: LoggedRequest): Reply => {
    const expand = expansions(params)
    if (si.status !== "requires_payment_method" && si.status !== "requires_confirmation") {
      return invalid(
        si.status === "succeeded"
          ? "You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed."
          : `You cannot confirm this SetupIntent because it has a status of ${si.status}.`,
        { code: "setup_intent_unexpected_state" }
      )
    }
    const source = resolveSource(params, "setup_intent")
    if (source._tag === "Failed") return source.reply
    if (source._tag === "None" && si.payment_method === null) {
      return invalid("You cannot confirm this SetupIntent because it's missing a payment method.", {
        code: "setup_intent_unexpected_state"
      })
    }
    if (si.automatic_payment_methods?.enabled === true && returnUrl === null) {
      return invalid(
        returnUrlRequired("Setup Intent"),
        { param: "return_url" }
      )
    }
    const { pm, scenario } = attachSource(source, si, params, "setup_intent")
    switch (scenario) {
      case "success":
      case "insufficient_funds": {
        si.status = "succeeded"
        if (si.customer !== null) pm.customer = si.customer
        emit("setup_intent.succeeded", si, log)
        return ok(renderSetupIntent(si, expand))
      }
      case "processing": {
        si.status = "processing"
        return ok(renderSetupIntent(si, expand))
      }
      case "requires_action": {
        si.status = "requires_action"
        si.next_action = nextActionFor(returnUrl, si.id)
        emit("setup_intent.requires_action", si, log)
        return ok(renderSetupIntent(si, expand))
      }
      case "decline": {
        const error = declineError("decline")
        si.status = "requires_payment_method"
        si.last_setup_error = { ...error, payment_method: pm }
        emit("setup_intent.setup_failed", si, log)
        return errorReply(402, { ...error, setup_intent: renderSetupIntent(si, expand), payment_method: pm })
      }
    }
  }

  const createSetupIntent = ({ params, log }: Ctx): Reply => {
    const customer = str(params.customer)
    if (customer !== null && !customers.has(customer)) return missing("customer", customer, "customer", 400)
    const apm = obj(params.automatic_payment_methods)
    const id = newId("seti")
    const si: SetupIntent = {
      id,
      object: "setup_intent",
      status: "requires_payment_method",
      client_secret: `${id}_secret_${randomId(25)}`,
      customer,
      description: str(params.description),
      metadata: toMetadata(params.metadata),
      usage: (str(params.usage) ?? "off_session") as SetupIntent["usage"],
      automatic_payment_methods: apm === null ? null : { enabled: apm.enabled === true, allow_redirects: "always" },
      payment_method: null,
      next_action: null,
      last_setup_error: null,
      cancellation_reason: null,
      payment_method_types: ["card", "us_bank_account"],
      created: nowSeconds(),
      livemode: false
    }
    if (params.confirm === true) {
      if (str(params.confirmation_token) === null && str(params.payment_method) === null) {
        return invalid("You cannot confirm this SetupIntent because it's missing a payment method.", {
          code: "setup_intent_unexpected_state"
        })
      }
      if (si.automatic_payment_methods?.enabled === true && str(params.return_url) === null) {
        return invalid(
          returnUrlRequired("Setup Intent"),
          { param: "return_url" }
        )
      }
      const problem = checkSource(params, "setup_intent")
      if (problem !== null) return problem
      setupIntents.set(si.id, si)
      emit("setup_intent.created", si, log)
      return confirmSetupIntent(si, params, str(params.return_url), log)
    }
    const source = resolveSource(params, "setup_intent")
    if (source._tag === "Failed") return source.reply
    if (source._tag === "Resolved") {
      si.payment_method = source.pm.id
      si.status = "requires_confirmation"
    }
    setupIntents.set(si.id, si)
    emit("setup_intent.created", si, log)
    return ok(renderSetupIntent(si, expansions(params)))
  }

  const retrieveSetupIntent = ({ params, path }: Ctx): Reply => {
    const si = setupIntents.get(path[0]!)
    return si === undefined ? missing("setup_intent", path[0]!) : ok(renderSetupIntent(si, expansions(params)))
  }

  const updateSetupIntent = ({ params, path }: Ctx): Reply => {
    const si = setupIntents.get(path[0]!)
    if (si === undefined) return missing("setup_intent", path[0]!)
    if ("metadata" in params) si.metadata = toMetadata(params.metadata, si.metadata)
    if ("description" in params) si.description = str(params.description)
    return ok(renderSetupIntent(si, expansions(params)))
  }

  const confirmExistingSetupIntent = ({ params, path, log }: Ctx): Reply => {
    const si = setupIntents.get(path[0]!)
    if (si === undefined) return missing("setup_intent", path[0]!)
    return confirmSetupIntent(si, params, str(params.return_url), log)
  }

  const cancelSetupIntent = ({ params, path, log }: Ctx): Reply => {
    const si = setupIntents.get(path[0]!)
    if (si === undefined) return missing("setup_intent", path[0]!)
    if (si.status === "succeeded" || si.status === "canceled" || si.status === "processing") {
      return invalid(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, {
        code: "setup_intent_unexpected_state"
      })
    }
    si.status = "canceled"
    si.cancellation_reason = str(params.cancellation_reason)
    si.next_action = null
    emit("setup_intent.canceled", si, log)
    return ok(renderSetupIntent(si, expansions(params)))
  }

  // --- tax ---------------------------------------------------------------------------------------------------

  const createTaxCalculation = ({ params }: Ctx): Reply => {
    const currency = str(params.currency)!
    const details = obj(params.customer_details)
    const address = toAddress(details?.address)
    if (details === null || address === null) {
      return invalid("Missing required param: customer_details[address].", {
        code: "parameter_missing",
        param: "customer_details[address]"
      })
    }
    if (address.country === null) {
      return invalid("Missing required param: customer_details[address][country].", {
        code: "parameter_missing",
        param: "customer_details[address][country]"
      })
    }
    if ((address.country === "US" || address.country === "CA") && address.postal_code === null && address.state === null) {
      return invalid(
        "We could not determine the customer's tax location based on the provided customer address.",
        { code: "customer_tax_location_invalid", param: "customer_details[address]" }
      )
    }
    const ids = Array.isArray(details.tax_ids) ? details.tax_ids : []
    for (let i = 0; i < ids.length; i++) {
      const value = str(obj(ids[i])?.value) ?? ""
      if (!validTaxIdValue(value)) {
        return invalid(`Invalid value for ${str(obj(ids[i])?.type) ?? "tax id"}.`, {
          code: "tax_id_invalid",
          param: `customer_details[tax_ids][${i}][value]`
        })
      }
    }
    const override = (str(details.taxability_override) ?? "none") as TaxCalculation["customer_details"][
      "taxability_override"
    ]
    const state = address.state === null ? null : address.state.replace(/^[A-Z]{2}-/u, "")
    const rate = (state !== null ? taxRates[`${address.country}-${state}`] : undefined) ?? taxRates[address.country]
    const reason = override === "customer_exempt"
      ? "customer_exempt"
      : override === "reverse_charge"
      ? "reverse_charge"
      : rate === undefined
      ? "not_collecting"
      : "standard_rated"
    const effective = reason === "standard_rated" ? rate! : 0
    const lineItems = (params.line_items as ReadonlyArray<P.Typed>).map((raw) => {
      const item = obj(raw)!
      const amount = item.amount as number
      const behavior = (str(item.tax_behavior) ?? "exclusive") as "exclusive" | "inclusive"
      const tax = behavior === "exclusive"
        ? Math.round(amount * effective / 100)
        : amount - Math.round(amount / (1 + effective / 100))
      return {
        id: newId("tax_li"),
        object: "tax.calculation_line_item" as const,
        amount,
        amount_tax: tax,
        reference: str(item.reference),
        tax_behavior: behavior,
        tax_code: str(item.tax_code) ?? "txcd_10000000",
        quantity: typeof item.quantity === "number" ? item.quantity : 1,
        livemode: false as const
      }
    })
    const exclusive = lineItems.filter((l) => l.tax_behavior === "exclusive").reduce((s, l) => s + l.amount_tax, 0)
    const inclusive = lineItems.filter((l) => l.tax_behavior === "inclusive").reduce((s, l) => s + l.amount_tax, 0)
    const total = lineItems.reduce((s, l) => s + l.amount, 0) + exclusive
    const id = newId("taxcalc")
    const breakdown = lineItems.map((l) => ({
      amount: l.amount_tax,
      inclusive: l.tax_behavior === "inclusive",
      taxability_reason: reason,
      taxable_amount: l.tax_behavior === "inclusive" ? l.amount - l.amount_tax : l.amount,
      tax_rate_details: {
        country: address.country,
        state,
        percentage_decimal: effective.toFixed(4),
        tax_type: effective === 0 ? null : euCountries.has(address.country!) || address.country === "GB" ? "vat" : "sales_tax",
        rate_type: "percentage" as const,
        flat_amount: null
      }
    }))
    const calculation: TaxCalculation = {
      id,
      object: "tax.calculation",
      amount_total: total,
      currency,
      customer: str(params.customer),
      customer_details: {
        address,
        address_source: (str(details.address_source) ?? "billing") as "billing" | "shipping",
        ip_address: str(details.ip_address),
        tax_ids: ids.map((t) => ({ type: str(obj(t)?.type) ?? "", value: str(obj(t)?.value) ?? "" })),
        taxability_override: override
      },
      expires_at: nowSeconds() + 90 * 24 * 3600,
      livemode: false,
      shipping_cost: null,
      tax_amount_exclusive: exclusive,
      tax_amount_inclusive: inclusive,
      tax_breakdown: breakdown,
      tax_date: typeof params.tax_date === "number" ? params.tax_date : nowSeconds()
    }
    taxCalculations.set(id, calculation)
    return ok(
      expansions(params).has("line_items")
        ? {
          ...calculation,
          line_items: { object: "list", has_more: false, url: `/v1/tax/calculations/${id}/line_items`, data: lineItems }
        }
        : calculation
    )
  }

  // --- lists and refunds (reconciliation and refunds of the checkout's payment path) ---------------------------

  /** `GET /v1/payment_intents|setup_intents?customer=`: newest first, like Stripe's lists (strongly consistent). */
  const listOf = <I extends { readonly customer: string | null; readonly created: number }>(
    all: Iterable<I>,
    params: Ctx["params"],
    render: (i: I) => unknown,
    url: string
  ): Reply => {
    const customer = str(params.customer)
    const limit = typeof params.limit === "number" ? params.limit : 10
    const matching = [...all].filter((i) => customer === null || i.customer === customer).reverse()
      .sort((a, b) => b.created - a.created)
    return ok({ object: "list", url, has_more: matching.length > limit, data: matching.slice(0, limit).map(render) })
  }

  const listPaymentIntents = ({ params }: Ctx): Reply =>
    listOf(paymentIntents.values(), params, (pi) => renderPaymentIntent(pi, expansions(params)), "/v1/payment_intents")

  const listSetupIntents = ({ params }: Ctx): Reply =>
    listOf(setupIntents.values(), params, (si) => renderSetupIntent(si, expansions(params)), "/v1/setup_intents")

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

  // --- routing -----------------------------------------------------------------------------------------------

  const byId = (prefix: string, suffix = "") => new RegExp(`^/v1/${prefix}/([A-Za-z0-9_]+)${suffix}$`, "u")
  const route = (
    method: Route["method"],
    pattern: RegExp,
    fields: P.Fields,
    expandable: ReadonlyArray<string>,
    handle: Route["handle"]
  ): Route => ({ method, pattern, fields, expandable, handle })
  const piExpand = ["payment_method", "latest_charge", "customer"]
  const siExpand = ["payment_method", "customer"]
  const routes: ReadonlyArray<Route> = [
    route("POST", /^\/v1\/customers$/u, A.customerCreateFields, ["tax_ids"], createCustomer),
    route("GET", byId("customers"), A.retrieveFields, ["tax_ids"], retrieveCustomer),
    route("POST", byId("customers"), A.customerUpdateFields, ["tax_ids"], updateCustomer),
    route("POST", byId("customers", "/tax_ids"), A.customerTaxIdCreateFields, [], createCustomerTaxId),
    route("GET", byId("confirmation_tokens"), A.retrieveFields, [], retrieveConfirmationToken),
    route(
      "POST",
      /^\/v1\/test_helpers\/confirmation_tokens$/u,
      A.confirmationTokenCreateFields,
      [],
      createConfirmationToken
    ),
    route("GET", byId("payment_methods"), A.retrieveFields, [], retrievePaymentMethod),
    route("POST", /^\/v1\/payment_intents$/u, A.paymentIntentCreateFields, piExpand, createPaymentIntent),
    route("GET", /^\/v1\/payment_intents$/u, A.intentListFields, piExpand.map((e) => `data.${e}`), listPaymentIntents),
    route("GET", /^\/v1\/setup_intents$/u, A.intentListFields, siExpand.map((e) => `data.${e}`), listSetupIntents),
    route("POST", /^\/v1\/refunds$/u, A.refundCreateFields, [], createRefund),
    route("GET", byId("payment_intents"), A.intentRetrieveFields, piExpand, retrievePaymentIntent),
    route("POST", byId("payment_intents"), A.paymentIntentUpdateFields, piExpand, updatePaymentIntent),
    route(
      "POST",
      byId("payment_intents", "/confirm"),
      A.paymentIntentConfirmFields,
      piExpand,
      confirmExistingPaymentIntent
    ),
    route("POST", byId("payment_intents", "/cancel"), A.paymentIntentCancelFields, piExpand, cancelPaymentIntent),
    route("POST", /^\/v1\/setup_intents$/u, A.setupIntentCreateFields, siExpand, createSetupIntent),
    route("GET", byId("setup_intents"), A.intentRetrieveFields, siExpand, retrieveSetupIntent),
    route("POST", byId("setup_intents"), A.setupIntentUpdateFields, siExpand, updateSetupIntent),
    route("POST", byId("setup_intents", "/confirm"), A.setupIntentConfirmFields, siExpand, confirmExistingSetupIntent),
    route("POST", byId("setup_intents", "/cancel"), A.setupIntentCancelFields, siExpand, cancelSetupIntent),
    route("POST", /^\/v1\/tax\/calculations$/u, A.taxCalculationCreateFields, ["line_items"], createTaxCalculation)
  ]

  // --- HTTP --------------------------------------------------------------------------------------------------

  const takeFault = (method: string, path: string): Fault | undefined => {
    const index = faults.findIndex((f) =>
      (f.method === undefined || f.method === method) &&
      (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path)))
    )
    if (index === -1) return undefined
    const pending = faults[index]!
    pending.remaining -= 1
    if (pending.remaining <= 0) faults.splice(index, 1)
    return pending.fault
  }

  const faultName = (fault: Fault) =>
    typeof fault === "string"
      ? fault
      : "delayMs" in fault
      ? `delay_${fault.delayMs}ms`
      : "delayReplyMs" in fault
      ? `delay_reply_${fault.delayReplyMs}ms`
      : `reply_${fault.reply.status}`

  const readBody = (req: Http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
      req.on("error", reject)
    })

  const send = (
    res: Http.ServerResponse,
    log: LoggedRequest,
    status: number,
    body: string,
    extraHeaders: Record<string, string> = {}
  ) => {
    log.status = status
    if (res.destroyed) return
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Request-Id": log.requestId,
      ...(apiVersion === null ? {} : { "Stripe-Version": apiVersion }),
      ...(log.idempotencyKey === undefined ? {} : { "Idempotency-Key": log.idempotencyKey }),
      ...extraHeaders
    })
    res.end(body)
  }

  const sendReply = (res: Http.ServerResponse, log: LoggedRequest, reply: Reply, extra?: Record<string, string>) =>
    send(res, log, reply.status, JSON.stringify(reply.body), extra)

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  const handle = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
    const rawBody = await readBody(req)
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const method = (req.method ?? "GET").toUpperCase()
    const path = url.pathname
    const header = (name: string) => {
      const v = req.headers[name]
      return Array.isArray(v) ? v[0] : v
    }
    const authorization = header("authorization")
    const apiKey = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined
    const source = method === "GET" ? url.search.replace(/^\?/u, "") : rawBody
    const parsed = FormBody.parse(source)
    const log: LoggedRequest = {
      requestId: `req_${randomId(14)}`,
      method,
      path,
      params: parsed._tag === "Ok" ? parsed.value : {},
      rawBody,
      idempotencyKey: method === "POST" ? header("idempotency-key") : undefined,
      stripeVersion: header("stripe-version"),
      apiKey,
      status: "pending",
      replayed: false,
      fault: undefined
    }
    requests.push(log)

    const fault = takeFault(method, path)
    if (fault !== undefined) log.fault = faultName(fault)
    if (fault === "server_error" || fault === "server_error_no_retry") {
      return sendReply(
        res,
        log,
        errorReply(500, { type: "api_error", message: "An unknown error occurred (injected by FakeStripe)." }),
        fault === "server_error_no_retry" ? { "Stripe-Should-Retry": "false" } : {}
      )
    }
    if (fault !== undefined && typeof fault === "object" && "reply" in fault) {
      return sendReply(res, log, fault.reply)
    }
    if (fault === "rate_limited") {
      return sendReply(
        res,
        log,
        errorReply(429, {
          type: "invalid_request_error",
          code: "rate_limit",
          message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."
        })
      )
    }

    if (authorization === undefined) {
      return sendReply(
        res,
        log,
        errorReply(401, {
          type: "invalid_request_error",
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        })
      )
    }
    if (apiKey === undefined || !/^sk_test_\w+$/u.test(apiKey)) {
      const shown = apiKey === undefined ? "" : `${apiKey.slice(0, 8)}${"*".repeat(Math.max(0, apiKey.length - 12))}${apiKey.slice(-4)}`
      return sendReply(
        res,
        log,
        errorReply(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${shown}` })
      )
    }
    if (apiVersion !== null && log.stripeVersion !== undefined && log.stripeVersion !== apiVersion) {
      return sendReply(res, log, invalid(`Invalid Stripe API version: ${log.stripeVersion}`))
    }

    let route: Route | undefined
    let match: RegExpExecArray | null = null
    for (const r of routes) {
      if (r.method !== method) continue
      match = r.pattern.exec(path)
      if (match !== null) {
        route = r
        break
      }
    }
    if (route === undefined || match === null) {
      return sendReply(res, log, missingRoute(method, path))
    }

    const idemKey = log.idempotencyKey
    const scope = idemKey === undefined ? undefined : `${apiKey}\u0000${idemKey}`
    const canonicalBody = parsed._tag === "Ok" ? canonical(parsed.value) : rawBody
    if (scope !== undefined) {
      const existing = idempotency.get(scope)
      if (existing !== undefined) {
        if (existing.method !== method || existing.path !== path || existing.canonicalBody !== canonicalBody) {
          return sendReply(
            res,
            log,
            errorReply(400, {
              type: "idempotency_error",
              message:
                `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`
            })
          )
        }
        if (existing.response === undefined) {
          return sendReply(
            res,
            log,
            errorReply(409, {
              type: "invalid_request_error",
              code: "idempotency_key_in_use",
              message:
                "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " +
                `${idemKey}. Please try again later.`
            })
          )
        }
        log.replayed = true
        // A replay's answer can be lost too (the caller then still does not know the outcome).
        if (fault === "lost_response") {
          log.status = "destroyed"
          req.socket.destroy()
          return
        }
        return send(res, log, existing.response.status, existing.response.body, {
          "Idempotent-Replayed": "true",
          "Original-Request": existing.requestId
        })
      }
    }

    if (parsed._tag === "Failure") {
      return sendReply(res, log, invalid(parsed.failure.message, { param: parsed.failure.param }))
    }
    const validated = P.validateRequest(route.fields, parsed.value)
    if (!validated.ok) {
      return sendReply(res, log, invalid(validated.failure.message, {
        ...(validated.failure.code === undefined ? {} : { code: validated.failure.code }),
        param: validated.failure.param
      }))
    }
    for (const e of strings(validated.value.expand)) {
      if (!route.expandable.includes(e)) {
        return sendReply(res, log, invalid(`This property cannot be expanded (${e}).`, { param: "expand" }))
      }
    }

    let record: IdempotencyRecord | undefined
    if (scope !== undefined) {
      record = { method, path, canonicalBody, requestId: log.requestId, response: undefined }
      idempotency.set(scope, record)
    }
    if (fault !== undefined && typeof fault === "object" && "delayMs" in fault) await sleep(fault.delayMs)

    if (fault === "server_error_stored") {
      // Execution began and failed: nothing is created, and the 500 is what the key replays from now on.
      const failed = errorReply(500, { type: "api_error", message: "An unknown error occurred (injected by FakeStripe, stored)." })
      if (record !== undefined) record.response = { status: failed.status, body: JSON.stringify(failed.body) }
      return sendReply(res, log, failed)
    }
    const reply = route.handle({ params: validated.value, path: match.slice(1), log })
    const body = JSON.stringify(reply.body)
    if (record !== undefined) record.response = { status: reply.status, body }

    if (fault === "lost_response") {
      log.status = "destroyed"
      req.socket.destroy()
      return
    }
    if (fault !== undefined && typeof fault === "object" && "delayReplyMs" in fault) await sleep(fault.delayReplyMs)
    send(res, log, reply.status, body)
  }

  const missingRoute = (method: string, path: string): Reply =>
    errorReply(404, {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`
    })

  const server = Http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "Content-Type": "application/json" })
        res.end(JSON.stringify({ error: { type: "api_error", message: `FakeStripe bug: ${String(error)}` } }))
      }
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`

  // --- handle ------------------------------------------------------------------------------------------------

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      server.close(() => resolve())
    })

  const reset = () => {
    customers.clear()
    taxIds.clear()
    confirmationTokens.clear()
    tokenMethods.clear()
    usedTokens.clear()
    paymentMethods.clear()
    paymentIntents.clear()
    setupIntents.clear()
    charges.clear()
    refunds.clear()
    taxCalculations.clear()
    events.length = 0
    requests.length = 0
    idempotency.clear()
    faults = []
  }

  const clientConfig = (maxNetworkRetries = 0): Stripe.StripeConfig => ({
    host: "127.0.0.1",
    port,
    protocol: "http",
    telemetry: false,
    maxNetworkRetries
  })

  const matches = (value: string, pattern: string | RegExp | undefined) =>
    pattern === undefined || (typeof pattern === "string" ? value === pattern : pattern.test(value))

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

  return {
    port,
    url,
    apiVersion: apiVersion ?? Stripe.API_VERSION,
    webhookSecret,
    state,
    stop,
    reset,
    clientConfig,
    client: (options) => new Stripe(options?.apiKey ?? "sk_test_fake", clientConfig(options?.maxNetworkRetries ?? 0)),
    injectFault: (fault, options) => {
      faults.push({
        fault,
        remaining: options?.times ?? 1,
        method: options?.method,
        path: options?.path
      })
    },
    pendingFaults: () => faults.reduce((n, f) => n + f.remaining, 0),
    paymentIntents: () => [...paymentIntents.values()],
    refunds: () => [...refunds.values()],
    setupIntents: () => [...setupIntents.values()],
    customers: () => [...customers.values()],
    charges: (status) => [...charges.values()].filter((c) => status === undefined || c.status === status),
    chargeCount: (status) => [...charges.values()].filter((c) => status === undefined || c.status === status).length,
    requests: (filter) =>
      requests.filter((r) => (filter?.method === undefined || r.method === filter.method) && matches(r.path, filter?.path)),
    events: (type) => events.filter((e) => type === undefined || e.type === type),
    mintConfirmationToken,
    resolveIntent,
    webhookEvent,
    signEvent,
    deliverEvents
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Effect entry points
// ---------------------------------------------------------------------------------------------------------------

/** The fake as a scoped resource: started on acquire, stopped when the scope closes. */
export const make = (options?: Options): Effect.Effect<FakeStripe, never, Scope.Scope> =>
  Effect.acquireRelease(Effect.promise(() => start(options)), (fake) => Effect.promise(() => fake.stop()))

/** The running fake, for tests that want to inspect it or inject faults. */
export class FakeStripeServer extends Context.Service<FakeStripeServer, FakeStripe>()(
  "@checkout-kit/stripe/testing/FakeStripeServer"
) {
  static readonly layer = (options?: Options): Layer.Layer<FakeStripeServer> =>
    Layer.effect(FakeStripeServer, make(options))
}

/**
 * A fake server plus a `StripeClient` pointing at it (test key, telemetry off). `maxNetworkRetries` defaults to the
 * production value (2) so retries run as in production; pass 0 for tests that must not wait on backoff.
 */
export const layerClient = (
  options?: Options & { readonly maxNetworkRetries?: number }
): Layer.Layer<FakeStripeServer | StripeClient.StripeClient> =>
  Layer.unwrap(
    Effect.gen(function*() {
      const fake = yield* make(options)
      return Layer.merge(
        Layer.succeed(FakeStripeServer, fake),
        StripeClient.StripeClient.layer({
          apiKey: Redacted.make("sk_test_fake"),
          host: "127.0.0.1",
          port: fake.port,
          protocol: "http",
          maxNetworkRetries: options?.maxNetworkRetries ?? StripeClient.defaultMaxNetworkRetries
        })
      )
    })
  )
