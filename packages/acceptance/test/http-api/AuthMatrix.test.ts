/**
 * The auth matrix of every organization endpoint over the real token store (spec 4.1, catalogue 7.2/7.5): no token
 * and unknown token → 401 with `WWW-Authenticate`; a read-only token → 403 `insufficient_scope` on writes and 2xx
 * on reads; a token of another organization → 404 on that organization's resources. Client-secret endpoints need
 * no token at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { wwwAuthenticate } from "../../../http-api/src/Errors.ts"
import * as W from "./World.ts"

const app = W.makeApp()
afterAll(() => app.dispose())
const { call } = app

const ids = { checkout: "", link: "", secret: "" }

beforeAll(async () => {
  ids.checkout = (await call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id] } })).json.id
  const link = (await call("POST", "/v1/checkout-links/", { json: { payment_processor: "stripe", products: [W.fixed.id] } })).json
  ids.link = link.id
  ids.secret = (await call("GET", `/v1/checkouts/${ids.checkout}`)).json.client_secret
})

interface Endpoint {
  readonly name: string
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  readonly path: () => string
  readonly json?: unknown
  readonly kind: "read" | "write"
  /** Addresses one resource (another organization gets 404). */
  readonly byId: boolean
  readonly success: number
}

const endpoints: ReadonlyArray<Endpoint> = [
  { name: "checkouts:list", method: "GET", path: () => "/v1/checkouts/", kind: "read", byId: false, success: 200 },
  { name: "checkouts:get", method: "GET", path: () => `/v1/checkouts/${ids.checkout}`, kind: "read", byId: true, success: 200 },
  {
    name: "checkouts:create",
    method: "POST",
    path: () => "/v1/checkouts/",
    json: { products: [W.fixed.id] },
    kind: "write",
    byId: false,
    success: 201
  },
  {
    name: "checkouts:update",
    method: "PATCH",
    path: () => `/v1/checkouts/${ids.checkout}`,
    json: { metadata: { touched: true } },
    kind: "write",
    byId: true,
    success: 200
  },
  { name: "checkout-links:list", method: "GET", path: () => "/v1/checkout-links/", kind: "read", byId: false, success: 200 },
  {
    name: "checkout-links:get",
    method: "GET",
    path: () => `/v1/checkout-links/${ids.link}`,
    kind: "read",
    byId: true,
    success: 200
  },
  {
    name: "checkout-links:create",
    method: "POST",
    path: () => "/v1/checkout-links/",
    json: { payment_processor: "stripe", products: [W.fixed.id] },
    kind: "write",
    byId: false,
    success: 201
  },
  {
    name: "checkout-links:update",
    method: "PATCH",
    path: () => `/v1/checkout-links/${ids.link}`,
    json: { label: "touched" },
    kind: "write",
    byId: true,
    success: 200
  },
  // Last: it removes the link the other rows use.
  {
    name: "checkout-links:delete",
    method: "DELETE",
    path: () => `/v1/checkout-links/${ids.link}`,
    kind: "write",
    byId: true,
    success: 204
  }
]

const send = (endpoint: Endpoint, token: string | null) =>
  call(endpoint.method, endpoint.path(), { token, ...(endpoint.json === undefined ? {} : { json: endpoint.json }) })

describe.each(endpoints)("$name", (endpoint) => {
  it("401 with WWW-Authenticate without a token and with an unknown token", async () => {
    for (const token of [null, "polar_oat_not_a_known_token_000000000"]) {
      const result = await send(endpoint, token)
      expect(result.status).toBe(401)
      expect(result.headers.get("www-authenticate")).toBe(wwwAuthenticate)
      expect(result.json).toEqual({ error: "Unauthorized", detail: "Unauthorized" })
    }
  })

  it(endpoint.kind === "write" ? "403 insufficient_scope with a read-only token" : "2xx with a read-only token", async () => {
    const result = await send(endpoint, W.tokens.read)
    if (endpoint.kind === "write") {
      expect(result.status).toBe(403)
      expect(result.json).toEqual({
        error: "insufficient_scope",
        error_description: "The request requires higher privileges than provided by the access token."
      })
    } else {
      expect(result.status).toBe(endpoint.success)
    }
  })

  it("403 insufficient_scope with a token that only has the other resource's scopes", async () => {
    const foreignScopes = endpoint.name.startsWith("checkouts:") ? W.tokens.linksOnly : W.tokens.checkoutsOnly
    const result = await send(endpoint, foreignScopes)
    expect(result.status).toBe(403)
    expect(result.json.error).toBe("insufficient_scope")
  })

  it(endpoint.byId ? "404 for another organization's token" : "another organization sees none of ours", async () => {
    const result = await send(endpoint, W.tokens.other)
    if (endpoint.byId) {
      expect(result.status).toBe(404)
      expect(result.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
    } else if (endpoint.method === "GET") {
      expect(result.status).toBe(200)
      expect(result.json.items).toEqual([])
    } else {
      // Creating with Acme's product under Globex's token: the product does not exist for Globex.
      expect(result.status).toBe(422)
      expect(result.json.detail[0].msg).toBe("Product does not exist.")
    }
  })

  it(`${endpoint.success} with the write token`, async () => {
    const result = await send(endpoint, W.tokens.write)
    expect(result.status).toBe(endpoint.success)
  })
})

describe("client-secret endpoints", () => {
  it("ignore credentials entirely: a bogus token does not turn them into a 401", async () => {
    const result = await call("GET", `/v1/checkouts/client/${ids.secret}`, { token: "not-a-token" })
    expect(result.status).toBe(200)
    expect(result.headers.get("www-authenticate")).toBe(null)
  })
})
