/**
 * The one fake payment processor (the Medusa habit: a built-in fake provider), for tests and for the server's local
 * test mode. Each confirm takes the next step of the script (then the default step) and answers like Stripe would,
 * including idempotency: a key that already produced an answer replays it when the request is the same, and a key
 * reused with DIFFERENT parameters is refused like Stripe's `idempotency_error` (a defect: our bug, never the
 * buyer's), so a retry after an unknown outcome charges once and re-sends exactly the first request. By default
 * every call is recorded with its idempotency key for assertions and every key is held forever; a long-running
 * server sets `retain` to a bound instead (see `Script.retain`): no call lists, and the oldest keys forgotten. A
 * lookup (by intent id or by checkout) and a refund read indexes (HeldAttempts.ts), never a scan of the held keys.
 *
 * The `"test_card"` step answers by the confirmation token, like Stripe's test cards (`tok_*`, and their `pm_card_*`
 * names); the server's local test mode uses it as the default step, so a checkout can be confirmed end to end offline:
 *
 * | token                                                 | outcome                                                  |
 * | ----------------------------------------------------- | -------------------------------------------------------- |
 * | `tok_visa` and any other token                        | Succeeded                                                |
 * | `tok_chargeDeclined`                                  | Declined: card_declined / generic_decline                |
 * | `tok_chargeDeclinedInsufficientFunds`                 | Declined: card_declined / insufficient_funds             |
 * | `tok_threeDSecure2Required`, `tok_authenticationRequired` | RequiresAction (3-D Secure)                          |
 * | `tok_processing`                                      | Processing (settles asynchronously)                      |
 * | `tok_lostResponse` (not Stripe's)                     | Unknown on the first call (the charge was made); a retry |
 * |                                                       | with the same key gets that charge, never a new one      |
 *
 * Stripe reports a charge's final success later, by webhook; here every new intent that succeeded or is processing
 * is offered to `settlements` (a requires_action intent never settles: no browser finishes 3-D Secure), which the
 * server feeds to the checkout service the way its webhook endpoint would.
 *
 * This module imports `effect` only (no test library), so the server can load it at run time through the
 * `@checkout-kit/domain/testing/FakePaymentProcessor` entry.
 */
import { Context, Effect, Layer, Option, Queue } from "effect"
import {
  type ConfirmationTokenPreview,
  type ConfirmInput,
  ConfirmOutcome,
  type CustomerInput,
  type LookupInput,
  type LookupOutcome,
  PaymentProcessor,
  type RefundInput,
  type RefundOutcome
} from "../ports/PaymentProcessor.ts"
import * as HeldAttempts from "./HeldAttempts.ts"

/**
 * One scripted answer. `unknown` loses the answer: with `charged` (the default) the processor did create the charge,
 * and a retry with the same idempotency key gets the original success back; without it nothing happened.
 * `intentKnown` reports the created intent's id with the unknown outcome (the adapter sometimes learns it).
 */
export type Step =
  | "test_card"
  | "succeed"
  | "processing"
  | "requires_action"
  | "decline"
  | "unknown"
  | { readonly _tag: "decline"; readonly code?: string; readonly declineCode?: string; readonly message?: string }
  | { readonly _tag: "unknown"; readonly charged: boolean; readonly intentKnown?: boolean }

export interface Script {
  readonly steps?: ReadonlyArray<Step>
  /** Answer once the steps are used up. Default "succeed". */
  readonly otherwise?: Step
  /**
   * Confirmation-token previews by token id. Default: none (like a failed fetch), except when `otherwise` is
   * `"test_card"`: then every token has a preview whose card fingerprint is its test card's (`fp_<label>_<card>`).
   */
  readonly tokens?: Readonly<Record<string, ConfirmationTokenPreview>>
  /**
   * Names what the processor mints: `pi_<label>_…`, `seti_<label>_…`, `cus_<label>_…`, `re_<label>_…`, the publishable
   * key `pk_test_<label>`. Default "fake".
   */
  readonly label?: string
  /**
   * The unique part of minted ids (and of intent client secrets). Default: a counter per layer and `<id>_secret_<label>`;
   * the server passes random hex, so processes sharing one database never mint the same id.
   */
  readonly uniqueId?: () => string
  /**
   * What the processor keeps. `"all"` (the default, for tests): every call in the recorder's lists and every
   * idempotency key forever. `{ attempts: n }` (a long-running server): no call lists (`confirmCalls`,
   * `customerCalls`, `rejectedCalls` and `lookups` stay empty), a digest of each request's parameters instead of
   * their text (the `IdempotencyKeyReused` message then shows digests), and at most `n` idempotency keys of confirms (and
   * `n` of refunds), the oldest forgotten first, as Stripe forgets a key after 24 hours: a forgotten key is a new
   * request again, and lookups no longer find its intent. `charges` still counts every charge made.
   */
  readonly retain?: "all" | { readonly attempts: number }
}

