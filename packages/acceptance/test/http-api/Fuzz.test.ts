/**
 * Thousands of generated malformed requests against the real application: random methods on our paths, ids that
 * are valid, unknown or garbage, random query strings, random / malformed / deeply nested / oversized JSON, wrong
 * content types, huge numbers and unicode edge cases (lone surrogates included), with and without tokens.
 *
 * Every answer must come back within a deadline, never be a 5xx, carry one of the documented error bodies on a
 * 4xx, and decode with our wire schema on a 2xx. The seed is fixed for reproducible CI; set FUZZ_SEED to explore.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Exit, Schema } from "effect"
import fc from "fast-check"
import { CheckoutLinkList, CheckoutList } from "../../../http-api/src/Api.ts"
import * as Wire from "../../../http-api/src/wire/index.ts"
import * as W from "./World.ts"

const maxBodyBytes = 16 * 1024
const app = W.makeApp({ routes: { maxBodyBytes } })
afterAll(() => app.dispose())

const known = { checkoutIds: [] as Array<string>, secrets: [] as Array<string>, linkIds: [] as Array<string>, linkSecrets: [] as Array<string> }

beforeAll(async () => {
  for (const product of [W.fixed, W.free, W.seats, W.withFields]) {
    const checkout = await app.call("POST", "/v1/checkouts/", { json: { products: [product.id] } })
    known.checkoutIds.push(checkout.json.id)
    known.secrets.push(checkout.json.client_secret)
    const link = await app.call("POST", "/v1/checkout-links/", { json: { payment_processor: "stripe", products: [product.id] } })
    known.linkIds.push(link.json.id)
    known.linkSecrets.push(link.json.client_secret)
  }
})

// ---------------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------------

const weird = fc.constantFrom(
  "",
  " ",
  "\ud800",
  "\udfff",
  "a\ud800b",
  "\u0000",
  "\u202e",
  "😀",
  "é",
  "%",
  "%ZZ",
  "%E0%A4%A",
  "../..",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "1e309",
  "-0",
  "9007199254740993",
  "NaN",
  "Infinity",
  "x".repeat(3000)
)

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: "binary", maxLength: 20 }), weird)

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1.5, -1, 0, -0, 10_001, 4_294_967_296)

const uuid = fc.uuid()

const leaf = fc.oneof(text, hugeNumber, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), uuid)

/** Any JSON value, a little deep. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom("__proto__", "constructor", "toString")), tie("value"), { maxKeys: 4 })
  )
})).value

const bodyFields = [
  "products", "product_id", "product_price_id", "amount", "seats", "min_seats", "max_seats", "units", "metadata",
  "customer_metadata", "custom_field_data", "customer_email", "customer_name", "customer_billing_address",
  "customer_tax_id", "customer_ip_address", "discount_id", "discount_code", "success_url", "return_url", "embed_origin",
  "locale", "currency", "trial_interval", "trial_interval_count", "allow_trial", "is_business_customer",
  "confirmation_token_id", "payment_processor", "payment_method_type", "label", "prices", "external_customer_id",
  "customer_external_id", "subscription_id", "allow_discount_codes", "require_billing_address"
] as const

/** Mostly plausible values per field, so requests get past the first check and into the domain. */
const plausible: Record<string, fc.Arbitrary<unknown>> = {
  products: fc.oneof(fc.constant([W.fixed.id]), fc.array(fc.oneof(uuid, fc.constantFrom(W.fixed.id, W.seats.id, W.foreign.id)), { maxLength: 3 })),
  product_id: fc.constantFrom(W.fixed.id, W.monthly.id, W.draft.id, W.foreign.id),
  product_price_id: fc.constantFrom(W.fixed.prices[0]!.id, W.seats.prices[0]!.id),
  customer_billing_address: fc.record({
    country: fc.oneof(fc.constantFrom("US", "FR", "CA", "RU", "us", "XX"), text),
    state: fc.oneof(fc.constantFrom("NY", "QC", "US-NY"), text, fc.constant(null)),
    line1: fc.oneof(text, fc.constant(null))
  }, { requiredKeys: [] }),
  metadata: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.double(), fc.boolean()), { maxKeys: 55 }),
  customer_email: fc.oneof(fc.emailAddress(), text),
  discount_code: fc.constantFrom("SAVE10", "save10 ", "NOPE", ""),
  payment_processor: fc.constantFrom("stripe", "paypal"),
  trial_interval: fc.constantFrom("month", "decade"),
  seats: fc.oneof(fc.integer({ min: -5, max: 12_000 }), hugeNumber)
}

