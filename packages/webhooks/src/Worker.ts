/**
 * The delivery worker. Each pass: relay committed outbox events into webhook events (`WebhookQueue.relay`), claim
 * due ones (leased, oldest pending per checkout and endpoint), send them concurrently (signed, safe target, timeout),
 * and record every attempt with its outcome: delivered on 2xx; otherwise retried after an exponential delay with
 * jitter (`WebhookEndpoint.retryDelay`), or given up after `retry.maxAttempts`. The body is rendered once, at the
 * first attempt, and stored with the event: retries and redeliveries send the same bytes under the same
 * `webhook-id`. A crash mid-send records nothing; the lease expires and another pass sends it again
 * (at-least-once: receivers dedupe on `webhook-id`).
 *
 * Graceful shutdown (`layer` released, e.g. on SIGTERM): the worker stops claiming at once, lets the sends in flight
 * finish and be recorded for up to `shutdownGraceMs`, then interrupts what is left and releases those claims
 * (`WebhookQueue.release`) so that another process sends them at once instead of after the lease. Connections are
 * kept alive in one pool per worker (`Target.makeAgents`), closed at shutdown.
 */
import { type Claimed, type Outcome, WebhookEndpoint, WebhookQueue } from "@checkout-kit/domain"
import { randomUUID } from "node:crypto"
import { Clock, Context, DateTime, Deferred, Duration, Effect, Fiber, Layer, Random } from "effect"
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
  /** At shutdown, how long sends in flight may take to finish before they are interrupted and released (default 5 s). */
  readonly shutdownGraceMs?: number
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
    allowPrivateTargets: options.allowPrivateTargets ?? false,
    shutdownGraceMs: options.shutdownGraceMs ?? 5_000
  }
}

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300

/** One attempt of one claimed event, recorded; interrupted before it is recorded, the claim is released. */
const attempt = (options: Resolved, claimed: Claimed, agents: Target.Agents | undefined) =>
  Effect.gen(function*() {
    const queue = yield* WebhookQueue
    const payloads = yield* Payloads
    const body = claimed.event.payload ?? (yield* payloads.render(claimed))
    const startedAt = yield* Clock.currentTimeMillis
    const headers = Signing.sign(claimed.endpoint.secret, claimed.event.id, new Date(startedAt), body)
    const result = yield* Effect.promise((signal) => Target.send(claimed.endpoint.url, { ...headers }, body, options, signal, agents))
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
  }).pipe(
    Effect.onInterrupt(() => WebhookQueue.use((queue) => queue.release(claimed))),
    Effect.withSpan("Webhooks.attempt")
  )

/** One pass; returns how many outbox events were relayed plus attempts made (0: nothing to do). */
export const runOnce = (options: Resolved, agents?: Target.Agents): Effect.Effect<number, never, WebhookQueue | Payloads> =>
  Effect.gen(function*() {
    const queue = yield* WebhookQueue
    const relayed = yield* queue.relay(options.batchSize * 10)
    const now = yield* Clock.currentTimeMillis
    const claimed = yield* queue.claim({ now, limit: options.batchSize, leaseMs: options.leaseMs })
    yield* Effect.forEach(claimed, (c) => attempt(options, c, agents), { concurrency: options.concurrency, discard: true })
    return relayed + claimed.length
  })

/** Passes until nothing is left to do now (tests, benchmarks). */
export const drain = (options: Resolved, agents?: Target.Agents): Effect.Effect<void, never, WebhookQueue | Payloads> =>
  Effect.flatMap(runOnce(options, agents), (n) => n === 0 ? Effect.void : drain(options, agents))

/**
 * The worker loop: passes back to back while there is work, `pollIntervalMs` apart when idle, until `stop` is
 * done (then it returns after the pass in progress). Never fails.
 */
export const loop = (
  options: Resolved,
  agents?: Target.Agents,
  stop?: Deferred.Deferred<void>
): Effect.Effect<void, never, WebhookQueue | Payloads> =>
  Effect.gen(function*() {
    while (stop === undefined || !(yield* Deferred.isDone(stop))) {
      const n = yield* runOnce(options, agents).pipe(
        Effect.catchCause((cause) => Effect.as(Effect.logError("webhook worker pass failed", cause), 0))
      )
      if (n > 0) yield* Effect.yieldNow
      else if (stop === undefined) yield* Effect.sleep(Duration.millis(options.pollIntervalMs))
      else yield* Effect.raceFirst(Effect.sleep(Duration.millis(options.pollIntervalMs)), Deferred.await(stop))
    }
  })

/**
 * Runs `loop` for the lifetime of the layer, with one keep-alive connection pool. Released (shutdown): no new
 * claims; sends in flight get `shutdownGraceMs` to finish and be recorded, then are interrupted and their claims
 * released; the pool is closed.
 */
export const layer = (options: Options = {}): Layer.Layer<never, never, WebhookQueue | Payloads> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const resolved = resolve(options)
    const agents = yield* Effect.acquireRelease(
      Effect.sync(() => Target.makeAgents(resolved.concurrency)),
      (a) => Effect.sync(() => a.destroy())
    )
    const stop = yield* Deferred.make<void>()
    const fiber = yield* Effect.forkScoped(loop(resolved, agents, stop))
    // Added after the fork, so it runs before the scope interrupts the fiber.
    yield* Effect.addFinalizer(() =>
      Deferred.succeed(stop, undefined).pipe(
        Effect.andThen(Effect.timeoutOption(Fiber.await(fiber), Duration.millis(resolved.shutdownGraceMs))),
        Effect.flatMap((finished) =>
          finished._tag === "Some"
            ? Effect.void
            : Effect.andThen(
              Effect.logWarning("webhook sends still in flight after the shutdown grace period: interrupted, claims released"),
              Fiber.interrupt(fiber)
            )
        )
      )
    )
  }))
