/**
 * The organization checkout endpoints over the real domain (spec 4.2, catalogue 7.2): list, get, create (three
 * variants), update, with the reference's bodies and errors. Every success body is checked against the reference
 * OpenAPI component and decoded with our wire schema.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Exit, Schema } from "effect"
import * as Wire from "../../../http-api/src/wire/index.ts"
import { check, component } from "../../../http-api/test/ContractSchema.ts"
import * as W from "./World.ts"

const app = W.makeApp()
afterAll(() => app.dispose())
const { call } = app

const decodes = (schema: Schema.Codec<any, any, never, never>, json: unknown) =>
  Exit.isSuccess(Schema.decodeUnknownExit(Schema.toCodecJson(schema))(json))

/** A 201 Checkout that conforms to the contract and to our schema. */
const created = async (json: unknown, token?: string) => {
  const result = await call("POST", "/v1/checkouts/", { json, ...(token === undefined ? {} : { token }) })
  expect(result.status, result.text).toBe(201)
  expect(check(component("Checkout"), result.json)).toEqual([])
  expect(decodes(Wire.Checkout, result.json)).toBe(true)
  return result.json
}

const items = (result: W.Response) => {
  expect(result.status, result.text).toBe(422)
  expect(result.json.error).toBe("RequestValidationError")
  expect(check(component("HTTPValidationError"), result.json)).toEqual([])
  return result.json.detail as Array<{ type: string; loc: Array<string | number>; msg: string; input: unknown }>
}

