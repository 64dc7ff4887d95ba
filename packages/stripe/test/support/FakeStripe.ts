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
 *
 * This file is the fake's public face (the `FakeStripe` namespace tests import); the implementation is split by Stripe
 * resource under `fake/`: `State` (stored objects, ids, events, rendering), `Customers`, `ConfirmationTokens` (and
 * PaymentMethods), `PaymentIntents`, `SetupIntents`, `Tax`, `Lists`, `Refunds`, `Events` (webhook signing, intent
 * resolution, delivery), `Routes` (the routing table) and `Router` (HTTP, faults, idempotency, validation).
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer, Redacted } from "effect"
import type * as Scope from "effect/Scope"
import Stripe from "stripe"
import * as StripeClient from "../../src/StripeClient.ts"
import type { FakeStripe, Options, State } from "./fake/Api.ts"
import * as ConfirmationTokens from "./fake/ConfirmationTokens.ts"
import * as Customers from "./fake/Customers.ts"
import * as Events from "./fake/Events.ts"
import * as Lists from "./fake/Lists.ts"
import * as PaymentIntents from "./fake/PaymentIntents.ts"
import * as Refunds from "./fake/Refunds.ts"
import * as Router from "./fake/Router.ts"
import * as Routes from "./fake/Routes.ts"
import * as SetupIntents from "./fake/SetupIntents.ts"
import * as Store from "./fake/State.ts"
import * as Tax from "./fake/Tax.ts"

export {
  defaultTaxRates,
  defaultWebhookSecret,
  type Delivery,
  type FakeStripe,
  type Fault,
  type FaultOptions,
  type Options,
  type Refund,
  type SignedEvent,
  type SignOptions,
  signPayload,
  type State,
  type WebhookEventType
} from "./fake/Api.ts"
export type {
  Address,
  BillingDetails,
  CardDetails,
  Charge,
  ConfirmationToken,
  Customer,
  Event,
  LoggedRequest,
  NextAction,
  PaymentIntent,
  PaymentIntentStatus,
  PaymentMethod,
  SetupIntent,
  SetupIntentStatus,
  StripeErrorObject,
  TaxCalculation,
  TaxId
} from "./fake/Objects.ts"
export { fingerprintOf, type Scenario, TestPaymentMethods, Tokens } from "./fake/Scenarios.ts"

/** Starts a fake on 127.0.0.1 and a random port. */
export const start = async (options: Options = {}): Promise<FakeStripe> => {
  const store = Store.make(options)
  const {
    apiVersion,
    webhookSecret,
    customers,
    paymentIntents,
    setupIntents,
    charges,
    refunds,
    events,
    requests,
    faults,
    timers
  } = store

  // The stored objects and logs, read-only (the store is the state; its other parts stay out of the type).
  const state: State = store

  const sources = ConfirmationTokens.make(store)
  const payments = PaymentIntents.make(store, sources)
  const routes = Routes.make({
    ...Customers.make(store),
    ...sources,
    ...payments,
    ...SetupIntents.make(store, sources),
    ...Tax.make(store),
    ...Lists.make(store),
    ...Refunds.make(store)
  })
  const { handle } = Router.make(store, routes)
  const { signEvent, webhookEvent, resolveIntent, deliverEvents } = Events.make(store, payments.newCharge)
  const { mintConfirmationToken } = sources

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

  const reset = store.reset

  const clientConfig = (maxNetworkRetries = 0): Stripe.StripeConfig => ({
    host: "127.0.0.1",
    port,
    protocol: "http",
    telemetry: false,
    maxNetworkRetries
  })

  const matches = (value: string, pattern: string | RegExp | undefined) =>
    pattern === undefined || (typeof pattern === "string" ? value === pattern : pattern.test(value))

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
