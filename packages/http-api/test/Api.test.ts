import { afterAll, describe, expect, it } from "@effect/vitest"
import { wwwAuthenticate } from "../src/Errors.ts"
import { check, component } from "./ContractSchema.ts"
import * as Fixtures from "./Fixtures.ts"
import { makeWebHandler, seen } from "./StubApp.ts"

const { handler, dispose } = makeWebHandler()
afterAll(() => dispose())

const secret = Fixtures.checkout.client_secret
const linkSecret = Fixtures.checkoutLink.client_secret

const call = async (
  method: string,
  path: string,
  options: { body?: string; json?: unknown; token?: string | null; contentType?: string } = {}
) => {
  const headers: Record<string, string> = {}
  const token = options.token === undefined ? "tok-all" : options.token
  if (token !== null) headers["authorization"] = `Bearer ${token}`
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json"
  const response = await handler(
    new Request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  )
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: text === "" ? undefined : JSON.parse(text) }
}

/** A 422 body: shaped like the contract's HTTPValidationError, plus the reference's `error` key. */
const validationItems = (result: Awaited<ReturnType<typeof call>>) => {
  expect(result.status).toBe(422)
  expect(result.json.error).toBe("RequestValidationError")
  expect(check(component("HTTPValidationError"), result.json)).toEqual([])
  return result.json.detail as Array<{ type: string; loc: Array<string | number>; msg: string; input?: unknown }>
}

const locsAndTypes = (items: ReturnType<typeof validationItems>) => items.map((i) => [i.loc, i.type])

describe("routes and statuses", () => {
  it("lists checkouts at the SDK's trailing-slash path and without it", async () => {
    for (const path of ["/v1/checkouts/", "/v1/checkouts"]) {
      const result = await call("GET", path)
      expect(result.status).toBe(200)
      expect(check(component("ListResource_Checkout_"), result.json)).toEqual([])
      expect(result.json.items[0].id).toBe(Fixtures.ids.checkout)
    }
  })

  it("gets a checkout, and answers ResourceNotFound for another id", async () => {
    const found = await call("GET", `/v1/checkouts/${Fixtures.ids.checkout}`)
    expect(found.status).toBe(200)
    expect(found.json.created_at).toBe("2026-03-01T12:00:00.000Z")
    const missing = await call("GET", "/v1/checkouts/11111111-2222-4333-8444-555555555555")
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
  })

  it("creates a checkout with 201 at both path forms", async () => {
    for (const path of ["/v1/checkouts/", "/v1/checkouts"]) {
      const result = await call("POST", path, { json: { products: [Fixtures.ids.product] } })
      expect(result.status).toBe(201)
      expect(check(component("Checkout"), result.json)).toEqual([])
    }
  })

  it("updates a checkout with 200", async () => {
    const result = await call("PATCH", `/v1/checkouts/${Fixtures.ids.checkout}`, { json: { metadata: { a: "b" } } })
    expect(result.status).toBe(200)
    expect(result.json.metadata).toEqual(Fixtures.checkout.metadata)
  })

  it("serves the client endpoints without credentials; confirm answers 200", async () => {
    const got = await call("GET", `/v1/checkouts/client/${secret}`, { token: null })
    expect(got.status).toBe(200)
    expect("metadata" in got.json).toBe(false)
    expect(got.json.organization.slug).toBe("acme")
    const updated = await call("PATCH", `/v1/checkouts/client/${secret}`, { token: null, json: { customer_name: "Ada" } })
    expect(updated.status).toBe(200)
    const confirmed = await call("POST", `/v1/checkouts/client/${secret}/confirm`, {
      token: null,
      json: { confirmation_token_id: "ctoken_123" }
    })
    expect(confirmed.status).toBe(200)
    expect(confirmed.json.status).toBe("confirmed")
    expect(confirmed.json.customer_session_token).toBe("polar_cst_123")
    expect(check(component("CheckoutPublicConfirmed"), confirmed.json)).toEqual([])
  })

  it("answers 404 for an unknown client secret", async () => {
    const result = await call("GET", "/v1/checkouts/client/polar_c_unknown", { token: null })
    expect(result.status).toBe(404)
    expect(result.json.error).toBe("ResourceNotFound")
  })

  it("serves checkout links: list, get, create 201, update, delete 204", async () => {
    for (const path of ["/v1/checkout-links/", "/v1/checkout-links"]) {
      const list = await call("GET", path)
      expect(list.status).toBe(200)
      expect(check(component("ListResource_CheckoutLink_"), list.json)).toEqual([])
      const created = await call("POST", path, {
        json: { payment_processor: "stripe", products: [Fixtures.ids.product] }
      })
      expect(created.status).toBe(201)
    }
    expect((await call("GET", `/v1/checkout-links/${Fixtures.ids.link}`)).status).toBe(200)
    expect((await call("PATCH", `/v1/checkout-links/${Fixtures.ids.link}`, { json: { label: "x" } })).status).toBe(200)
    const deleted = await call("DELETE", `/v1/checkout-links/${Fixtures.ids.link}`)
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe("")
    const gone = await call("DELETE", "/v1/checkout-links/11111111-2222-4333-8444-555555555555")
    expect(gone.status).toBe(404)
  })

  it("redirects a link with 307 and a Location, without credentials, passing every query parameter", async () => {
    const result = await call("GET", `/v1/checkout-links/${linkSecret}/redirect?utm_source=x&custom_field_data.a=1&b=2&b=3`, {
      token: null
    })
    expect(result.status).toBe(307)
    expect(result.headers.get("location")).toBe(Fixtures.checkout.url)
    expect(seen.get("checkoutLinkRedirect.redirect")).toEqual({ utm_source: "x", "custom_field_data.a": "1", b: ["2", "3"] })
    expect((await call("GET", "/v1/checkout-links/polar_cl_unknown/redirect", { token: null })).status).toBe(404)
  })

  it("answers unknown routes with Starlette's 404 body", async () => {
    const result = await call("GET", "/v1/nothing-here")
    expect(result.status).toBe(404)
    expect(result.json).toEqual({ detail: "Not Found" })
  })
})

