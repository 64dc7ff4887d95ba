/**
 * The status machine, cell by cell (spec 2.1): every status x event pair against a table written out here by hand,
 * then the guards (time, intent), the bookkeeping that travels with a status change, and a property: no event
 * sequence ever takes an edge outside the reference's diagram.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import * as Checkout from "../src/Checkout.ts"
import * as CheckoutStatus from "../src/CheckoutStatus.ts"
import * as Fixtures from "../src/testing/Fixtures.ts"

const created = Fixtures.epoch
const live = DateTime.add(created, { hours: 1 })
const due = DateTime.add(created, { hours: 24 })

const INTENT = "pi_current"

const eventOf = (tag: CheckoutStatus.EventTag): CheckoutStatus.Event => {
  switch (tag) {
    case "Update":
      return { _tag: "Update" }
    case "Confirm":
      return { _tag: "Confirm", intentId: INTENT }
    case "AttemptAnswered":
      return { _tag: "AttemptAnswered", attempt: 0, answer: { _tag: "Accepted", intentId: INTENT, metadata: {} } }
    case "PaymentSucceeded":
      return { _tag: "PaymentSucceeded", intentId: INTENT }
    case "PaymentFailed":
      return { _tag: "PaymentFailed", intentId: INTENT }
    case "Expire":
      return { _tag: "Expire" }
  }
}

/** What each cell does for a checkout whose intent is the notified one, at a time before expiry (Expire: at it). */
const expected: Record<CheckoutStatus.Status, Record<CheckoutStatus.EventTag, string>> = {
  open: {
    Update: "move:open",
    Confirm: "move:confirmed",
    AttemptAnswered: "ignore:already_open",
    PaymentSucceeded: "fail:NotConfirmedCheckout",
    PaymentFailed: "ignore:already_open",
    Expire: "move:expired"
  },
  expired: {
    Update: "fail:NotOpenCheckout",
    Confirm: "fail:NotOpenCheckout",
    AttemptAnswered: "ignore:terminal",
    PaymentSucceeded: "ignore:terminal",
    PaymentFailed: "ignore:terminal",
    Expire: "ignore:terminal"
  },
  confirmed: {
    Update: "fail:NotOpenCheckout",
    Confirm: "fail:NotOpenCheckout",
    AttemptAnswered: "ignore:settled",
    PaymentSucceeded: "move:succeeded",
    PaymentFailed: "move:open",
    Expire: "ignore:not_open"
  },
  succeeded: {
    Update: "fail:NotOpenCheckout",
    Confirm: "fail:NotOpenCheckout",
    AttemptAnswered: "ignore:terminal",
    PaymentSucceeded: "ignore:already_succeeded",
    PaymentFailed: "ignore:terminal",
    Expire: "ignore:terminal"
  },
  failed: {
    Update: "fail:NotOpenCheckout",
    Confirm: "fail:NotOpenCheckout",
    AttemptAnswered: "ignore:terminal",
    PaymentSucceeded: "ignore:terminal",
    PaymentFailed: "ignore:terminal",
    Expire: "ignore:terminal"
  }
}

const describeOutcome = (r: Result.Result<CheckoutStatus.Transition, CheckoutStatus.TransitionError>): string =>
  Result.isFailure(r)
    ? `fail:${r.failure._tag}`
    : r.success._tag === "Moved"
    ? `move:${r.success.checkout.status}`
    : `ignore:${r.success.reason}`