const jsonBody = fc.oneof(
  // A body with a selection of known fields.
  fc.array(fc.constantFrom(...bodyFields), { maxLength: 6 }).chain((keys) =>
    fc.tuple(...keys.map((key) => fc.oneof(plausible[key] ?? value, value).map((v) => [key, v] as const))).map(
      (pairs) => JSON.stringify(Object.fromEntries(pairs))
    )
  ),
  // Any JSON document.
  value.map((v) => JSON.stringify(v) ?? "null"),
  // Raw JSON number literals JSON.stringify cannot produce.
  fc.constantFrom("{\"amount\": 1e400}", "{\"seats\": -0.0}", "{\"amount\": 123456789012345678901234567890}", "[1e999]")
)

const malformedBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  jsonBody.map((s) => s.slice(0, Math.max(0, s.length - 1))),
  fc.constantFrom("{", "}", "{\"products\": [", "{'a': 1}", "{\"a\":1,}", "\ufeff{}", "{\"a\": \"\\ud800\"}", "{\"a\": \"\\u00\"}"),
  fc.integer({ min: 1, max: 5000 }).map((n) => "[".repeat(n) + "]".repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
  fc.integer({ min: 1, max: 3 }).map((n) => JSON.stringify({ products: ["x".repeat(maxBodyBytes * n)] }))
)

const body = fc.option(fc.oneof({ weight: 3, arbitrary: jsonBody }, { weight: 2, arbitrary: malformedBody }), { freq: 4 })

const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zzz",
  "application/xml",
  "",
  "garbage/garbage/garbage"
)

/** URLs cannot carry lone surrogates (`encodeURIComponent` throws); bodies can, and get them. */
const wellFormed = (s: string): string => s.replaceAll(/[\ud800-\udfff]/gu, "\ufffd")

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("ID", "SECRET", "LINK_ID", "LINK_SECRET") },
  { weight: 2, arbitrary: uuid },
  { weight: 3, arbitrary: text.map((s) => encodeURIComponent(wellFormed(s))) },
  { weight: 1, arbitrary: fc.constantFrom("%", "%ZZ", "%00", "..", "%2F", "polar_c_", "polar_cl_") }
)

const pathTemplate = fc.constantFrom(
  "/v1/checkouts/",
  "/v1/checkouts",
  "/v1/checkouts/{}",
  "/v1/checkouts/{}/",
  "/v1/checkouts/client/{}",
  "/v1/checkouts/client/{}/confirm",
  "/v1/checkout-links/",
  "/v1/checkout-links",
  "/v1/checkout-links/{}",
  "/v1/checkout-links/{}/redirect",
  "/v1/checkouts/custom/{}",
  "/v1/{}",
  "/{}"
)

const queryKey = fc.oneof(
  fc.constantFrom(
    "page", "limit", "sorting", "status", "product_id", "organization_id", "customer_id", "external_customer_id", "query",
    "embed_origin", "amount", "customer_email", "customer_name", "discount_code", "locale", "custom_field_data.size",
    "utm_source", "reference_id"
  ),
  text
)
const queryValue = fc.oneof(text, hugeNumber.map(String), fc.integer().map(String), uuid, fc.constantFrom("-created_at", "open", "https://x.acme.test"))

const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }).map((pairs) =>
  pairs.length === 0
    ? ""
    : `?${
      pairs.map(([k, v]) => {
        const safe = (s: string) => encodeURIComponent(wellFormed(s))
        return `${safe(k)}=${safe(v)}`
      }).join("&")
    }`
)

const rawQuery = fc.constantFrom("", "?", "?&&", "?a", "?limit=%", "?page=1&page=2", "?sorting=%E0%A4%A", "?=x")

