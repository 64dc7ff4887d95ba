/**
 * The PaymentProcessor adapter against the fake Stripe over real HTTP, with the real SDK in between: request shapes,
 * outcome mapping for every scenario token, idempotency under lost answers, and unknown outcomes that must never
 * read as declines.
 */
import { type ConfirmInput, type ConfirmOutcome, PaymentProcessor } from "@checkout-kit/domain"
import { assert, describe, expect, it, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Redacted } from "effect"
import * as StripeClient from "../src/StripeClient.ts"
import * as StripePaymentProcessor from "../src/StripePaymentProcessor.ts"
import { FakeStripe } from "./support/index.ts"

const { FakeStripeServer, Tokens } = FakeStripe

const processorOnFake = (maxNetworkRetries: number) =>
  StripePaymentProcessor.layer.pipe(Layer.provideMerge(FakeStripe.layerClient({ maxNetworkRetries })))

let sequence = 0
const nextCheckoutId = () => `co_${++sequence}_${Date.now().toString(36)}`

const newCustomer = Effect.gen(function*() {
  const processor = yield* PaymentProcessor
  const { processorCustomerId } = yield* processor.upsertCustomer({
    existingId: null,
    email: "buyer@shop.test",
    name: "Buyer",
    address: null,
    taxId: null
  })
  return processorCustomerId
})

const confirmInput = (
  checkoutId: string,
  customer: string,
  overrides: Partial<ConfirmInput> = {}
): ConfirmInput => ({
  kind: "payment",
  checkoutId,
  organizationId: "org_1",
  confirmationTokenId: Tokens.success,
  amount: 2500,
  currency: "usd",
  processorCustomerId: customer,
  metadata: { type: "product", tax_amount: "0", tax_country: "US", tax_state: "NY" },
  returnUrl: `https://shop.test/checkout/${checkoutId}/confirmation`,
  description: "Pro plan",
  statementDescriptorSuffix: "ACME",
  setupFutureUsage: false,
  idempotencyKey: `checkout:${checkoutId}:confirm:1`,
  ...overrides
})

/** Runs one confirm for a fresh checkout and customer. */
const confirmFresh = (overrides: Partial<ConfirmInput> = {}) =>
  Effect.gen(function*() {
    const processor = yield* PaymentProcessor
    const customer = yield* newCustomer
    const input = confirmInput(nextCheckoutId(), customer, overrides)
    const outcome = yield* processor.confirm(input)
    return { input, outcome }
  })

const intentsOf = (fake: FakeStripe.FakeStripe, checkoutId: string) =>
  fake.paymentIntents().filter((p) => p.metadata["checkout_id"] === checkoutId)

/** The requests to `path` made for one checkout (found by the checkout id our metadata carries). */
const requestsFor = (fake: FakeStripe.FakeStripe, path: string, checkoutId: string) =>
  fake.requests({ method: "POST", path }).filter((r) =>
    (r.params["metadata"] as Record<string, string>)["checkout_id"] === checkoutId
  )

/** The metadata form parameters an intent carries for `confirmInput`'s checkout. */
const sentMetadata = (checkoutId: string) => ({
  type: "product",
  tax_amount: "0",
  tax_country: "US",
  tax_state: "NY",
  organization_id: "org_1",
  checkout_id: checkoutId
})

const expectTag = <T extends ConfirmOutcome["_tag"]>(outcome: ConfirmOutcome, tag: T) => {
  assert.strictEqual(outcome._tag, tag)
  return outcome as Extract<ConfirmOutcome, { _tag: T }>
}

