/**
 * The fake's shared state: every stored object, the event and request logs, idempotency records and pending
 * faults, id generation, event emission and rendering with `expand`. Resource modules take a `Store` and close over it.
 */
import Stripe from "stripe"
import { randomBytes } from "node:crypto"
import type * as P from "../ParamSpec.ts"
import type {
  Address,
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
import { type Options, defaultWebhookSecret, defaultTaxRates, type Fault, type Refund } from "./Api.ts"
import { strings } from "./Reply.ts"

export interface IdempotencyRecord {
  readonly method: string
  readonly path: string
  readonly canonicalBody: string
  readonly requestId: string
  response: { readonly status: number; readonly body: string } | undefined
}

export interface PendingFault {
  readonly fault: Fault
  remaining: number
  readonly method: string | undefined
  readonly path: string | RegExp | undefined
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
export const randomId = (length: number): string => {
  const bytes = randomBytes(length)
  let out = ""
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length]
  return out
}
export const newId = (prefix: string) => `${prefix}_${randomId(24)}`

export const nowSeconds = () => Math.floor(Date.now() / 1000)

export const emptyAddress: Address = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }

/** Creates the empty state of one fake server. */
export const make = (options: Options) => {
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
  const faults: Array<PendingFault> = []
  const timers = new Set<NodeJS.Timeout>()

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

  /** Clears all stored objects, logs and pending faults. */
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
    faults.length = 0
  }

  return {
    apiVersion, webhookSecret, taxRates,
    customers, taxIds, confirmationTokens, tokenMethods, usedTokens, paymentMethods, paymentIntents, setupIntents,
    charges, refunds, taxCalculations, events, requests, idempotency, faults, timers,
    makeEvent, emit, expansions, renderCustomer, renderPaymentIntent, renderSetupIntent, reset
  }
}

/** The shared state every resource module reads and writes. */
export type Store = ReturnType<typeof make>