/** What a test card does (see the module's table). */
export type TestCard = "succeeded" | "declined" | "insufficient_funds" | "requires_action" | "processing" | "lost_response"

const testCards: ReadonlyMap<string, TestCard> = new Map<string, TestCard>([
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

/** The test card a confirmation token selects; unknown tokens succeed, as a plain test card would. */
export const testCardOf = (confirmationTokenId: string): TestCard => testCards.get(confirmationTokenId) ?? "succeeded"

/** The scripted step a test card stands for. */
export const stepOf = (card: TestCard): Exclude<Step, "test_card"> => {
  switch (card) {
    case "succeeded":
      return "succeed"
    case "declined":
      return "decline"
    case "insufficient_funds":
      return { _tag: "decline", code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds." }
    case "requires_action":
      return "requires_action"
    case "processing":
      return "processing"
    case "lost_response":
      return { _tag: "unknown", charged: true, intentKnown: true }
  }
}

/** A charge that went through: what Stripe's `charge.succeeded` / `setup_intent.succeeded` webhook would say. */
export interface Settlement {
  readonly checkoutId: string
  readonly intentId: string
}

/** `n` declines, then successes. */
export const failTimesThenSucceed = (n: number): Script => ({
  steps: Array.from({ length: n }, () => "decline" as const),
  otherwise: "succeed"
})

/** The defect a reused idempotency key with other parameters raises (Stripe answers 400 `idempotency_error`). */
export class IdempotencyKeyReused extends Error {
  override readonly name = "IdempotencyKeyReused"
  readonly idempotencyKey: string
  constructor(idempotencyKey: string, first: string, second: string) {
    super(`idempotency_error: key ${idempotencyKey} was used with other parameters (first ${first}, now ${second})`)
    this.idempotencyKey = idempotencyKey
  }
}

/** Request parameters in a canonical form (sorted keys), without the key itself: what Stripe compares. */
const paramsOf = (input: ConfirmInput): string => {
  const { idempotencyKey: _key, ...params } = input
  const canonical = (value: unknown): unknown =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value
  return JSON.stringify(canonical(params))
}

export interface ConfirmCall {
  readonly input: ConfirmInput
  readonly outcome: ConfirmOutcome
  /** True when the idempotency key had already been seen and the stored answer was replayed. */
  readonly replayed: boolean
}

export class FakePaymentProcessor extends Context.Service<FakePaymentProcessor, {
  /** Every confirm call, in order (empty when the script bounds `retain`, as are the other call lists). */
  readonly confirmCalls: Effect.Effect<ReadonlyArray<ConfirmCall>>
  /** Confirms refused because their idempotency key was already used with other parameters (each also died). */
  readonly rejectedCalls: Effect.Effect<ReadonlyArray<ConfirmInput>>
  /** Every customer upsert, in order. */
  readonly customerCalls: Effect.Effect<ReadonlyArray<CustomerInput>>
  /** Distinct charges (or setups) the processor really made: one per idempotency key that produced an intent. */
  readonly charges: Effect.Effect<number>
  /** The answer the processor holds for an idempotency key (for a lost answer: what really happened). */
  readonly answerFor: (idempotencyKey: string) => Effect.Effect<Option.Option<ConfirmOutcome>>
  /** Appends steps to the script. */
  readonly push: (...steps: ReadonlyArray<Step>) => Effect.Effect<void>
  /**
   * Every refund made (one per idempotency key; a retried refund with the same key is replayed, not repeated); with
   * a bounded `retain`, those of the keys still held.
   */
  readonly refunds: Effect.Effect<ReadonlyArray<RefundInput>>
  /** Every lookup asked, in order. */
  readonly lookups: Effect.Effect<ReadonlyArray<LookupInput>>
  /** Each new intent that succeeded or is processing, once (never for a replay, a decline or 3-D Secure). */
  readonly settlements: Queue.Dequeue<Settlement>
}>()("@checkout-kit/domain/testing/FakePaymentProcessor") {
  /** Provides both PaymentProcessor and this recorder. A fresh state per layer build. */
  static readonly layer = (script: Script = {}): Layer.Layer<PaymentProcessor | FakePaymentProcessor> =>
    Layer.effectContext(Effect.map(make(script), ({ processor, recorder }) =>
      Context.make(PaymentProcessor, processor).pipe(Context.add(FakePaymentProcessor, recorder))))
}

/** The processor and its recorder, unwrapped (the server's test mode holds both). A fresh state per run. */
export const make = (script: Script = {}): Effect.Effect<{
  readonly processor: PaymentProcessor["Service"]
  readonly recorder: FakePaymentProcessor["Service"]
}> =>
  Effect.map(Queue.unbounded<Settlement>(), (settlements) => {
    const label = script.label ?? "fake"
    let counter = 0
    const unique = script.uniqueId ?? (() => String(++counter))
    const secretSuffix = script.uniqueId ?? (() => label)
    const previewsByCard = script.otherwise === "test_card"
    const steps: Array<Step> = [...(script.steps ?? [])]
    const otherwise: Step = script.otherwise ?? "succeed"
    const retain = script.retain ?? "all"
    const limit = retain === "all" ? Infinity : retain.attempts
    /** Whether the call lists are kept (tests); a bounded server records none. */
    const record = retain === "all"
    const calls: Array<ConfirmCall> = []
    const customers: Array<CustomerInput> = []
    const held = HeldAttempts.make(limit)
    const rejected: Array<ConfirmInput> = []
    const refunds = new HeldAttempts.BoundedMap<string, { readonly input: RefundInput; readonly outcome: RefundOutcome }>(limit)
    const lookups: Array<LookupInput> = []

    /** What the processor holds for an attempt: by intent id, else the checkout's newest intent of that kind. */
    const lookup = (input: LookupInput): LookupOutcome => {
      const found = input.intentId !== null
        ? held.byIntentId(input.intentId)
        : held.newestFor(input.checkoutId, input.kind)
      return found === undefined ? { _tag: "NotFound" } : found.outcome
    }

    const intent = (input: ConfirmInput, status: string) => {
      const id = `${input.kind === "payment" ? "pi" : "seti"}_${label}_${unique()}`
      return { intentId: id, clientSecret: `${id}_secret_${secretSuffix()}`, intentStatus: status }
    }

    const answer = (scripted: Step, input: ConfirmInput): { outcome: ConfirmOutcome; stored: ConfirmOutcome | null } => {
      const step = scripted === "test_card" ? stepOf(testCardOf(input.confirmationTokenId)) : scripted
      const s = typeof step === "string" ? { _tag: step } as const : step
      switch (s._tag) {
        case "succeed": {
          const o = ConfirmOutcome.Succeeded(intent(input, "succeeded"))
          return { outcome: o, stored: o }
        }
        case "processing": {
          const o = ConfirmOutcome.Processing(intent(input, "processing"))
          return { outcome: o, stored: o }
        }
        case "requires_action": {
          const o = ConfirmOutcome.RequiresAction(intent(input, "requires_action"))
          return { outcome: o, stored: o }
        }
        case "decline": {
          const d: { readonly code?: string; readonly declineCode?: string; readonly message?: string } =
            typeof step === "object" && step._tag === "decline" ? step : {}
          const o = ConfirmOutcome.Declined({
            code: d.code ?? "card_declined",
            declineCode: d.declineCode ?? "generic_decline",
            message: d.message ?? "Your card was declined."
          })
          return { outcome: o, stored: o }
        }
        case "unknown": {
          const charged = "charged" in s ? s.charged : true
          if (!charged) return { outcome: ConfirmOutcome.Unknown({ reason: "connection lost", intentId: null }), stored: null }
          const real = ConfirmOutcome.Succeeded(intent(input, "succeeded"))
          const known = "intentKnown" in s && s.intentKnown === true
          return {
            outcome: ConfirmOutcome.Unknown({ reason: "response lost after the charge", intentId: known ? real.intentId : null }),
            stored: real
          }
        }
      }
    }

    const processor = PaymentProcessor.of({
      publishableKey: `pk_test_${label}`,
      upsertCustomer: (input) =>
        Effect.sync(() => {
          if (record) customers.push(input)
          return { processorCustomerId: input.existingId ?? `cus_${label}_${unique()}` }
        }),
      getConfirmationTokenPreview: (tokenId) =>
        Effect.sync(() => {
          const scripted = script.tokens?.[tokenId]
          if (scripted !== undefined || !previewsByCard) return Option.fromNullishOr(scripted)
          // Like a real test card, each card is one card: its fingerprint is stable across tokens.
          return Option.some({ billingName: null, cardFingerprint: `fp_${label}_${testCardOf(tokenId)}` })
        }),
      // Yields first, like a network call, so concurrent requests really interleave around it.
      confirm: (input) =>
        Effect.andThen(Effect.yieldNow, Effect.suspend(() => {
          // A bounded processor holds a digest of the parameters, not their text (most of a held key's memory).
          const params = record ? paramsOf(input) : HeldAttempts.digest(paramsOf(input))
          const previous = held.get(input.idempotencyKey)
          if (previous !== undefined) {
            if (previous.params !== params) {
              if (record) rejected.push(input)
              return Effect.die(new IdempotencyKeyReused(input.idempotencyKey, previous.params, params))
            }
            if (record) calls.push({ input, outcome: previous.outcome, replayed: true })
            return Effect.succeed(previous.outcome)
          }
          const step = steps.shift() ?? otherwise
          const { outcome, stored } = answer(step, input)
          if (stored !== null) {
            held.add(input.idempotencyKey, { outcome: stored, params, checkoutId: input.checkoutId, kind: input.kind, amount: input.amount })
          }
          if (record) calls.push({ input, outcome, replayed: false })
          // A lost answer still charged: the charge that settles is the stored one.
          return stored !== null && (stored._tag === "Succeeded" || stored._tag === "Processing")
            ? Effect.as(Queue.offer(settlements, { checkoutId: input.checkoutId, intentId: stored.intentId }), outcome)
            : Effect.succeed(outcome)
        })),
      lookup: (input) =>
        Effect.sync(() => {
          if (record) lookups.push(input)
          return lookup(input)
        }),
      refund: (input) =>
        Effect.sync(() => {
          const previous = refunds.get(input.idempotencyKey)
          if (previous !== undefined) return previous.outcome
          const charged = held.byIntentId(input.intentId)
          const outcome: RefundOutcome = charged === undefined || charged.kind === "setup" || charged.outcome._tag === "Declined"
            ? { _tag: "Nothing" }
            : { _tag: "Refunded", refundId: `re_${label}_${unique()}`, amount: charged.amount }
          refunds.set(input.idempotencyKey, { input, outcome })
          return outcome
        })
    })

    const recorder = FakePaymentProcessor.of({
      confirmCalls: Effect.sync(() => [...calls]),
      customerCalls: Effect.sync(() => [...customers]),
      rejectedCalls: Effect.sync(() => [...rejected]),
      answerFor: (key) => Effect.sync(() => Option.fromNullishOr(held.get(key)?.outcome)),
      charges: Effect.sync(held.charges),
      push: (...more) => Effect.sync(() => void steps.push(...more)),
      refunds: Effect.sync(() => [...refunds.values()].filter((r) => r.outcome._tag === "Refunded").map((r) => r.input)),
      lookups: Effect.sync(() => [...lookups]),
      settlements
    })

    return { processor, recorder }
  })

/** `FakePaymentProcessor.layer(script)` through the namespace import of the testing entry point. */
export const layer = FakePaymentProcessor.layer