describe("authentication and scopes", () => {
  it("401 with WWW-Authenticate without credentials or with an unknown token", async () => {
    for (const token of [null, "nope"]) {
      const result = await call("GET", "/v1/checkouts/", { token })
      expect(result.status).toBe(401)
      expect(result.headers.get("www-authenticate")).toBe(wwwAuthenticate)
      expect(result.json).toEqual({ error: "Unauthorized", detail: "Unauthorized" })
    }
  })

  it("a read token reads but gets the OAuth2 403 on writes", async () => {
    expect((await call("GET", "/v1/checkouts/", { token: "tok-read" })).status).toBe(200)
    expect((await call("GET", "/v1/checkout-links/", { token: "tok-read" })).status).toBe(200)
    const denied = await call("POST", "/v1/checkouts/", { token: "tok-read", json: { products: [Fixtures.ids.product] } })
    expect(denied.status).toBe(403)
    expect(denied.json).toEqual({
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token."
    })
    expect((await call("DELETE", `/v1/checkout-links/${Fixtures.ids.link}`, { token: "tok-read" })).status).toBe(403)
  })

  it("a write token also reads, and the handler sees the caller's organization", async () => {
    expect((await call("GET", "/v1/checkouts/?limit=5")).status).toBe(200)
    expect(seen.get("checkouts.list")).toMatchObject({ caller: Fixtures.ids.organization })
  })

  it("authentication runs before body validation", async () => {
    expect((await call("POST", "/v1/checkouts/", { token: null, body: "{" })).status).toBe(401)
  })
})

