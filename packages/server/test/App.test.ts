import { assert, describe, it } from "@effect/vitest"
import { Seed } from "@checkout-kit/http-api"
import { Effect, Exit, Fiber, Scope } from "effect"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
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
      assert.strictEqual((yield* get(`${url}/docs`)).status, 404)

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

  it.live("PUBLIC_BASE_URL is the base of checkout and link URLs; CHECKOUT_TTL_SECONDS sets the lifetime", () =>
    Effect.gen(function*() {
      const { ready, scope, url } = yield* startApp({
        PUBLIC_BASE_URL: "https://pay.example.com/",
        CHECKOUT_TTL_SECONDS: "600",
        API_DOCS_PATH: "/docs"
      })
      assert.strictEqual((yield* get(`${url}/docs`)).status, 200)
      assert.strictEqual((yield* get(`${url}/openapi.json`)).status, 200)
      assert.match(String(ready["checkoutLinkUrl"]), /^https:\/\/pay\.example\.com\/v1\/checkout-links\/polar_cl_\w+\/redirect$/u)
      const created = yield* Effect.promise(async () => {
        const res = await fetch(`${url}/v1/checkouts/`, {
          method: "POST",
          headers: { authorization: `Bearer ${String(ready["accessToken"])}`, "content-type": "application/json" },
          body: JSON.stringify({ products: ["22222222-2222-4222-8222-000000000006"] })
        })
        return { status: res.status, body: await res.json() as { url: string; created_at: string; expires_at: string } }
      })
      assert.strictEqual(created.status, 201)
      assert.match(created.body.url, /^https:\/\/pay\.example\.com\/checkout\/polar_c_\w+$/u)
      assert.strictEqual(Date.parse(created.body.expires_at) - Date.parse(created.body.created_at), 600_000)
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 20_000 })

  it.live("a bad seed file stops start-up with the seed's error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(startApp({ CHECKOUT_SEED_FILE: "/nonexistent/seed.json" }))
      assert.isTrue(Exit.isFailure(exit))
      assert.include(String(Exit.isFailure(exit) ? exit.cause : ""), "/nonexistent/seed.json")
    }), { timeout: 20_000 })
})

describe("App start-up", () => {
  it.live("answers 503 (never hangs) while the seed is still loading, then serves", () =>
    Effect.gen(function*() {
      // A named pipe as the seed file: reading it blocks until the test writes the seed, which holds start-up open.
      const dir = mkdtempSync(join(tmpdir(), "checkout-kit-seed-"))
      const fifo = join(dir, "seed.json")
      execFileSync("mkfifo", [fifo])
      const port = yield* Effect.promise(() =>
        new Promise<number>((resolve) => {
          const probe = createServer().listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as AddressInfo
            probe.close(() => resolve(port))
          })
        })
      )
      const starting = yield* Effect.forkChild(startApp({ PORT: String(port), CHECKOUT_SEED_FILE: fifo }))
      const early = yield* Effect.promise(async () => {
        for (let attempt = 0; attempt < 100; attempt++) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })
            return { status: res.status, retryAfter: res.headers.get("retry-after"), nosniff: res.headers.get("x-content-type-options") }
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
        }
        return { status: 0, retryAfter: null, nosniff: null }
      })
      assert.deepStrictEqual(early, { status: 503, retryAfter: "1", nosniff: "nosniff" })

      writeFileSync(fifo, readFileSync(Seed.demoSeedPath))
      const started = yield* Fiber.join(starting)
      assert.strictEqual((yield* get(`${started.url}/healthz`)).status, 200)
      yield* Scope.close(started.scope, Exit.void)
      rmSync(dir, { recursive: true, force: true })
    }), { timeout: 20_000 })
})