layer(processorOnFake(0))("StripePaymentProcessor (no SDK retries)", (it) => {
  describe("request shapes", () => {
    it.effect("PaymentIntent: the reference's parameters, off_session for recurring, and our idempotency key", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const { input } = yield* confirmFresh({ setupFutureUsage: true })
        const [request] = requestsFor(fake, "/v1/payment_intents", input.checkoutId)
        expect(request!.idempotencyKey).toBe(input.idempotencyKey)
        expect(request!.params).toEqual({
          amount: "2500",
          currency: "usd",
          automatic_payment_methods: { enabled: "true" },
          confirm: "true",
          confirmation_token: "ctoken_success",
          customer: input.processorCustomerId,
          statement_descriptor_suffix: "ACME",
          description: "Pro plan",
          metadata: sentMetadata(input.checkoutId),
          return_url: input.returnUrl,
          expand: ["payment_method"],
          setup_future_usage: "off_session"
        })
      }))

    it.effect("PaymentIntent for a one-time product sends no setup_future_usage", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const { input } = yield* confirmFresh()
        const [pi] = intentsOf(fake, input.checkoutId)
        expect(pi!.setup_future_usage).toBeNull()
        const [request] = requestsFor(fake, "/v1/payment_intents", input.checkoutId)
        expect(request!.params).not.toHaveProperty("setup_future_usage")
      }))

    it.effect("SetupIntent: same shape minus amount, currency, descriptor and setup_future_usage", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const { input, outcome } = yield* confirmFresh({ kind: "setup", setupFutureUsage: true })
        const succeeded = expectTag(outcome, "Succeeded")
        expect(succeeded.intentId).toMatch(/^seti_/u)
        const [request] = requestsFor(fake, "/v1/setup_intents", input.checkoutId)
        expect(request!.idempotencyKey).toBe(input.idempotencyKey)
        expect(request!.params).toEqual({
          automatic_payment_methods: { enabled: "true" },
          confirm: "true",
          confirmation_token: "ctoken_success",
          customer: input.processorCustomerId,
          description: "Pro plan",
          metadata: sentMetadata(input.checkoutId),
          return_url: input.returnUrl,
          expand: ["payment_method"]
        })
        expect(fake.paymentIntents().some((p) => p.metadata["checkout_id"] === input.checkoutId)).toBe(false)
      }))
  })

  describe("outcomes by scenario token", () => {
    it.effect("success → Succeeded with the intent's client secret", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const { input, outcome } = yield* confirmFresh()
        const succeeded = expectTag(outcome, "Succeeded")
        const [pi] = intentsOf(fake, input.checkoutId)
        expect(succeeded).toEqual({
          _tag: "Succeeded",
          intentId: pi!.id,
          clientSecret: pi!.client_secret,
          intentStatus: "succeeded"
        })
      }))

    it.effect("processing → Processing", () =>
      Effect.gen(function*() {
        const { outcome } = yield* confirmFresh({ confirmationTokenId: Tokens.processing })
        expect(expectTag(outcome, "Processing").intentStatus).toBe("processing")
      }))

    it.effect("requires_action → RequiresAction carrying the client secret, nothing charged yet", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const { input, outcome } = yield* confirmFresh({ confirmationTokenId: Tokens.requiresAction })
        const action = expectTag(outcome, "RequiresAction")
        const [pi] = intentsOf(fake, input.checkoutId)
        expect([action.intentId, action.clientSecret]).toEqual([pi!.id, pi!.client_secret])
        expect(fake.charges().filter((c) => c.payment_intent === pi!.id)).toHaveLength(0)
      }))

    it.effect("generic decline → Declined with Stripe's code, decline code and message", () =>
      Effect.gen(function*() {
        const { outcome } = yield* confirmFresh({ confirmationTokenId: Tokens.decline })
        const declined = expectTag(outcome, "Declined")
        expect(declined).toEqual({
          _tag: "Declined",
          code: "card_declined",
          declineCode: "generic_decline",
          message: "Your card was declined."
        })
        expect(StripePaymentProcessor.declineMessage(declined)).toBe(
          "The payment failed: Your card was declined. Please try again with a different payment method."
        )
      }))

    it.effect("insufficient funds → Declined with decline code insufficient_funds", () =>
      Effect.gen(function*() {
        const { outcome } = yield* confirmFresh({ confirmationTokenId: Tokens.insufficientFunds })
        expect(expectTag(outcome, "Declined").declineCode).toBe("insufficient_funds")
      }))

    it.effect("expired token → Declined (Stripe refused, nothing created)", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const { input, outcome } = yield* confirmFresh({ confirmationTokenId: Tokens.expired })
        expect(expectTag(outcome, "Declined").code).toBe("resource_missing")
        expect(intentsOf(fake, input.checkoutId)).toHaveLength(0)
      }))

    it.effect("setup decline → Declined", () =>
      Effect.gen(function*() {
        const { outcome } = yield* confirmFresh({ kind: "setup", confirmationTokenId: Tokens.decline })
        expect(expectTag(outcome, "Declined").code).toBe("card_declined")
      }))
  })

  describe("idempotency and lost answers", () => {
    it.effect("a resubmitted confirm with the same business key replays: one intent, one charge", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const { input, outcome } = yield* confirmFresh()
        const again = yield* processor.confirm(input)
        expect(again).toEqual(outcome)
        const intents = intentsOf(fake, input.checkoutId)
        expect(intents).toHaveLength(1)
        expect(fake.charges("succeeded").filter((c) => c.payment_intent === intents[0]!.id)).toHaveLength(1)
      }))

    it.effect("lost response: the SDK's retry of the closed connection replays, leaving exactly one PaymentIntent", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        fake.injectFault("lost_response", { method: "POST", path: "/v1/payment_intents" })
        const { input, outcome } = yield* confirmFresh()
        const succeeded = expectTag(outcome, "Succeeded")
        expect(intentsOf(fake, input.checkoutId).map((p) => p.id)).toEqual([succeeded.intentId])
        const attempts = fake.requests({ path: "/v1/payment_intents" }).filter((r) =>
          r.idempotencyKey === input.idempotencyKey
        )
        expect(attempts.map((r) => [r.status, r.replayed])).toEqual([["destroyed", false], [200, true]])
      }))

    it.effect("500 without retries left → Unknown, never Declined", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        fake.injectFault("server_error", { method: "POST", path: "/v1/payment_intents" })
        const { outcome } = yield* confirmFresh()
        const unknown = expectTag(outcome, "Unknown")
        expect(unknown.reason).toContain("500")
      }))

    it.effect("429 → Unknown (retry later with the same key)", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        fake.injectFault("rate_limited", { method: "POST", path: "/v1/payment_intents" })
        const { outcome } = yield* confirmFresh()
        expect(expectTag(outcome, "Unknown").reason).toContain("rate_limited")
      }))

    it.effect("the same key with a different amount (idempotency_error) is an unknown outcome with a key conflict, never a defect", () =>
      Effect.gen(function*() {
        const processor = yield* PaymentProcessor
        const { input } = yield* confirmFresh()
        const outcome = yield* processor.confirm({ ...input, amount: input.amount + 100 })
        assert.strictEqual(outcome._tag, "Unknown")
        assert.isTrue(outcome._tag === "Unknown" && outcome.keyConflict === true)
        assert.include(outcome._tag === "Unknown" ? outcome.reason : "", "StripeIdempotencyError")
      }))
  })

  describe("decoding", () => {
    it.effect("an undocumented intent status is a defect, never a silent pending", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const customer = yield* newCustomer
        fake.injectFault({
          reply: { status: 200, body: { id: "pi_x", object: "payment_intent", client_secret: "pi_x_secret", status: "requires_reauthorization" } }
        })
        const exit = yield* Effect.exit(processor.confirm(confirmInput(nextCheckoutId(), customer)))
        assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
      }))

    it.effect("a status our confirm cannot produce (requires_capture) is a defect", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const customer = yield* newCustomer
        fake.injectFault({
          reply: { status: 200, body: { id: "pi_y", object: "payment_intent", client_secret: "pi_y_secret", status: "requires_capture" } }
        })
        const exit = yield* Effect.exit(processor.confirm(confirmInput(nextCheckoutId(), customer)))
        assert.isTrue(Exit.isFailure(exit))
        const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
        expect(defect).toBeInstanceOf(StripePaymentProcessor.UnexpectedIntentState)
      }))

    it.effect("a 200 in requires_payment_method is a decline read from last_payment_error", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const customer = yield* newCustomer
        fake.injectFault({
          reply: {
            status: 200,
            body: {
              id: "pi_z",
              object: "payment_intent",
              client_secret: "pi_z_secret",
              status: "requires_payment_method",
              last_payment_error: { code: "payment_method_provider_decline", message: "Declined by the provider." }
            }
          }
        })
        const outcome = yield* processor.confirm(confirmInput(nextCheckoutId(), customer))
        expect(outcome).toEqual({
          _tag: "Declined",
          code: "payment_method_provider_decline",
          declineCode: null,
          message: "Declined by the provider."
        })
      }))
  })

  describe("customers", () => {
    it.effect("creates with the tax id and a bare state code, then updates without attaching the tax id twice", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const details = {
          email: "tax@shop.test",
          name: "Tax Buyer",
          address: { line1: "1 Main St", line2: null, postalCode: "10001", city: "NYC", state: "US-NY", country: "US" },
          taxId: { number: "12-3456789", format: "us_ein" }
        }
        const { processorCustomerId } = yield* processor.upsertCustomer({ existingId: null, ...details })
        const created = fake.state.customers.get(processorCustomerId)!
        expect(created.address?.state).toBe("NY")
        expect(fake.state.taxIds.get(processorCustomerId)?.map((t) => [t.type, t.value])).toEqual([["us_ein", "12-3456789"]])

        const again = yield* processor.upsertCustomer({ existingId: processorCustomerId, ...details, name: "New Name" })
        expect(again.processorCustomerId).toBe(processorCustomerId)
        expect(fake.state.customers.get(processorCustomerId)?.name).toBe("New Name")
        expect(fake.state.taxIds.get(processorCustomerId)).toHaveLength(1)
        const update = fake.requests({ path: `/v1/customers/${processorCustomerId}` }).at(-1)
        expect(update!.params["expand"]).toEqual(["tax_ids"])
        expect(fake.requests({ path: `/v1/customers/${processorCustomerId}/tax_ids` })).toHaveLength(0)
      }))

    it.effect("adds a new tax id to an existing customer, tolerating resource_already_exists", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const taxId = { number: "FR61954506077", format: "eu_vat" }
        const { processorCustomerId } = yield* processor.upsertCustomer({
          existingId: null,
          email: "eu@shop.test",
          name: null,
          address: null,
          taxId
        })
        // Stripe's update reply hides the tax id (e.g. stored normalised): the adapter tries to add it again.
        fake.injectFault({
          reply: {
            status: 200,
            body: {
              id: processorCustomerId,
              object: "customer",
              tax_ids: { object: "list", data: [], has_more: false, url: "" }
            }
          }
        }, { path: `/v1/customers/${processorCustomerId}` })
        const result = yield* processor.upsertCustomer({
          existingId: processorCustomerId,
          email: "eu@shop.test",
          name: null,
          address: null,
          taxId
        })
        expect(result.processorCustomerId).toBe(processorCustomerId)
        const attempts = fake.requests({ path: `/v1/customers/${processorCustomerId}/tax_ids` })
        expect(attempts.map((r) => r.status)).toEqual([400])
        expect(fake.state.taxIds.get(processorCustomerId)).toHaveLength(1)
      }))

    it.effect("recreates a customer Stripe no longer knows", () =>
      Effect.gen(function*() {
        const processor = yield* PaymentProcessor
        const result = yield* processor.upsertCustomer({
          existingId: "cus_deleted",
          email: "gone@shop.test",
          name: null,
          address: null,
          taxId: null
        })
        expect(result.processorCustomerId).toMatch(/^cus_/u)
        expect(result.processorCustomerId).not.toBe("cus_deleted")
      }))

    it.effect("creates the customer without a tax id Stripe rejects", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const { processorCustomerId } = yield* processor.upsertCustomer({
          existingId: null,
          email: "bad-tax@shop.test",
          name: null,
          address: null,
          taxId: { number: "INVALID", format: "eu_vat" }
        })
        expect(fake.state.customers.get(processorCustomerId)?.email).toBe("bad-tax@shop.test")
        expect(fake.state.taxIds.get(processorCustomerId) ?? []).toHaveLength(0)
      }))

    it.effect("an outage is PaymentProcessorUnavailable", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        fake.injectFault("server_error", { path: "/v1/customers" })
        const error = yield* Effect.flip(processor.upsertCustomer({
          existingId: null,
          email: "down@shop.test",
          name: null,
          address: null,
          taxId: null
        }))
        expect(error._tag).toBe("PaymentProcessorUnavailable")
      }))
  })

  describe("confirmation token preview", () => {
    it.effect("reads the billing name and card fingerprint", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        const token = fake.mintConfirmationToken({ paymentMethod: "pm_card_visa", billingName: "Wallet Name" })
        const preview = yield* processor.getConfirmationTokenPreview(token.id)
        expect(preview).toEqual(Option.some({
          billingName: "Wallet Name",
          cardFingerprint: FakeStripe.fingerprintOf("pm_card_visa")
        }))
      }))

    it.effect("swallows errors into None (unknown token, outage)", () =>
      Effect.gen(function*() {
        const fake = yield* FakeStripeServer
        const processor = yield* PaymentProcessor
        expect(yield* processor.getConfirmationTokenPreview("ctoken_nope")).toEqual(Option.none())
        fake.injectFault("server_error", { method: "GET" })
        expect(yield* processor.getConfirmationTokenPreview(Tokens.success)).toEqual(Option.none())
      }))
  })
})