describe("POST /v1/checkouts/", () => {
  it("creates from a product list: 201, client secret, metadata, success URL interpolated, return URL echoed", async () => {
    const json = await created({
      products: [W.fixed.id],
      metadata: { order: "A-1", n: 3, ok: true },
      success_url: "https://shop.acme.test/thanks?checkout={CHECKOUT_ID}",
      return_url: "https://shop.acme.test/cart"
    })
    expect(json.client_secret).toMatch(/^polar_c_/u)
    expect(json.metadata).toEqual({ order: "A-1", n: 3, ok: true })
    expect(json.success_url).toBe(`https://shop.acme.test/thanks?checkout=${json.id}`)
    expect(json.return_url).toBe("https://shop.acme.test/cart")
    expect(json).toMatchObject({
      status: "open",
      amount: 1000,
      total_amount: 1000,
      net_amount: 1000,
      subtotal_amount: 1000,
      currency: "usd",
      product_id: W.fixed.id,
      organization_id: W.org.id,
      is_payment_required: true,
      is_payment_form_required: true
    })
    expect(json.url).toBe(`https://pay.acme.test/checkout/${json.client_secret}`)
    expect(json.products.map((p: { id: string }) => p.id)).toEqual([W.fixed.id])
    expect(json.product_price).toMatchObject({ id: W.fixed.prices[0]!.id, amount_type: "fixed", price_amount: 1000 })
    expect(json.prices[W.fixed.id]).toHaveLength(1)
  })

  it("creates from the deprecated product_id and product_price_id variants", async () => {
    const byProduct = await created({ product_id: W.monthly.id })
    expect(byProduct.product_id).toBe(W.monthly.id)
    expect(byProduct.product.is_recurring).toBe(true)
    expect(byProduct.product_price).toMatchObject({ type: "recurring", recurring_interval: "month" })
    const byPrice = await created({ product_price_id: W.fixed.prices[0]!.id })
    expect(byPrice.product_price_id).toBe(W.fixed.prices[0]!.id)
    expect(byPrice.product_id).toBe(W.fixed.id)
  })

  it("sets both external id keys from either input key", async () => {
    for (const key of ["external_customer_id", "customer_external_id"]) {
      const json = await created({ products: [W.fixed.id], [key]: `ext-${key}` })
      expect(json.external_customer_id).toBe(`ext-${key}`)
      expect(json.customer_external_id).toBe(`ext-${key}`)
    }
  })

  it("computes seat-based amounts: 6 × 1500, the minimum when seats are absent, fixed + seats", async () => {
    expect(await created({ products: [W.seats.id], seats: 6 })).toMatchObject({ seats: 6, amount: 9000 })
    expect(await created({ products: [W.seats.id] })).toMatchObject({ seats: 1, amount: 1500 })
    const both = await created({ products: [W.fixedAndSeats.id], seats: 5 })
    expect(both.amount).toBe(99_900 + 5 * 2000)
    expect(both.product_price.amount_type).toBe("fixed")
    expect(both.product.prices).toHaveLength(2)
    expect(both.product.prices[1]).toMatchObject({ amount_type: "seat_based", price_per_seat: 2000 })
  })

  it("a city without a street, outside the US, also forces the billing address (the domain's implied rule)", async () => {
    const json = await created({ products: [W.fixed.id], customer_billing_address: { country: "FR", city: "Paris" } })
    expect(json.require_billing_address).toBe(true)
    const plain = await created({ products: [W.fixed.id], customer_billing_address: { country: "FR" } })
    expect(plain.require_billing_address).toBe(false)
  })

  it("keeps customer fields, normalises the address and forces the billing address when it is street-level", async () => {
    const json = await created({
      products: [W.fixed.id],
      customer_email: "Ada@Example.COM",
      customer_name: "Ada",
      customer_billing_address: { country: "us", state: "ny", line1: "1 Main St", city: "New York", postal_code: "10001" },
      customer_metadata: { tier: "gold", score: 1.5 }
    })
    expect(json.customer_email).toBe("Ada@example.com")
    expect(json.customer_billing_address).toEqual({
      line1: "1 Main St",
      line2: null,
      postal_code: "10001",
      city: "New York",
      state: "US-NY",
      country: "US"
    })
    expect(json.require_billing_address).toBe(true)
    expect(json.billing_address_fields).toMatchObject({ line1: "required", city: "required", state: "required" })
    expect(json.tax_amount).toBe(100)
    // The contract types customer_metadata without floats: a float is sent as text so SDKs keep parsing it.
    expect(json.customer_metadata).toEqual({ tier: "gold", score: "1.5" })
  })

  it("answers the domain's 422s with the reference's items", async () => {
    expect(items(await call("POST", "/v1/checkouts/", { json: { products: [W.foreign.id] } }))).toEqual([
      { type: "value_error", loc: ["body", "products", 0], msg: "Product does not exist.", input: W.foreign.id }
    ])
    expect(items(await call("POST", "/v1/checkouts/", { json: { products: [W.seats2to20.id], seats: 1 } }))[0]!.loc)
      .toEqual(["body", "seats"])
    expect(items(await call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id, W.fixed.id] } }))).toMatchObject([
      { type: "value_error", loc: ["body", "products"], msg: "Value error, Product IDs must be unique." }
    ])
    const address = items(await call("POST", "/v1/checkouts/", {
      json: { products: [W.fixed.id], customer_billing_address: { country: "US", state: "QC" } }
    }))
    expect(address.map((i) => i.loc)).toEqual([["body", "customer_billing_address", "state"]])
  })

  it("lists every syntactic issue of a body, not only the first, as pydantic does", async () => {
    const body = {
      products: [W.fixed.id],
      amount: -1,
      seats: 0,
      customer_email: "not-an-email",
      success_url: "ftp://shop.acme.test/thanks",
      metadata: { ["k".repeat(41)]: "v" }
    }
    const all = items(await call("POST", "/v1/checkouts/", { json: body }))
    expect(all.map((i) => i.loc)).toEqual([
      ["body", "metadata", "k".repeat(41), "[key]"],
      ["body", "amount"],
      ["body", "seats"],
      ["body", "customer_email"],
      ["body", "success_url"]
    ])
    // The same body answered twice gives the same items (the all-issues decode is kept per schema, not per body).
    expect(items(await call("POST", "/v1/checkouts/", { json: body }))).toEqual(all)
  })

  it("refuses the fields of features it does not have (units, subscriptions, ad-hoc prices) instead of ignoring them", async () => {
    const refused = items(await call("POST", "/v1/checkouts/", {
      json: {
        products: [W.fixed.id],
        units: 2,
        subscription_id: "3f0f8a5c-6f6e-4b8a-9d6b-2a7f3c1e9b10",
        prices: { [W.fixed.id]: [{ amount_type: "fixed", price_amount: 500 }] }
      }
    }))
    expect(refused.map((i) => i.loc)).toEqual([["body", "units"], ["body", "subscription_id"], ["body", "prices"]])
    expect(refused[1]!.msg).toBe("Subscription does not exist.")
  })
})

