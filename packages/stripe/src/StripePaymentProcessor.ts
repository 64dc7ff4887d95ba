/**
 * The domain's `PaymentProcessor` port on Stripe. Like the reference it upserts the Stripe Customer, reads the
 * ConfirmationToken preview, and confirms server-side in one call (a PaymentIntent, or a SetupIntent when nothing is
 * charged now, with `confirm=true`). Two deliberate differences from the reference (spec/stripe-adapter.md §1.4, §1.7):
 * the caller's business idempotency key is sent, so a resubmitted confirm replays instead of charging again, and a
 * lost answer (connection error, 5xx or 409 after the SDK's retries, 429) is `Unknown`, never a decline. A key Stripe
 * refuses (`idempotency_error`: used with other parameters; `idempotency_key_in_use` after retries) is an unknown
 * outcome too (another request under the key exists), flagged `keyConflict`: the buyer gets a clean 409 and the
 * reconciliation finds out. `lookup` reads an attempt back (by intent id, else the customer's intents carrying the
 * checkout id: a list, strongly consistent, unlike the search API); `refund` gives a PaymentIntent's money back under
 * the caller's key.
 */
import {
  type Address,
  type ConfirmationTokenPreview,
  type ConfirmInput,
  ConfirmOutcome,
  type CustomerInput,
  Errors,
  type LookupInput,
  type LookupOutcome,
  PaymentProcessor,
  type RefundInput,
  type RefundOutcome
} from "@checkout-kit/domain"
import { Data, Effect, Layer, Option, Schema } from "effect"
import Stripe from "stripe"
import { StripeClient, type StripeFailure } from "./StripeClient.ts"

// ---------------------------------------------------------------------------------------------------------------
// Classifying SDK errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * How a Stripe error bears on money:
 * - `Refused`: Stripe answered and nothing was charged by this call (402 card errors; 400/404 business refusals such
 *   as an expired token, a missing customer, an intent in an unexpected state, an amount below the minimum).
 * - `Indeterminate`: no definite answer; the call may have gone through. Retrying with the same key is safe.
 * - `Defect`: our bug or our configuration (bad parameters, wrong key, idempotency key reused with other parameters);
 *   nothing the buyer can act on.
 */
export type Classification = Data.TaggedEnum<{
  Refused: {
    readonly code: string | null
    readonly declineCode: string | null
    readonly message: string | null
    readonly param: string | null
  }
  Indeterminate: { readonly reason: string; readonly intentId: string | null; readonly keyConflict: boolean }
  Defect: { readonly reason: string }
}>
export const Classification = Data.taggedEnum<Classification>()

const nonEmpty = (s: string | null | undefined): string | null => (s === undefined || s === null || s === "" ? null : s)

const isParameterError = (code: string | null) =>
  code === null || code.startsWith("parameter_") || code === "parameters_exclusive"

const intentIdOf = (error: Stripe.errors.StripeError): string | null =>
  nonEmpty(error.payment_intent?.id) ?? nonEmpty(error.setup_intent?.id)

