import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"

const get = (url: string) =>
  Effect.promise(async () => {
    const res = await fetch(url)
    return { status: res.status, body: await res.text() }
  })

describe("App", () => {
  it.live("serves /healthz, announces itself in TEST MODE, and closes its port on shutdown", () =>
    Effect.gen(function*() {
      const { logs, printed, ready, scope, url } = yield* startApp()
      const health = yield* get(`${url}/healthz`)
      assert.strictEqual(health.status, 200)
      assert.deepStrictEqual(JSON.parse(health.body), { status: "ok" })

      assert.isTrue(logs.some((l) => l.level === "Warn" && String(l.message).startsWith("TEST MODE")))
      assert.strictEqual(ready["baseUrl"], url)
      assert.strictEqual(ready["paymentProcessor"], "local-test-mode")
      assert.strictEqual(ready["accessToken"], "polar_oat_demo_checkout_kit_local_only")
      assert.match(String(ready["checkoutLinkUrl"]), new RegExp(`^${url}/v1/checkout-links/polar_cl_\\w+/redirect$`, "u"))
      assert.isAbove((ready["products"] as ReadonlyArray<unknown>).length, 0)
      const banner = printed.join("\n")
      assert.include(banner, `checkout-kit is ready at ${url}`)
      assert.include(banner, "TEST MODE")

      yield* Scope.close(scope, Exit.void)
      const after = yield* Effect.exit(Effect.tryPromise(() => fetch(`${url}/healthz`)))
      assert.isTrue(Exit.isFailure(after))
    }), { timeout: 20_000 })

  it.live("a bad seed file stops start-up with the seed's error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(startApp({ CHECKOUT_SEED_FILE: "/nonexistent/seed.json" }))
      assert.isTrue(Exit.isFailure(exit))
      assert.include(String(Exit.isFailure(exit) ? exit.cause : ""), "/nonexistent/seed.json")
    }), { timeout: 20_000 })
})
