/**
 * The delivery worker. Each pass: relay committed outbox events into webhook events (`WebhookQueue.relay`), claim
 * due ones (leased, oldest pending per checkout and endpoint), send them concurrently (signed, safe target, timeout),
 * and record every attempt with its outcome: delivered on 2xx; otherwise retried after an exponential delay with
 * jitter (`WebhookEndpoint.retryDelay`), or given up after `retry.maxAttempts`. The body is rendered once, at the
 * first attempt, and stored with the event: retries and redeliveries send the same bytes under the same
 * `webhook-id`. A crash or shutdown mid-send records nothing; the lease expires and another pass sends it again
 * (at-least-once: receivers dedupe on `webhook-id`).
 */
import { type Claimed, type Outcome, WebhookEndpoint, WebhookQueue } from "@checkout-kit/domain"
import { randomUUID } from "node:crypto"
import { Clock, Context, DateTime, Duration, Effect, Layer, Random } from "effect"
import * as DeliveryMetrics from "./DeliveryMetrics.ts"
import * as Signing from "./Signing.ts"
import * as Target from "./Target.ts"

/** Renders the JSON body of a webhook event (the composition root wires it to the HTTP API's checkout encoding). */
export class Payloads extends Context.Service<Payloads, {
  readonly render: (claimed: Claimed) => Effect.Effect<string>
}>()("@checkout-kit/webhooks/Payloads") {}

export interface Options {
  /** Pause between passes that found nothing to do (default 100 ms). */
  readonly pollIntervalMs?: number
  /** Events claimed per pass (default 100). */
  readonly batchSize?: number
  /** Sends in flight at once per worker (default 16). */
  readonly concurrency?: number
  /** Deadline of one attempt: connect, send, read (default 10 s). */
  readonly timeoutMs?: number
  /** Response bytes kept and read at most (default 4 KiB). */
  readonly maxResponseBytes?: number
  /** How long a claim lasts before another worker may take it over (default 3 x timeout + 5 s). */
  readonly leaseMs?: number
  readonly retry?: WebhookEndpoint.RetryPolicy
  /** Consecutive failed attempts that disable an endpoint (default 20). */
  readonly disableAfterFailures?: number
  /** `WEBHOOKS_ALLOW_PRIVATE_TARGETS`. */
  readonly allowPrivateTargets?: boolean
}

export type Resolved = Required<Options>

export const resolve = (options: Options = {}): Resolved => {
  const timeoutMs = options.timeoutMs ?? 10_000
  return {
    pollIntervalMs: options.pollIntervalMs ?? 100,
    batchSize: options.batchSize ?? 100,
    concurrency: options.concurrency ?? 16,
    timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? 4096,
    leaseMs: options.leaseMs ?? timeoutMs * 3 + 5_000,
    retry: options.retry ?? WebhookEndpoint.defaultRetryPolicy,
    disableAfterFailures: options.disableAfterFailures ?? 20,
    allowPrivateTargets: options.allowPrivateTargets ?? false
  }
}

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300

/** One attempt of one claimed event, recorded. */
const attempt = (options: Resolved, claimed: Claimed) =>
  Effect.gen(function*() {
    const queue = yield* WebhookQueue
    const payloads = yield* Payloads
    const body = claimed.event.payload ?? (yield* payloads.render(claimed))
    const startedAt = yield* Clock.currentTimeMillis
    const headers = Signing.sign(claimed.endpoint.secret, claimed.event.id, new Date(startedAt), body)
    const result = yield* Effect.promise((signal) => Target.send(claimed.endpoint.url, { ...headers }, body, options, signal))
    const now = yield* Clock.currentTimeMillis
    const succeeded = isSuccess(result.status)
    let outcome: Outcome
    if (succeeded) outcome = { _tag: "Delivered" }
    else {
      const delay = WebhookEndpoint.retryDelay(options.retry, claimed.attempt, yield* Random.next)
      outcome = delay === null ? { _tag: "GiveUp" } : { _tag: "Retry", at: now + delay }
    }
    yield* queue.complete({
      claimed,
      payload: body,
      delivery: {
        id: randomUUID(),
        eventId: claimed.event.id,
        endpointId: claimed.endpoint.id,
        succeeded,
        httpCode: result.status,
        response: result.response.slice(0, options.maxResponseBytes),
        durationMs: result.durationMs,
        createdAt: DateTime.makeUnsafe(startedAt)
      },
      outcome,
      disableAfterFailures: options.disableAfterFailures
    }, now)
    yield* DeliveryMetrics.record(outcome)
    if (!succeeded) {
      yield* Effect.logDebug("webhook attempt failed").pipe(
        Effect.annotateLogs({ event: claimed.event.id, endpoint: claimed.endpoint.id, attempt: claimed.attempt, status: result.status })
      )
    }
  }).pipe(Effect.withSpan("Webhooks.attempt"))

/** One pass; returns how many outbox events were relayed plus attempts made (0: nothing to do). */
export const runOnce = (options: Resolved): Effect.Effect<number, never, WebhookQueue | Payloads> =>
  Effect.gen(function*() {
    const queue = yield* WebhookQueue
    const relayed = yield* queue.relay(options.batchSize * 10)
    const now = yield* Clock.currentTimeMillis
    const claimed = yield* queue.claim({ now, limit: options.batchSize, leaseMs: options.leaseMs })
    yield* Effect.forEach(claimed, (c) => attempt(options, c), { concurrency: options.concurrency, discard: true })
    return relayed + claimed.length
  })

/** Passes until nothing is left to do now (tests, benchmarks). */
export const drain = (options: Resolved): Effect.Effect<void, never, WebhookQueue | Payloads> =>
  Effect.flatMap(runOnce(options), (n) => n === 0 ? Effect.void : drain(options))

/** The worker loop: passes back to back while there is work, `pollIntervalMs` apart when idle. Never fails. */
export const loop = (options: Resolved): Effect.Effect<never, never, WebhookQueue | Payloads> =>
  Effect.forever(
    runOnce(options).pipe(
      Effect.catchCause((cause) => Effect.as(Effect.logError("webhook worker pass failed", cause), 0)),
      Effect.flatMap((n) => n === 0 ? Effect.sleep(Duration.millis(options.pollIntervalMs)) : Effect.yieldNow)
    )
  )

/** Runs `loop` for the lifetime of the layer (stopped, not awaited, when it is released). */
export const layer = (options: Options = {}): Layer.Layer<never, never, WebhookQueue | Payloads> =>
  Layer.effectDiscard(Effect.forkScoped(loop(resolve(options))))