describe("GET /v1/checkouts/{id}", () => {
  it("returns the org representation with metadata, product and product_price", async () => {
    const { id } = await created({ products: [W.withFields.id], metadata: { key: "value" } })
    const got = await call("GET", `/v1/checkouts/${id}`)
    expect(got.status).toBe(200)
    expect(check(component("Checkout"), got.json)).toEqual([])
    expect(got.json.metadata).toEqual({ key: "value" })
    expect(got.json.product.id).toBe(W.withFields.id)
    expect(got.json.product_price.id).toBe(W.withFields.prices[0]!.id)
    expect(got.json.attached_custom_fields.map((a: any) => [a.custom_field.slug, a.required, a.custom_field.type]))
      .toEqual([["company", false, "text"], ["size", true, "select"]])
    expect(got.json.attached_custom_fields[1].custom_field.properties).toEqual({
      form_label: "Size",
      options: [{ value: "s", label: "Small" }, { value: "l", label: "Large" }]
    })
    expect(got.json.attached_custom_fields[0].custom_field.properties).toEqual({ max_length: 50 })
  })

  it("404 for an unknown id and for another organization's checkout; 422 for a malformed id", async () => {
    const { id } = await created({ products: [W.fixed.id] })
    const unknown = await call("GET", "/v1/checkouts/3f0f8a5c-6f6e-4b8a-9d6b-2a7f3c1e9b10")
    expect(unknown.status).toBe(404)
    expect(unknown.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
    const foreign = await call("GET", `/v1/checkouts/${id}`, { token: W.tokens.other })
    expect(foreign.status).toBe(404)
    expect(foreign.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
    expect(items(await call("GET", "/v1/checkouts/nope")).map((i) => i.type)).toEqual(["uuid_parsing"])
  })
})

describe("blocked organization (catalogue 7.2)", () => {
  it("create is a 422 on its products while blocked and a 201 once unblocked", async () => {
    const world = W.makeApp()
    try {
      const create = (json: unknown) => world.call("POST", "/v1/checkouts/", { json, token: W.tokens.initech })
      const before = await create({ product_id: W.blockableProduct.id })
      expect(before.status).toBe(201)
      expect((await world.call("GET", `/v1/checkouts/${before.json.id}`, { token: W.tokens.initech })).status).toBe(200)
      await W.setBlocked(world.handles, W.blockableOrg, true)
      const byProduct = await create({ product_id: W.blockableProduct.id })
      expect(byProduct.status).toBe(422)
      expect(byProduct.json.detail[0].loc).toEqual(["body", "product_id"])
      const byPrice = await create({ product_price_id: W.blockableProduct.prices[0]!.id })
      expect(byPrice.status).toBe(422)
      expect(byPrice.json.detail[0].loc).toEqual(["body", "product_price_id"])
      // TestGet.test_blocked_organization: the blocked organization's checkout is not found any more.
      const hidden = await world.call("GET", `/v1/checkouts/${before.json.id}`, { token: W.tokens.initech })
      expect(hidden.status).toBe(404)
      expect(hidden.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
      await W.setBlocked(world.handles, W.blockableOrg, false)
      expect((await world.call("GET", `/v1/checkouts/${before.json.id}`, { token: W.tokens.initech })).status).toBe(200)
      expect((await create({ product_id: W.blockableProduct.id })).status).toBe(201)
    } finally {
      await world.dispose()
    }
  })
})

describe("GET /v1/checkouts/", () => {
  it("lists the caller's checkouts with the reference pagination", async () => {
    const world = W.makeApp()
    try {
      for (let i = 0; i < 5; i++) {
        expect((await world.call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id], customer_email: `b${i}@acme.test` } })).status)
          .toBe(201)
        // Distinct creation instants: within one millisecond the order falls back to the (random) id.
        await new Promise((resolve) => setTimeout(resolve, 3))
      }
      expect((await world.call("POST", "/v1/checkouts/", { json: { products: [W.foreign.id] }, token: W.tokens.other })).status)
        .toBe(201)
      const all = await world.call("GET", "/v1/checkouts/")
      expect(all.status).toBe(200)
      expect(check(component("ListResource_Checkout_"), all.json)).toEqual([])
      expect(all.json.items).toHaveLength(5)
      expect(all.json.pagination).toEqual({ total_count: 5, max_page: 1 })
      const page = await world.call("GET", "/v1/checkouts/?limit=2&page=3")
      expect(page.json.items).toHaveLength(1)
      expect(page.json.pagination).toEqual({ total_count: 5, max_page: 3 })
      const searched = await world.call("GET", "/v1/checkouts/?query=B3@&status=open")
      expect(searched.json.items.map((c: any) => c.customer_email)).toEqual(["b3@acme.test"])
      const sorted = await world.call("GET", "/v1/checkouts/?sorting=created_at")
      const emails = sorted.json.items.map((c: any) => c.customer_email)
      expect(emails[0]).toBe("b0@acme.test")
      const none = await world.call("GET", `/v1/checkouts/?organization_id=${W.otherOrg.id}`)
      expect(none.json).toEqual({ items: [], pagination: { total_count: 0, max_page: 0 } })
    } finally {
      await world.dispose()
    }
  })
})

