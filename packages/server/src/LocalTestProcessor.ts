/**
 * LOCAL TEST MODE payment processor: no money moves, nothing leaves the machine. The demo server uses it when no
 * Stripe secret key is configured, so a checkout can be confirmed end to end offline. It answers like Stripe's test
 * cards, chosen by the confirmation token id (Stripe's `tok_*` test tokens, plus their `pm_card_*` names):
 *
 * | token                                   | outcome                                                    |
 * | --------------------------------------- | ---------------------------------------------------------- |
 * | `tok_visa` and any other token          | Succeeded                                                  |
 * | `tok_chargeDeclined`                    | Declined: card_declined / generic_decline                  |
 * | `tok_chargeDeclinedInsufficientFunds`   | Declined: card_declined / insufficient_funds               |
 * | `tok_threeDSecure2Required`             | RequiresAction (3-D Secure)                                 |
 * | `tok_processing`                        | Processing (settles asynchronously)                        |
 * | `tok_lostResponse` (local only)         | Unknown on the first call; a retry with the same key gets  |
 * |                                         | the charge that was in fact made (Succeeded), never a new one |
 *
 * Stripe reports the final success of a charge later, by webhook; here every charge that succeeded or is processing
 * is published as a `Settlement` right after the confirm, and the server feeds it to the checkout service the way
 * its webhook endpoint would (a requires_action intent never settles: there is no browser to finish 3-D Secure).
 *
 * Like Stripe, outcomes are stored per idempotency key: the same key replays the same outcome and intent id, so a
 * retried or resubmitted confirm never makes a second charge. Reusing a key for a different amount, currency or kind
 * is a programming error (Stripe's idempotency_error), hence a defect.
 */
import { ConfirmOutcome, PaymentProcessor } from "@checkout-kit/domain"
import type { ConfirmInput, ConfirmationTokenPreview, LookupOutcome, RefundOutcome } from "@checkout-kit/domain"
import { Context, Effect, Layer, Option, Queue, Ref } from "effect"
import { randomBytes } from "node:crypto"

/** Shown to the browser; Stripe.js would reject it, which is the point: this is not a Stripe account. */
export const publishableKey = "pk_test_local"

export type Scenario = "succeeded" | "declined" | "insufficient_funds" | "requires_action" | "processing" | "lost_response"

const scenarios: ReadonlyMap<string, Scenario> = new Map<string, Scenario>([
  ["tok_chargeDeclined", "declined"],
  ["pm_card_chargeDeclined", "declined"],
  ["tok_chargeDeclinedInsufficientFunds", "insufficient_funds"],
  ["pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"],
  ["tok_threeDSecure2Required", "requires_action"],
  ["tok_authenticationRequired", "requires_action"],
  ["pm_card_authenticationRequired", "requires_action"],
  ["tok_processing", "processing"],
  ["tok_lostResponse", "lost_response"]
])

/** The scenario a confirmation token selects; unknown tokens succeed, as a plain test card would. */
export const scenarioOf = (confirmationTokenId: string): Scenario => scenarios.get(confirmationTokenId) ?? "succeeded"

/** A charge (or setup) the processor made: what a Stripe dashboard would list. */
export interface Charge {
  readonly intentId: string
  readonly kind: ConfirmInput["kind"]
  readonly amount: number
  readonly currency: string
  readonly processorCustomerId: string
  readonly idempotencyKey: string
  readonly intentStatus: string
  readonly metadata: Readonly<Record<string, string>>
}

interface Entry {
  readonly fingerprint: string
  readonly outcome: ConfirmOutcome
  /** Set for `tok_lostResponse` before the first reply is "lost": what a replay returns. */
  readonly replay: ConfirmOutcome | null
}

