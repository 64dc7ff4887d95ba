import { assert, describe, it } from "@effect/vitest"
import { FakeStripe } from "../../stripe/test/support/index.ts"
import { Polar } from "@polar-sh/sdk"
import { Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"

const webhookPath = "/v1/integrations/stripe/webhook"

const post = (url: string, body: string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } })
    return { status: res.status, body: await res.text() }
  })

const chargeEvent = (id: string, type: string, checkoutId: string): FakeStripe.Event => ({
  id,
  object: "event",
  api_version: "2026-10-28.endive",
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
  data: { object: { id: "ch_1", object: "charge", payment_intent: "pi_1", metadata: { checkout_id: checkoutId } } }
})

/** A complete confirm body for the demo seed's first product (snake_case, as a browser sends it). */
const confirmBody = {
  custom_field_data: { team_size: "1" },
  customer_name: "Ada Lovelace",
  customer_email: "ada@example.com",
  customer_billing_address: { country: "US", line1: "1 Main St", city: "Springfield", postal_code: "12345", state: "IL" }
}

/** The app on a fresh fake Stripe (`env` adds settings), and a Polar SDK client with the app's access token. */
const startOnStripe = (env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const fake = yield* FakeStripe.make()
    const started = yield* startApp({
      STRIPE_SECRET_KEY: "sk_test_fake",
      STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
      STRIPE_API_BASE: fake.url,
      ...env
    })
    const polar = new Polar({ accessToken: String(started.ready["accessToken"]), serverURL: started.url, retryConfig: { strategy: "none" } })
    return { ...started, fake, polar }
  })

const fixedProduct = "22222222-2222-4222-8222-000000000001"

