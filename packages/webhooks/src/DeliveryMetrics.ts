/**
 * Webhook delivery metrics (exported when the server's OpenTelemetry export is on; plain counters otherwise):
 * `webhook.deliveries` counts every attempt by `result` (`delivered`, `failed`), and `webhook.delivery.failures`
 * counts failed attempts by what happens next (`next`: `retry`, `give_up`).
 */
import type { Outcome } from "@checkout-kit/domain"
import { Effect, Metric } from "effect"

const deliveries = Metric.counter("webhook.deliveries", { description: "Webhook delivery attempts by result", incremental: true })
const failures = Metric.counter("webhook.delivery.failures", {
  description: "Failed webhook delivery attempts by what happens next",
  incremental: true
})

/** Counts one recorded attempt. */
export const record = (outcome: Outcome): Effect.Effect<void> =>
  outcome._tag === "Delivered"
    ? Metric.update(Metric.withAttributes(deliveries, { result: "delivered" }), 1)
    : Effect.andThen(
      Metric.update(Metric.withAttributes(deliveries, { result: "failed" }), 1),
      Metric.update(Metric.withAttributes(failures, { next: outcome._tag === "Retry" ? "retry" : "give_up" }), 1)
    )
