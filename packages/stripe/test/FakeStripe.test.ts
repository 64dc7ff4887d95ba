/**
 * The fake Stripe server against the real `stripe` client (plain async API, no Effect): wire format, allow-lists,
 * error classes, scenarios, idempotency and fault injection.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import Stripe from "stripe"
import { FakeStripe } from "./support/index.ts"

let fake: FakeStripe.FakeStripe
let stripe: Stripe

beforeAll(async () => {
  fake = await FakeStripe.start()
  stripe = fake.client()
})
afterAll(() => fake.stop())
beforeEach(() => fake.reset())

const rejection = async (promise: Promise<unknown>): Promise<Stripe.errors.StripeError> => {
  try {
    await promise
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error
    throw error
  }
  throw new Error("expected the call to fail")
}

const piParams = (overrides: Partial<Stripe.PaymentIntentCreateParams> = {}): Stripe.PaymentIntentCreateParams => ({
  amount: 2000,
  currency: "usd",
  automatic_payment_methods: { enabled: true },
  confirm: true,
  confirmation_token: FakeStripe.Tokens.success,
  return_url: "https://shop.test/return",
  metadata: { checkout_id: "co_1", organization_id: "org_1" },
  expand: ["payment_method"],
  ...overrides
})

describe("wire format", () => {
  it("decodes the SDK's bracketed form body into nested params", async () => {
    await stripe.paymentIntents.create(piParams())
    const [request] = fake.requests({ method: "POST", path: "/v1/payment_intents" })
    expect(request!.rawBody).toContain("automatic_payment_methods[enabled]=true")
    expect(request!.rawBody).toContain("expand[0]=payment_method")
    expect(request!.params).toEqual({
      amount: "2000",
      currency: "usd",
      automatic_payment_methods: { enabled: "true" },
      confirm: "true",
      confirmation_token: "ctoken_success",
      return_url: "https://shop.test/return",
      metadata: { checkout_id: "co_1", organization_id: "org_1" },
      expand: ["payment_method"]
    })
    expect(request!.stripeVersion).toBe(Stripe.API_VERSION)
    expect(request!.idempotencyKey).toMatch(/^stripe-node-retry-/u)
    expect(request!.apiKey).toBe("sk_test_fake")
  })

  it("expands payment_method only when asked", async () => {
    const expanded = await stripe.paymentIntents.create(piParams())
    expect(typeof expanded.payment_method).toBe("object")
    const plain = await stripe.paymentIntents.retrieve(expanded.id)
    expect(typeof plain.payment_method).toBe("string")
  })
})

describe("allow-lists and errors", () => {
  it("rejects an unknown top-level parameter as Stripe does", async () => {
    const error = await rejection(
      stripe.paymentIntents.create({ ...piParams(), surprise: "x" } as Stripe.PaymentIntentCreateParams)
    )
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(error.statusCode).toBe(400)
    expect(error.code).toBe("parameter_unknown")
    expect(error.param).toBe("surprise")
    expect(error.message).toBe("Received unknown parameter: surprise")
    expect(fake.paymentIntents()).toHaveLength(0)
  })

  it("rejects an unknown nested parameter with its bracketed name", async () => {
    const error = await rejection(stripe.paymentIntents.create(piParams({
      automatic_payment_methods: { enabled: true, bogus: "1" } as Stripe.PaymentIntentCreateParams.AutomaticPaymentMethods
    })))
    expect(error.code).toBe("parameter_unknown")
    expect(error.param).toBe("automatic_payment_methods[bogus]")
  })

  it("reports a missing required parameter and an invalid integer", async () => {
    const { amount: _omit, ...withoutAmount } = piParams()
    const missing = await rejection(stripe.paymentIntents.create(withoutAmount as Stripe.PaymentIntentCreateParams))
    expect([missing.code, missing.param]).toEqual(["parameter_missing", "amount"])
    const notInt = await rejection(
      stripe.paymentIntents.create(piParams({ amount: "12.5" as unknown as number }))
    )
    expect([notInt.code, notInt.param]).toEqual(["parameter_invalid_integer", "amount"])
  })

  it("refuses an expansion the endpoint does not offer", async () => {
    const error = await rejection(stripe.paymentIntents.create(piParams({ expand: ["invoice"] })))
    expect(error.message).toBe("This property cannot be expanded (invoice).")
  })

  it("answers 404 for an unknown URL", async () => {
    const error = await rejection(stripe.payouts.create({ amount: 100, currency: "usd" }))
    expect(error.statusCode).toBe(404)
    expect(error.message).toContain("Unrecognized request URL (POST: /v1/payouts)")
  })

  it("answers 401 for a key that is not a test secret key", async () => {
    const error = await rejection(fake.client({ apiKey: "pk_test_123" }).customers.create({ email: "a@b.test" }))
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError)
    expect(error.statusCode).toBe(401)
  })

  it("rejects an API version other than the SDK's pinned one", async () => {
    const other = new Stripe("sk_test_fake", {
      ...fake.clientConfig(),
      apiVersion: "2020-08-27" as typeof Stripe.API_VERSION
    })
    const error = await rejection(other.customers.create({ email: "a@b.test" }))
    expect(error.message).toBe("Invalid Stripe API version: 2020-08-27")
  })
})

describe("customers", () => {
  it("creates with a tax id, returns it when tax_ids is expanded, and refuses a duplicate", async () => {
    const created = await stripe.customers.create({
      email: "buyer@shop.test",
      name: "Buyer",
      address: { country: "FR", city: "Paris", line1: "1 rue", postal_code: "75001" },
      tax_id_data: [{ type: "eu_vat", value: "FR61954506077" }]
    })
    const updated = await stripe.customers.update(created.id, { name: "Renamed", expand: ["tax_ids"] })
    expect(updated.name).toBe("Renamed")
    expect(updated.tax_ids?.data.map((t) => [t.type, t.value])).toEqual([["eu_vat", "FR61954506077"]])
    const duplicate = await rejection(stripe.customers.createTaxId(created.id, { type: "eu_vat", value: "FR61954506077" }))
    expect(duplicate.code).toBe("resource_already_exists")
    const other = await stripe.customers.createTaxId(created.id, { type: "eu_vat", value: "DE123456789" })
    expect(other.value).toBe("DE123456789")
  })

  it("answers resource_missing for an unknown customer", async () => {
    const error = await rejection(stripe.customers.update("cus_nope", { name: "x" }))
    expect([error.statusCode, error.code]).toEqual([404, "resource_missing"])
  })
})

describe("confirmation tokens", () => {
  it("mints a token through the test helper and previews billing name and card fingerprint", async () => {
    const minted = await stripe.testHelpers.confirmationTokens.create({
      payment_method: "pm_card_visa",
      payment_method_data: { type: "card", billing_details: { name: "Wallet Name" } }
    })
    const token = await stripe.confirmationTokens.retrieve(minted.id)
    expect(token.payment_method_preview?.billing_details.name).toBe("Wallet Name")
    expect(token.payment_method_preview?.card?.fingerprint).toBe(FakeStripe.fingerprintOf("pm_card_visa"))
    const again = await stripe.testHelpers.confirmationTokens.create({ payment_method: "pm_card_visa" })
    expect(again.payment_method_preview?.card?.fingerprint).toBe(token.payment_method_preview?.card?.fingerprint)
    const declined = await stripe.testHelpers.confirmationTokens.create({ payment_method: "pm_card_chargeDeclined" })
    expect(declined.payment_method_preview?.card?.fingerprint).not.toBe(token.payment_method_preview?.card?.fingerprint)
  })

  it("makes minted tokens single-use", async () => {
    const token = fake.mintConfirmationToken({ scenario: "success" })
    await stripe.paymentIntents.create(piParams({ confirmation_token: token.id }))
    const error = await rejection(stripe.paymentIntents.create(piParams({ confirmation_token: token.id })))
    expect(error.code).toBe("payment_intent_unexpected_state")
    expect(fake.paymentIntents()).toHaveLength(1)
  })
})

describe("payment intent scenarios", () => {
  it("success: succeeded, one charge carrying the intent's metadata, charge.succeeded emitted", async () => {
    const pi = await stripe.paymentIntents.create(piParams())
    expect(pi.status).toBe("succeeded")
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`, "u"))
    const [charge] = fake.charges()
    expect(charge).toMatchObject({ status: "succeeded", amount: 2000, payment_intent: pi.id, metadata: { checkout_id: "co_1" } })
    expect(fake.events().map((e) => e.type)).toEqual([
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.succeeded"
    ])
  })

  it("generic decline: 402 StripeCardError with the intent and a failed charge", async () => {
    const error = await rejection(stripe.paymentIntents.create(piParams({ confirmation_token: FakeStripe.Tokens.decline })))
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect([error.statusCode, error.code, error.decline_code]).toEqual([402, "card_declined", "generic_decline"])
    expect(error.message).toBe("Your card was declined.")
    expect(error.payment_intent?.status).toBe("requires_payment_method")
    expect(fake.chargeCount("failed")).toBe(1)
    expect(fake.chargeCount("succeeded")).toBe(0)
    expect(fake.events("payment_intent.payment_failed")).toHaveLength(1)
  })

  it("insufficient funds: decline_code insufficient_funds", async () => {
    const error = await rejection(
      stripe.paymentIntents.create(piParams({ confirmation_token: FakeStripe.Tokens.insufficientFunds }))
    )
    expect(error.decline_code).toBe("insufficient_funds")
  })

  it("requires_action: a redirect next_action, no charge, then the buyer completes 3DS", async () => {
    const pi = await stripe.paymentIntents.create(piParams({ confirmation_token: FakeStripe.Tokens.requiresAction }))
    expect(pi.status).toBe("requires_action")
    expect(pi.next_action?.type).toBe("redirect_to_url")
    expect(fake.chargeCount()).toBe(0)
    const emitted = fake.resolveIntent(pi.id, "succeed")
    expect(emitted.map((e) => e.type)).toEqual(["charge.succeeded", "payment_intent.succeeded"])
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded")
  })

  it("requires_action off-session: 402 authentication_required", async () => {
    const error = await rejection(stripe.paymentIntents.create(piParams({
      confirmation_token: FakeStripe.Tokens.requiresAction,
      off_session: true
    })))
    expect(error.code).toBe("authentication_required")
  })

  it("processing: pending charge until the debit settles or bounces", async () => {
    const pi = await stripe.paymentIntents.create(piParams({ confirmation_token: FakeStripe.Tokens.processing }))
    expect(pi.status).toBe("processing")
    expect(fake.chargeCount("pending")).toBe(1)
    const emitted = fake.resolveIntent(pi.id, "fail")
    expect(emitted.map((e) => e.type)).toEqual(["charge.failed", "payment_intent.payment_failed"])
    expect(fake.chargeCount("failed")).toBe(1)
  })

  it("expired token: 400 resource_missing on confirmation_token, nothing created", async () => {
    const error = await rejection(stripe.paymentIntents.create(piParams({ confirmation_token: FakeStripe.Tokens.expired })))
    expect([error.statusCode, error.code, error.param]).toEqual([400, "resource_missing", "confirmation_token"])
    expect(fake.paymentIntents()).toHaveLength(0)
  })

  it("refuses to confirm an intent that already succeeded", async () => {
    const pi = await stripe.paymentIntents.create(piParams())
    const error = await rejection(stripe.paymentIntents.confirm(pi.id, { confirmation_token: FakeStripe.Tokens.success }))
    expect(error.code).toBe("payment_intent_unexpected_state")
    expect(error.message).toContain("already succeeded")
  })

  it("requires return_url when automatic payment methods are on", async () => {
    const { return_url: _omit, ...rest } = piParams()
    const error = await rejection(stripe.paymentIntents.create(rest))
    expect(error.param).toBe("return_url")
  })
})

describe("setup intents", () => {
  it("success, requires_action and a 402 decline carrying the setup intent", async () => {
    const base: Stripe.SetupIntentCreateParams = {
      automatic_payment_methods: { enabled: true },
      confirm: true,
      return_url: "https://shop.test/return",
      metadata: { checkout_id: "co_si" }
    }
    const ok = await stripe.setupIntents.create({ ...base, confirmation_token: FakeStripe.Tokens.success })
    expect([ok.status, ok.usage]).toEqual(["succeeded", "off_session"])
    const action = await stripe.setupIntents.create({ ...base, confirmation_token: FakeStripe.Tokens.requiresAction })
    expect(action.status).toBe("requires_action")
    const error = await rejection(stripe.setupIntents.create({ ...base, confirmation_token: FakeStripe.Tokens.decline }))
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect(error.setup_intent?.status).toBe("requires_payment_method")
    expect(fake.chargeCount()).toBe(0)
    expect(fake.events().map((e) => e.type).filter((t) => !t.endsWith(".created"))).toEqual([
      "setup_intent.succeeded",
      "setup_intent.requires_action",
      "setup_intent.setup_failed"
    ])
  })
})

describe("idempotency", () => {
  it("replays the stored response for the same key and body", async () => {
    const first = await stripe.paymentIntents.create(piParams(), { idempotencyKey: "checkout:co_1:confirm:1" })
    const second = await stripe.paymentIntents.create(piParams(), { idempotencyKey: "checkout:co_1:confirm:1" })
    expect(second.id).toBe(first.id)
    expect(fake.paymentIntents()).toHaveLength(1)
    expect(fake.chargeCount()).toBe(1)
    expect(fake.requests({ path: "/v1/payment_intents" }).map((r) => r.replayed)).toEqual([false, true])
  })

  it("replays a stored 402 as well", async () => {
    const params = piParams({ confirmation_token: FakeStripe.Tokens.decline })
    const first = await rejection(stripe.paymentIntents.create(params, { idempotencyKey: "k-decline" }))
    const second = await rejection(stripe.paymentIntents.create(params, { idempotencyKey: "k-decline" }))
    expect(second.payment_intent?.id).toBe(first.payment_intent?.id)
    expect(fake.paymentIntents()).toHaveLength(1)
  })

  it("refuses the same key with a different body (StripeIdempotencyError)", async () => {
    await stripe.paymentIntents.create(piParams(), { idempotencyKey: "k-body" })
    const error = await rejection(stripe.paymentIntents.create(piParams({ amount: 2500 }), { idempotencyKey: "k-body" }))
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
    expect(error.message).toContain("same parameters they were first used with")
    expect(fake.paymentIntents()).toHaveLength(1)
  })

  it("does not store a request that failed validation", async () => {
    const bad = await rejection(stripe.paymentIntents.create(
      { ...piParams(), nope: "1" } as Stripe.PaymentIntentCreateParams,
      { idempotencyKey: "k-invalid" }
    ))
    expect(bad.code).toBe("parameter_unknown")
    const pi = await stripe.paymentIntents.create(piParams(), { idempotencyKey: "k-invalid" })
    expect(pi.status).toBe("succeeded")
  })

  it("answers 409 idempotency_key_in_use while the first request with the key is still running", async () => {
    fake.injectFault({ delayMs: 300 }, { path: "/v1/payment_intents" })
    const first = stripe.paymentIntents.create(piParams(), { idempotencyKey: "k-flight" })
    while (fake.requests({ path: "/v1/payment_intents" }).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const error = await rejection(stripe.paymentIntents.create(piParams(), { idempotencyKey: "k-flight" }))
    expect([error.statusCode, error.code]).toEqual([409, "idempotency_key_in_use"])
    expect((await first).status).toBe("succeeded")
    expect(fake.paymentIntents()).toHaveLength(1)
  })
})

describe("fault injection", () => {
  it("500 then success: the SDK retries with the same key and one intent exists", async () => {
    fake.injectFault("server_error", { method: "POST", path: "/v1/payment_intents" })
    const pi = await fake.client({ maxNetworkRetries: 1 }).paymentIntents.create(piParams())
    expect(pi.status).toBe("succeeded")
    const requests = fake.requests({ path: "/v1/payment_intents" })
    expect(requests.map((r) => r.status)).toEqual([500, 200])
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(1)
    expect(fake.paymentIntents()).toHaveLength(1)
  })

  it("500 with Stripe-Should-Retry: false is not retried", async () => {
    fake.injectFault("server_error_no_retry")
    const error = await rejection(fake.client({ maxNetworkRetries: 2 }).customers.create({ email: "a@b.test" }))
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError)
    expect(fake.requests()).toHaveLength(1)
  })

  it("429 is a StripeRateLimitError and nothing runs", async () => {
    fake.injectFault("rate_limited", { times: 1 })
    const error = await rejection(stripe.paymentIntents.create(piParams()))
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError)
    expect(fake.paymentIntents()).toHaveLength(0)
    expect(fake.pendingFaults()).toBe(0)
  })

  it("lost response: the charge is made, the SDK retries the closed connection once and gets the replay", async () => {
    fake.injectFault("lost_response", { path: "/v1/payment_intents" })
    const pi = await stripe.paymentIntents.create(piParams())
    const requests = fake.requests({ path: "/v1/payment_intents" })
    expect(requests.map((r) => [r.status, r.replayed])).toEqual([["destroyed", false], [200, true]])
    expect(requests[0]!.idempotencyKey).toBe(requests[1]!.idempotencyKey)
    expect(fake.paymentIntents().map((p) => p.id)).toEqual([pi.id])
    expect(fake.chargeCount("succeeded")).toBe(1)
  })

  it("lost response on the replay too: a connection error, yet exactly one charge", async () => {
    fake.injectFault("lost_response", { path: "/v1/payment_intents", times: 2 })
    const error = await rejection(stripe.paymentIntents.create(piParams()))
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError)
    const requests = fake.requests({ path: "/v1/payment_intents" })
    expect(requests.map((r) => [r.status, r.replayed])).toEqual([["destroyed", false], ["destroyed", true]])
    expect(fake.chargeCount("succeeded")).toBe(1)
  })

  it("a delayed reply: the operation (and its events) happen before the answer arrives", async () => {
    fake.injectFault({ delayReplyMs: 200 }, { path: "/v1/payment_intents" })
    const pending = stripe.paymentIntents.create(piParams())
    let seen: ReadonlyArray<FakeStripe.Event> = []
    while (seen.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      seen = fake.events("charge.succeeded")
    }
    expect(fake.requests({ path: "/v1/payment_intents" })[0]!.status).toBe("pending")
    const pi = await pending
    expect((seen[0]!.data.object as FakeStripe.Charge).payment_intent).toBe(pi.id)
  })

  it("a canned reply replaces the endpoint", async () => {
    fake.injectFault({ reply: { status: 200, body: { id: "pi_canned", object: "payment_intent", status: "weird" } } })
    const pi = await stripe.paymentIntents.create(piParams())
    expect([pi.id, pi.status]).toEqual(["pi_canned", "weird"])
    expect(fake.paymentIntents()).toHaveLength(0)
  })
})

describe("webhook events", () => {
  it("builds a charge.succeeded for an intent, signed so the SDK verifies it", async () => {
    const pi = await stripe.paymentIntents.create(piParams())
    const signed = fake.webhookEvent("charge.succeeded", pi.id)
    const event = Stripe.webhooks.constructEvent(signed.payload, signed.header, fake.webhookSecret)
    expect(event.type).toBe("charge.succeeded")
    const charge = event.data.object as Stripe.Charge
    expect([charge.payment_intent, charge.metadata["checkout_id"], charge.status]).toEqual([pi.id, "co_1", "succeeded"])
    expect(() => Stripe.webhooks.constructEvent(signed.payload, signed.header, "whsec_other")).toThrow(
      Stripe.errors.StripeSignatureVerificationError
    )
  })

  it("signs stored events and can deliver them duplicated and reversed", async () => {
    const received: Array<string> = []
    const http = await import("node:http")
    const sink = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString()))
      req.on("end", () => {
        const event = Stripe.webhooks.constructEvent(body, String(req.headers["stripe-signature"]), fake.webhookSecret)
        received.push(event.type)
        res.writeHead(202).end()
      })
    })
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve))
    const port = (sink.address() as { port: number }).port
    await stripe.paymentIntents.create(piParams())
    const events = fake.events().filter((e) => e.type !== "payment_intent.created")
    const deliveries = await fake.deliverEvents(`http://127.0.0.1:${port}/`, events, { duplicate: true, reverse: true })
    await new Promise<void>((resolve) => sink.close(() => resolve()))
    expect(deliveries.map((d) => d.status)).toEqual([202, 202, 202, 202])
    expect(received).toEqual([
      "payment_intent.succeeded",
      "payment_intent.succeeded",
      "charge.succeeded",
      "charge.succeeded"
    ])
  })
})

describe("as an Effect scoped resource", () => {
  it.effect("listens while the scope is open and stops when it closes", () =>
    Effect.gen(function*() {
      const port = yield* Effect.scoped(Effect.gen(function*() {
        const scoped = yield* FakeStripe.make()
        const customer = yield* Effect.promise(() => scoped.client().customers.create({ email: "e@f.test" }))
        expect(customer.id).toMatch(/^cus_/u)
        return scoped.port
      }))
      const after = yield* Effect.exit(Effect.tryPromise(() => fetch(`http://127.0.0.1:${port}/v1/customers`)))
      expect(Exit.isFailure(after)).toBe(true)
    }))
})
