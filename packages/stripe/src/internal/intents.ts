/**
 * Stripe's intent replies decoded and mapped to the domain's outcomes, exhaustively (an unknown status is a decode
 * error, never a silent "pending"): what a confirm answers and what a lookup reads back. Re-exported by
 * StripePaymentProcessor.
 */
import { ConfirmOutcome, type LookupOutcome } from "@checkout-kit/domain"
import { Data, Effect, Schema } from "effect"
import { nonEmpty } from "./classify.ts"

const LastError = Schema.Struct({
  code: Schema.optional(Schema.NullOr(Schema.String)),
  decline_code: Schema.optional(Schema.NullOr(Schema.String)),
  message: Schema.optional(Schema.NullOr(Schema.String))
})

export const IntentReply = Schema.Struct({
  id: Schema.String,
  client_secret: Schema.String,
  status: Schema.Literals([
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "requires_capture",
    "canceled",
    "succeeded"
  ]),
  last_payment_error: Schema.optional(Schema.NullOr(LastError)),
  last_setup_error: Schema.optional(Schema.NullOr(LastError))
})
export type IntentReply = typeof IntentReply.Type

/** A confirmed intent in a state our confirm call can never legitimately produce (manual capture, canceled…). */
export class UnexpectedIntentState extends Data.TaggedError("UnexpectedIntentState")<{
  readonly intentId: string
  readonly status: string
}> {}

/** Maps a decoded intent to the outcome, exhaustively (no default branch). */
export const outcomeOf = (reply: IntentReply): Effect.Effect<ConfirmOutcome> => {
  const intent = { intentId: reply.id, clientSecret: reply.client_secret, intentStatus: reply.status }
  switch (reply.status) {
    case "succeeded":
      return Effect.succeed(ConfirmOutcome.Succeeded(intent))
    case "processing":
      return Effect.succeed(ConfirmOutcome.Processing(intent))
    case "requires_action":
      return Effect.succeed(ConfirmOutcome.RequiresAction(intent))
    case "requires_payment_method": {
      // Some methods fail synchronously with a 200 rather than a 402; the intent carries the refusal.
      const error = reply.last_payment_error ?? reply.last_setup_error ?? null
      return Effect.succeed(ConfirmOutcome.Declined({
        code: nonEmpty(error?.code),
        declineCode: nonEmpty(error?.decline_code),
        message: nonEmpty(error?.message)
      }))
    }
    case "requires_confirmation":
    case "requires_capture":
    case "canceled":
      return Effect.die(new UnexpectedIntentState({ intentId: reply.id, status: reply.status }))
  }
}

export const decodeIntent = (raw: unknown): Effect.Effect<ConfirmOutcome> =>
  Schema.decodeUnknownEffect(IntentReply)(raw).pipe(Effect.orDie, Effect.flatMap(outcomeOf))

/** States in which an intent holds (or will hold) the buyer's money: what a lookup looks for. */
export const MONEY_STATES: ReadonlySet<string> = new Set(["succeeded", "processing", "requires_action", "requires_capture"])

/**
 * An intent read back (reconciliation): as a confirm would have answered, except that states a confirm never
 * produces are mapped instead of being defects: canceled is a refusal, manual capture is pending.
 */
export const lookupOutcomeOf = (reply: IntentReply): LookupOutcome => {
  const intent = { intentId: reply.id, clientSecret: reply.client_secret, intentStatus: reply.status }
  switch (reply.status) {
    case "succeeded":
      return ConfirmOutcome.Succeeded(intent)
    case "processing":
    case "requires_capture":
      return ConfirmOutcome.Processing(intent)
    case "requires_action":
    case "requires_confirmation":
      return ConfirmOutcome.RequiresAction(intent)
    case "requires_payment_method":
    case "canceled": {
      const error = reply.last_payment_error ?? reply.last_setup_error ?? null
      return ConfirmOutcome.Declined({
        code: nonEmpty(error?.code),
        declineCode: nonEmpty(error?.decline_code),
        message: nonEmpty(error?.message) ?? `intent ${reply.status}`
      })
    }
  }
}

export const IntentList = Schema.Struct({
  data: Schema.Array(Schema.Struct({ ...IntentReply.fields, metadata: Schema.Record(Schema.String, Schema.String) }))
})
