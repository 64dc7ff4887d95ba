/**
 * Security headers over real HTTP against the whole application (demo seed): every response has
 * `X-Content-Type-Options: nosniff` and the reference's `Cache-Control: private, no-store`: every response of the
 * checkout API (org and client checkouts, checkout links, the link redirect, and their 401/404/413/422 errors), and
 * /healthz, /openapi.json, the docs page and unknown routes, which set no cache policy of their own.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"

interface Answer {
  readonly label: string
  readonly status: number
  readonly nosniff: string | null
  readonly cacheControl: string | null
  readonly json: any
}

const fixedProduct = "22222222-2222-4222-8222-000000000006"

describe("security headers", () => {
  it.live("nosniff and private, no-store on every response, checkout API errors included", () =>
    Effect.gen(function*() {
      const { ready, scope, url } = yield* startApp({ API_DOCS_PATH: "/docs" })
      const token = String(ready["accessToken"])
      const answers: Array<Answer> = []
      const call = (label: string, method: string, path: string, options: { auth?: boolean; body?: string } = {}) =>
        Effect.promise(async () => {
          const headers: Record<string, string> = {}
          if (options.auth !== false) headers["authorization"] = `Bearer ${token}`
          if (options.body !== undefined) headers["content-type"] = "application/json"
          const res = await fetch(`${url}${path}`, { method, headers, redirect: "manual", ...(options.body === undefined ? {} : { body: options.body }) })
          const text = await res.text()
          const answer: Answer = {
            label,
            status: res.status,
            nosniff: res.headers.get("x-content-type-options"),
            cacheControl: res.headers.get("cache-control"),
            json: res.headers.get("content-type")?.includes("json") && text !== "" ? JSON.parse(text) : text
          }
          answers.push(answer)
          return answer
        })

      // Org checkouts.
      const created = yield* call("org create", "POST", "/v1/checkouts/", { body: JSON.stringify({ products: [fixedProduct] }) })
      assert.strictEqual(created.status, 201)
      const id: string = created.json.id
      const secret: string = created.json.client_secret
      yield* call("org list", "GET", "/v1/checkouts/")
      yield* call("org get", "GET", `/v1/checkouts/${id}`)
      yield* call("org update", "PATCH", `/v1/checkouts/${id}`, { body: JSON.stringify({ metadata: { a: "b" } }) })
      // Client checkouts, answers and errors.
      yield* call("client get", "GET", `/v1/checkouts/client/${secret}`, { auth: false })
      yield* call("client update", "PATCH", `/v1/checkouts/client/${secret}`, {
        auth: false,
        body: JSON.stringify({ customer_email: "buyer@example.com" })
      })
      yield* call("client confirm", "POST", `/v1/checkouts/client/${secret}/confirm`, { auth: false, body: "{}" })
      yield* call("client 404", "GET", "/v1/checkouts/client/polar_c_unknown", { auth: false })
      yield* call("client 422 non-JSON", "PATCH", `/v1/checkouts/client/${secret}`, { auth: false, body: "[1]" })
      // Checkout links and the redirect (the Location carries a checkout's client secret).
      const link = yield* call("link create", "POST", "/v1/checkout-links/", {
        body: JSON.stringify({ payment_processor: "stripe", products: [fixedProduct] })
      })
      assert.strictEqual(link.status, 201)
      yield* call("link list", "GET", "/v1/checkout-links/")
      yield* call("link get", "GET", `/v1/checkout-links/${link.json.id}`)
      const redirect = yield* call("link redirect", "GET", `/v1/checkout-links/${link.json.client_secret}/redirect`, { auth: false })
      assert.include([302, 303, 307], redirect.status)
      // Org errors: 401, 404, 422.
      yield* call("org 401", "GET", "/v1/checkouts/", { auth: false })
      yield* call("org 404", "GET", "/v1/checkouts/00000000-0000-4000-8000-000000000000")
      yield* call("org 422", "POST", "/v1/checkouts/", { body: JSON.stringify({ products: "nope" }) })
      yield* call("link 404", "GET", "/v1/checkout-links/00000000-0000-4000-8000-000000000000")
      yield* call("org 413", "POST", "/v1/checkouts/", { body: JSON.stringify({ products: [fixedProduct], pad: "x".repeat(2 * 1024 * 1024) }) })

      const expectedStatus: Record<string, number> = {
        "org list": 200, "org get": 200, "org update": 200, "client get": 200, "client update": 200,
        "client confirm": 200, "client 404": 404, "client 422 non-JSON": 422, "link list": 200, "link get": 200,
        "org 401": 401, "org 404": 404, "org 422": 422, "link 404": 404, "org 413": 413
      }
      for (const answer of answers) {
        if (expectedStatus[answer.label] !== undefined) assert.strictEqual(answer.status, expectedStatus[answer.label], answer.label)
        assert.strictEqual(answer.nosniff, "nosniff", answer.label)
        assert.strictEqual(answer.cacheControl, "private, no-store", answer.label)
      }

      // Outside the checkout API: the same, since none of these sets its own cache policy.
      const health = yield* call("healthz", "GET", "/healthz", { auth: false })
      const openapi = yield* call("openapi", "GET", "/openapi.json", { auth: false })
      const docs = yield* call("docs", "GET", "/docs", { auth: false })
      const unknown = yield* call("unknown route", "GET", "/nope", { auth: false })
      assert.deepStrictEqual([health.status, openapi.status, docs.status, unknown.status], [200, 200, 200, 404])
      for (const answer of [health, openapi, docs, unknown]) {
        assert.strictEqual(answer.nosniff, "nosniff", answer.label)
        assert.strictEqual(answer.cacheControl, "private, no-store", answer.label)
      }
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 30_000 })
})