describe("query parameters", () => {
  it("applies the defaults", async () => {
    await call("GET", "/v1/checkouts/")
    expect(seen.get("checkouts.list")).toMatchObject({ query: { page: 1, limit: 10, sorting: ["-created_at"] } })
    await call("GET", "/v1/checkout-links/")
    expect(seen.get("checkoutLinks.list")).toMatchObject({ page: 1, limit: 10, sorting: ["created_at"] })
  })

  it("clamps limit to 100 and accepts single or repeated filters", async () => {
    const org = Fixtures.ids.organization
    const result = await call(
      "GET",
      `/v1/checkouts/?limit=500&page=2&status=open&sorting=-status&sorting=created_at&organization_id=${org}&query=ada`
    )
    expect(result.status).toBe(200)
    expect(seen.get("checkouts.list")).toMatchObject({
      query: {
        limit: 100,
        page: 2,
        status: ["open"],
        sorting: ["-status", "created_at"],
        organization_id: [org],
        query: "ada"
      }
    })
    await call("GET", "/v1/checkouts/?status=open&status=expired&external_customer_id=a&external_customer_id=b")
    expect(seen.get("checkouts.list")).toMatchObject({
      query: { status: ["open", "expired"], external_customer_id: ["a", "b"] }
    })
  })

  it("reports an invalid sorting criterion as the reference does", async () => {
    const items = validationItems(await call("GET", "/v1/checkouts/?sorting=-created_at&sorting=bogus"))
    expect(items).toEqual([{
      type: "enum",
      loc: ["query", "sorting"],
      msg: "Invalid sorting criterion.",
      input: ["-created_at", "bogus"]
    }])
    const links = validationItems(await call("GET", "/v1/checkout-links/?sorting=status"))
    expect(locsAndTypes(links)).toEqual([[["query", "sorting"], "enum"]])
  })

  it("reports every bad parameter with pydantic-like types", async () => {
    const items = validationItems(await call("GET", "/v1/checkouts/?limit=0&page=abc&status=nope&product_id=zzz"))
    expect(locsAndTypes(items)).toEqual([
      [["query", "product_id", 0], "uuid_parsing"],
      [["query", "status", 0], "enum"],
      [["query", "page"], "int_parsing"],
      [["query", "limit"], "greater_than"]
    ])
    expect(items[3]).toMatchObject({ msg: "Input should be greater than 0", input: "0" })
  })
})

describe("path parameters", () => {
  it("a malformed id is a 422 at [path, id]", async () => {
    for (const path of ["/v1/checkouts/not-a-uuid", "/v1/checkout-links/123"]) {
      const items = validationItems(await call("GET", path))
      expect(items).toMatchObject([{ type: "uuid_parsing", loc: ["path", "id"] }])
    }
    const patch = validationItems(await call("PATCH", "/v1/checkouts/xyz", { json: {} }))
    expect(locsAndTypes(patch)).toEqual([[["path", "id"], "uuid_parsing"]])
  })
})

