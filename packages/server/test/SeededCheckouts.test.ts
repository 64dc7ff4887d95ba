/**
 * The demo seed's expired checkout over real HTTP: 410 `ExpiredCheckoutError` on every client endpoint, 200 with
 * status `expired` on the org get, and listed in the start-up banner with its client URL.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"

const expiredId = "99999999-9999-4999-8999-000000000001"
const expiredSecret = "polar_c_demoExpiredCheckout0000000000000000004Fyv4o"

describe("seeded checkouts over HTTP", () => {
  it.live("the demo seed's expired checkout: 410 on the client endpoints, 200 expired on the org get, in the banner", () =>
    Effect.gen(function*() {
      const { printed, ready, scope, url } = yield* startApp()
      const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
        Effect.promise(async () => {
          const headers: Record<string, string> = {}
          if (options.token !== undefined) headers["authorization"] = `Bearer ${options.token}`
          if (options.body !== undefined) headers["content-type"] = "application/json"
          const res = await fetch(`${url}${path}`, {
            method,
            headers,
            ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
          })
          return { status: res.status, json: await res.json() as Record<string, unknown> }
        })
      const client = `/v1/checkouts/client/${expiredSecret}`
      for (
        const [method, path, body] of [
          ["GET", client, undefined],
          ["PATCH", client, { customer_name: "Late Buyer" }],
          ["POST", `${client}/confirm`, { confirmation_token_id: "tok_visa" }]
        ] as const
      ) {
        const answer = yield* call(method, path, { body })
        assert.strictEqual(answer.status, 410, `${method} ${path}`)
        assert.deepStrictEqual(answer.json, { error: "ExpiredCheckoutError", detail: "This checkout session has expired." })
      }
      const org = yield* call("GET", `/v1/checkouts/${expiredId}`, { token: String(ready["accessToken"]) })
      assert.strictEqual(org.status, 200)
      assert.include(org.json, { id: expiredId, status: "expired", client_secret: expiredSecret, amount: 1000, currency: "usd" })
      // Nothing changed it: the refused PATCH did not store the name.
      assert.isNull(org.json["customer_name"])

      const banner = printed.join("\n")
      assert.include(banner, `  Seeded checkouts:\n    ${expiredId}  expired  ${url}${client}`)
      // The structured log names the checkout without its secret.
      assert.deepStrictEqual(ready["checkouts"], [{ id: expiredId, status: "expired" }])
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 30_000 })
})