const token = fc.constantFrom<string | null>(
  null,
  W.tokens.write,
  W.tokens.write,
  W.tokens.read,
  W.tokens.other,
  "garbage",
  "",
  "polar_oat_" + "x".repeat(500)
)

const method = fc.constantFrom("GET", "GET", "POST", "POST", "PATCH", "PATCH", "DELETE", "PUT", "OPTIONS")

interface Generated {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly body: string | null
  readonly contentType: string
  readonly token: string | null
  readonly pick: number
}

/** Anything on our paths. */
const chaotic: fc.Arbitrary<Generated> = fc.record({
  method,
  path: fc.tuple(pathTemplate, segment).map(([template, s]) => template.replace("{}", s)),
  query: fc.oneof({ weight: 4, arbitrary: query }, { weight: 1, arbitrary: rawQuery }),
  body,
  contentType,
  token,
  pick: fc.nat()
})

/** A real route with the right method, a real id and the write token; only the query and body are random. */
const routes: ReadonlyArray<readonly [string, string]> = [
  ["GET", "/v1/checkouts/"],
  ["POST", "/v1/checkouts/"],
  ["GET", "/v1/checkouts/ID"],
  ["PATCH", "/v1/checkouts/ID"],
  ["GET", "/v1/checkouts/client/SECRET"],
  ["PATCH", "/v1/checkouts/client/SECRET"],
  ["POST", "/v1/checkouts/client/SECRET/confirm"],
  ["GET", "/v1/checkout-links/"],
  ["POST", "/v1/checkout-links/"],
  ["GET", "/v1/checkout-links/LINK_ID"],
  ["PATCH", "/v1/checkout-links/LINK_ID"],
  ["GET", "/v1/checkout-links/LINK_SECRET/redirect"]
]

const coherent: fc.Arbitrary<Generated> = fc.record({
  route: fc.constantFrom(...routes),
  query: fc.oneof(query, fc.constant("")),
  body: fc.oneof({ weight: 4, arbitrary: jsonBody }, { weight: 1, arbitrary: fc.constant("{}") }),
  pick: fc.nat()
}).map(({ body, pick, query, route: [method, path] }) => ({
  method,
  path,
  query,
  body: method === "GET" ? null : body,
  contentType: "application/json",
  token: W.tokens.write,
  pick
}))

const request = fc.oneof({ weight: 2, arbitrary: chaotic }, { weight: 1, arbitrary: coherent })

// ---------------------------------------------------------------------------------------------------------------
// Oracle
// ---------------------------------------------------------------------------------------------------------------

const resolve = (g: Generated): string => {
  const at = <A>(list: ReadonlyArray<A>) => list[g.pick % list.length]!
  return g.path
    .replace("LINK_SECRET", at(known.linkSecrets))
    .replace("LINK_ID", at(known.linkIds))
    .replace("SECRET", at(known.secrets))
    .replace("ID", at(known.checkoutIds))
}

const decodes = (schema: Schema.Codec<any, any, never, never>, json: unknown) =>
  Exit.isSuccess(Schema.decodeUnknownExit(Schema.toCodecJson(schema))(json))

/** The wire schema a 2xx of this route must decode with, or a special expectation. */
const successSchema = (method: string, path: string): Schema.Codec<any, any, never, never> | "empty" | "redirect" | undefined => {
  // The router ignores duplicate and trailing slashes.
  const p = path.replaceAll(/\/+/gu, "/").replace(/\/$/u, "")
  if (/^\/v1\/checkouts$/u.test(p)) return method === "GET" ? CheckoutList : Wire.Checkout
  if (/^\/v1\/checkouts\/client\/[^/]+\/confirm$/u.test(p)) return Wire.CheckoutPublicConfirmed
  if (/^\/v1\/checkouts\/client\/[^/]+$/u.test(p)) return Wire.CheckoutPublic
  if (/^\/v1\/checkouts\/[^/]+$/u.test(p)) return Wire.Checkout
  if (/^\/v1\/checkout-links\/[^/]+\/redirect$/u.test(p)) return "redirect"
  if (/^\/v1\/checkout-links$/u.test(p)) return method === "GET" ? CheckoutLinkList : Wire.CheckoutLink
  if (/^\/v1\/checkout-links\/[^/]+$/u.test(p)) return method === "DELETE" ? "empty" : Wire.CheckoutLink
  return undefined
}