describe("PATCH /v1/checkouts/{id}", () => {
  it("updates metadata, seats and the discount, and clears the discount with an explicit null", async () => {
    const { id } = await created({ products: [W.seats2500.id], seats: 4 })
    const patch = (json: unknown) => call("PATCH", `/v1/checkouts/${id}`, { json })
    const metadata = await patch({ metadata: { a: "b" } })
    expect(metadata.status).toBe(200)
    expect(check(component("Checkout"), metadata.json)).toEqual([])
    expect(metadata.json.metadata).toEqual({ a: "b" })
    expect((await patch({ seats: 10 })).json).toMatchObject({ seats: 10, amount: 25_000 })
    const discounted = await patch({ discount_id: W.save10.id })
    expect(discounted.json.discount).toEqual({
      id: W.save10.id,
      name: "10 %",
      code: "SAVE10",
      duration: "once",
      type: "percentage",
      basis_points: 1000
    })
    expect(discounted.json).toMatchObject({ discount_amount: 2500, net_amount: 22_500, metadata: { a: "b" } })
    const cleared = await patch({ discount_id: null })
    expect(cleared.json).toMatchObject({ discount: null, discount_id: null, discount_amount: 0 })
  })

  it("shows a fixed discount with its deprecated amount and currency", async () => {
    const { id } = await created({ products: [W.fixed.id], discount_id: W.fiveOff.id })
    const got = await call("GET", `/v1/checkouts/${id}`)
    expect(got.json.discount).toEqual({
      id: W.fiveOff.id,
      name: "5 off",
      code: null,
      duration: "once",
      type: "fixed",
      amount: 500,
      currency: "usd",
      amounts: { usd: 500, eur: 450 }
    })
    expect(got.json.total_amount).toBe(500)
  })

  it("404 for another organization, 403 NotOpenCheckout once the checkout is not open", async () => {
    const { id, client_secret } = await created({ products: [W.free.id] })
    expect((await call("PATCH", `/v1/checkouts/${id}`, { json: {}, token: W.tokens.other })).status).toBe(404)
    const confirmed = await call("POST", `/v1/checkouts/client/${client_secret}/confirm`, {
      token: null,
      json: { customer_email: "free@acme.test" }
    })
    expect(confirmed.status, confirmed.text).toBe(200)
    const refused = await call("PATCH", `/v1/checkouts/${id}`, { json: { metadata: {} } })
    expect(refused.status).toBe(403)
    const status = (await call("GET", `/v1/checkouts/${id}`)).json.status
    expect(refused.json).toEqual({ error: "NotOpenCheckout", detail: `Checkout ${id} is not open: ${status}` })
  })

  it("keeps absent fields untouched and refuses units", async () => {
    const { id } = await created({ products: [W.fixed.id], customer_name: "Ada", metadata: { k: "v" } })
    const touched = await call("PATCH", `/v1/checkouts/${id}`, { json: { customer_email: "ada@acme.test" } })
    expect(touched.json).toMatchObject({ customer_name: "Ada", customer_email: "ada@acme.test", metadata: { k: "v" } })
    const cleared = await call("PATCH", `/v1/checkouts/${id}`, { json: { customer_name: null } })
    expect(cleared.json.customer_name).toBe(null)
    expect(items(await call("PATCH", `/v1/checkouts/${id}`, { json: { units: 3 } })).map((i) => i.loc)).toEqual([
      ["body", "units"]
    ])
  })
})
