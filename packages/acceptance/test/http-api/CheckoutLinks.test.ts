/**
 * Checkout-link endpoints over the real domain (spec 4.3, catalogue 7.5): list, get, create (three variants),
 * update, delete, and the public redirect that opens a checkout (307), with its embed-origin, metadata and
 * client-IP rules.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { IpNetwork } from "effect/net"
import { check, component } from "../../../http-api/test/ContractSchema.ts"
import * as W from "./World.ts"

const app = W.makeApp()
afterAll(() => app.dispose())
const { call } = app

const createLink = async (json: Record<string, unknown>, world = app) => {
  const result = await world.call("POST", "/v1/checkout-links/", { json: { payment_processor: "stripe", ...json } })
  expect(result.status, result.text).toBe(201)
  expect(check(component("CheckoutLink"), result.json)).toEqual([])
  return result.json
}

const redirect = (secret: string, query = "", world = app) =>
  world.call("GET", `/v1/checkout-links/${secret}/redirect${query}`, { token: null })

/** The checkout a redirect opened, read back through the org API. */
const openedCheckout = async (location: string, world = app) => {
  const secret = /polar_c_[A-Za-z0-9]+/u.exec(location)![0]
  const publicView = await world.call("GET", `/v1/checkouts/client/${secret}`, { token: null })
  return (await world.call("GET", `/v1/checkouts/${publicView.json.id}`)).json
}

describe("POST /v1/checkout-links/", () => {
  it("creates a link: 201, secret in the url, metadata, success URL kept raw, products with public benefits only", async () => {
    const link = await createLink({
      products: [W.withBenefits.id, W.fixed.id],
      metadata: { campaign: "spring" },
      label: "Spring",
      success_url: "https://shop.acme.test/thanks/{CHECKOUT_ID}"
    })
    expect(link.client_secret).toMatch(/^polar_cl_/u)
    expect(link.url).toBe(`https://pay.acme.test/v1/checkout-links/${link.client_secret}/redirect`)
    expect(link.metadata).toEqual({ campaign: "spring" })
    expect(link.success_url).toBe("https://shop.acme.test/thanks/{CHECKOUT_ID}")
    expect(link.products.map((p: any) => p.id)).toEqual([W.withBenefits.id, W.fixed.id])
    expect(link.products[0].benefits).toHaveLength(1)
    expect(link.product_id).toBe(W.withBenefits.id)
    expect(link.product_price_id).toBe(W.withBenefits.prices[0]!.id)
    expect(link.product.id).toBe(W.withBenefits.id)
    expect(link.product_price.id).toBe(W.withBenefits.prices[0]!.id)
  })

  it("accepts the deprecated single-product and single-price bodies", async () => {
    expect((await createLink({ product_id: W.fixed.id })).products[0].id).toBe(W.fixed.id)
    expect((await createLink({ product_price_id: W.monthly.prices[0]!.id })).products[0].id).toBe(W.monthly.id)
  })

  it("locks seats on seat-based products, refuses them elsewhere, and refuses units", async () => {
    expect((await createLink({ products: [W.seats2to20.id], seats: 5 })).seats).toBe(5)
    const refused = await call("POST", "/v1/checkout-links/", {
      json: { payment_processor: "stripe", products: [W.fixed.id], seats: 5 }
    })
    expect(refused.status).toBe(422)
    expect(refused.json.detail[0]).toMatchObject({ loc: ["body", "seats"], type: "value_error" })
    const units = await call("POST", "/v1/checkout-links/", {
      json: { payment_processor: "stripe", products: [W.fixed.id], units: 2 }
    })
    expect(units.status).toBe(422)
    expect(units.json.detail[0].loc).toEqual(["body", "units"])
  })

  it("shows the link discount in its DiscountMinimal form", async () => {
    const link = await createLink({ products: [W.fixed.id], discount_id: W.fiveOff.id })
    expect(link.discount).toMatchObject({
      id: W.fiveOff.id,
      type: "fixed",
      amount: 500,
      currency: "usd",
      amounts: { usd: 500, eur: 450 },
      redemptions_count: 0,
      organization_id: W.org.id,
      metadata: {}
    })
  })

  it("422 for a product of another organization", async () => {
    const result = await call("POST", "/v1/checkout-links/", {
      json: { payment_processor: "stripe", products: [W.foreign.id] }
    })
    expect(result.status).toBe(422)
    expect(result.json.detail).toEqual([
      { type: "value_error", loc: ["body", "products", 0], msg: "Product does not exist.", input: W.foreign.id }
    ])
  })
})