describe("CheckoutStatus.transition", () => {
  it("covers the whole status x event table (30 cells)", () => {
    let cells = 0
    for (const status of CheckoutStatus.statuses) {
      for (const tag of CheckoutStatus.eventTags) {
        const checkout = Fixtures.checkout({ status, currentIntentId: INTENT })
        const now = tag === "Expire" ? due : live
        assert.strictEqual(
          describeOutcome(CheckoutStatus.transition(checkout, eventOf(tag), now)),
          expected[status][tag],
          `${status} x ${tag}`
        )
        cells += 1
      }
    }
    assert.strictEqual(cells, 30)
  })

  it("refuses writes on an open checkout past expires_at (lazy expiry must run first)", () => {
    const checkout = Fixtures.checkout()
    for (const event of [eventOf("Update"), eventOf("Confirm")]) {
      const r = CheckoutStatus.transition(checkout, event, due)
      assert.isTrue(Result.isFailure(r) && r.failure._tag === "ExpiredCheckoutError")
    }
    const justBefore = DateTime.subtract(due, { milliseconds: 1 })
    assert.strictEqual(describeOutcome(CheckoutStatus.transition(checkout, eventOf("Update"), justBefore)), "move:open")
  })

  it("does not expire an open checkout before expires_at", () => {
    const r = CheckoutStatus.transition(Fixtures.checkout(), { _tag: "Expire" }, live)
    assert.strictEqual(describeOutcome(r), "ignore:not_due")
  })

  it("ignores notifications about a superseded intent", () => {
    const confirmed = Fixtures.checkout({ status: "confirmed", currentIntentId: "pi_new" })
    for (const tag of ["PaymentSucceeded", "PaymentFailed"] as const) {
      const r = CheckoutStatus.transition(confirmed, { _tag: tag, intentId: "pi_old" }, live)
      assert.strictEqual(describeOutcome(r), "ignore:superseded_intent")
    }
  })

  it("confirm records the intent; success marks it succeeded", () => {
    const open = Fixtures.checkout({ paymentProcessorMetadata: { intent_status: "requires_action" } })
    const confirmed = Result.getOrThrow(CheckoutStatus.transition(open, { _tag: "Confirm", intentId: "pi_1" }, live))
    assert.strictEqual(confirmed.checkout.currentIntentId, "pi_1")
    assert.isTrue(DateTime.Equivalence(confirmed.checkout.modifiedAt!, live))
    const done = Result.getOrThrow(
      CheckoutStatus.transition(confirmed.checkout, { _tag: "PaymentSucceeded", intentId: "pi_1" }, live)
    )
    assert.strictEqual(done.checkout.status, "succeeded")
    assert.strictEqual(done.checkout.paymentProcessorMetadata["intent_status"], "succeeded")
  })

  it("a failure reopens, rotates the payment attempt and drops the intent keys", () => {
    const confirmed = Fixtures.checkout({
      status: "confirmed",
      currentIntentId: "pi_1",
      paymentAttempt: 2,
      paymentProcessorMetadata: {
        publishable_key: "pk",
        customer_id: "cus_1",
        intent_client_secret: "pi_1_secret",
        intent_status: "requires_action"
      }
    })
    const r = Result.getOrThrow(CheckoutStatus.transition(confirmed, { _tag: "PaymentFailed", intentId: "pi_1" }, live))
    assert.strictEqual(r.checkout.status, "open")
    assert.strictEqual(r.checkout.paymentAttempt, 3)
    assert.deepStrictEqual(r.checkout.paymentProcessorMetadata, { publishable_key: "pk", customer_id: "cus_1" })
    assert.notStrictEqual(Checkout.idempotencyKey(r.checkout), Checkout.idempotencyKey(confirmed))
  })

  it("a free checkout (no intent) is confirmed and succeeds with a null intent", () => {
    const confirmed = Result.getOrThrow(
      CheckoutStatus.transition(Fixtures.checkout(), { _tag: "Confirm", intentId: null }, live)
    )
    const done = CheckoutStatus.transition(confirmed.checkout, { _tag: "PaymentSucceeded", intentId: null }, live)
    assert.strictEqual(describeOutcome(done), "move:succeeded")
    const stale = CheckoutStatus.transition(confirmed.checkout, { _tag: "PaymentSucceeded", intentId: "pi_x" }, live)
    assert.strictEqual(describeOutcome(stale), "ignore:superseded_intent")
  })

  const pendingAttempt = (attempt: number): Checkout.PendingPayment => ({
    attempt,
    idempotencyKey: `c:${attempt}`,
    kind: "payment",
    confirmationTokenId: "ctok",
    amount: 1000,
    currency: "usd",
    processorCustomerId: "cus_1",
    productPriceId: null,
    metadata: {},
    returnUrl: "https://x.test",
    description: "d",
    statementDescriptorSuffix: "s",
    setupFutureUsage: false,
    intentId: null,
    state: "sending",
    sentAt: live
  })

  it("confirm records the pending attempt; its answer is recorded once, and only for that attempt", () => {
    const open = Fixtures.checkout({ paymentAttempt: 3 })
    const confirmed = Result.getOrThrow(
      CheckoutStatus.transition(open, { _tag: "Confirm", intentId: null, pending: pendingAttempt(3) }, live)
    ).checkout
    assert.deepStrictEqual([confirmed.status, confirmed.currentIntentId, confirmed.pendingPayment?.attempt], ["confirmed", null, 3])
    // While the answer is not recorded, nothing can expire the checkout or succeed it on a guess.
    assert.strictEqual(describeOutcome(CheckoutStatus.transition(confirmed, { _tag: "Expire" }, due)), "ignore:not_open")
    assert.strictEqual(
      describeOutcome(CheckoutStatus.transition(confirmed, { _tag: "PaymentSucceeded", intentId: null }, live)),
      "fail:NotConfirmedCheckout"
    )
    assert.strictEqual(
      describeOutcome(CheckoutStatus.transition(confirmed, { _tag: "PaymentFailed", intentId: null }, live)),
      "ignore:superseded_intent"
    )
    const answer = (attempt: number, a: CheckoutStatus.Answer) =>
      CheckoutStatus.transition(confirmed, { _tag: "AttemptAnswered", attempt, answer: a }, live)
    const accepted = Result.getOrThrow(answer(3, { _tag: "Accepted", intentId: "pi_9", metadata: { intent_status: "processing" } }))
    assert.deepStrictEqual(
      [accepted.checkout.status, accepted.checkout.currentIntentId, accepted.checkout.pendingPayment],
      ["confirmed", "pi_9", null]
    )
    assert.strictEqual(accepted.checkout.paymentProcessorMetadata["intent_status"], "processing")
    assert.strictEqual(describeOutcome(answer(2, { _tag: "Declined" })), "ignore:settled")
    const declined = Result.getOrThrow(answer(3, { _tag: "Declined" })).checkout
    assert.deepStrictEqual([declined.status, declined.paymentAttempt, declined.pendingPayment], ["open", 4, null])
    const unknown = Result.getOrThrow(answer(3, { _tag: "Unknown" })).checkout
    assert.deepStrictEqual([unknown.status, unknown.pendingPayment?.state], ["confirmed", "unknown"])
    assert.strictEqual(
      describeOutcome(CheckoutStatus.transition(unknown, { _tag: "AttemptAnswered", attempt: 3, answer: { _tag: "Unknown" } }, live)),
      "ignore:settled"
    )
  })

  const allowedEdges = new Set([
    "open->open",
    "open->confirmed",
    "open->expired",
    "confirmed->confirmed",
    "confirmed->succeeded",
    "confirmed->open"
  ])

  it("no sequence of events takes an edge outside the reference diagram", () => {
    const intent = fc.constantFrom<string | null>(null, "pi_a", "pi_b")
    const event: fc.Arbitrary<CheckoutStatus.Event> = fc.oneof(
      fc.constant({ _tag: "Update" as const }),
      intent.map((intentId) => ({ _tag: "Confirm" as const, intentId })),
      fc.integer({ min: 0, max: 3 }).map((n) => ({ _tag: "Confirm" as const, intentId: null, pending: pendingAttempt(n) })),
      fc.tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.oneof(
          intent.filter((i): i is string => i !== null).map((intentId) => ({ _tag: "Accepted" as const, intentId, metadata: {} })),
          fc.constant({ _tag: "Declined" as const }),
          fc.constant({ _tag: "Unknown" as const })
        )
      ).map(([attempt, answer]) => ({ _tag: "AttemptAnswered" as const, attempt, answer })),
      intent.map((intentId) => ({ _tag: "PaymentSucceeded" as const, intentId })),
      intent.map((intentId) => ({ _tag: "PaymentFailed" as const, intentId })),
      fc.constant({ _tag: "Expire" as const })
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(event, fc.integer({ min: 0, max: 30 })), { maxLength: 30 }), (steps) => {
        let checkout = Fixtures.checkout()
        for (const [e, hours] of steps) {
          const before = checkout
          const r = CheckoutStatus.transition(checkout, e, DateTime.add(created, { hours }))
          if (Result.isSuccess(r)) {
            checkout = r.success.checkout
            if (r.success._tag === "Ignored") assert.strictEqual(checkout, before)
            else assert.isTrue(allowedEdges.has(`${before.status}->${checkout.status}`), `${before.status}->${checkout.status}`)
          }
          if (CheckoutStatus.isTerminal(before.status)) assert.strictEqual(checkout.status, before.status)
          // An attempt that may have been paid is never expired.
          if (before.pendingPayment !== null) assert.notStrictEqual(checkout.status, "expired")
          assert.isTrue(checkout.paymentAttempt >= before.paymentAttempt)
        }
      }),
      { numRuns: 200, seed: 42 }
    )
  })
})

