/**
 * Webhook verification with events signed locally by the SDK's own helper: valid, tampered, stale, unsigned, wrong
 * secret, disabled endpoint, and the reading of each event type into succeeded / failed / ignored.
 */
import { describe, expect, it } from "@effect/vitest"
import { Redacted, Result } from "effect"
import Stripe from "stripe"
import * as Webhooks from "../src/Webhooks.ts"
import { FakeStripe } from "./support/index.ts"

const secret = Redacted.make("whsec_test")
const now = Math.floor(Date.now() / 1000)

const event = (type: string, object: Record<string, unknown>, id = "evt_1", request: unknown = undefined) =>
  JSON.stringify({ id, object: "event", type, api_version: Stripe.API_VERSION, created: now, request, data: { object } })

const sign = (payload: string, options?: { readonly secret?: string; readonly timestamp?: number }) =>
  FakeStripe.signPayload(payload, { secret: options?.secret ?? "whsec_test", timestamp: options?.timestamp ?? now })

const charge = (overrides: Record<string, unknown> = {}) => ({
  id: "ch_1",
  object: "charge",
  payment_intent: "pi_1",
  status: "succeeded",
  metadata: { checkout_id: "co_1", organization_id: "org_1" },
  ...overrides
})

const verify = (payload: string | Uint8Array, header: string | undefined, key = secret) =>
  Webhooks.verifyAndParse(payload, header, key, 300)