describe("GET, PATCH, DELETE /v1/checkout-links/{id}", () => {
  it("gets, updates (metadata, label, discount cleared with null) and deletes (204, then 404)", async () => {
    const link = await createLink({ products: [W.fixed.id], discount_id: W.save10.id })
    const got = await call("GET", `/v1/checkout-links/${link.id}`)
    expect(got.status).toBe(200)
    expect(got.json).toEqual(link)
    const updated = await call("PATCH", `/v1/checkout-links/${link.id}`, {
      json: { metadata: { key: "value" }, label: "Renamed", discount_id: null }
    })
    expect(updated.status).toBe(200)
    expect(check(component("CheckoutLink"), updated.json)).toEqual([])
    expect(updated.json).toMatchObject({ metadata: { key: "value" }, label: "Renamed", discount_id: null, discount: null })
    expect(updated.json.modified_at).not.toBe(null)
    const deleted = await call("DELETE", `/v1/checkout-links/${link.id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe("")
    expect((await call("GET", `/v1/checkout-links/${link.id}`)).status).toBe(404)
    expect((await call("DELETE", `/v1/checkout-links/${link.id}`)).status).toBe(404)
    expect((await redirect(link.client_secret)).status).toBe(404)
  })

  it("another organization's link is 404 on every endpoint", async () => {
    const link = await createLink({ products: [W.fixed.id] })
    for (const [method, json] of [["GET", undefined], ["PATCH", { label: "x" }], ["DELETE", undefined]] as const) {
      const result = await call(method, `/v1/checkout-links/${link.id}`, { token: W.tokens.other, ...(json ? { json } : {}) })
      expect(result.status, method).toBe(404)
      expect(result.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
    }
  })
})

describe("GET /v1/checkout-links/", () => {
  it("lists the caller's links oldest first with pagination, filtered by product", async () => {
    const world = W.makeApp()
    try {
      // Distinct creation instants: within one millisecond the order falls back to the (random) id.
      const tick = () => new Promise((resolve) => setTimeout(resolve, 3))
      const a = await createLink({ products: [W.fixed.id], label: "a" }, world)
      await tick()
      const b = await createLink({ products: [W.monthly.id], label: "b" }, world)
      await tick()
      const c = await createLink({ products: [W.fixed.id, W.monthly.id], label: "c" }, world)
      const all = await world.call("GET", "/v1/checkout-links/?limit=2")
      expect(all.status).toBe(200)
      expect(check(component("ListResource_CheckoutLink_"), all.json)).toEqual([])
      expect(all.json.items.map((l: any) => l.id)).toEqual([a.id, b.id])
      expect(all.json.pagination).toEqual({ total_count: 3, max_page: 2 })
      const byProduct = await world.call("GET", `/v1/checkout-links/?product_id=${W.monthly.id}&sorting=-label`)
      expect(byProduct.json.items.map((l: any) => l.id)).toEqual([c.id, b.id])
      const theirs = await world.call("GET", "/v1/checkout-links/", { token: W.tokens.other })
      expect(theirs.json).toEqual({ items: [], pagination: { total_count: 0, max_page: 0 } })
    } finally {
      await world.dispose()
    }
  })
})

describe("GET /v1/checkout-links/{client_secret}/redirect", () => {
  it("307 to a new checkout (Location has its polar_c_ secret), forwarding tracking parameters", async () => {
    const link = await createLink({ products: [W.fixed.id], metadata: { key: "value", utm_source: "link" } })
    const result = await redirect(
      link.client_secret,
      "?reference_id=ref-1&utm_campaign=spring&utm_source=query&disallowed_key=x&customer_email=ada@acme.test"
    )
    expect(result.status).toBe(307)
    const location = result.headers.get("location")!
    expect(location).toContain("polar_c_")
    expect(location.startsWith("https://pay.acme.test/checkout/polar_c_")).toBe(true)
    expect(location).toContain("utm_campaign=spring")
    expect(location).not.toContain("customer_email")
    const checkout = await openedCheckout(location)
    expect(checkout.metadata).toEqual({ key: "value", utm_source: "link", reference_id: "ref-1", utm_campaign: "spring" })
    expect(checkout.customer_email).toBe("ada@acme.test")
    expect(checkout.product_id).toBe(W.fixed.id)
  })

  it("404 for an unknown secret and for a blocked organization's link", async () => {
    expect((await redirect("polar_cl_unknown")).json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
    const world = W.makeApp()
    try {
      const link = await world.call("POST", "/v1/checkout-links/", {
        token: W.tokens.initech,
        json: { payment_processor: "stripe", products: [W.blockableProduct.id] }
      })
      expect((await redirect(link.json.client_secret, "", world)).status).toBe(307)
      await W.setBlocked(world.handles, W.blockableOrg, true)
      expect((await redirect(link.json.client_secret, "", world)).status).toBe(404)
    } finally {
      await world.dispose()
    }
  })

  it("embed origins: a wildcard is dropped, an allowed host is kept, another is 403", async () => {
    const link = await createLink({ products: [W.fixed.id] })
    const wildcard = await redirect(link.client_secret, "?embed_origin=*")
    expect(wildcard.status).toBe(307)
    expect((await openedCheckout(wildcard.headers.get("location")!)).embed_origin).toBe(null)
    const allowed = await redirect(link.client_secret, "?embed_origin=https%3A%2F%2Fshop.acme.test%3A443%2F")
    expect((await openedCheckout(allowed.headers.get("location")!)).embed_origin).toBe("https://shop.acme.test")
    const refused = await redirect(link.client_secret, "?embed_origin=https%3A%2F%2Fevil.test")
    expect(refused.status).toBe(403)
    expect(refused.json).toEqual({
      error: "EmbedHostNotAllowed",
      detail: "https://evil.test is not allowed to embed this checkout."
    })
  })

  it("records the connection's address, or the forwarded one only from a trusted proxy", async () => {
    for (const [trusted, expected] of [[false, "10.0.0.7"], [true, "203.0.113.9"]] as const) {
      const world = W.makeApp({
        peerAddress: "10.0.0.7",
        routes: trusted ? { trustedProxies: [IpNetwork.fromStringUnsafe("10.0.0.0/8")] } : {}
      })
      try {
        const link = await createLink({ products: [W.fixed.id] }, world)
        const result = await world.call("GET", `/v1/checkout-links/${link.client_secret}/redirect`, {
          token: null,
          headers: { "x-forwarded-for": "203.0.113.9" }
        })
        expect(result.status).toBe(307)
        expect((await openedCheckout(result.headers.get("location")!, world)).customer_ip_address, String(trusted))
          .toBe(expected)
      } finally {
        await world.dispose()
      }
    }
  })
})
