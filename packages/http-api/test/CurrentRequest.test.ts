/**
 * `internal/CurrentRequest.withRequest`: the global middlewares' one-step read of the request being served.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import { HttpServerRequest } from "effect/http"
import { withRequest } from "../src/internal/CurrentRequest.ts"

const request = HttpServerRequest.fromWeb(new Request("http://localhost/v1/checkouts/?limit=2", { method: "POST" }))

describe("withRequest", () => {
  it.effect("hands the request in the fiber's context to the function, whose effect it runs", () =>
    Effect.gen(function*() {
      const seen = yield* withRequest((r) => Effect.succeed([r, r.method, r.url] as const)).pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, request)
      )
      expect(seen[0]).toBe(request)
      expect(seen.slice(1)).toEqual(["POST", "/v1/checkouts/?limit=2"])
      const failed = yield* Effect.exit(
        withRequest(() => Effect.fail("refused")).pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, request))
      )
      expect(failed).toEqual(Exit.fail("refused"))
    }))

  it.effect("dies outside a request, as Effect.service does", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(withRequest(() => Effect.succeed("unreachable")))
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
    }))
})