describe("Stripe mode", () => {
  it.live("uses Stripe, mounts the verified and deduplicated webhook endpoint", () =>
    Effect.gen(function*() {
      const { fake, logs, printed, ready, scope, url } = yield* startOnStripe()
      assert.strictEqual(ready["paymentProcessor"], "stripe")
      assert.strictEqual(ready["stripeWebhookPath"], webhookPath)
      assert.isFalse(logs.some((l) => String(l.message).startsWith("TEST MODE")))
      assert.notInclude(printed.join("\n"), "TEST MODE")
      assert.notInclude(JSON.stringify(logs), "sk_test_fake")

      const endpoint = `${url}${webhookPath}`
      // The endpoint is the stripe package's: an event about a checkout we do not have is retried later (503).
      const unknownCheckout = fake.signEvent(chargeEvent("evt_1", "charge.succeeded", "6f7c2a52-46a5-4a6b-9d2c-0c2a6d1f7d10"))
      const early = yield* post(endpoint, unknownCheckout.payload, { "stripe-signature": unknownCheckout.header })
      assert.deepStrictEqual([early.status, JSON.parse(early.body)["reason"]], [503, "checkout_not_found"])

      const unused = fake.signEvent(chargeEvent("evt_2", "payment_intent.created", "6f7c2a52-46a5-4a6b-9d2c-0c2a6d1f7d10"))
      const acknowledged = yield* post(endpoint, unused.payload, { "stripe-signature": unused.header })
      assert.deepStrictEqual([acknowledged.status, JSON.parse(acknowledged.body)["status"]], [200, "acknowledged"])
      const again = yield* post(endpoint, unused.payload, { "stripe-signature": unused.header })
      assert.deepStrictEqual([again.status, JSON.parse(again.body)["status"]], [200, "duplicate"])

      const tampered = yield* post(endpoint, unknownCheckout.payload.replace("evt_1", "evt_9"), {
        "stripe-signature": unknownCheckout.header
      })
      // Every refused delivery is a 400 (Stripe's samples), with the reason.
      assert.deepStrictEqual([tampered.status, JSON.parse(tampered.body)["error"]], [400, "InvalidSignature"])
      const wrongSecret = fake.signEvent(chargeEvent("evt_3", "charge.succeeded", "x"), { secret: "whsec_other" })
      assert.strictEqual((yield* post(endpoint, wrongSecret.payload, { "stripe-signature": wrongSecret.header })).status, 400)
      const unsigned = yield* post(endpoint, unknownCheckout.payload, {})
      assert.deepStrictEqual([unsigned.status, JSON.parse(unsigned.body)["error"]], [400, "MissingSignature"])

      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("confirm through Stripe, then the signed charge.succeeded webhook completes the checkout (once)", () =>
    Effect.gen(function*() {
      const { fake, polar, scope, url } = yield* startOnStripe({ STRIPE_PUBLISHABLE_KEY: "pk_test_fake" })
      const result = yield* Effect.promise(async () => {
        const created = await polar.checkouts.create({ products: [fixedProduct] })
        const token = fake.mintConfirmationToken({ scenario: "success" })
        const confirmed = await polar.checkouts.clientConfirm({
          clientSecret: created.clientSecret,
          checkoutConfirmStripe: {
            confirmationTokenId: token.id,
            customFieldData: { team_size: "1" },
            customerName: "Ada Lovelace",
            customerEmail: "ada@example.com",
            customerBillingAddress: { country: "US", line1: "1 Main St", city: "Springfield", postalCode: "12345", state: "IL" }
          }
        })
        const beforeWebhook = (await polar.checkouts.get({ id: created.id })).status
        const deliveries = await fake.deliverEvents(`${url}${webhookPath}`, fake.events("charge.succeeded"), { duplicate: true })
        const after = await polar.checkouts.get({ id: created.id })
        return { confirmed, beforeWebhook, deliveries, after }
      })
      assert.strictEqual(result.confirmed.status, "confirmed")
      assert.strictEqual(result.confirmed.paymentProcessorMetadata["publishable_key"], "pk_test_fake")
      assert.strictEqual(result.beforeWebhook, "confirmed")
      assert.deepStrictEqual(
        result.deliveries.map((d) => [d.status, JSON.parse(d.body).status]),
        [[200, "applied"], [200, "duplicate"]]
      )
      assert.strictEqual(result.after.status, "succeeded")
      assert.strictEqual(fake.chargeCount("succeeded"), 1)
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("issue 15 repro over HTTP: the buyer's connection closes at 0.5 s while Stripe answers at 1.5 s; the checkout still ends succeeded, one PaymentIntent", () =>
    Effect.gen(function*() {
      const { fake, polar, scope, url } = yield* startOnStripe()
      const created = yield* Effect.promise(() => polar.checkouts.create({ products: [fixedProduct] }))
      fake.injectFault({ delayReplyMs: 1_500 }, { method: "POST", path: "/v1/payment_intents" })
      // curl -m 0.5: the client closes the connection while Stripe is still answering.
      const aborted = yield* Effect.promise(() =>
        fetch(`${url}/v1/checkouts/client/${created.clientSecret}/confirm`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...confirmBody, confirmation_token_id: "ctoken_success" }),
          signal: AbortSignal.timeout(500)
        }).then(() => "answered", (e: unknown) => (e instanceof Error ? e.name : String(e)))
      )
      assert.strictEqual(aborted, "TimeoutError")
      // The charge and its recording finish without the client.
      let status = ""
      for (let i = 0; i < 100 && fake.events("charge.succeeded").length === 0; i++) yield* Effect.sleep("20 millis")
      for (let i = 0; i < 100; i++) {
        const current = yield* Effect.promise(() => polar.checkouts.get({ id: created.id }))
        status = current.status
        if (current.paymentProcessorMetadata["intent_status"] !== undefined) break
        yield* Effect.sleep("20 millis")
      }
      assert.strictEqual(status, "confirmed")
      const deliveries = yield* Effect.promise(() => fake.deliverEvents(`${url}${webhookPath}`, fake.events("charge.succeeded")))
      assert.deepStrictEqual(deliveries.map((d) => d.status), [200])
      const after = yield* Effect.promise(() => polar.checkouts.get({ id: created.id }))
      assert.strictEqual(after.status, "succeeded")
      assert.strictEqual(fake.paymentIntents().length, 1)
      assert.strictEqual(fake.chargeCount("succeeded"), 1)
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("Stripe's idempotency_error on confirm is a 409 CheckoutLocked in the reference's error shape, never a 500", () =>
    Effect.gen(function*() {
      const { fake, polar, scope, url } = yield* startOnStripe()
      const created = yield* Effect.promise(() => polar.checkouts.create({ products: [fixedProduct] }))
      fake.injectFault({
        reply: {
          status: 400,
          body: { error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." } }
        }
      }, { method: "POST", path: "/v1/payment_intents" })
      const res = yield* post(
        `${url}/v1/checkouts/client/${created.clientSecret}/confirm`,
        JSON.stringify({ ...confirmBody, confirmation_token_id: "ctoken_success" }),
        {}
      )
      assert.strictEqual(res.status, 409)
      assert.deepStrictEqual(JSON.parse(res.body), {
        error: "CheckoutLocked",
        detail: "Checkout is currently being processed. Please try again."
      })
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped), { timeout: 20_000 })

  it.live("without Stripe the webhook path is not mounted", () =>
    Effect.gen(function*() {
      const { scope, url } = yield* startApp()
      const res = yield* post(`${url}${webhookPath}`, "{}", { "stripe-signature": "t=1,v1=x" })
      assert.strictEqual(res.status, 404)
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 20_000 })
})
