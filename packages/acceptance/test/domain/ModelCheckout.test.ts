/**
 * Model-based test of the checkout lifecycle: fast-check generates command sequences (create, org update, client
 * update, confirm with a scripted processor outcome, payment succeeded / failed (current or stale intent, with or
 * without the idempotency key of the current attempt), the expiry sweep, clock advances) and a hand-written loop
 * runs each against the real CheckoutService (memory store, TestClock) and a small model. After every step the
 * stored status, amounts, payment attempt, pending attempt and redemption must match the model, and every forbidden
 * operation must fail with the error the model predicts. An unknown outcome leaves a pending attempt: the next
 * confirm replays it, a change of the amount is refused (CheckoutLocked), and a keyed notification settles it.
 */
import { describe, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { expect } from "vitest"
import * as CheckoutStatus from "../../../domain/src/CheckoutStatus.ts"
import { Catalog } from "../../../domain/src/ports/Catalog.ts"
import { CheckoutRepository } from "../../../domain/src/ports/CheckoutRepository.ts"
import { FakePaymentProcessor } from "../../../domain/src/testing/FakePaymentProcessor.ts"
import * as W from "./CheckoutWorld.ts"

type Kind = "fixed" | "pwyw" | "free"
type Outcome = "succeed" | "requires_action" | "decline" | "unknown"

type Command =
  | { readonly _tag: "Create"; readonly kind: Kind; readonly amount: number | null }
  | { readonly _tag: "Update"; readonly i: number; readonly amount: number }
  | { readonly _tag: "ClientUpdate"; readonly i: number; readonly code: "HALF" | null }
  | { readonly _tag: "Confirm"; readonly i: number; readonly outcome: Outcome }
  | { readonly _tag: "Succeeded"; readonly i: number; readonly stale: boolean; readonly withKey: boolean }
  | { readonly _tag: "Failed"; readonly i: number; readonly stale: boolean; readonly withKey: boolean }
  | { readonly _tag: "Sweep" }
  | { readonly _tag: "Advance"; readonly hours: number }

const index = fc.nat({ max: 3 })
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("Create" as const), kind: fc.constantFrom<Kind>("fixed", "pwyw", "free"), amount: fc.option(fc.constantFrom(0, 10, 50, 700, 2000), { nil: null }) }) },
  fc.record({ _tag: fc.constant("Update" as const), i: index, amount: fc.constantFrom(10, 50, 1234) }),
  fc.record({ _tag: fc.constant("ClientUpdate" as const), i: index, code: fc.constantFrom<"HALF" | null>("HALF", null) }),
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("Confirm" as const), i: index, outcome: fc.constantFrom<Outcome>("succeed", "requires_action", "decline", "unknown", "unknown") }) },
  // Stale notifications are the rarer case; the key of the current attempt is what settles a pending one.
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("Succeeded" as const), i: index, stale: fc.constantFrom(false, false, true), withKey: fc.boolean() }) },
  fc.record({ _tag: fc.constant("Failed" as const), i: index, stale: fc.constantFrom(false, false, true), withKey: fc.boolean() }),
  fc.constant({ _tag: "Sweep" as const }),
  fc.record({ _tag: fc.constant("Advance" as const), hours: fc.integer({ min: 1, max: 20 }) })
)

interface ModelCheckout {
  readonly id: string
  readonly secret: string
  readonly kind: Kind
  status: CheckoutStatus.Status
  amount: number
  discounted: boolean
  attempt: number
  /** A charge whose answer was lost exists for this attempt (a pending attempt): the retry replays it. */
  replay: boolean
  readonly expiresAtHours: number
}

const discountOf = (m: ModelCheckout) => (m.discounted ? Math.floor(m.amount * 0.5 + 0.5) : 0)

