/**
 * Stripe's webhooks through the real endpoint, over loopback HTTP, into the real CheckoutService: the events are the
 * ones the fake Stripe emitted while the real adapter confirmed (or built from its intents), signed with the SDK's
 * helper. Covers verification (tampered, stale, unsigned, re-serialised), deduplication, ordering, events that
 * overtake the confirm's commit, superseded intents, and the "mark only after commit" rule.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Redacted } from "effect"
import { makeMemory, ProcessedEvents } from "../../../stripe/src/ProcessedEvents.ts"
import { FakeStripe } from "../../../stripe/test/support/index.ts"
import * as WebhookEndpoint from "../../../stripe/src/WebhookEndpoint.ts"
import * as W from "./EndToEndWorld.ts"

const { Tokens } = FakeStripe
const intentsPath = { method: "POST" as const, path: "/v1/payment_intents" }
const nowSeconds = () => Math.floor(Date.now() / 1000)

/** A confirmed (not yet succeeded) checkout and Stripe's `charge.succeeded` event for it. */
const confirmedCheckout = (world: W.World, options: { readonly discountId?: string } = {}) =>
  Effect.gen(function*() {
    const view = yield* W.createCheckout(world, options)
    const confirmed = yield* W.confirm(world, view, Tokens.success)
    const [chargeSucceeded] = W.stripeEventsOf(world, view.checkout.id, "charge.succeeded")
    return { checkout: confirmed.checkout, chargeSucceeded: chargeSucceeded! }
  })

const statuses = (deliveries: ReadonlyArray<FakeStripe.Delivery>) => deliveries.map((d) => d.status)
const bodies = (deliveries: ReadonlyArray<FakeStripe.Delivery>) =>
  deliveries.map((d) => JSON.parse(d.body) as Record<string, string>)

