/**
 * The server on PostgreSQL, in-process (same App.layer as main):
 * - DATABASE_URL: data survives a restart, the banner names the database without its password, the webhook
 *   dedup is the database's;
 * - an unreachable DATABASE_URL is a clear start-up error within seconds;
 * - the database going away at run time answers 503 (Retry-After) and the server recovers when it is back;
 * - the default embedded PostgreSQL keeps its data under CHECKOUT_DATA_DIR across restarts, seeds once, and is
 *   stopped on shutdown.
 */
import { Embedded } from "@checkout-kit/store-postgres"
import { Scratch, TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Redacted, Scope } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { startApp } from "./Harness.ts"

const token = "polar_oat_demo_checkout_kit_local_only"
const product = "22222222-2222-4222-8222-000000000001"

const api = (url: string, path: string, init: RequestInit = {}) =>
  Effect.promise(() =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers }
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }))
      .then((r) => ({ ...r, toString: () => `${r.status} ${r.body.slice(0, 300)}` }))
  )

const createCheckout = (url: string) =>
  Effect.map(api(url, "/v1/checkouts/", { method: "POST", body: JSON.stringify({ products: [product] }) }), (r) => {
    assert.strictEqual(r.status, 201, r.body.slice(0, 300))
    return JSON.parse(r.body) as { id: string; client_secret: string }
  })

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("server on PostgreSQL", () => {
  it.live("DATABASE_URL: a checkout created before a restart is there after it; the banner names the store", () =>
    Effect.gen(function*() {
      const name = yield* TestDatabase.freshDatabase
      const env = { CHECKOUT_STORE: "postgres", DATABASE_URL: Redacted.value(TestDatabase.urlOf(name)) }
      const first = yield* startApp(env)
      const created = yield* createCheckout(first.url)
      const banner = first.printed.join("\n")
      assert.match(banner, /Store: PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/ck_/)
      assert.notInclude(banner, new URL(Redacted.value(TestDatabase.urlOf(name))).password)
      yield* Scope.close(first.scope, Exit.void)

      const second = yield* startApp(env)
      const again = yield* api(second.url, `/v1/checkouts/${created.id}`)
      assert.strictEqual(again.status, 200, String(again))
      assert.strictEqual(JSON.parse(again.body).client_secret, created.client_secret)
      yield* Scope.close(second.scope, Exit.void)
    }).pipe(Effect.scoped), 60_000)

  it.live("an unreachable DATABASE_URL stops the start within seconds with a message naming the database", () =>
    Effect.gen(function*() {
      const port = yield* Embedded.freePort
      const started = Date.now()
      const exit = yield* Effect.exit(startApp({ CHECKOUT_STORE: "postgres", DATABASE_URL: `postgres://shop:secret@127.0.0.1:${port}/checkout` }))
      const elapsed = Date.now() - started
      assert.isTrue(Exit.isFailure(exit))
      const message = Exit.isFailure(exit) ? String((exit.cause.reasons[0] as { error?: { message?: string } }).error?.message) : ""
      assert.include(message, `Cannot connect to PostgreSQL at postgres://shop@127.0.0.1:${port}/checkout`)
      assert.notInclude(message, "secret")
      assert.isBelow(elapsed, 10_000)
    }), 30_000)

  it.live("the database going away answers 503 with Retry-After, and the server recovers when it returns", () =>
    Effect.gen(function*() {
      const dataDir = Scratch.scratchDir("test-server-outage")
      const pg = yield* Embedded.start({ dataDir, ephemeralSettings: true })
      const app = yield* startApp({ CHECKOUT_STORE: "postgres", DATABASE_URL: Redacted.value(pg.url("postgres")) })
      const created = yield* createCheckout(app.url)
      yield* pg.stop
      const during = yield* api(app.url, `/v1/checkouts/${created.id}`)
      assert.strictEqual(during.status, 503, String(during))
      assert.strictEqual(during.headers.get("retry-after"), "1")
      assert.strictEqual(JSON.parse(during.body).error, "ServiceUnavailable")
      yield* pg.restart
      let after = yield* api(app.url, `/v1/checkouts/${created.id}`)
      for (let i = 0; i < 50 && after.status !== 200; i++) {
        yield* Effect.sleep(100)
        after = yield* api(app.url, `/v1/checkouts/${created.id}`)
      }
      assert.strictEqual(after.status, 200, String(after))
      yield* Scope.close(app.scope, Exit.void)
    }).pipe(Effect.scoped), 60_000)

  it.live("default embedded PostgreSQL: data kept under CHECKOUT_DATA_DIR across restarts, seeded once, stopped on shutdown", () =>
    Effect.gen(function*() {
      const dataDir = Scratch.scratchDir("test-server-embedded")
      const env = { CHECKOUT_STORE: "postgres", CHECKOUT_DATA_DIR: dataDir }
      const first = yield* startApp(env)
      assert.include(first.printed.join("\n"), `Store: embedded PostgreSQL, data in ${dataDir}`)
      const created = yield* createCheckout(first.url)
      const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0])
      assert.isTrue(alive(postmaster))
      yield* Scope.close(first.scope, Exit.void)
      assert.isFalse(alive(postmaster), "PostgreSQL stopped with the server")
      assert.isFalse(existsSync(`${dataDir}/postmaster.pid`))

      const second = yield* startApp(env)
      const again = yield* api(second.url, `/v1/checkouts/${created.id}`)
      assert.strictEqual(again.status, 200, String(again))
      // The demo link created on the first start is reused, not created again: the seed and demo data are loaded once.
      const links = yield* api(second.url, "/v1/checkout-links/")
      assert.strictEqual(JSON.parse(links.body).pagination.total_count, 1)
      yield* Scope.close(second.scope, Exit.void)
    }), 90_000)
})