interface State {
  readonly byKey: ReadonlyMap<string, Entry>
  readonly charges: ReadonlyArray<Charge>
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex")

const intentOutcome = (
  input: ConfirmInput,
  tag: "Succeeded" | "Processing" | "RequiresAction",
  intentStatus: string
): ConfirmOutcome => {
  const intentId = `${input.kind === "payment" ? "pi" : "seti"}_local_${hex(12)}`
  const fields = { intentId, clientSecret: `${intentId}_secret_${hex(12)}`, intentStatus }
  return ConfirmOutcome[tag](fields)
}

/** A fresh outcome for a key never seen before, and what a later replay of the key returns. */
const decide = (input: ConfirmInput): { readonly first: ConfirmOutcome; readonly replay: ConfirmOutcome } => {
  switch (scenarioOf(input.confirmationTokenId)) {
    case "succeeded": {
      const outcome = intentOutcome(input, "Succeeded", "succeeded")
      return { first: outcome, replay: outcome }
    }
    case "processing": {
      const outcome = intentOutcome(input, "Processing", "processing")
      return { first: outcome, replay: outcome }
    }
    case "requires_action": {
      const outcome = intentOutcome(input, "RequiresAction", "requires_action")
      return { first: outcome, replay: outcome }
    }
    case "declined": {
      const outcome = ConfirmOutcome.Declined({
        code: "card_declined",
        declineCode: "generic_decline",
        message: "Your card was declined."
      })
      return { first: outcome, replay: outcome }
    }
    case "insufficient_funds": {
      const outcome = ConfirmOutcome.Declined({
        code: "card_declined",
        declineCode: "insufficient_funds",
        message: "Your card has insufficient funds."
      })
      return { first: outcome, replay: outcome }
    }
    case "lost_response": {
      const charged = intentOutcome(input, "Succeeded", "succeeded")
      const intentId = charged._tag === "Succeeded" ? charged.intentId : null
      return { first: ConfirmOutcome.Unknown({ reason: "local test mode: simulated lost response", intentId }), replay: charged }
    }
  }
}

const fingerprintOf = (input: ConfirmInput) => `${input.kind}|${input.amount}|${input.currency}|${input.checkoutId}`

const chargeOf = (input: ConfirmInput, outcome: ConfirmOutcome): ReadonlyArray<Charge> => {
  switch (outcome._tag) {
    case "Succeeded":
    case "Processing":
    case "RequiresAction":
      return [{
        intentId: outcome.intentId,
        kind: input.kind,
        amount: input.kind === "payment" ? input.amount : 0,
        currency: input.currency,
        processorCustomerId: input.processorCustomerId,
        idempotencyKey: input.idempotencyKey,
        intentStatus: outcome.intentStatus,
        metadata: input.metadata
      }]
    case "Declined":
    case "Unknown":
      return []
  }
}

/**
 * The processor plus a read-only view of the intents it created (for tests and the demo: proof that a replayed
 * confirm did not charge twice).
 */
/** A charge that went through: what Stripe's `charge.succeeded` / `setup_intent.succeeded` webhook would say. */
export interface Settlement {
  readonly checkoutId: string
  readonly intentId: string
}

export interface LocalTestProcessor {
  readonly processor: Context.Service.Shape<typeof PaymentProcessor>
  readonly charges: Effect.Effect<ReadonlyArray<Charge>>
  /** Settlements in order, each published once per charge (never for a replay). */
  readonly settlements: Queue.Dequeue<Settlement>
}

export const make: Effect.Effect<LocalTestProcessor> = Effect.gen(function*() {
  const state = yield* Ref.make<State>({ byKey: new Map(), charges: [] })
  const settlements = yield* Queue.unbounded<Settlement>()

  const confirm = (input: ConfirmInput): Effect.Effect<ConfirmOutcome> =>
    Ref.modify(state, (current): [Effect.Effect<ConfirmOutcome>, State] => {
      const fingerprint = fingerprintOf(input)
      const stored = current.byKey.get(input.idempotencyKey)
      if (stored !== undefined) {
        if (stored.fingerprint !== fingerprint) {
          return [Effect.die(new Error(
            `LocalTestProcessor: idempotency key ${input.idempotencyKey} reused with different parameters ` +
              `(${stored.fingerprint} then ${fingerprint})`
          )), current]
        }
        const outcome = stored.replay ?? stored.outcome
        return [Effect.succeed(outcome), stored.replay === null ? current : {
          ...current,
          byKey: new Map(current.byKey).set(input.idempotencyKey, { ...stored, outcome, replay: null })
        }]
      }
      const { first, replay } = decide(input)
      const byKey = new Map(current.byKey).set(input.idempotencyKey, {
        fingerprint,
        outcome: first,
        replay: replay === first ? null : replay
      })
      // A lost response still charged: the charge is the replayed outcome's.
      const charged = chargeOf(input, replay)
      const settle = charged.filter((c) => c.intentStatus !== "requires_action").map((c) => ({
        checkoutId: input.checkoutId,
        intentId: c.intentId
      }))
      return [
        Effect.as(Queue.offerAll(settlements, settle), first),
        { byKey, charges: [...current.charges, ...charged] }
      ]
    }).pipe(Effect.flatten)

  const processor = PaymentProcessor.of({
    upsertCustomer: (input) =>
      Effect.succeed({ processorCustomerId: input.existingId ?? `cus_local_${hex(12)}` }),
    getConfirmationTokenPreview: (tokenId) =>
      Effect.succeed(Option.some<ConfirmationTokenPreview>({
        billingName: null,
        // Like a real test card, each scenario is one card, so its fingerprint is stable across tokens.
        cardFingerprint: `fp_local_${scenarioOf(tokenId)}`
      })),
    confirm: Effect.fnUntraced(function*(input: ConfirmInput) {
      const outcome = yield* confirm(input)
      yield* Effect.logDebug("LocalTestProcessor.confirm").pipe(
        Effect.annotateLogs({ checkoutId: input.checkoutId, outcome: outcome._tag, idempotencyKey: input.idempotencyKey })
      )
      return outcome
    }),
    // What the local processor holds for an attempt: by intent id, else the checkout's newest accepted charge.
    lookup: (input) =>
      Effect.map(Ref.get(state), (current): LookupOutcome => {
        const charge = input.intentId !== null
          ? current.charges.find((c) => c.intentId === input.intentId)
          : current.charges.filter((c) => c.metadata["checkout_id"] === input.checkoutId).at(-1)
        if (charge === undefined) return { _tag: "NotFound" }
        const intent = { intentId: charge.intentId, clientSecret: `${charge.intentId}_secret_local`, intentStatus: charge.intentStatus }
        return charge.intentStatus === "requires_action" ? ConfirmOutcome.RequiresAction(intent) : ConfirmOutcome.Succeeded(intent)
      }),
    // No money moves locally: a refund is recorded in the log only, with its key so a retry is the same refund.
    refund: (input) =>
      Effect.flatMap(Ref.get(state), (current) => {
        const charge = current.charges.find((c) => c.intentId === input.intentId)
        if (charge === undefined || charge.kind === "setup") return Effect.succeed<RefundOutcome>({ _tag: "Nothing" })
        return Effect.as(
          Effect.logInfo(`LocalTestProcessor: refunded ${charge.amount} ${charge.currency} of ${charge.intentId}`),
          { _tag: "Refunded", refundId: `re_local_${input.idempotencyKey.replace(/[^a-zA-Z0-9]/gu, "")}`, amount: charge.amount } as const
        )
      }),
    publishableKey
  })

  return { processor, charges: Ref.get(state).pipe(Effect.map((s) => s.charges)), settlements }
})

/** The PaymentProcessor port in local test mode. */
export const layer: Layer.Layer<PaymentProcessor> = Layer.effect(PaymentProcessor, Effect.map(make, (m) => m.processor))