describe("webhook endpoint, end to end", () => {
  describe("a genuine delivery", () => {
    it.live("charge.succeeded: 200 applied, the checkout succeeded, one checkout.succeeded event", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        expect(yield* W.eventsOf(world, checkout.id, "checkout.succeeded")).toHaveLength(0)

        const deliveries = yield* W.deliver(world, [chargeSucceeded])

        expect(statuses(deliveries)).toEqual([200])
        expect(bodies(deliveries)[0]).toEqual({ status: "applied", event: chargeSucceeded.id })
        const stored = yield* W.checkoutOf(world, checkout.id)
        expect(stored.status).toBe("succeeded")
        expect(stored.paymentProcessorMetadata["intent_status"]).toBe("succeeded")
        expect(yield* W.eventsOf(world, checkout.id, "checkout.succeeded")).toHaveLength(1)
      }))

    it.live("setup_intent.succeeded completes a trial checkout; setup_intent.setup_failed reopens another", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const ok = yield* W.createCheckout(world, { productId: W.trial.id })
        yield* W.confirm(world, ok, Tokens.success)
        const failing = yield* W.createCheckout(world, { productId: W.trial.id })
        yield* W.confirm(world, failing, Tokens.requiresAction)
        const [setupIntent] = W.stripeSideOf(world, failing.checkout.id).setupIntents

        const deliveries = yield* W.deliver(world, [
          ...W.stripeEventsOf(world, ok.checkout.id, "setup_intent.succeeded"),
          ...world.fake.resolveIntent(setupIntent!.id, "fail")
        ])

        expect(statuses(deliveries)).toEqual([200, 200])
        expect(bodies(deliveries).map((b) => b["status"])).toEqual(["applied", "applied"])
        expect((yield* W.checkoutOf(world, ok.checkout.id)).status).toBe("succeeded")
        const reopened = yield* W.checkoutOf(world, failing.checkout.id)
        expect([reopened.status, reopened.paymentAttempt]).toEqual(["open", 1])
      }))

    it.live("a failure of the current intent (3-D Secure failed) reopens the checkout, releases the discount, rotates the key", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const view = yield* W.createCheckout(world, { discountId: W.half.id })
        const pending = yield* W.confirm(world, view, Tokens.requiresAction)
        expect(pending.checkout.paymentProcessorMetadata["intent_status"]).toBe("requires_action")
        expect(yield* W.redemptionOf(world, view.checkout.id)).toEqual(Option.some({ discountId: W.half.id }))

        const failed = world.fake.resolveIntent(pending.checkout.currentIntentId!, "fail")
        expect(statuses(yield* W.deliver(world, failed))).toEqual([200])

        const reopened = yield* W.checkoutOf(world, view.checkout.id)
        expect([reopened.status, reopened.paymentAttempt]).toEqual(["open", 1])
        expect(reopened.paymentProcessorMetadata["intent_client_secret"]).toBeUndefined()
        expect(yield* W.redemptionOf(world, view.checkout.id)).toEqual(Option.none())

        yield* W.confirm(world, view, Tokens.success)
        expect(W.stripeSideOf(world, view.checkout.id).createRequests.map((r) => r.idempotencyKey)).toEqual([
          `${view.checkout.id}:0`,
          `${view.checkout.id}:1`
        ])
      }))
  })

  describe("refused deliveries change nothing", () => {
    it.live("a tampered body: 400, the checkout untouched, and the genuine event still applies afterwards", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        const signed = world.fake.signEvent(chargeSucceeded)
        const tampered = signed.payload.replace(`"amount": ${checkout.totalAmount}`, `"amount": 1`)
        expect(tampered).not.toBe(signed.payload)

        const refused = yield* W.post(world, tampered, signed.header)
        expect(refused).toEqual({ status: 400, body: { error: "InvalidSignature", reason: "no_matching_signature" } })
        const after = yield* W.checkoutOf(world, checkout.id)
        expect([after.status, after.version]).toEqual(["confirmed", checkout.version])

        expect((yield* W.post(world, signed.payload, signed.header)).status).toBe(200)
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("succeeded")
      }))

    it.live("a re-serialised body (same JSON, other bytes) does not verify: only the raw bytes count", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        const signed = world.fake.signEvent(chargeSucceeded)
        const reserialised = JSON.stringify(JSON.parse(signed.payload))
        expect((yield* W.post(world, reserialised, signed.header)).status).toBe(400)
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("confirmed")
      }))

    it.live("a stale timestamp (older than 300 s): 400; a wrong secret: 400; no header: 400", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        const stale = world.fake.signEvent(chargeSucceeded, { timestamp: nowSeconds() - 301 })
        const wrongSecret = world.fake.signEvent(chargeSucceeded, { secret: "whsec_someone_else" })

        expect(yield* W.post(world, stale.payload, stale.header)).toEqual({
          status: 400,
          body: { error: "InvalidSignature", reason: "timestamp_outside_tolerance" }
        })
        expect(yield* W.post(world, wrongSecret.payload, wrongSecret.header)).toEqual({
          status: 400,
          body: { error: "InvalidSignature", reason: "no_matching_signature" }
        })
        expect(yield* W.post(world, stale.payload, undefined)).toEqual({
          status: 400,
          body: { error: "MissingSignature" }
        })
        expect((yield* W.checkoutOf(world, checkout.id)).version).toBe(checkout.version)
        expect(yield* W.eventsOf(world, checkout.id, "checkout.succeeded")).toHaveLength(0)
      }))

    it.live("an oversized body is refused (400) before any verification", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        // A genuine, signed event that would be acknowledged if it were read.
        const huge = JSON.stringify({
          id: "evt_huge",
          object: "event",
          type: "customer.created",
          data: { object: { id: "cus_1", object: "customer", description: "x".repeat(2 * 1024 * 1024) } }
        })
        expect(yield* W.post(world, huge, FakeStripe.signPayload(huge))).toEqual({
          status: 400,
          body: { error: "InvalidPayload" }
        })
      }))

    it.live("the tolerance is configurable: a 10-minute-old signature passes with 3600 s", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld({ endpoint: { toleranceSeconds: 3600 } })
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        const old = world.fake.signEvent(chargeSucceeded, { timestamp: nowSeconds() - 600 })
        expect((yield* W.post(world, old.payload, old.header)).status).toBe(200)
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("succeeded")
      }))

    it.live("no signing secret: the endpoint is off (404) and verifies nothing", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld({ endpoint: { secret: Redacted.make("") } })
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        const signed = world.fake.signEvent(chargeSucceeded)
        expect(yield* W.post(world, signed.payload, signed.header)).toEqual({
          status: 404,
          body: { error: "EndpointDisabled" }
        })
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("confirmed")
      }))
  })

  describe("at-least-once delivery", () => {
    it.live("a duplicate delivery is applied once; the second is answered 200 and changes nothing", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)

        const deliveries = yield* W.deliver(world, [chargeSucceeded], { duplicate: true })

        expect(statuses(deliveries)).toEqual([200, 200])
        expect(bodies(deliveries).map((b) => b["status"])).toEqual(["applied", "duplicate"])
        const stored = yield* W.checkoutOf(world, checkout.id)
        expect([stored.status, stored.version]).toEqual(["succeeded", checkout.version + 1])
        expect(yield* W.eventsOf(world, checkout.id, "checkout.succeeded")).toHaveLength(1)
      }))

    it.live("the same success under another event id (Stripe resends as a new event) is ignored by the domain", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout } = yield* confirmedCheckout(world)
        const first = world.fake.webhookEvent("charge.succeeded", checkout.currentIntentId!)
        const second = world.fake.webhookEvent("charge.succeeded", checkout.currentIntentId!)
        expect(first.event.id).not.toBe(second.event.id)

        const deliveries = yield* W.deliver(world, [first.event, second.event])
        expect(bodies(deliveries)).toEqual([
          { status: "applied", event: first.event.id },
          { status: "ignored", event: second.event.id, reason: "already_succeeded" }
        ])
        expect(yield* W.eventsOf(world, checkout.id, "checkout.succeeded")).toHaveLength(1)
      }))

    it.live("a crash after the commit but before the event is marked: 500, and Stripe's retry is harmless", () =>
      Effect.gen(function*() {
        let failures = 1
        const flaky = Layer.sync(ProcessedEvents, () => {
          const memory = makeMemory(100)
          return ProcessedEvents.of({
            isProcessed: memory.isProcessed,
            markProcessed: (id) => failures-- > 0 ? Effect.die(new Error("event store down")) : memory.markProcessed(id)
          })
        })
        const world = yield* W.makeWorld({ processedEvents: flaky })
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)

        const first = yield* W.deliver(world, [chargeSucceeded])
        expect(statuses(first)).toEqual([500])
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("succeeded")

        const retried = yield* W.deliver(world, [chargeSucceeded, chargeSucceeded])
        expect(bodies(retried).map((b) => [b["status"], b["reason"]])).toEqual([
          ["ignored", "already_succeeded"],
          ["duplicate", undefined]
        ])
        expect(yield* W.eventsOf(world, checkout.id, "checkout.succeeded")).toHaveLength(1)
      }))

    it.live("types the checkout does not use, and events without a checkout, are acknowledged (200)", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout } = yield* confirmedCheckout(world)
        const piSucceeded = W.stripeEventsOf(world, checkout.id, "payment_intent.succeeded")
        const foreign: FakeStripe.Event = {
          ...piSucceeded[0]!,
          id: "evt_foreign_1",
          type: "charge.succeeded",
          data: { object: { id: "ch_foreign", object: "charge", payment_intent: "pi_foreign", metadata: {} } }
        }
        const unknownType: FakeStripe.Event = { ...foreign, id: "evt_customer_1", type: "customer.created" }

        const deliveries = yield* W.deliver(world, [...piSucceeded, foreign, unknownType])
        expect(statuses(deliveries)).toEqual([200, 200, 200])
        expect(bodies(deliveries).map((b) => b["status"])).toEqual(["acknowledged", "acknowledged", "acknowledged"])
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("confirmed")
      }))

    it.live("an event about a checkout this store does not (yet) have: 503, so Stripe retries it", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { chargeSucceeded } = yield* confirmedCheckout(world)
        const charge = chargeSucceeded.data.object as FakeStripe.Charge
        const elsewhere: FakeStripe.Event = {
          ...chargeSucceeded,
          id: "evt_elsewhere_1",
          data: { object: { ...charge, metadata: { ...charge.metadata, checkout_id: "00000000-0000-4000-8000-0000000fffff" } } }
        }
        const deliveries = yield* W.deliver(world, [elsewhere, elsewhere])
        expect(statuses(deliveries)).toEqual([503, 503])
        expect(bodies(deliveries)[0]).toEqual({ error: "RetryLater", event: "evt_elsewhere_1", reason: "checkout_not_found" })
      }))
  })

  describe("ordering", () => {
    it.live("an event that overtakes the confirm's answer is applied at once: the attempt is recorded before the call, the event carries its key", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const view = yield* W.createCheckout(world)
        // Stripe has charged and emitted the event, but its answer to our confirm is still on the way.
        world.fake.injectFault({ delayReplyMs: 400 }, intentsPath)
        const confirming = yield* Effect.forkChild(W.confirm(world, view, Tokens.success))
        let early: ReadonlyArray<FakeStripe.Event> = []
        while (early.length === 0) {
          yield* Effect.sleep("10 millis")
          early = W.stripeEventsOf(world, view.checkout.id, "charge.succeeded")
        }
        // The reference's checkout would still be open (its transaction spans the call): ours is confirmed.
        expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("confirmed")

        const first = yield* W.deliver(world, early)
        expect(statuses(first)).toEqual([200])
        expect(bodies(first)[0]).toMatchObject({ status: "applied" })
        expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("succeeded")

        // The confirm's late answer changes nothing; the buyer still gets the confirmed answer.
        const answered = yield* Fiber.join(confirming)
        expect(answered.checkout.currentIntentId).toBe(W.stripeSideOf(world, view.checkout.id).intents[0]!.id)
        const stored = yield* W.checkoutOf(world, view.checkout.id)
        expect([stored.status, stored.pendingPayment]).toEqual(["succeeded", null])
        expect(yield* W.eventsOf(world, view.checkout.id, "checkout.succeeded")).toHaveLength(1)
      }))

    it.live("a success for a checkout whose confirm ended unknown completes it: the event carries the attempt's key", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const view = yield* W.createCheckout(world)
        world.fake.injectFault("lost_response", { ...intentsPath, times: 2 })
        expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("PaymentOutcomeUnknown")
        const events = W.stripeEventsOf(world, view.checkout.id, "charge.succeeded")
        expect(events.map((e) => e.request.idempotency_key)).toEqual([`${view.checkout.id}:0`])

        // No retry by the buyer: Stripe's notification alone confirms and succeeds the open checkout.
        const deliveries = yield* W.deliver(world, events)
        expect(statuses(deliveries)).toEqual([200])
        expect(bodies(deliveries)[0]).toMatchObject({ status: "applied" })
        const stored = yield* W.checkoutOf(world, view.checkout.id)
        expect([stored.status, stored.currentIntentId, stored.pendingPayment]).toEqual([
          "succeeded",
          W.stripeSideOf(world, view.checkout.id).intents[0]!.id,
          null
        ])
        expect(yield* W.eventsOf(world, view.checkout.id, "checkout.succeeded")).toHaveLength(1)
        // The buyer's late retry finds it done, and Stripe is not called again.
        const sent = W.stripeSideOf(world, view.checkout.id).createRequests.length
        expect(W.tagOf(yield* W.confirmExit(world, view, world.fake.mintConfirmationToken({ scenario: "success" }).id)))
          .toBe("NotOpenCheckout")
        expect(W.stripeSideOf(world, view.checkout.id).createRequests).toHaveLength(sent)
        expect(W.stripeSideOf(world, view.checkout.id).succeededCharges).toHaveLength(1)
      }))

    it.live("the same success without a request key (not matched): 409 not_confirmed until the buyer's retry confirms it", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const view = yield* W.createCheckout(world, { returning: true })
        world.fake.injectFault("lost_response", { ...intentsPath, times: 2 })
        expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.success))).toBe("PaymentOutcomeUnknown")
        const events = W.stripeEventsOf(world, view.checkout.id, "charge.succeeded")
          .map((e) => ({ ...e, request: { id: null, idempotency_key: null } }))
        expect(events).toHaveLength(1)

        const early = yield* W.deliver(world, events)
        expect(bodies(early)[0]).toMatchObject({ error: "RetryLater", reason: "not_confirmed" })
        expect(statuses(early)).toEqual([409])

        yield* W.confirm(world, view, Tokens.success)
        const retry = yield* W.deliver(world, events)
        expect(bodies(retry)[0]).toMatchObject({ status: "applied" })
        expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("succeeded")
        expect(W.stripeSideOf(world, view.checkout.id).succeededCharges).toHaveLength(1)
      }))

    it.live("decline then success, delivered in order or reversed: succeeded on the second intent, one checkout.succeeded", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const outcomes = []
        for (const reverse of [false, true]) {
          const view = yield* W.createCheckout(world)
          expect(W.tagOf(yield* W.confirmExit(world, view, Tokens.decline))).toBe("PaymentError")
          const confirmed = yield* W.confirm(world, view, Tokens.success)
          // Everything Stripe emitted: intent A created and declined, intent B created and charged.
          const events = W.stripeEventsOf(world, view.checkout.id)
          expect(events.map((e) => e.type)).toEqual([
            "payment_intent.created",
            "charge.failed",
            "payment_intent.payment_failed",
            "payment_intent.created",
            "charge.succeeded",
            "payment_intent.succeeded"
          ])
          const deliveries = yield* W.deliver(world, events, { reverse })
          expect(statuses(deliveries)).toEqual(Array(6).fill(200))
          const stored = yield* W.checkoutOf(world, view.checkout.id)
          outcomes.push({
            statuses: bodies(deliveries).map((b) => b["reason"] ?? b["status"]),
            final: [stored.status, stored.currentIntentId === confirmed.checkout.currentIntentId, stored.paymentAttempt],
            succeededEvents: (yield* W.eventsOf(world, view.checkout.id, "checkout.succeeded")).length
          })
        }
        expect(outcomes).toEqual([
          {
            statuses: ["acknowledged", "superseded_intent", "superseded_intent", "acknowledged", "applied", "acknowledged"],
            final: ["succeeded", true, 1],
            succeededEvents: 1
          },
          {
            statuses: ["acknowledged", "applied", "acknowledged", "terminal", "terminal", "acknowledged"],
            final: ["succeeded", true, 1],
            succeededEvents: 1
          }
        ])
      }))

    it.live("a failure event after the success of the same intent changes nothing (success is final)", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world, { discountId: W.half.id })
        const intentId = checkout.currentIntentId!
        const deliveries = yield* W.deliver(world, [
          chargeSucceeded,
          world.fake.webhookEvent("charge.failed", intentId).event,
          world.fake.webhookEvent("payment_intent.payment_failed", intentId).event
        ])
        expect(bodies(deliveries).map((b) => b["reason"] ?? b["status"])).toEqual(["applied", "terminal", "terminal"])
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("succeeded")
        expect(yield* W.redemptionOf(world, checkout.id)).toEqual(Option.some({ discountId: W.half.id }))
      }))

    it.live("a failure for a superseded intent (after a newer confirm) is ignored; the newer attempt stands", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld()
        const view = yield* W.createCheckout(world)
        const first = yield* W.confirm(world, view, Tokens.requiresAction)
        const oldIntent = first.checkout.currentIntentId!
        // The buyer fails 3-D Secure; Stripe reports it; the buyer pays again with another card.
        expect(statuses(yield* W.deliver(world, world.fake.resolveIntent(oldIntent, "fail")))).toEqual([200])
        const second = yield* W.confirm(world, view, Tokens.success)
        const newIntent = second.checkout.currentIntentId!
        expect(newIntent).not.toBe(oldIntent)

        const late = yield* W.deliver(world, [world.fake.webhookEvent("charge.failed", oldIntent).event])
        expect(bodies(late)[0]).toMatchObject({ status: "ignored", reason: "superseded_intent" })
        const stored = yield* W.checkoutOf(world, view.checkout.id)
        expect([stored.status, stored.currentIntentId, stored.paymentAttempt, stored.version]).toEqual([
          "confirmed",
          newIntent,
          1,
          second.checkout.version
        ])

        const success = yield* W.deliver(world, W.stripeEventsOf(world, view.checkout.id, "charge.succeeded"))
        expect(bodies(success)[0]).toMatchObject({ status: "applied" })
        expect((yield* W.checkoutOf(world, view.checkout.id)).status).toBe("succeeded")
      }))
  })

  describe("configuration", () => {
    it.live("layerConfig reads STRIPE_WEBHOOK_SECRET (and the tolerance) from the environment", () =>
      Effect.gen(function*() {
        const world = yield* W.makeWorld({
          endpointEnv: { STRIPE_WEBHOOK_SECRET: FakeStripe.defaultWebhookSecret, STRIPE_WEBHOOK_TOLERANCE_SECONDS: "60" }
        })
        const { checkout, chargeSucceeded } = yield* confirmedCheckout(world)
        const old = world.fake.signEvent(chargeSucceeded, { timestamp: nowSeconds() - 120 })
        expect((yield* W.post(world, old.payload, old.header)).status).toBe(400)
        const fresh = world.fake.signEvent(chargeSucceeded)
        expect((yield* W.post(world, fresh.payload, fresh.header)).status).toBe(200)
        expect((yield* W.checkoutOf(world, checkout.id)).status).toBe("succeeded")
      }))
  })
})

describe("WebhookEndpoint.statusOf", () => {
  it("2xx stops Stripe's retries only for what is settled", () => {
    const base = { eventId: "evt_1", eventType: "charge.succeeded", checkoutId: "c" }
    expect([
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.Applied(base)),
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.Ignored({ ...base, reason: "superseded_intent" })),
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.Duplicate(base)),
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.Acknowledged(base)),
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.RetryLater({ ...base, reason: "not_confirmed" })),
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.RetryLater({ ...base, reason: "locked" })),
      WebhookEndpoint.statusOf(WebhookEndpoint.Outcome.RetryLater({ ...base, reason: "checkout_not_found" }))
    ]).toEqual([200, 200, 200, 200, 409, 409, 503])
  })
})