describe("request bodies", () => {
  const create = (json: unknown) => call("POST", "/v1/checkouts/", { json })
  const product = Fixtures.ids.product

  it("reports field errors with body locs", async () => {
    const items = validationItems(await create({
      products: [product, 3],
      amount: -1,
      seats: 10001,
      customer_email: "nope",
      success_url: "ftp://example.com",
      customer_name: "x".repeat(257)
    }))
    expect(locsAndTypes(items)).toEqual([
      [["body", "amount"], "greater_than_equal"],
      [["body", "seats"], "less_than_equal"],
      [["body", "customer_name"], "string_too_long"],
      [["body", "customer_email"], "value_error"],
      [["body", "success_url"], "url_parsing"],
      [["body", "products", 1], "string_type"]
    ])
    expect(items[0]).toMatchObject({ msg: "Input should be greater than or equal to 0", input: -1, ctx: { ge: 0 } })
    expect(items[1]).toMatchObject({ ctx: { le: 10000 } })
  })

  it("reports a missing products list, an empty one and duplicates", async () => {
    expect(validationItems(await create({}))).toEqual([
      { type: "missing", loc: ["body", "products"], msg: "Field required", input: {} }
    ])
    expect(locsAndTypes(validationItems(await create({ products: [] })))).toEqual([[["body", "products"], "too_short"]])
    expect(validationItems(await create({ products: [product, product] }))).toMatchObject([
      { type: "value_error", loc: ["body", "products"], msg: "Value error, Product IDs must be unique." }
    ])
  })

  it("reports the deprecated variant the client used", async () => {
    expect(locsAndTypes(validationItems(await create({ product_id: "nope" })))).toEqual([
      [["body", "product_id"], "uuid_parsing"]
    ])
    expect(locsAndTypes(validationItems(await create({ product_price_id: 7 })))).toEqual([
      [["body", "product_price_id"], "string_type"]
    ])
  })

  it("checks integer types", async () => {
    expect(locsAndTypes(validationItems(await create({ products: [product], amount: 1.5 })))).toEqual([
      [["body", "amount"], "int_from_float"]
    ])
    expect(locsAndTypes(validationItems(await create({ products: [product], amount: "100" })))).toEqual([
      [["body", "amount"], "int_type"]
    ])
  })

  it("requires both trial keys or neither", async () => {
    expect(validationItems(await create({ products: [product], trial_interval: "month" }))).toMatchObject([{
      type: "value_error",
      loc: ["body"],
      msg: "Value error, Both trial_interval and trial_interval_count must be set together."
    }])
  })

  it("requires min_seats <= max_seats on the body, as the reference's model validator", async () => {
    expect(validationItems(await create({ products: [product], min_seats: 5, max_seats: 2 }))).toMatchObject([{
      type: "value_error",
      loc: ["body"],
      msg: "Value error, min_seats must be less than or equal to max_seats."
    }])
  })

  it("validates addresses: excluded countries and US states", async () => {
    const address = (customer_billing_address: unknown) => create({ products: [product], customer_billing_address })
    expect(locsAndTypes(validationItems(await address({ country: "US", state: "QC" })))).toEqual([
      [["body", "customer_billing_address", "state"], "value_error"]
    ])
    expect(locsAndTypes(validationItems(await address({ country: "RU" })))).toEqual([
      [["body", "customer_billing_address", "country"], "enum"]
    ])
    expect(locsAndTypes(validationItems(await address({ country: null })))).toEqual([
      [["body", "customer_billing_address", "country"], "string_type"]
    ])
  })

  it("decodes a valid body with the reference defaults and normalisations", async () => {
    const result = await create({
      products: [product],
      customer_external_id: "ext-1",
      customer_name: "  ",
      customer_email: "Ada@Example.COM",
      customer_billing_address: { country: "us", state: "ny", line1: "" },
      locale: "en_gb",
      payment_processor: "stripe"
    })
    expect(result.status).toBe(201)
    const payload = seen.get("checkouts.create") as Record<string, unknown>
    expect(payload).toMatchObject({
      products: [product],
      external_customer_id: "ext-1",
      customer_name: null,
      customer_email: "Ada@example.com",
      customer_billing_address: { country: "US", state: "US-NY", line1: null, line2: null },
      locale: "en-GB",
      allow_discount_codes: true,
      require_billing_address: false,
      allow_trial: true,
      metadata: {},
      currency: null
    })
    expect("payment_processor" in payload).toBe(false)
    expect("customer_external_id" in payload).toBe(false)
  })

  it("passes require_billing_address as given: a street address implies it in the domain, not in the wire", async () => {
    await create({ products: [product], customer_billing_address: { country: "FR", city: "Paris" } })
    expect(seen.get("checkouts.create")).toMatchObject({ require_billing_address: false })
  })

  it("keeps absent and explicit null apart on updates", async () => {
    await call("PATCH", `/v1/checkouts/${Fixtures.ids.checkout}`, { json: { discount_id: null, customer_tax_id: "" } })
    const cleared = seen.get("checkouts.update") as Record<string, unknown>
    expect(cleared).toEqual({ discount_id: null, customer_tax_id: null })
    await call("PATCH", `/v1/checkouts/${Fixtures.ids.checkout}`, { json: { amount: 500 } })
    expect(seen.get("checkouts.update")).toEqual({ amount: 500 })
  })

  it("drops metadata from the client update and trims discount codes", async () => {
    await call("PATCH", `/v1/checkouts/client/${secret}`, {
      token: null,
      json: { metadata: { a: "b" }, discount_code: "  SAVE10 ", payment_method_type: "" }
    })
    expect(seen.get("checkoutsClient.update")).toEqual({ discount_code: "SAVE10", payment_method_type: null })
    const items = validationItems(
      await call("PATCH", `/v1/checkouts/client/${secret}`, { token: null, json: { allow_trial: true } })
    )
    expect(locsAndTypes(items)).toEqual([[["body", "allow_trial"], "literal_error"]])
  })

  it("enforces the metadata limits", async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))
    expect(locsAndTypes(validationItems(await create({ products: [product], metadata: many })))).toEqual([
      [["body", "metadata"], "too_long"]
    ])
    expect(locsAndTypes(validationItems(await create({ products: [product], metadata: { ok: "" } })))).toEqual([
      [["body", "metadata", "ok"], "string_too_short"]
    ])
    const long = "k".repeat(41)
    expect(locsAndTypes(validationItems(await create({ products: [product], metadata: { [long]: "v" } })))).toEqual([
      [["body", "metadata", long, "[key]"], "string_too_long"]
    ])
    const accepted = await create({ products: [product], metadata: { ["k".repeat(40)]: "v".repeat(500), n: 1.5 } })
    expect(accepted.status).toBe(201)
  })

  it("checks link bodies: payment_processor is required", async () => {
    const items = validationItems(await call("POST", "/v1/checkout-links/", { json: { products: [product] } }))
    expect(items).toMatchObject([{ type: "missing", loc: ["body", "payment_processor"] }])
    await call("PATCH", `/v1/checkout-links/${Fixtures.ids.link}`, { json: { seats: null } })
    expect(seen.get("checkoutLinks.update")).toEqual({ seats: null })
  })
})