const ok = (result: Result.Result<Webhooks.Notification, Webhooks.WebhookRejection>) => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${JSON.stringify(result.failure)}`)
  return result.success
}
const rejected = (result: Result.Result<Webhooks.Notification, Webhooks.WebhookRejection>) => {
  if (Result.isSuccess(result)) throw new Error(`expected a rejection, got ${JSON.stringify(result.success)}`)
  return result.failure
}

describe("Webhooks.verifyAndParse", () => {
  it("accepts a valid charge.succeeded and reads checkout and intent", () => {
    const payload = event("charge.succeeded", charge())
    expect(ok(verify(payload, sign(payload)))).toEqual({
      kind: "succeeded",
      eventId: "evt_1",
      eventType: "charge.succeeded",
      checkoutId: "co_1",
      intentId: "pi_1",
      idempotencyKey: null,
      intentClientSecret: null
    })
  })

  it("reads the idempotency key of the request that caused the event (event.request.idempotency_key)", () => {
    const keyed = event("charge.succeeded", charge(), "evt_k", { id: "req_1", idempotency_key: "co_1:0" })
    expect(ok(verify(keyed, sign(keyed))).idempotencyKey).toBe("co_1:0")
    for (const request of [null, { id: null, idempotency_key: null }, { id: "req_2", idempotency_key: "" }]) {
      const payload = event("charge.failed", charge(), "evt_n", request)
      expect(ok(verify(payload, sign(payload))).idempotencyKey).toBeNull()
    }
  })

  it("accepts the raw body as bytes", () => {
    const payload = event("charge.succeeded", charge())
    expect(ok(verify(new TextEncoder().encode(payload), sign(payload))).kind).toBe("succeeded")
  })

  it("reads setup_intent.succeeded with the intent's client secret", () => {
    const payload = event("setup_intent.succeeded", {
      id: "seti_1",
      object: "setup_intent",
      client_secret: "seti_1_secret_x",
      metadata: { checkout_id: "co_2" }
    })
    expect(ok(verify(payload, sign(payload)))).toMatchObject({
      kind: "succeeded",
      checkoutId: "co_2",
      intentId: "seti_1",
      intentClientSecret: "seti_1_secret_x"
    })
  })

  it("maps every failure type to failed", () => {
    const objects: Record<string, Record<string, unknown>> = {
      "payment_intent.payment_failed": { id: "pi_9", object: "payment_intent", metadata: { checkout_id: "co_9" } },
      "charge.failed": charge({ payment_intent: "pi_9", metadata: { checkout_id: "co_9" } }),
      "setup_intent.setup_failed": { id: "pi_9", object: "setup_intent", metadata: { checkout_id: "co_9" } }
    }
    for (const [type, object] of Object.entries(objects)) {
      const payload = event(type, object)
      expect(ok(verify(payload, sign(payload)))).toMatchObject({ kind: "failed", checkoutId: "co_9", intentId: "pi_9" })
    }
  })

  it("acknowledges and ignores other types, including payment_intent.succeeded and events without a checkout", () => {
    const cases = [
      event("customer.created", { id: "cus_1", object: "customer" }),
      event("payment_intent.succeeded", { id: "pi_1", object: "payment_intent", metadata: { checkout_id: "co_1" } }),
      event("charge.succeeded", charge({ metadata: { order_id: "ord_1" } }))
    ]
    for (const payload of cases) expect(ok(verify(payload, sign(payload))).kind).toBe("ignored")
  })

  it("reads an expanded payment_intent on a charge", () => {
    const payload = event("charge.succeeded", charge({ payment_intent: { id: "pi_exp", object: "payment_intent" } }))
    expect(ok(verify(payload, sign(payload))).intentId).toBe("pi_exp")
  })

  it("rejects a tampered body", () => {
    const payload = event("charge.succeeded", charge())
    const header = sign(payload)
    const tampered = payload.replace("co_1", "co_2")
    expect(rejected(verify(tampered, header))).toMatchObject({ _tag: "InvalidSignature", reason: "no_matching_signature" })
  })

  it("rejects a signature made with another secret", () => {
    const payload = event("charge.succeeded", charge())
    expect(rejected(verify(payload, sign(payload, { secret: "whsec_other" })))).toMatchObject({
      _tag: "InvalidSignature",
      reason: "no_matching_signature"
    })
  })

  it("rejects a stale timestamp, and accepts it when tolerance is 0", () => {
    const payload = event("charge.succeeded", charge())
    const header = sign(payload, { timestamp: now - 600 })
    expect(rejected(verify(payload, header))).toMatchObject({
      _tag: "InvalidSignature",
      reason: "timestamp_outside_tolerance"
    })
    expect(ok(Webhooks.verifyAndParse(payload, header, secret, 0)).kind).toBe("succeeded")
  })

  it("judges the age against the given receive time", () => {
    const payload = event("charge.succeeded", charge())
    const header = sign(payload, { timestamp: 1_000_000 })
    expect(ok(Webhooks.verifyAndParse(payload, header, secret, 300, 1_000_100_000)).kind).toBe("succeeded")
    expect(rejected(Webhooks.verifyAndParse(payload, header, secret, 300, 1_000_400_000))._tag).toBe("InvalidSignature")
  })

  it("rejects a missing or empty header", () => {
    const payload = event("charge.succeeded", charge())
    expect(rejected(verify(payload, undefined))._tag).toBe("MissingSignature")
    expect(rejected(verify(payload, ""))._tag).toBe("MissingSignature")
  })

  it("rejects a malformed header", () => {
    const payload = event("charge.succeeded", charge())
    expect(rejected(verify(payload, "garbage"))).toMatchObject({ _tag: "InvalidSignature", reason: "malformed_header" })
  })

  it("is disabled without a secret (anyone could forge events)", () => {
    const payload = event("charge.succeeded", charge())
    expect(rejected(verify(payload, sign(payload), Redacted.make("")))._tag).toBe("EndpointDisabled")
  })

  it("rejects a signed body that is not a Stripe event", () => {
    const notJson = "not json"
    expect(rejected(verify(notJson, sign(notJson)))._tag).toBe("InvalidPayload")
    const noType = JSON.stringify({ id: "evt_x", data: { object: {} } })
    expect(rejected(verify(noType, sign(noType)))._tag).toBe("InvalidPayload")
  })

  it("verifies the events the fake builds for an intent", async () => {
    const fake = await FakeStripe.start()
    try {
      const stripe = fake.client()
      const customer = await stripe.customers.create({ email: "w@h.test" })
      const pi = await stripe.paymentIntents.create({
        amount: 1000,
        currency: "eur",
        customer: customer.id,
        confirm: true,
        confirmation_token: FakeStripe.Tokens.success,
        automatic_payment_methods: { enabled: true },
        return_url: "https://shop.test/r",
        metadata: { checkout_id: "co_fake" }
      })
      for (const [type, kind] of [["charge.succeeded", "succeeded"], ["payment_intent.payment_failed", "failed"], ["charge.failed", "failed"]] as const) {
        const signed = fake.webhookEvent(type, pi.id)
        expect(ok(verify(signed.payload, signed.header))).toMatchObject({ kind, checkoutId: "co_fake", intentId: pi.id })
      }
    } finally {
      await fake.stop()
    }
  })
})

describe("Webhooks.rejectionStatus", () => {
  it("404 when disabled, 400 for a missing header, a bad payload or a bad signature", () => {
    expect([
      Webhooks.rejectionStatus(Webhooks.WebhookRejection.EndpointDisabled()),
      Webhooks.rejectionStatus(Webhooks.WebhookRejection.MissingSignature()),
      Webhooks.rejectionStatus(Webhooks.WebhookRejection.InvalidPayload({ message: "x" })),
      Webhooks.rejectionStatus(Webhooks.WebhookRejection.InvalidSignature({ reason: "no_matching_signature", message: "x" }))
    ]).toEqual([404, 400, 400, 400])
  })
})
