/**
 * The abuse limits over the real application (domain, memory store, scripted processor): a card-testing burst of
 * confirms with declining tokens from one address reaches the processor exactly as often as the reference allows
 * (6), the rest are 429 with Retry-After and the error body, never seen by the domain; another address is
 * unaffected; X-Forwarded-For counts only from trusted proxies; made-up tokens do not buy a fresh allowance on the
 * anonymous routes, nor anywhere else (they count for the address: the reference's anonymous identity); the
 * API-wide 500 a minute per organization; concurrency does not leak extra attempts through.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { HttpServerRequest } from "effect/http"
import { IpNetwork } from "effect/net"
import * as RateLimit from "../../../http-api/src/RateLimit.ts"
import * as W from "./World.ts"

const proxy = "10.0.0.1"
const trusted = { trustedProxies: [IpNetwork.fromStringUnsafe("10.0.0.0/8")] }
const payable = { products: [W.fixed.id], customer_email: "buyer@acme.test", customer_billing_address: { country: "FR" } }

let disposers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(disposers.map((d) => d()))
  disposers = []
})

const world = (options: W.WorldOptions) => {
  const app = W.makeApp({ script: { otherwise: "decline" }, ...options })
  disposers.push(app.dispose)
  return app
}

const checkout = async (app: ReturnType<typeof W.makeApp>) => {
  const created = await app.call("POST", "/v1/checkouts/", { json: payable })
  expect(created.status, created.text).toBe(201)
  return created.json.client_secret as string
}

const confirm = (app: ReturnType<typeof W.makeApp>, secret: string, i: number, headers: Record<string, string>) =>
  app.call("POST", `/v1/checkouts/client/${secret}/confirm`, {
    token: null,
    headers,
    json: { confirmation_token_id: `ctoken_declined_${i}` }
  })

const processorCalls = async (app: ReturnType<typeof W.makeApp>) =>
  (await Effect.runPromise(app.handles.processor.confirmCalls)).length

describe("rate limits (reference production rules)", () => {
  it("card testing: of 30 declining confirms from one address, exactly 6 reach the processor; the rest are 429", async () => {
    const app = world({ peerAddress: proxy, rateLimits: trusted })
    const secret = await checkout(app)
    const statuses: Array<number> = []
    for (let i = 0; i < 30; i++) {
      const answer = await confirm(app, secret, i, { "x-forwarded-for": "203.0.113.7" })
      statuses.push(answer.status)
      if (answer.status === 429) {
        expect(answer.headers.get("retry-after")).toBe("1800")
        expect(answer.json).toEqual({ error: "TooManyRequests", detail: "Too many requests. Retry after 1800 seconds." })
        expect(answer.headers.get("cache-control")).toBe("private, no-store")
        expect(answer.headers.get("x-content-type-options")).toBe("nosniff")
      }
    }
    expect(statuses.slice(0, 6)).toEqual([400, 400, 400, 400, 400, 400])
    expect(statuses.slice(6)).toEqual(Array(24).fill(429))
    expect(await processorCalls(app)).toBe(6)

    // Another buyer behind the same proxy is unaffected.
    const other = await confirm(app, secret, 99, { "x-forwarded-for": "198.51.100.2" })
    expect(other.status).toBe(400)
    expect(await processorCalls(app)).toBe(7)

    // The block is per identity, on every limited route (the reference's block key is the identity alone)...
    const read = await app.call("GET", `/v1/checkouts/client/${secret}`, { token: null, headers: { "x-forwarded-for": "203.0.113.7" } })
    expect(read.status).toBe(429)
    // ...but paths no rule covers are never limited.
    const openapi = await app.call("GET", "/openapi.json", { token: null, headers: { "x-forwarded-for": "203.0.113.7" } })
    expect(openapi.status).toBe(200)
  })

  it("X-Forwarded-For from a peer that is not a trusted proxy is ignored: spoofing does not reset the count", async () => {
    const app = world({ peerAddress: "192.0.2.50", rateLimits: trusted })
    const secret = await checkout(app)
    const statuses: Array<number> = []
    for (let i = 0; i < 10; i++) {
      statuses.push((await confirm(app, secret, i, { "x-forwarded-for": `203.0.113.${i}` })).status)
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(4)
    expect(await processorCalls(app)).toBe(6)
  })

  it("a made-up bearer token on the buyer's confirm does not buy a fresh allowance", async () => {
    const app = world({ peerAddress: "192.0.2.51", rateLimits: {} })
    const secret = await checkout(app)
    const statuses: Array<number> = []
    for (let i = 0; i < 10; i++) {
      statuses.push((await confirm(app, secret, i, { authorization: `Bearer fake_${i}` })).status)
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(4)
    expect(await processorCalls(app)).toBe(6)
  })

  it("a concurrent burst lets exactly 6 attempts through", async () => {
    const app = world({ peerAddress: "192.0.2.52", rateLimits: {} })
    // One checkout per attempt, so that no attempt is turned away by another's row lock.
    const secrets = await Promise.all(Array.from({ length: 40 }, () => checkout(app)))
    const answers = await Promise.all(secrets.map((secret, i) => confirm(app, secret, i, {})))
    expect(answers.filter((a) => a.status === 429)).toHaveLength(34)
    expect(await processorCalls(app)).toBe(6)
  })

  it("every /v1 route: 500 a minute per organization (all its tokens share it), then 429; another organization is unaffected", async () => {
    const app = world({ peerAddress: "192.0.2.53", rateLimits: {} })
    const statuses = new Map<number, number>()
    let last: W.Response | undefined
    for (let i = 0; i < 505; i++) {
      last = await app.call("GET", "/v1/checkouts/?limit=1")
      statuses.set(last.status, (statuses.get(last.status) ?? 0) + 1)
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 500, 429: 5 })
    const retry = Number(last?.headers.get("retry-after"))
    expect(retry).toBeGreaterThan(0)
    expect(retry).toBeLessThanOrEqual(60)
    // Another token of the same organization draws on the same allowance (the reference keys on the organization)...
    expect((await app.call("GET", "/v1/checkouts/?limit=1", { token: W.tokens.read })).status).toBe(429)
    // ...another organization's token does not, nor does the address itself (no token: counted by address).
    expect((await app.call("GET", "/v1/checkouts/?limit=1", { token: W.tokens.other })).status).toBe(200)
    expect((await app.call("GET", "/v1/checkouts/?limit=1", { token: null })).status).toBe(401)
  }, 60_000)

  it("made-up tokens count for the client address: random tokens do not multiply an attacker's allowance", async () => {
    const rules: ReadonlyArray<RateLimit.PathRule> = [
      { pattern: /^\/v1/u, rule: { zone: "api", windows: [{ seconds: 60, limit: 20 }], blockSeconds: null } }
    ]
    const app = world({ peerAddress: proxy, rateLimits: { rules, ...trusted } })
    const attacker = { "x-forwarded-for": "203.0.113.9" }
    const statuses: Array<number> = []
    for (let i = 0; i < 30; i++) {
      const answer = await app.call("GET", "/v1/checkouts/?limit=1", {
        token: `polar_oat_made_up_${i}_${Math.random().toString(36).slice(2)}`,
        headers: attacker
      })
      statuses.push(answer.status)
    }
    expect(statuses).toEqual([...Array(20).fill(401), ...Array(10).fill(429)])
    // The address is spent, with or without a token...
    expect((await app.call("GET", `/v1/checkouts/client/polar_c_unknown`, { token: null, headers: attacker })).status).toBe(429)
    // ...a real token from the same address counts for its organization, another address is unaffected.
    expect((await app.call("GET", "/v1/checkouts/?limit=1", { headers: attacker })).status).toBe(200)
    expect((await app.call("GET", "/v1/checkouts/?limit=1", { token: "polar_oat_made_up_x", headers: { "x-forwarded-for": "198.51.100.9" } })).status).toBe(401)
  })

  it("a token's organization is looked up once a minute, not on every request", async () => {
    let lookups = 0
    const identity = RateLimit.makeIdentity(() => Effect.sync(() => {
      lookups++
      return Option.some({ organizationId: W.org.id, scopes: new Set() })
    }))
    const request = HttpServerRequest.fromWeb(new Request("http://x/v1/checkouts/", { headers: { authorization: "Bearer polar_oat_x" } }))
    for (let i = 0; i < 5; i++) expect(await Effect.runPromise(identity(request))).toBe(`org:${W.org.id}`)
    expect(lookups).toBe(1)
    // An anonymous route never looks the token up: the address is the identity.
    const anonymous = HttpServerRequest.fromWeb(new Request("http://x/v1/checkouts/client/polar_c_x/confirm", { headers: { authorization: "Bearer polar_oat_x" } }))
    expect(await Effect.runPromise(identity(anonymous))).toBe("anonymous")
    expect(lookups).toBe(1)
  })

  it("rules: the first matching pattern applies; paths outside /v1 have none", () => {
    const rules = RateLimit.productionRules
    expect(RateLimit.ruleFor(rules, "/v1/checkouts/client/polar_c_x/confirm")?.zone).toBe("checkout-confirm")
    expect(RateLimit.ruleFor(rules, "/v1/checkouts/client/polar_c_x")?.zone).toBe("api")
    expect(RateLimit.ruleFor(rules, "/v1/checkout-links/")?.zone).toBe("api")
    expect(RateLimit.ruleFor(rules, "/healthz")).toBeUndefined()
    expect(RateLimit.ruleFor(rules, "/openapi.json")).toBeUndefined()
  })
})