const isValidationItem = (item: unknown): boolean => {
  if (typeof item !== "object" || item === null) return false
  const i = item as Record<string, unknown>
  return typeof i["type"] === "string" && typeof i["msg"] === "string" && Array.isArray(i["loc"]) &&
    (i["loc"] as Array<unknown>).every((l) => typeof l === "string" || typeof l === "number")
}

/** The documented 4xx bodies (docs/http-api.md, "Errors"). */
const isDocumentedError = (status: number, json: unknown): boolean => {
  if (typeof json !== "object" || json === null) return false
  const body = json as Record<string, unknown>
  if (typeof body["error"] === "string" && typeof body["detail"] === "string") return true
  if (body["error"] === "insufficient_scope" && typeof body["error_description"] === "string") return true
  if (Array.isArray(body["detail"])) return status === 422 && body["detail"].length > 0 && body["detail"].every(isValidationItem)
  return status === 404 && body["detail"] === "Not Found"
}

const deadlineMs = 5_000

const send = async (g: Generated) => {
  const path = resolve(g)
  const headers: Record<string, string> = {}
  if (g.token !== null) headers["authorization"] = `Bearer ${g.token}`
  if (g.body !== null && g.contentType !== "") headers["content-type"] = g.contentType
  const withBody = g.body !== null && g.method !== "GET"
  const request = new Request(`http://localhost${path}${g.query}`, {
    method: g.method,
    headers,
    ...(withBody ? { body: g.body } : {})
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs)
  })
  try {
    const response = await Promise.race([app.handler(request), deadline])
    const text = await Promise.race([response.text(), deadline])
    // The URL parser resolves `..` segments: judge the answer by the path that was actually requested.
    return { path: new URL(request.url).pathname, status: response.status, text, location: response.headers.get("location") }
  } finally {
    clearTimeout(timer)
  }
}

const describeRequest = (g: Generated) =>
  `${g.method} ${resolve(g)}${g.query} [${g.contentType}] token=${g.token === null ? "none" : g.token.slice(0, 12)} body=${
    g.body === null ? "none" : JSON.stringify(g.body.slice(0, 200))
  }`

describe("fuzz", () => {
  it("thousands of malformed requests: no 5xx, no hang, documented 4xx bodies, decodable 2xx bodies", async () => {
    const seed = Number(process.env["FUZZ_SEED"] ?? 20261121)
    const seen = { ok: 0, clientError: 0 }
    await fc.assert(
      fc.asyncProperty(request, async (g) => {
        const result = await send(g)
        const where = `${describeRequest(g)} → ${result.status} ${result.text.slice(0, 300)}`
        expect(result.status < 500, where).toBe(true)
        let json: unknown = undefined
        try {
          json = result.text === "" ? undefined : JSON.parse(result.text)
        } catch {
          json = undefined
        }
        if (result.status >= 400) {
          seen.clientError++
          expect(isDocumentedError(result.status, json), where).toBe(true)
          return
        }
        seen.ok++
        const expected = successSchema(g.method, result.path)
        if (expected === "redirect") {
          expect(result.status, where).toBe(307)
          expect(result.location ?? "", where).toContain("/checkout/polar_c_")
        } else if (expected === "empty") {
          expect([result.status, result.text], where).toEqual([204, ""])
        } else {
          expect(expected, where).toBeDefined()
          expect(decodes(expected!, json), where).toBe(true)
        }
      }),
      { numRuns: Number(process.env["FUZZ_RUNS"] ?? 3000), seed, endOnFailure: true }
    )
    // The generator must reach both sides; otherwise the property says little.
    expect(seen.ok).toBeGreaterThan(100)
    expect(seen.clientError).toBeGreaterThan(1000)
  }, 60_000)
})
