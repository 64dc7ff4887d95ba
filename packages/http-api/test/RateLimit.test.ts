/**
 * The abuse limits over the real application (domain, memory store, scripted processor): a card-testing burst of
 * confirms with declining tokens from one address reaches the processor exactly as often as the reference allows
 * (6), the rest are 429 with Retry-After and the error body, never seen by the domain; another address is
 * unaffected; X-Forwarded-For counts only from trusted proxies; made-up tokens do not buy a fresh allowance on the
 * anonymous routes; the API-wide 500 a minute per token; concurrency does not leak extra attempts through.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { IpNetwork } from "effect/net"
import * as RateLimit from "../src/RateLimit.ts"
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

  it("every /v1 route: 500 a minute per token, then 429 until the minute ends; another token is unaffected", async () => {
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
    expect((await app.call("GET", "/v1/checkouts/?limit=1", { token: W.tokens.read })).status).toBe(200)
  }, 60_000)

  it("rules: the first matching pattern applies; paths outside /v1 have none", () => {
    const rules = RateLimit.productionRules
    expect(RateLimit.ruleFor(rules, "/v1/checkouts/client/polar_c_x/confirm")?.zone).toBe("checkout-confirm")
    expect(RateLimit.ruleFor(rules, "/v1/checkouts/client/polar_c_x")?.zone).toBe("api")
    expect(RateLimit.ruleFor(rules, "/v1/checkout-links/")?.zone).toBe("api")
    expect(RateLimit.ruleFor(rules, "/healthz")).toBeUndefined()
    expect(RateLimit.ruleFor(rules, "/openapi.json")).toBeUndefined()
  })
})
