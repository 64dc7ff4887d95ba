/**
 * The end-to-end world: the REAL CheckoutService over the in-memory store, the REAL Stripe adapters (payment
 * processor and tax) talking HTTP through the real `stripe` client to the fake Stripe server, and the REAL webhook
 * endpoint served on a loopback port, so Stripe's deliveries (FakeStripe.deliverEvents) travel over HTTP as raw
 * bytes. Only Stripe itself is faked. One world per test: a fresh fake, store and endpoint.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import {
  Catalog,
  type CheckoutEvent,
  CheckoutService,
  type CheckoutView,
  CheckoutRepository
} from "@checkout-kit/domain"
import { Fixtures as F } from "@checkout-kit/domain/testing"
import { MemoryEvents, MemoryStore } from "@checkout-kit/store-memory"
import { ConfigProvider, Context, Effect, Exit, Layer, Option, Redacted } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import type * as Scope from "effect/Scope"
import { ProcessedEvents } from "../../../stripe/src/ProcessedEvents.ts"
import * as StripeClient from "../../../stripe/src/StripeClient.ts"
import * as StripePaymentProcessor from "../../../stripe/src/StripePaymentProcessor.ts"
import * as StripeTaxCalculator from "../../../stripe/src/StripeTaxCalculator.ts"
import { FakeStripe } from "../../../stripe/test/support/index.ts"
import * as WebhookEndpoint from "../../../stripe/src/WebhookEndpoint.ts"

// ---------------------------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------------------------

export const org = F.organization({ id: F.uuidOf(1), name: "Acme", slug: "acme" })
export const caller: CheckoutService.Caller = { organizationId: org.id }
/** 25.00 USD, once. */
export const oneOff = F.product({ id: F.uuidOf(10), organizationId: org.id, name: "Pro", prices: [F.fixed(2500)] })
/** Monthly with a one-month trial: nothing charged now, a SetupIntent saves the card. */
export const trial = F.product({
  id: F.uuidOf(11),
  organizationId: org.id,
  name: "Monthly trial",
  ...F.monthly,
  trialInterval: "month",
  trialIntervalCount: 1,
  prices: [F.fixed(1000)]
})
export const half = F.percentageDiscount({ id: F.uuidOf(20), organizationId: org.id, code: "HALF", basisPoints: 5000 })

/** New York: the fake Stripe Tax charges 8.875 % there. */
export const nyAddress = { country: "US", state: "NY", line1: "1 Main St", city: "New York", postalCode: "10001" } as const

// ---------------------------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------------------------

export interface WorldOptions {
  /** The SDK's network retries (production: 2). Default 0, so only tests about retries pay for the backoff. */
  readonly maxNetworkRetries?: number
  /** The webhook endpoint's options; the secret defaults to the fake's. */
  readonly endpoint?: Partial<WebhookEndpoint.Options>
  /** Replaces the memory ProcessedEvents (to inject storage failures). */
  readonly processedEvents?: Layer.Layer<ProcessedEvents>
  /** Mounts `WebhookEndpoint.layerConfig` read from this environment instead of `layer(endpoint)`. */
  readonly endpointEnv?: Record<string, string>
}

export type Services =
  | CheckoutService.CheckoutService
  | MemoryStore.Services
  | ProcessedEvents
  | StripeClient.StripeClient