export const classify = (error: Stripe.errors.StripeError): Classification => {
  const code = nonEmpty(error.code)
  const describe = `${error.type}${error.statusCode === undefined ? "" : ` ${error.statusCode}`}: ${error.message}`
  if (error instanceof Stripe.errors.StripeCardError) {
    return Classification.Refused({
      code,
      declineCode: nonEmpty(error.decline_code),
      message: nonEmpty(error.message),
      param: nonEmpty(error.param)
    })
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError || code === "idempotency_key_in_use") {
    // Another request under this key exists (or is running): its outcome is ours to find out, not a defect.
    return Classification.Indeterminate({ reason: describe, intentId: intentIdOf(error), keyConflict: true })
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    return Classification.Indeterminate({ reason: `rate_limited: ${error.message}`, intentId: intentIdOf(error), keyConflict: false })
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    return isParameterError(code)
      ? Classification.Defect({ reason: describe })
      : Classification.Refused({
        code,
        declineCode: nonEmpty(error.decline_code),
        message: nonEmpty(error.message),
        param: nonEmpty(error.param)
      })
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return Classification.Defect({ reason: describe })
  }
  // StripeConnectionError, StripeAPIError (5xx, 409 after retries) and anything newer: the call may have run.
  return Classification.Indeterminate({ reason: describe, intentId: intentIdOf(error), keyConflict: false })
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding intent replies (an unknown status is a decode error, never a silent "pending")
// ---------------------------------------------------------------------------------------------------------------

const LastError = Schema.Struct({
  code: Schema.optional(Schema.NullOr(Schema.String)),
  decline_code: Schema.optional(Schema.NullOr(Schema.String)),
  message: Schema.optional(Schema.NullOr(Schema.String))
})

const IntentReply = Schema.Struct({
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
type IntentReply = typeof IntentReply.Type

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

const decodeIntent = (raw: unknown): Effect.Effect<ConfirmOutcome> =>
  Schema.decodeUnknownEffect(IntentReply)(raw).pipe(Effect.orDie, Effect.flatMap(outcomeOf))

/** States in which an intent holds (or will hold) the buyer's money: what a lookup looks for. */
const MONEY_STATES: ReadonlySet<string> = new Set(["succeeded", "processing", "requires_action", "requires_capture"])

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

const IntentList = Schema.Struct({
  data: Schema.Array(Schema.Struct({ ...IntentReply.fields, metadata: Schema.Record(Schema.String, Schema.String) }))
})

// ---------------------------------------------------------------------------------------------------------------
// Buyer-facing text
// ---------------------------------------------------------------------------------------------------------------

/**
 * The reference's `PaymentError` detail for a refused payment: "The payment failed: <Stripe message> Please try again
 * with a different payment method.", or without the message when Stripe gave none.
 */
export const declineMessage = (declined: { readonly message: string | null }): string =>
  declined.message === null || declined.message === ""
    ? "The payment failed. Please try again with a different payment method."
    : `The payment failed: ${declined.message} Please try again with a different payment method.`

// ---------------------------------------------------------------------------------------------------------------
// Request shapes
// ---------------------------------------------------------------------------------------------------------------

/** Stripe wants the bare subdivision code (`NY`); our addresses keep US/CA states prefixed (`US-NY`). */
export interface StripeAddress {
  readonly line1: string
  readonly line2: string
  readonly postal_code: string
  readonly city: string
  readonly state: string
  readonly country: string
}

/** Empty strings are Stripe's "unset" (the SDK sends `null` the same way). */
export const toStripeAddress = (address: Address.Address): StripeAddress => ({
  line1: address.line1 ?? "",
  line2: address.line2 ?? "",
  postal_code: address.postalCode ?? "",
  city: address.city ?? "",
  state: address.state === null ? "" : address.state.replace(/^[A-Z]{2}-/u, ""),
  country: address.country
})

/** The reference's tax id formats are Stripe's tax id types (`eu_vat`, `us_ein`, …). */
const stripeTaxIdType = /^[a-z]{2}_[a-z_]+$/u

const metadataOf = (input: ConfirmInput): Record<string, string> => ({
  type: "product",
  ...input.metadata,
  // The webhook side finds the checkout through these two keys; they are never left to chance.
  organization_id: input.organizationId,
  checkout_id: input.checkoutId
})

/** PaymentIntent parameters, exactly the reference's (spec/stripe-adapter.md §1.3, step 3a). */
export const paymentIntentParams = (input: ConfirmInput): Stripe.PaymentIntentCreateParams => ({
  amount: input.amount,
  currency: input.currency,
  automatic_payment_methods: { enabled: true },
  confirm: true,
  confirmation_token: input.confirmationTokenId,
  customer: input.processorCustomerId,
  ...(input.statementDescriptorSuffix === "" ? {} : { statement_descriptor_suffix: input.statementDescriptorSuffix }),
  description: input.description,
  metadata: metadataOf(input),
  return_url: input.returnUrl,
  expand: ["payment_method"],
  ...(input.setupFutureUsage ? { setup_future_usage: "off_session" as const } : {})
})

/** SetupIntent parameters: the PaymentIntent's minus amount, currency, descriptor and setup_future_usage (step 3b). */
export const setupIntentParams = (input: ConfirmInput): Stripe.SetupIntentCreateParams => ({
  automatic_payment_methods: { enabled: true },
  confirm: true,
  confirmation_token: input.confirmationTokenId,
  customer: input.processorCustomerId,
  description: input.description,
  metadata: metadataOf(input),
  return_url: input.returnUrl,
  expand: ["payment_method"]
})

// ---------------------------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------------------------

const unavailable = (failure: StripeFailure) => {
  const classified = classify(failure.error)
  return classified._tag === "Indeterminate"
    ? Effect.fail(new Errors.PaymentProcessorUnavailable({ reason: classified.reason }))
    : Effect.die(failure.error)
}

const refusedWith = (failure: StripeFailure, codes: ReadonlyArray<string>) =>
  failure.error instanceof Stripe.errors.StripeInvalidRequestError && codes.includes(failure.error.code ?? "")

/** A Stripe rejection of the tax id alone must not block the payment: the tax id is ours to validate (spec 3.5). */
const taxIdRejected = (failure: StripeFailure) =>
  failure.error instanceof Stripe.errors.StripeInvalidRequestError &&
  ((failure.error.param ?? "").startsWith("tax_id_data") || failure.error.code === "tax_id_invalid")

export const make = Effect.gen(function*() {
  const client = yield* StripeClient

  const upsertCustomer = Effect.fn("StripePaymentProcessor.upsertCustomer")(
    function*(input: CustomerInput) {
      const taxId = input.taxId !== null && stripeTaxIdType.test(input.taxId.format)
        ? { type: input.taxId.format as Stripe.CustomerCreateParams.TaxIdDatum.Type, value: input.taxId.number }
        : null
      const details = {
        email: input.email,
        ...(input.name === null ? {} : { name: input.name }),
        ...(input.address === null ? {} : { address: toStripeAddress(input.address) })
      }

      if (input.existingId !== null) {
        const existingId = input.existingId
        // A customer deleted on Stripe's side (or another Stripe account) is recreated rather than failing the checkout.
        const updated = yield* client.call((sdk) => sdk.customers.update(existingId, { ...details, expand: ["tax_ids"] }))
          .pipe(
            Effect.map(Option.some),
            Effect.catchIf((f) => refusedWith(f, ["resource_missing"]), () => Effect.succeedNone)
          )
        if (Option.isSome(updated)) {
          const customer = updated.value
          const attached = customer.tax_ids?.data.some((t) => t.type === taxId?.type && t.value === taxId?.value) ??
            false
          if (taxId !== null && !attached) {
            yield* client.call((sdk) => sdk.customers.createTaxId(customer.id, taxId)).pipe(
              Effect.asVoid,
              Effect.catchIf(
                (f) => refusedWith(f, ["resource_already_exists"]) || taxIdRejected(f),
                () => Effect.void
              )
            )
          }
          return { processorCustomerId: customer.id }
        }
      }

      const created = yield* client.call((sdk) =>
        sdk.customers.create({ ...details, ...(taxId === null ? {} : { tax_id_data: [taxId] }) })
      ).pipe(
        Effect.catchIf(
          (f) => taxId !== null && taxIdRejected(f),
          () => client.call((sdk) => sdk.customers.create(details))
        )
      )
      return { processorCustomerId: created.id }
    },
    Effect.catchTag("StripeFailure", unavailable)
  )

  const getConfirmationTokenPreview = Effect.fn("StripePaymentProcessor.getConfirmationTokenPreview")(
    function*(tokenId: string) {
      const token = yield* client.call((sdk) => sdk.confirmationTokens.retrieve(tokenId))
      const preview = token.payment_method_preview
      return Option.some<ConfirmationTokenPreview>({
        billingName: nonEmpty(preview?.billing_details?.name),
        cardFingerprint: nonEmpty(preview?.card?.fingerprint)
      })
    },
    // The reference ignores every error here: the preview only fills a missing name or a per-card limit.
    Effect.catchTag("StripeFailure", () => Effect.succeedNone)
  )

  const confirm = Effect.fn("StripePaymentProcessor.confirm")(
    function*(input: ConfirmInput) {
      const options = { idempotencyKey: input.idempotencyKey }
      const raw = input.kind === "payment"
        ? yield* client.call((sdk) => sdk.paymentIntents.create(paymentIntentParams(input), options))
        : yield* client.call((sdk) => sdk.setupIntents.create(setupIntentParams(input), options))
      return yield* decodeIntent(raw)
    },
    Effect.catchTag("StripeFailure", (failure): Effect.Effect<ConfirmOutcome> => {
      const classified = classify(failure.error)
      switch (classified._tag) {
        case "Refused":
          return Effect.succeed(ConfirmOutcome.Declined({
            code: classified.code,
            declineCode: classified.declineCode,
            message: classified.message
          }))
        case "Indeterminate":
          return Effect.logWarning("Stripe confirm outcome unknown; retry with the same idempotency key").pipe(
            Effect.annotateLogs({ reason: classified.reason }),
            Effect.as(ConfirmOutcome.Unknown({
              reason: classified.reason,
              intentId: classified.intentId,
              ...(classified.keyConflict ? { keyConflict: true } : {})
            }))
          )
        case "Defect":
          return Effect.die(failure.error)
      }
    })
  )

  const lookup = Effect.fn("StripePaymentProcessor.lookup")(
    function*(input: LookupInput) {
      const intentId = input.intentId
      if (intentId !== null) {
        const raw = intentId.startsWith("seti_")
          ? yield* client.call((sdk) => sdk.setupIntents.retrieve(intentId))
          : yield* client.call((sdk) => sdk.paymentIntents.retrieve(intentId))
        return lookupOutcomeOf(yield* Schema.decodeUnknownEffect(IntentReply)(raw).pipe(Effect.orDie))
      }
      const customer = input.processorCustomerId
      if (customer === null || customer === "") return { _tag: "NotFound" } as const
      const raw = input.kind === "setup"
        ? yield* client.call((sdk) => sdk.setupIntents.list({ customer, limit: 100 }))
        : yield* client.call((sdk) => sdk.paymentIntents.list({ customer, limit: 100 }))
      const list = yield* Schema.decodeUnknownEffect(IntentList)(raw).pipe(Effect.orDie)
      // Newest first; an earlier attempt of the same checkout was definitely refused, so only money counts.
      const found = list.data.find((i) => i.metadata["checkout_id"] === input.checkoutId && MONEY_STATES.has(i.status))
      return found === undefined ? { _tag: "NotFound" } as const : lookupOutcomeOf(found)
    },
    Effect.catchTag("StripeFailure", (failure): Effect.Effect<LookupOutcome> => {
      if (refusedWith(failure, ["resource_missing"])) return Effect.succeed({ _tag: "NotFound" })
      const classified = classify(failure.error)
      return classified._tag === "Defect"
        ? Effect.die(failure.error)
        : Effect.succeed(ConfirmOutcome.Unknown({ reason: `lookup: ${failure.error.message}`, intentId: null }))
    })
  )

  const refund = Effect.fn("StripePaymentProcessor.refund")(
    function*(input: RefundInput) {
      // A SetupIntent moved no money.
      if (input.intentId.startsWith("seti_")) return { _tag: "Nothing" } satisfies RefundOutcome as RefundOutcome
      const created = yield* client.call((sdk) =>
        sdk.refunds.create(
          {
            payment_intent: input.intentId,
            reason: "duplicate",
            metadata: { checkout_id: input.checkoutId, checkout_refund_reason: input.reason }
          },
          { idempotencyKey: input.idempotencyKey }
        )
      )
      return { _tag: "Refunded", refundId: created.id, amount: created.amount } satisfies RefundOutcome as RefundOutcome
    },
    Effect.catchTag("StripeFailure", (failure): Effect.Effect<RefundOutcome, Errors.PaymentProcessorUnavailable> => {
      // No successful payment on the intent, or already given back: nothing (more) to refund.
      if (refusedWith(failure, ["charge_not_refundable", "charge_already_refunded", "resource_missing"])) {
        return Effect.succeed({ _tag: "Nothing" })
      }
      return unavailable(failure)
    })
  )

  return PaymentProcessor.of({
    upsertCustomer,
    getConfirmationTokenPreview,
    confirm,
    lookup,
    refund,
    publishableKey: client.publishableKey
  })
})

/** `PaymentProcessor` on the `StripeClient` in context. */
export const layer: Layer.Layer<PaymentProcessor, never, StripeClient> = Layer.effect(PaymentProcessor, make)
