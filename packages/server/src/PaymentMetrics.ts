/**
 * Payment metrics for OpenTelemetry export (wired by App.ts only when export is on, so they cost nothing off):
 * - `checkout.payment.attempts.in_flight` (gauge): processor confirm calls this process has open right now (a stuck
 *   processor shows as a gauge that does not come back to 0);
 * - `checkout.payment.attempts` (counter, by `outcome`: `succeeded`, `processing`, `requires_action`, `declined`,
 *   `unknown`): what the processor answered;
 * - `checkout.payment.attempts.pending` (gauge): confirmed checkouts whose payment outcome is not settled yet, across
 *   every process on the store (sampled every interval; counted up to `pendingCap`, so the cap means "at least").
 */
import { CheckoutRepository, PaymentProcessor } from "@checkout-kit/domain"
import { DateTime, Duration, Effect, Layer, Metric, Schedule } from "effect"

const inFlight = Metric.gauge("checkout.payment.attempts.in_flight", {
  description: "Processor confirm calls in flight in this process"
})
const attempts = Metric.counter("checkout.payment.attempts", {
  description: "Processor confirm calls by outcome",
  incremental: true
})
const pending = Metric.gauge("checkout.payment.attempts.pending", {
  description: "Confirmed checkouts awaiting their payment outcome (all processes)"
})

/** The sampled pending count stops at this many (one bounded read per interval). */
export const pendingCap = 1000

const outcomeName = (tag: string) => tag.replace(/(?<=[a-z])(?=[A-Z])/gu, "_").toLowerCase()

/** The processor, with its confirm calls counted (in flight, and by outcome). */
export const instrument = <E, R>(processor: Layer.Layer<PaymentProcessor, E, R>): Layer.Layer<PaymentProcessor, E, R> =>
  Layer.effect(
    PaymentProcessor,
    Effect.map(Effect.service(PaymentProcessor), (inner) =>
      PaymentProcessor.of({
        ...inner,
        confirm: (input) =>
          Effect.acquireUseRelease(
            Metric.modify(inFlight, 1),
            () =>
              Effect.tap(inner.confirm(input), (outcome) =>
                Metric.update(Metric.withAttributes(attempts, { outcome: outcomeName(outcome._tag) }), 1)),
            () => Metric.modify(inFlight, -1)
          )
      }))
  ).pipe(Layer.provide(processor))

/** Samples the confirmed-and-unsettled checkouts every `interval` while the layer lives; a failed sample is skipped. */
export const pendingSampler = (interval: Duration.Input): Layer.Layer<never, never, CheckoutRepository> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const repo = yield* CheckoutRepository
    const sample = Effect.flatMap(DateTime.now, (now) => repo.listConfirmed(now, pendingCap)).pipe(
      Effect.flatMap((list) => Metric.update(pending, list.length)),
      Effect.catchCause(() => Effect.void)
    )
    yield* Effect.forkScoped(Effect.repeat(sample, Schedule.spaced(interval)))
  }))
