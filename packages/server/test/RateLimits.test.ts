/**
 * The server's abuse limits over a real socket, configured from the environment: on by default (the reference's
 * production rules), X-Forwarded-For believed from TRUSTED_PROXIES only, RATE_LIMITS=off turns them off. A
 * declined confirm (400 PaymentError) is one that reached the payment processor; a limited one is 429 and did not.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"

const starterKit = "22222222-2222-4222-8222-000000000001" // demo seed: one-time, usd 10.00

const request = (url: string, init: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, headers: response.headers, body: await response.text() }
  })

const setup = (url: string, token: string) =>
  request(`${url}/v1/checkouts/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      products: [starterKit],
      customer_email: "buyer@example.com",
      customer_name: "Buyer",
      customer_billing_address: { country: "US", line1: "1 Main St", city: "Springfield", postal_code: "12345", state: "IL" }
    })
  }).pipe(Effect.map((r) => JSON.parse(r.body).client_secret as string))

const confirmDeclined = (url: string, secret: string, forwardedFor?: string) =>
  request(`${url}/v1/checkouts/client/${secret}/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }) },
    body: JSON.stringify({ confirmation_token_id: "tok_chargeDeclined", custom_field_data: { team_size: "1" } })
  })

describe("rate limits in the server", () => {
  it.live("on by default: 6 declined confirms reach the processor, then 429 + Retry-After; another client is unaffected", () =>
    Effect.gen(function*() {
      const { ready, scope, url } = yield* startApp({ TRUSTED_PROXIES: "127.0.0.1" })
      const secret = yield* setup(url, String(ready["accessToken"]))
      const answers = []
      for (let i = 0; i < 12; i++) answers.push(yield* confirmDeclined(url, secret, "203.0.113.7"))
      assert.strictEqual(answers[0]!.status, 400, answers[0]!.body)
      assert.deepStrictEqual(answers.map((a) => a.status), [400, 400, 400, 400, 400, 400, 429, 429, 429, 429, 429, 429])
      assert.strictEqual(JSON.parse(answers[0]!.body).error, "PaymentError", answers[0]!.body)
      assert.strictEqual(answers[6]!.headers.get("retry-after"), "1800")
      assert.deepStrictEqual(JSON.parse(answers[6]!.body), {
        error: "TooManyRequests",
        detail: "Too many requests. Retry after 1800 seconds."
      })
      assert.strictEqual((yield* confirmDeclined(url, secret, "198.51.100.2")).status, 400)
      // The health check is never limited.
      assert.strictEqual((yield* request(`${url}/healthz`, { headers: { "x-forwarded-for": "203.0.113.7" } })).status, 200)
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 30_000 })

  it.live("without TRUSTED_PROXIES, X-Forwarded-For is ignored (every request is the loopback peer's)", () =>
    Effect.gen(function*() {
      const { ready, scope, url } = yield* startApp({})
      const secret = yield* setup(url, String(ready["accessToken"]))
      const statuses = []
      for (let i = 0; i < 8; i++) statuses.push((yield* confirmDeclined(url, secret, `203.0.113.${i}`)).status)
      assert.deepStrictEqual(statuses, [400, 400, 400, 400, 400, 400, 429, 429])
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 30_000 })

  it.live("RATE_LIMITS=off: no limit", () =>
    Effect.gen(function*() {
      const { ready, scope, url } = yield* startApp({ RATE_LIMITS: "off" })
      const secret = yield* setup(url, String(ready["accessToken"]))
      const statuses = []
      for (let i = 0; i < 10; i++) statuses.push((yield* confirmDeclined(url, secret)).status)
      assert.deepStrictEqual(statuses, Array(10).fill(400))
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 30_000 })
})
