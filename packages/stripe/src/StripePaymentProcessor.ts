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
import { Effect, Layer, Option, Schema } from "effect"
import Stripe from "stripe"
import { classify, nonEmpty } from "./internal/classify.ts"
import { decodeIntent, IntentList, IntentReply, lookupOutcomeOf, MONEY_STATES } from "./internal/intents.ts"
import { paymentIntentParams, setupIntentParams, stripeTaxIdType, toStripeAddress } from "./internal/requests.ts"
import { StripeClient, type StripeFailure } from "./StripeClient.ts"

export { Classification, classify } from "./internal/classify.ts"
export { lookupOutcomeOf, outcomeOf, UnexpectedIntentState } from "./internal/intents.ts"
export { declineMessage, paymentIntentParams, setupIntentParams, type StripeAddress, toStripeAddress } from "./internal/requests.ts"

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
