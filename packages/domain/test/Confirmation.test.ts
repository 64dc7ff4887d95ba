/**
 * The pure decisions of the payment path (Confirmation.ts), without a store: what a confirm does with a checkout that
 * is not open, what a success notification means for each status, what the reconciliation does with a confirmed
 * checkout, and the invariant behind them (a success is applied only for the checkout's own attempt, else refunded).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Duration } from "effect"
import * as fc from "fast-check"
import type * as Checkout from "../src/Checkout.ts"
import * as CheckoutStatus from "../src/CheckoutStatus.ts"
import * as Confirmation from "../src/Confirmation.ts"
import * as Fixtures from "../src/testing/Fixtures.ts"

const t0 = DateTime.add(Fixtures.epoch, { hours: 1 })
const timeout = Duration.seconds(90)
const grace = Duration.minutes(10)

const pending = (overrides: Partial<Checkout.PendingPayment> = {}): Checkout.PendingPayment => ({
  attempt: 0,
  idempotencyKey: "c:0",
  kind: "payment",
  confirmationTokenId: "ctok",
  amount: 1000,
  currency: "usd",
  processorCustomerId: "cus_1",
  productPriceId: null,
  metadata: { checkout_id: "c" },
  returnUrl: "https://x.test/r",
  description: "Acme — Pro",
  statementDescriptorSuffix: "acme",
  setupFutureUsage: false,
  intentId: null,
  state: "sending",
  sentAt: t0,
  ...overrides
})

describe("Confirmation.onRetry (a confirm on a checkout that is not open)", () => {
  const cases: ReadonlyArray<[string, Partial<Checkout.Checkout>, number, Confirmation.Retry]> = [
    ["call in flight", { status: "confirmed", pendingPayment: pending() }, 10, "in_flight"],
    ["call stale (its process died)", { status: "confirmed", pendingPayment: pending() }, 91, "replay"],
    ["outcome unknown", { status: "confirmed", pendingPayment: pending({ state: "unknown" }) }, 1, "replay"],
    ["answered, awaiting the webhook", { status: "confirmed", currentIntentId: "pi_1" }, 1, "not_open"],
    ["succeeded", { status: "succeeded", currentIntentId: "pi_1" }, 1, "not_open"],
    ["expired", { status: "expired" }, 1, "not_open"]
  ]
  for (const [name, fields, seconds, expected] of cases) {
    it(name, () => {
      const now = DateTime.add(t0, { seconds })
      assert.strictEqual(Confirmation.onRetry(Fixtures.checkout(fields), now, timeout), expected)
    })
  }
})

describe("Confirmation.onSuccess", () => {
  const cases: ReadonlyArray<[string, Partial<Checkout.Checkout>, Confirmation.Notification, string]> = [
    ["pending attempt, matched by key", { status: "confirmed", pendingPayment: pending() }, { intentId: "pi_9", idempotencyKey: "c:0" }, "SettleAttempt"],
    ["pending attempt, matched by known intent", { status: "confirmed", pendingPayment: pending({ intentId: "pi_9" }) }, { intentId: "pi_9" }, "SettleAttempt"],
    ["pending attempt, another attempt's key", { status: "confirmed", pendingPayment: pending() }, { intentId: "pi_9", idempotencyKey: "c:3" }, "RetryLater"],
    ["pending attempt, no key, intent unknown yet", { status: "confirmed", pendingPayment: pending() }, { intentId: "pi_9" }, "RetryLater"],
    ["current intent", { status: "confirmed", currentIntentId: "pi_1" }, { intentId: "pi_1" }, "Transition"],
    ["free checkout (no intent)", { status: "confirmed" }, { intentId: null }, "Transition"],
    ["superseded intent of a confirmed checkout", { status: "confirmed", currentIntentId: "pi_2" }, { intentId: "pi_1" }, "Refund:superseded_attempt"],
    ["duplicate success", { status: "succeeded", currentIntentId: "pi_1" }, { intentId: "pi_1" }, "Transition"],
    ["another intent of a succeeded checkout", { status: "succeeded", currentIntentId: "pi_1" }, { intentId: "pi_2" }, "Refund:already_paid"],
    ["an open checkout (older attempt)", { status: "open" }, { intentId: "pi_1" }, "Refund:checkout_not_confirmed"],
    ["an expired checkout", { status: "expired" }, { intentId: "pi_1" }, "Refund:checkout_not_confirmed"],
    ["an open checkout, no intent", { status: "open" }, { intentId: null }, "Transition"]
  ]
  for (const [name, fields, n, expected] of cases) {
    it(name, () => {
      const d = Confirmation.onSuccess(Fixtures.checkout(fields), n)
      assert.strictEqual(d._tag === "Refund" ? `Refund:${d.reason}` : d._tag, expected)
    })
  }

  it("property: a success is applied only when it is about the checkout's own attempt; otherwise refunded, deferred or a no-op", () => {
    const intent = fc.constantFrom<string | null>(null, "pi_1", "pi_2", "pi_3")
    const arb = fc.record({
      status: fc.constantFrom(...CheckoutStatus.statuses),
      currentIntentId: intent,
      pending: fc.option(fc.record({ intentId: intent, attempt: fc.integer({ min: 0, max: 2 }) }), { nil: null }),
      n: fc.record({ intentId: intent, key: fc.option(fc.constantFrom("c:0", "c:1", "c:2"), { nil: null }) })
    })
    fc.assert(
      fc.property(arb, ({ status, currentIntentId, pending: p, n }) => {
        const checkout = Fixtures.checkout({
          status,
          currentIntentId,
          pendingPayment: p === null ? null : pending({ intentId: p.intentId, attempt: p.attempt, idempotencyKey: `c:${p.attempt}` })
        })
        const d = Confirmation.onSuccess(checkout, { intentId: n.intentId, idempotencyKey: n.key })
        const t = CheckoutStatus.transition(checkout, { _tag: "PaymentSucceeded", intentId: n.intentId }, t0)
        switch (d._tag) {
          case "SettleAttempt":
            assert.isNotNull(checkout.pendingPayment)
            break
          case "Refund":
            // Never money for the checkout's current intent, never without an intent.
            assert.isFalse(status === "confirmed" && checkout.pendingPayment === null && n.intentId === currentIntentId)
            assert.isNotNull(n.intentId)
            break
          case "Transition":
            // The status machine then moves to succeeded only for the current intent of a confirmed checkout.
            if (t._tag === "Success" && t.success._tag === "Moved") {
              assert.strictEqual(status, "confirmed")
              assert.strictEqual(n.intentId, currentIntentId)
            }
            break
          case "RetryLater":
            assert.isNotNull(checkout.pendingPayment)
            break
        }
      }),
      { numRuns: 500, seed: 15 }
    )
  })
})

describe("Confirmation.reconcileAction", () => {
  const cases: ReadonlyArray<[string, Partial<Checkout.Checkout>, Duration.Duration, Confirmation.ReconcileAction]> = [
    ["a call in flight", { status: "confirmed", pendingPayment: pending() }, Duration.seconds(5), "Skip"],
    ["a stale call", { status: "confirmed", pendingPayment: pending() }, Duration.seconds(90), "ResolveAttempt"],
    ["an unknown outcome", { status: "confirmed", pendingPayment: pending({ state: "unknown" }) }, Duration.seconds(1), "ResolveAttempt"],
    ["an intent awaiting its webhook", { status: "confirmed", currentIntentId: "pi_1", modifiedAt: t0 }, Duration.minutes(1), "Skip"],
    ["an intent whose webhook is late", { status: "confirmed", currentIntentId: "pi_1", modifiedAt: t0 }, Duration.minutes(10), "CheckIntent"],
    ["a free checkout not completed", { status: "confirmed", modifiedAt: t0 }, Duration.minutes(11), "CompleteFree"],
    ["not confirmed", { status: "open", pendingPayment: pending({ state: "unknown" }) }, Duration.hours(1), "Skip"]
  ]
  for (const [name, fields, after, expected] of cases) {
    it(name, () => {
      assert.strictEqual(Confirmation.reconcileAction(Fixtures.checkout(fields), DateTime.addDuration(t0, after), timeout, grace), expected)
    })
  }
})

describe("Confirmation: recorded request", () => {
  it("requestOf(pendingOf(request)) is the request, byte for byte", () => {
    const checkout = Fixtures.checkout({ id: Fixtures.uuidOf(9), paymentAttempt: 2 })
    const request = {
      kind: "payment" as const,
      checkoutId: checkout.id,
      organizationId: checkout.organizationId,
      confirmationTokenId: "ctok_1",
      amount: 4242,
      currency: "eur",
      processorCustomerId: "cus_9",
      metadata: { checkout_id: checkout.id, tax_amount: "None" },
      returnUrl: "https://x.test/r",
      description: "Acme — Pro",
      statementDescriptorSuffix: "acme",
      setupFutureUsage: true,
      idempotencyKey: `${checkout.id}:2`
    }
    const recorded = Confirmation.pendingOf(request, checkout, t0)
    assert.deepStrictEqual([recorded.attempt, recorded.state, recorded.intentId], [2, "sending", null])
    assert.deepStrictEqual(Confirmation.requestOf(checkout, recorded), request)
  })
})