const program = (commands: ReadonlyArray<Command>) =>
  Effect.gen(function*() {
    const service = yield* W.service
    const repo = yield* CheckoutRepository
    const catalog = yield* Catalog
    const fake = yield* FakePaymentProcessor
    const model: Array<ModelCheckout> = []
    let hours = 0
    const pick = (i: number) => (model.length === 0 ? undefined : model[i % model.length])
    const due = (m: ModelCheckout) => hours >= m.expiresAtHours
    /** What a client write meets first (gate order): expired by time, then not open. */
    const clientGate = (m: ModelCheckout): string | null => {
      if (due(m)) {
        if (m.status === "open") m.status = "expired"
        return "ExpiredCheckoutError"
      }
      return m.status === "open" ? null : "NotOpenCheckout"
    }
    const tagOf = <A, E extends { readonly _tag: string }>(r: Result.Result<A, E>) =>
      Result.isSuccess(r) ? "ok" : r.failure._tag

    for (const cmd of commands) {
      const label = JSON.stringify(cmd)
      switch (cmd._tag) {
        case "Create": {
          const product = cmd.kind === "fixed" ? W.fixed : cmd.kind === "pwyw" ? W.pwyw : W.free
          const r = yield* Effect.result(service.create(W.caller, { products: [product.id], amount: cmd.amount }))
          const invalidAmount = cmd.kind === "pwyw" && cmd.amount !== null && cmd.amount < 50
          expect(tagOf(r), label).toBe(invalidAmount ? "RequestValidationError" : "ok")
          if (Result.isSuccess(r)) {
            model.push({
              id: r.success.checkout.id,
              secret: r.success.checkout.clientSecret,
              kind: cmd.kind,
              status: "open",
              amount: cmd.kind === "fixed" ? 1000 : cmd.kind === "free" ? 0 : cmd.amount ?? 50,
              discounted: false,
              attempt: 0,
              replay: false,
              expiresAtHours: hours + 24
            })
          }
          break
        }
        case "Update": {
          const m = pick(cmd.i)
          if (m === undefined) break
          const r = yield* Effect.result(service.update(W.caller, m.id, { amount: cmd.amount }))
          let expected = "ok"
          if (m.status === "open" && due(m)) {
            m.status = "expired"
            expected = "NotOpenCheckout"
          } else if (m.replay) expected = "CheckoutLocked" // an attempt without an answer: being processed
          else if (m.status !== "open") expected = "NotOpenCheckout"
          else if (m.kind === "pwyw" && cmd.amount < 50) expected = "RequestValidationError"
          else if (m.kind === "pwyw") m.amount = cmd.amount
          expect(tagOf(r), label).toBe(expected)
          break
        }
        case "ClientUpdate": {
          const m = pick(cmd.i)
          if (m === undefined) break
          const r = yield* Effect.result(service.clientUpdate(m.secret, { discountCode: cmd.code }))
          let expected = clientGate(m) ?? "ok"
          if (expected === "NotOpenCheckout" && m.replay) expected = "CheckoutLocked"
          if (expected === "ok") {
            if (m.kind === "free" && cmd.code !== null) expected = "RequestValidationError"
            else m.discounted = cmd.code !== null
          }
          expect(tagOf(r), label).toBe(expected)
          break
        }
        case "Confirm": {
          const m = pick(cmd.i)
          if (m === undefined) break
          // A recorded attempt without an answer (confirmed, replay) is re-sent by the retry, past the not-open gate.
          const gate = m.replay && !due(m) ? null : clientGate(m)
          const paid = m.amount - discountOf(m) > 0
          const calling = gate === null && paid && !m.replay
          if (calling) yield* fake.push(cmd.outcome)
          const r = yield* Effect.result(service.confirm(m.secret, { customerEmail: "m@example.com", customerBillingAddress: W.frAddress, confirmationTokenId: "tok" }))
          let expected = gate ?? "ok"
          if (gate === null) {
            if (m.replay) m.replay = false
            else if (!paid) m.status = "succeeded"
            else if (cmd.outcome === "decline") {
              expected = "PaymentError"
              m.attempt += 1
            } else if (cmd.outcome === "unknown") {
              // Recorded before the call: confirmed, with the attempt pending until an answer comes.
              expected = "PaymentOutcomeUnknown"
              m.replay = true
              m.status = "confirmed"
            } else m.status = "confirmed"
          }
          expect(tagOf(r), label).toBe(expected)
          break
        }
        case "Succeeded":
        case "Failed": {
          const m = pick(cmd.i)
          if (m === undefined) break
          const stored = Option.getOrThrow(yield* repo.findById(m.id))
          // The key of the request that caused the event: the current attempt's, or an older one's when stale.
          const key = `${m.id}:${cmd.stale ? stored.paymentAttempt + 7 : stored.paymentAttempt}`
          // A pending attempt's event names the intent the processor really created.
          const real = m.replay ? Option.getOrNull(yield* fake.answerFor(key)) : null
          const intentId = cmd.stale ? "pi_stale" : real !== null && "intentId" in real ? real.intentId : stored.currentIntentId
          const n = { checkoutId: m.id, intentId, ...(cmd.withKey ? { idempotencyKey: key } : {}) }
          const r = cmd._tag === "Succeeded"
            ? yield* Effect.result(service.paymentSucceeded(n))
            : yield* Effect.result(service.paymentFailed(n))
          const current = intentId === stored.currentIntentId
          // The outcome of a pending attempt (its answer was lost), recognised by its key.
          const aboutPending = m.replay && cmd.withKey && !cmd.stale
          let expected = "ok"
          if (cmd._tag === "Succeeded") {
            if (aboutPending) {
              // Confirmed before the call, so never expired meanwhile: the late success completes it.
              m.replay = false
              m.status = "succeeded"
            } else if (m.replay) expected = "NotConfirmedCheckout" // its intent is not known yet: retry later
            else if (m.status === "open" && intentId === null) expected = "NotConfirmedCheckout"
            else if (m.status === "confirmed" && current) m.status = "succeeded"
            // Anything else is another attempt's money: refunded (or ignored when there is none), never applied.
          } else if (aboutPending) {
            m.replay = false
            m.status = "open"
            m.attempt += 1
          } else if (m.status === "confirmed" && current && !m.replay) {
            m.status = "open"
            m.attempt += 1
          }
          expect(tagOf(r), label).toBe(expected)
          break
        }
        case "Sweep": {
          const expired = yield* service.expireOpenCheckouts()
          const expectedIds = model.filter((m) => m.status === "open" && due(m)).map((m) => m.id)
          for (const m of model) if (expectedIds.includes(m.id)) m.status = "expired"
          expect(expired.map((c) => c.id).sort(), label).toEqual(expectedIds.sort())
          break
        }
        case "Advance": {
          hours += cmd.hours
          yield* TestClock.adjust(Duration.hours(cmd.hours))
          break
        }
      }

      // After every step the store agrees with the model.
      for (const m of model) {
        const c = Option.getOrThrow(yield* repo.findById(m.id))
        const redeemed = Option.isSome(yield* catalog.findRedemption(m.id))
        const discount = discountOf(m)
        expect(
          [c.status, c.amount, c.discountAmount, c.totalAmount, c.paymentAttempt, c.pendingPayment?.attempt ?? null, redeemed],
          `${label} -> ${m.kind} ${m.id}`
        ).toEqual([
          m.status,
          m.amount,
          discount,
          m.amount - discount,
          m.attempt,
          // Only on a confirmed checkout, which never expires: it may have been charged (reconciliation).
          m.replay ? m.attempt : null,
          m.discounted && (m.status === "confirmed" || m.status === "succeeded")
        ])
        expect(DateTime.toEpochMillis(c.expiresAt)).toBe(m.expiresAtHours * 3_600_000)
      }
    }
    // One real charge per confirmed paid attempt, never more; no key was ever reused with other parameters.
    const charged = model.filter((m) => (m.status === "confirmed" || m.status === "succeeded") && m.amount - discountOf(m) > 0)
    expect(yield* fake.charges).toBeGreaterThanOrEqual(charged.length)
    expect(yield* fake.rejectedCalls).toEqual([])
  })

describe("Model: checkout lifecycle", () => {
  it("random command sequences agree with the model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30, size: "max" }), (commands) =>
        Effect.runPromise(
          program(commands).pipe(Effect.provide(W.layer({ tax: {} })), Effect.provide(TestClock.layer()))
        )),
      { numRuns: 200, seed: 20_260_301 }
    )
  }, 30_000)
})
