/**
 * Readiness, for load balancers and orchestrators: `GET /readyz` is 200 `{"status":"ready"}` only when start-up has
 * finished (seed, demo link, banner) and the store can serve (PostgreSQL reachable and migrated to this build's
 * latest migration; the memory store always can), else 503 `{"status":"not ready","reason":...}` with
 * `Retry-After`. It turns 503 again as soon as shutdown begins, so traffic drains before the port closes.
 * `/healthz` stays liveness: the process answers.
 */
import { Context, Effect, Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"

/** The store's side: `undefined` when it can serve, else why not. */
export class StoreReadiness extends Context.Service<StoreReadiness, {
  readonly check: Effect.Effect<string | undefined>
}>()("@checkout-kit/server/StoreReadiness") {
  static readonly always: Layer.Layer<StoreReadiness> = Layer.succeed(StoreReadiness, { check: Effect.succeed(undefined) })
}

/** The process's side: flipped on when start-up is done, off when shutdown begins. */
export interface Phase {
  started: boolean
}

export const makePhase = (): Phase => ({ started: false })

const notReady = (reason: string) =>
  HttpServerResponse.jsonUnsafe({ status: "not ready", reason }, { status: 503, headers: { "retry-after": "1" } })
const ready = HttpServerResponse.jsonUnsafe({ status: "ready" })

/** GET /readyz. */
export const route = (phase: Phase) =>
  HttpRouter.add(
    "GET",
    "/readyz",
    Effect.gen(function*() {
      if (!phase.started) return notReady("starting or shutting down")
      const store = yield* StoreReadiness
      const reason = yield* store.check
      return reason === undefined ? ready : notReady(reason)
    })
  )