export interface World {
  readonly fake: FakeStripe.FakeStripe
  /** The webhook endpoint's URL on loopback (what one registers in the Stripe dashboard). */
  readonly webhookUrl: string
  /** Where a returning buyer's Stripe Customer lives (created on the fake before the store is seeded). */
  readonly returningCustomer: { readonly id: string; readonly email: string; readonly processorCustomerId: string }
  /** Runs an effect against the world's services (the same store the endpoint writes to). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Effect.Effect<A, E>
}

/** Serves a web handler on 127.0.0.1:<random> with node:http, passing the body bytes through untouched. */
const loopback = (
  handler: (request: Request) => Promise<Response>
): Effect.Effect<string, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() =>
      new Promise<Http.Server>((resolve) => {
        const server = Http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (c: Buffer) => chunks.push(c))
          req.on("end", () => {
            const headers = new Headers()
            for (const [k, v] of Object.entries(req.headers)) {
              if (typeof v === "string") headers.set(k, v)
            }
            const method = req.method ?? "GET"
            handler(
              new Request(`http://127.0.0.1${req.url ?? "/"}`, {
                method,
                headers,
                ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) })
              })
            ).then(async (response) => {
              res.writeHead(response.status, Object.fromEntries(response.headers))
              res.end(Buffer.from(await response.arrayBuffer()))
            }, (error: unknown) => {
              res.writeHead(599)
              res.end(String(error))
            })
          })
        })
        server.listen(0, "127.0.0.1", () => resolve(server))
      })
    ),
    (server) =>
      Effect.promise(() =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
      )
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${WebhookEndpoint.path}`))

export const makeWorld = (options: WorldOptions = {}): Effect.Effect<World, never, Scope.Scope> =>
  Effect.gen(function*() {
    const fake = yield* FakeStripe.make()
    const stripeCustomer = yield* Effect.promise(() =>
      fake.client().customers.create({ email: "returning@example.com", name: "Returning Buyer" })
    )
    const returning = F.customer({
      id: F.uuidOf(30),
      organizationId: org.id,
      email: "returning@example.com",
      name: "Returning Buyer",
      billingAddress: { line1: "1 Main St", line2: null, postalCode: "10001", city: "New York", state: "US-NY", country: "US" },
      processorCustomerId: stripeCustomer.id
    })

    const client = StripeClient.StripeClient.layer({
      apiKey: Redacted.make("sk_test_e2e"),
      host: "127.0.0.1",
      port: fake.port,
      protocol: "http",
      maxNetworkRetries: options.maxNetworkRetries ?? 0
    })
    const adapters = Layer.mergeAll(
      MemoryStore.layerTest({ organizations: [org], products: [oneOff, trial], discounts: [half], customers: [returning] }),
      StripePaymentProcessor.layer,
      StripeTaxCalculator.layer,
      options.processedEvents ?? ProcessedEvents.layerMemory()
    ).pipe(Layer.provideMerge(client))
    const services = CheckoutService.CheckoutService.layer.pipe(Layer.provideMerge(adapters))
    const context: Context.Context<Services> = yield* Layer.build(services)

    const route = options.endpointEnv === undefined
      ? WebhookEndpoint.layer({ secret: Redacted.make(fake.webhookSecret), ...options.endpoint })
      : WebhookEndpoint.layerConfig.pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(options.endpointEnv))),
        Layer.orDie
      )
    const web = HttpRouter.toWebHandler(
      route.pipe(Layer.provide(Layer.succeedContext(context)), Layer.provide(HttpServer.layerServices)),
      { disableLogger: true }
    )
    yield* Effect.addFinalizer(() => Effect.promise(() => web.dispose()))
    const webhookUrl = yield* loopback((request) => web.handler(request))

    return {
      fake,
      webhookUrl,
      returningCustomer: { id: returning.id, email: "returning@example.com", processorCustomerId: stripeCustomer.id },
      run: (effect) => Effect.provide(effect, context)
    }
  })

// ---------------------------------------------------------------------------------------------------------------
// Steps a buyer (or Stripe) takes
// ---------------------------------------------------------------------------------------------------------------

/** A new 25.00 USD checkout (New York, so tax applies), optionally for the returning buyer or with a discount. */
export const createCheckout = (
  world: World,
  options: { readonly returning?: boolean; readonly discountId?: string; readonly productId?: string } = {}
): Effect.Effect<CheckoutView.CheckoutView> =>
  world.run(Effect.gen(function*() {
    const service = yield* CheckoutService.CheckoutService
    return yield* service.create(caller, {
      productId: options.productId ?? oneOff.id,
      ...(options.returning === true
        ? { customerId: world.returningCustomer.id }
        : { customerEmail: "buyer@example.com", customerBillingAddress: nyAddress }),
      ...(options.discountId === undefined ? {} : { discountId: options.discountId })
    })
  })).pipe(Effect.orDie)

/** The buyer presses "Pay" with a confirmation token (Stripe.js would have minted it). */
export const confirm = (world: World, view: CheckoutView.CheckoutView, confirmationTokenId: string) =>
  world.run(Effect.gen(function*() {
    const service = yield* CheckoutService.CheckoutService
    return yield* service.confirm(view.checkout.clientSecret, { confirmationTokenId })
  }))

/** `confirm`, with its outcome as an Exit (for resubmission tests that expect failures). */
export const confirmExit = (world: World, view: CheckoutView.CheckoutView, confirmationTokenId: string) =>
  Effect.exit(confirm(world, view, confirmationTokenId))

/** The tag of a confirm's typed failure, or "Success"; defects and interrupts are reported as such. */
export const tagOf = <A>(exit: Exit.Exit<A, { readonly _tag: string }>): string =>
  Exit.isSuccess(exit)
    ? "Success"
    : Option.match(Exit.findErrorOption(exit), { onNone: () => "Defect", onSome: (e) => e._tag })

/** The stored checkout. */
export const checkoutOf = (world: World, id: string) =>
  world.run(Effect.gen(function*() {
    const repo = yield* CheckoutRepository
    const found = yield* repo.findById(id)
    if (Option.isNone(found)) return yield* Effect.die(`no checkout ${id}`)
    return found.value
  }))

/** Committed domain events about one checkout. */
export const eventsOf = (world: World, checkoutId: string, type?: CheckoutEvent["type"]) =>
  world.run(Effect.gen(function*() {
    const events = yield* MemoryEvents.MemoryEvents
    return (yield* events.all).filter((e) => e.checkout.id === checkoutId && (type === undefined || e.type === type))
  }))

export const redemptionOf = (world: World, checkoutId: string) =>
  world.run(Effect.gen(function*() {
    const catalog = yield* Catalog
    return yield* catalog.findRedemption(checkoutId)
  }))

export const discountOf = (world: World, id: string) =>
  world.run(Effect.gen(function*() {
    const catalog = yield* Catalog
    return Option.getOrThrow(yield* catalog.getDiscount(id))
  }))

/** Stripe's side of one checkout: its PaymentIntents and the charges that took money. */
export const stripeSideOf = (world: World, checkoutId: string) => {
  const intents = world.fake.paymentIntents().filter((p) => p.metadata["checkout_id"] === checkoutId)
  const ids = new Set(intents.map((p) => p.id))
  return {
    intents,
    setupIntents: world.fake.setupIntents().filter((s) => s.metadata["checkout_id"] === checkoutId),
    succeededCharges: world.fake.charges("succeeded").filter((c) => ids.has(c.payment_intent)),
    createRequests: world.fake.requests({ method: "POST", path: /^\/v1\/(payment|setup)_intents$/u }).filter((r) =>
      (r.params["metadata"] as Record<string, string> | undefined)?.["checkout_id"] === checkoutId
    )
  }
}

/** Stored events of the fake (what Stripe would deliver) about one checkout, oldest first, optionally by type. */
export const stripeEventsOf = (world: World, checkoutId: string, type?: string) =>
  world.fake.events(type).filter((e) => {
    const object = e.data.object as { readonly metadata?: Record<string, string> }
    return object.metadata?.["checkout_id"] === checkoutId
  })

/** Delivers events to the endpoint over HTTP, signed now (or as given); returns the statuses. */
export const deliver = (
  world: World,
  events: ReadonlyArray<FakeStripe.Event>,
  options?: { readonly duplicate?: boolean; readonly reverse?: boolean }
) => Effect.promise(() => world.fake.deliverEvents(world.webhookUrl, events, options))

/** POSTs a raw body with an optional Stripe-Signature header, exactly as given. */
export const post = (world: World, body: string, signature: string | undefined) =>
  Effect.promise(async () => {
    const response = await fetch(world.webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(signature === undefined ? {} : { "Stripe-Signature": signature }) },
      body
    })
    return { status: response.status, body: (await response.json()) as Record<string, string> }
  })
