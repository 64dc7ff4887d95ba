/**
 * Logs in production shape: one structured `http request` line per request (method, route template, status,
 * duration, request id echoed in `X-Request-Id`), and no secret in any log line at any level. The server runs with
 * LOG_LEVEL=All and the rate limits on; a broad set of requests (both APIs, every confirm outcome, errors, a 429,
 * a link redirect, unknown routes carrying secrets) runs against it; then everything logged (messages, causes,
 * annotations) is scanned for every client secret, access token, confirmation token, session token and e-mail
 * address that went over the wire.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"

const starterKit = "22222222-2222-4222-8222-000000000001"
const emails = ["ada.lovelace@example.com", "grace.hopper@example.org", "buyer.one@example.net", "katherine.j@example.io"]
const badToken = "polar_oat_not_a_real_token_0123456789abcdef"
const cardTokens = ["tok_visa", "tok_chargeDeclined", "tok_threeDSecure2Required", "tok_chargeDeclinedInsufficientFunds"]

const serialize = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => {
    if (Cause.isCause(v)) return Cause.pretty(v)
    if (v instanceof Error) return `${v.name}: ${v.message}\n${v.stack ?? ""}`
    if (typeof v === "bigint") return String(v)
    return v
  }) ?? String(value)

describe("logs", () => {
  it.live("one request line per request with the route template and request id; no secret anywhere", () =>
    Effect.gen(function*() {
      const app = yield* startApp({ LOG_LEVEL: "All" })
      const token = String(app.ready["accessToken"])
      const secrets = new Set<string>([token, badToken, ...emails, ...cardTokens])
      const sent: Array<{ method: string; route: string; status: number; requestId: string }> = []
      const request = (method: string, path: string, route: string, init: { body?: unknown; auth?: string | null; requestId?: string } = {}) =>
        Effect.promise(async () => {
          const headers: Record<string, string> = { "content-type": "application/json" }
          const auth = init.auth === undefined ? token : init.auth
          if (auth !== null) headers["authorization"] = `Bearer ${auth}`
          if (init.requestId !== undefined) headers["x-request-id"] = init.requestId
          const r = await fetch(`${app.url}${path}`, {
            method,
            headers,
            redirect: "manual",
            ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
          })
          const text = await r.text()
          const requestId = r.headers.get("x-request-id") ?? ""
          sent.push({ method, route, status: r.status, requestId })
          let json: any
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          for (const key of ["client_secret", "customer_session_token"]) {
            if (typeof json?.[key] === "string") secrets.add(json[key])
          }
          return { status: r.status, json, requestId, location: r.headers.get("location") }
        })

      // The organization API.
      const created = yield* request("POST", "/v1/checkouts/", "/v1/checkouts/", {
        body: { products: [starterKit], customer_email: emails[0], metadata: { note: "hello" } }
      })
      assert.strictEqual(created.status, 201)
      yield* request("GET", "/v1/checkouts/?limit=5", "/v1/checkouts/")
      yield* request("GET", `/v1/checkouts/${created.json.id}`, "/v1/checkouts/:id")
      yield* request("PATCH", `/v1/checkouts/${created.json.id}`, "/v1/checkouts/:id", { body: { customer_email: emails[1] } })
      yield* request("GET", "/v1/checkouts/", "/v1/checkouts/", { auth: badToken })
      yield* request("POST", "/v1/checkouts/", "/v1/checkouts/", { body: { products: [starterKit], customer_email: "not-an-email" } })
      yield* request("POST", "/v1/checkouts/", "/v1/checkouts/", { body: "{not json" })
      const link = yield* request("POST", "/v1/checkout-links/", "/v1/checkout-links/", { body: { products: [starterKit] } })
      yield* request("GET", `/v1/checkout-links/${link.json.client_secret}/redirect`, "/v1/checkout-links/:client_secret/redirect", {
        auth: null
      })

      // The buyer's API: every confirm outcome, then enough declines for a 429.
      const secret = created.json.client_secret as string
      const client = (suffix = "") => `/v1/checkouts/client/${secret}${suffix}`
      const withClientId = yield* request("GET", client(), "/v1/checkouts/client/:client_secret", { auth: null, requestId: "lb-7f3a.42" })
      assert.strictEqual(withClientId.requestId, "lb-7f3a.42")
      yield* request("PATCH", client(), "/v1/checkouts/client/:client_secret", { auth: null, body: { customer_email: emails[2] } })
      const confirmBody = (tok: string, email: string) => ({
        confirmation_token_id: tok,
        custom_field_data: { team_size: "1" },
        customer_name: "Ada Lovelace",
        customer_email: email,
        customer_billing_address: { country: "US", line1: "1 Main St", city: "Springfield", postal_code: "12345", state: "IL" }
      })
      for (const tok of ["tok_chargeDeclined", "tok_chargeDeclinedInsufficientFunds", "tok_threeDSecure2Required"]) {
        yield* request("POST", client("/confirm"), "/v1/checkouts/client/:client_secret/confirm", { auth: null, body: confirmBody(tok, emails[3]!) })
      }
      const other = yield* request("POST", "/v1/checkouts/", "/v1/checkouts/", { body: { products: [starterKit] } })
      const paid = yield* request("POST", `/v1/checkouts/client/${other.json.client_secret}/confirm`, "/v1/checkouts/client/:client_secret/confirm", {
        auth: null,
        body: confirmBody("tok_visa", emails[2]!)
      })
      assert.strictEqual(paid.status, 200)
      for (let i = 0; i < 4; i++) {
        yield* request("POST", client("/confirm"), "/v1/checkouts/client/:client_secret/confirm", { auth: null, body: confirmBody("tok_chargeDeclined", emails[3]!) })
      }
      assert.strictEqual(sent.at(-1)?.status, 429)
      yield* request("GET", `/v1/checkouts/client/${secret}/nope`, "(unmatched)", { auth: null })
      yield* request("GET", "/healthz", "/healthz", { auth: null })
      yield* request("GET", "/readyz", "/readyz", { auth: null })
      yield* Effect.sleep(200)

      // One request line per request, in order, with what was sent.
      const lines = app.logs.filter((l) => l.message === "http request").map((l) => l.annotations)
      assert.deepStrictEqual(
        lines.map((a) => ({ method: a["method"], route: a["route"], status: a["status"], requestId: a["requestId"] })),
        sent
      )
      for (const a of lines) {
        assert.isTrue(typeof a["durationMs"] === "number" && a["durationMs"] >= 0)
        assert.isTrue(String(a["requestId"]).length > 0)
      }
      assert.isAbove(app.logs.filter((l) => l.level === "Debug" || l.level === "Trace").length, 0, "debug logging was on")

      // No secret in anything logged, at any level.
      const everything = app.logs.map(serialize).join("\n")
      for (const s of secrets) assert.notInclude(everything, s, `a log line contains ${s.slice(0, 12)}...`)
      assert.notMatch(everything, /[\w.+-]+@[\w-]+\.[\w.]+/u, "no e-mail address in the logs")
      const leaked = /.{0,120}polar_(c|cl|cst|oat)_[A-Za-z0-9]{8,}/u.exec(everything)?.[0]
      assert.isUndefined(leaked, "no client secret, session or access token")
      yield* Scope.close(app.scope, Exit.void)
    }), { timeout: 60_000 })
})