describe("Checkout pure operations", () => {
  const base = Fixtures.checkout({ id: Fixtures.uuidOf(7) })

  it("url and default success url (test_valid_success_url_* defaults)", () => {
    assert.strictEqual(Checkout.url(base, "https://buy.test/"), `https://buy.test/checkout/${base.clientSecret}`)
    assert.strictEqual(
      Checkout.resolvedSuccessUrl(base, "https://buy.test"),
      `https://buy.test/checkout/${base.clientSecret}/confirmation`
    )
  })

  it("test_valid_success_url_with_interpolation / test_valid_success_url_with_invalid_interpolation_variable", () => {
    const withId = { ...base, successUrl: "https://shop.test/ok?checkout_id={CHECKOUT_ID}" }
    assert.strictEqual(Checkout.resolvedSuccessUrl(withId, "x"), `https://shop.test/ok?checkout_id=${base.id}`)
    const other = { ...base, successUrl: "https://shop.test/ok?session={CHECKOUT_SESSION_ID}" }
    assert.strictEqual(Checkout.resolvedSuccessUrl(other, "x"), "https://shop.test/ok?session={CHECKOUT_SESSION_ID}")
  })

  it("the idempotency key rotates once per declined attempt", () => {
    assert.strictEqual(Checkout.idempotencyKey(base), `${base.id}:0`)
    const once = Checkout.rotatePaymentAttempt(base, 0)
    assert.strictEqual(Checkout.idempotencyKey(once), `${base.id}:1`)
    assert.strictEqual(Checkout.rotatePaymentAttempt(once, 0), once)
  })
})