layer(processorOnFake(StripeClient.defaultMaxNetworkRetries))("StripePaymentProcessor (production retries)", (it) => {
  it.effect("500 then success: the SDK retries with the same key, one PaymentIntent, Succeeded", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripeServer
      fake.injectFault("server_error", { method: "POST", path: "/v1/payment_intents" })
      const { input, outcome } = yield* confirmFresh()
      expectTag(outcome, "Succeeded")
      expect(intentsOf(fake, input.checkoutId)).toHaveLength(1)
      const keys = fake.requests({ path: "/v1/payment_intents" }).map((r) => r.idempotencyKey)
      expect(keys).toEqual([input.idempotencyKey, input.idempotencyKey])
    }))
})

describe("StripePaymentProcessor without a reachable Stripe", () => {
  it.effect("a connection failure is Unknown, never Declined", () =>
    Effect.gen(function*() {
      const stopped = yield* Effect.promise(() => FakeStripe.start())
      yield* Effect.promise(() => stopped.stop())
      const outcome = yield* Effect.gen(function*() {
        const processor = yield* PaymentProcessor
        return yield* processor.confirm(confirmInput("co_offline", "cus_offline"))
      }).pipe(
        Effect.provide(StripePaymentProcessor.layer.pipe(Layer.provide(StripeClient.StripeClient.layer({
          apiKey: Redacted.make("sk_test_offline"),
          host: "127.0.0.1",
          port: stopped.port,
          protocol: "http",
          maxNetworkRetries: 0,
          publishableKey: "pk_test_offline"
        }))))
      )
      const unknown = expectTag(outcome, "Unknown")
      expect(unknown.reason).toContain("StripeConnectionError")
      expect(unknown.intentId).toBeNull()
    }))

  it.effect("exposes the configured publishable key", () =>
    Effect.gen(function*() {
      const processor = yield* PaymentProcessor
      expect(processor.publishableKey).toBe("pk_test_123")
    }).pipe(Effect.provide(StripePaymentProcessor.layer.pipe(Layer.provide(StripeClient.StripeClient.layer({
      apiKey: Redacted.make("sk_test_x"),
      publishableKey: "pk_test_123"
    }))))))
})

describe("declineMessage", () => {
  it("uses the reference's text with and without Stripe's message", () => {
    expect(StripePaymentProcessor.declineMessage({ message: "Your card has insufficient funds." })).toBe(
      "The payment failed: Your card has insufficient funds. Please try again with a different payment method."
    )
    expect(StripePaymentProcessor.declineMessage({ message: null })).toBe(
      "The payment failed. Please try again with a different payment method."
    )
    expect(StripePaymentProcessor.declineMessage({ message: "" })).toBe(
      "The payment failed. Please try again with a different payment method."
    )
  })
})