describe("malformed requests never reach 5xx", () => {
  it("invalid JSON is json_invalid at [body, offset]", async () => {
    const items = validationItems(await call("POST", "/v1/checkouts/", { body: "{\"products\": [" }))
    expect(items).toMatchObject([{ type: "json_invalid", msg: "JSON decode error" }])
    expect(items[0]!.loc[0]).toBe("body")
    expect(typeof items[0]!.loc[1]).toBe("number")
  })

  it("an empty body is a missing body", async () => {
    expect(validationItems(await call("POST", "/v1/checkouts/", { body: "" }))).toEqual([
      { type: "missing", loc: ["body"], msg: "Field required", input: null }
    ])
    expect(validationItems(await call("POST", `/v1/checkouts/client/${secret}/confirm`, { token: null, body: "" })))
      .toMatchObject([{ type: "missing", loc: ["body"] }])
  })

  it("a body that is not an object is model_attributes_type", async () => {
    for (const body of ["[1,2]", "\"text\"", "null", "42"]) {
      const items = validationItems(await call("POST", "/v1/checkouts/", { body }))
      expect(items.map((i) => i.loc)).toEqual([["body"]])
    }
  })

  it("a non-JSON content type is a 422, not a text 415", async () => {
    const result = await call("POST", "/v1/checkouts/", { body: "products=1", contentType: "text/plain" })
    expect(validationItems(result)).toMatchObject([{ type: "model_attributes_type", loc: ["body"], input: "products=1" }])
  })

  it("an oversized body is a 413 with an error body", async () => {
    const result = await call("POST", "/v1/checkouts/", { body: JSON.stringify({ products: ["x".repeat(20000)] }) })
    expect(result.status).toBe(413)
    expect(result.json.error).toBe("PayloadTooLarge")
  })
})
