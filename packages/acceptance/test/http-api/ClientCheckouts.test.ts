/**
 * The buyer's endpoints, addressed by client secret alone (spec 4.2, 5; catalogue 7.2): get, update and confirm
 * over the real domain with the scripted payment processor, including every failure a buyer can meet (404, 410,
 * 403 not open / blocked organization / not ready, 400 decline, 409 busy, 502 outcome lost, 500 tax outage).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { check, component } from "../../../http-api/test/ContractSchema.ts"
import * as W from "./World.ts"

const app = W.makeApp()
afterAll(() => app.dispose())
const { call } = app

const create = async (json: unknown, world = app, token?: string) => {
  const result = await world.call("POST", "/v1/checkouts/", { json, ...(token === undefined ? {} : { token }) })
  expect(result.status, result.text).toBe(201)
  return result.json as { id: string; client_secret: string }
}

const client = (secret: string, suffix = "") => `/v1/checkouts/client/${secret}${suffix}`

/** A paid checkout with everything confirm needs but the payment token. */
const payable = { products: [W.fixed.id], customer_email: "buyer@acme.test", customer_billing_address: { country: "FR" } }

describe("GET /v1/checkouts/client/{client_secret}", () => {
  it("returns CheckoutPublic: no metadata nor customer internals, the organization, only public benefits", async () => {
    const { client_secret } = await create({
      products: [W.withBenefits.id],
      metadata: { secret: "internal" },
      customer_metadata: { crm: "1" },
      external_customer_id: "ext-1"
    })
    const got = await call("GET", client(client_secret), { token: null })
    expect(got.status).toBe(200)
    expect(check(component("CheckoutPublic"), got.json)).toEqual([])
    for (const key of ["metadata", "customer_metadata", "external_customer_id", "customer_external_id", "subscription_id"]) {
      expect(key in got.json, key).toBe(false)
    }
    expect(got.json.organization).toMatchObject({ id: W.org.id, name: "Acme", slug: "acme", proration_behavior: "invoice" })
    expect(got.json.product.benefits.map((b: any) => b.description)).toEqual(["public benefit"])
    expect(got.json.products[0].benefits).toHaveLength(1)
  })

  it("404 for an unknown secret, without credentials", async () => {
    const result = await call("GET", client("polar_c_unknown"), { token: null })
    expect(result.status).toBe(404)
    expect(result.json).toEqual({ error: "ResourceNotFound", detail: "Not found" })
  })

  it("403 NotPermitted once the organization is blocked", async () => {
    const world = W.makeApp()
    try {
      const { client_secret } = await create({ products: [W.blockableProduct.id] }, world, W.tokens.initech)
      expect((await world.call("GET", client(client_secret), { token: null })).status).toBe(200)
      await W.setBlocked(world.handles, W.blockableOrg, true)
      const blocked = await world.call("GET", client(client_secret), { token: null })
      expect(blocked.status).toBe(403)
      expect(blocked.json).toEqual({ error: "NotPermitted", detail: "Not permitted" })
    } finally {
      await world.dispose()
    }
  })
})

describe("PATCH /v1/checkouts/client/{client_secret}", () => {
  it("updates the buyer's fields; metadata in the body is neither exposed nor stored", async () => {
    const { id, client_secret } = await create({ products: [W.fixed.id], metadata: { kept: "yes" } })
    const updated = await call("PATCH", client(client_secret), {
      token: null,
      json: { customer_name: "Grace", metadata: { injected: "no" } }
    })
    expect(updated.status).toBe(200)
    expect(check(component("CheckoutPublic"), updated.json)).toEqual([])
    expect(updated.json.customer_name).toBe("Grace")
    expect("metadata" in updated.json).toBe(false)
    expect((await call("GET", `/v1/checkouts/${id}`)).json.metadata).toEqual({ kept: "yes" })
  })

  it("a upi payment method requires line1, city and postal code", async () => {
    const { client_secret } = await create({ products: [W.fixed.id] })
    const updated = await call("PATCH", client(client_secret), { token: null, json: { payment_method_type: "upi" } })
    expect(updated.status).toBe(200)
    expect(updated.json.payment_method_type).toBe("upi")
    expect(updated.json.billing_address_fields).toMatchObject({ line1: "required", city: "required", postal_code: "required" })
  })

  it("applies a discount code and shows it with its code", async () => {
    const { client_secret } = await create({ products: [W.fixed.id] })
    const updated = await call("PATCH", client(client_secret), { token: null, json: { discount_code: " save10 " } })
    expect(updated.status).toBe(200)
    expect(updated.json.discount).toMatchObject({ id: W.save10.id, code: "SAVE10", type: "percentage" })
    expect(updated.json).toMatchObject({ discount_amount: 100, net_amount: 900 })
  })

  it("404 for an unknown secret; 422 for a bad address; units refused", async () => {
    expect((await call("PATCH", client("polar_c_unknown"), { token: null, json: {} })).status).toBe(404)
    const { client_secret } = await create({ products: [W.fixed.id] })
    const bad = await call("PATCH", client(client_secret), {
      token: null,
      json: { customer_billing_address: { country: "US", state: "QC" } }
    })
    expect(bad.status).toBe(422)
    expect(bad.json.detail[0].loc).toEqual(["body", "customer_billing_address", "state"])
    const units = await call("PATCH", client(client_secret), { token: null, json: { units: 2 } })
    expect(units.status).toBe(422)
    expect(units.json.detail[0].loc).toEqual(["body", "units"])
  })
})

describe("POST /v1/checkouts/client/{client_secret}/confirm", () => {
  it("confirms a paid checkout with the fake processor: 200 CheckoutPublicConfirmed with the session token key", async () => {
    const { client_secret } = await create(payable)
    const confirmed = await call("POST", client(client_secret, "/confirm"), {
      token: null,
      json: { confirmation_token_id: "ctoken_ok", customer_name: "Ada" }
    })
    expect(confirmed.status, confirmed.text).toBe(200)
    expect(check(component("CheckoutPublicConfirmed"), confirmed.json)).toEqual([])
    expect(confirmed.json.status).toBe("confirmed")
    expect("customer_session_token" in confirmed.json).toBe(true)
    expect(confirmed.json.customer_id).not.toBe(null)
    expect(confirmed.json.payment_processor_metadata).toMatchObject({ intent_status: "succeeded" })
    expect("metadata" in confirmed.json).toBe(false)
    const calls = await Effect.runPromise(app.handles.processor.confirmCalls)
    expect(calls.at(-1)?.input).toMatchObject({ confirmationTokenId: "ctoken_ok", amount: 1000, currency: "usd" })
  })

  it("applies a discount code on confirm and shows it", async () => {
    const { client_secret } = await create(payable)
    const confirmed = await call("POST", client(client_secret, "/confirm"), {
      token: null,
      json: { confirmation_token_id: "ctoken_ok", discount_code: "SAVE10" }
    })
    expect(confirmed.status, confirmed.text).toBe(200)
    expect(confirmed.json.discount).toMatchObject({ code: "SAVE10" })
    expect(confirmed.json.total_amount).toBe(900)
  })

  it("a second confirm is 403 NotOpenCheckout with the reference's wording", async () => {
    const { id, client_secret } = await create(payable)
    const confirm = () => call("POST", client(client_secret, "/confirm"), { token: null, json: { confirmation_token_id: "ctoken_ok" } })
    expect((await confirm()).status).toBe(200)
    const again = await confirm()
    expect(again.status).toBe(403)
    expect(again.json).toEqual({ error: "NotOpenCheckout", detail: `Checkout ${id} is not open: confirmed` })
  })

  it("reports missing required fields as one 422 list", async () => {
    const { client_secret } = await create({ products: [W.fixed.id] })
    const missing = await call("POST", client(client_secret, "/confirm"), { token: null, json: {} })
    expect(missing.status).toBe(422)
    expect(check(component("HTTPValidationError"), missing.json)).toEqual([])
    const locs = missing.json.detail.map((i: any) => i.loc.join("."))
    expect(locs).toContain("body.customer_email")
    expect(locs).toContain("body.confirmation_token_id")
  })

  it("404 for an unknown secret; 422 for an invalid billing address", async () => {
    expect((await call("POST", client("polar_c_unknown", "/confirm"), { token: null, json: {} })).status).toBe(404)
    const { client_secret } = await create(payable)
    const bad = await call("POST", client(client_secret, "/confirm"), {
      token: null,
      json: { confirmation_token_id: "ctoken_ok", customer_billing_address: { country: null } }
    })
    expect(bad.status).toBe(422)
    expect(bad.json.detail[0].loc).toEqual(["body", "customer_billing_address", "country"])
  })

  it("403 PaymentNotReady when the organization cannot take payments", async () => {
    const { client_secret } = await create(
      { products: [W.notReadyProduct.id], customer_email: "b@acme.test" },
      app,
      W.tokens.notReady
    )
    const refused = await call("POST", client(client_secret, "/confirm"), { token: null, json: { confirmation_token_id: "t" } })
    expect(refused.status).toBe(403)
    expect(refused.json).toEqual({ error: "PaymentNotReady", detail: "Organization is not ready to accept payments" })
  })
})

describe("confirm failures from the payment processor", () => {
  it("a decline is 400 PaymentError with the reference's text, and the checkout stays open", async () => {
    const world = W.makeApp({ script: { steps: ["decline"] } })
    try {
      const { id, client_secret } = await create(payable, world)
      const declined = await world.call("POST", client(client_secret, "/confirm"), {
        token: null,
        json: { confirmation_token_id: "ctoken_declined" }
      })
      expect(declined.status).toBe(400)
      expect(check(component("PaymentError"), declined.json)).toEqual([])
      expect(declined.json).toEqual({
        error: "PaymentError",
        detail: "The payment failed: Your card was declined. Please try again with a different payment method."
      })
      expect((await world.call("GET", `/v1/checkouts/${id}`)).json.status).toBe("open")
      const retried = await world.call("POST", client(client_secret, "/confirm"), {
        token: null,
        json: { confirmation_token_id: "ctoken_ok" }
      })
      expect(retried.status).toBe(200)
    } finally {
      await world.dispose()
    }
  })

  it("a lost answer is 502 PaymentOutcomeUnknown, and retrying replays the same charge", async () => {
    const world = W.makeApp({ script: { steps: ["unknown"] } })
    try {
      const { client_secret } = await create(payable, world)
      const confirm = () =>
        world.call("POST", client(client_secret, "/confirm"), { token: null, json: { confirmation_token_id: "ctoken_ok" } })
      const lost = await confirm()
      expect(lost.status).toBe(502)
      expect(lost.json).toEqual({
        error: "PaymentOutcomeUnknown",
        detail: "The payment could not be confirmed. Please try again; you will not be charged twice."
      })
      expect((await confirm()).status).toBe(200)
      expect(await Effect.runPromise(world.handles.processor.charges)).toBe(1)
    } finally {
      await world.dispose()
    }
  })

  it("a request on a checkout that another request is confirming is 409 CheckoutLocked", async () => {
    let release!: () => void
    let entered!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const inFlight = new Promise<void>((resolve) => (entered = resolve))
    const world = W.makeApp({
      processor: (inner) => ({
        ...inner,
        confirm: (input) =>
          Effect.andThen(
            Effect.promise(() => {
              entered()
              return held
            }),
            inner.confirm(input)
          )
      })
    })
    try {
      const { client_secret } = await create(payable, world)
      const first = world.call("POST", client(client_secret, "/confirm"), { token: null, json: { confirmation_token_id: "t" } })
      await inFlight
      const busy = await world.call("POST", client(client_secret, "/confirm"), { token: null, json: { confirmation_token_id: "t" } })
      expect(busy.status).toBe(409)
      expect(busy.json).toEqual({ error: "CheckoutLocked", detail: "Checkout is currently being processed. Please try again." })
      const update = await world.call("PATCH", client(client_secret), { token: null, json: { customer_name: "x" } })
      expect(update.status).toBe(409)
      release()
      expect((await first).status).toBe(200)
    } finally {
      release()
      await world.dispose()
    }
  })
})

describe("expiry", () => {
  it("every client endpoint answers 410 after expires_at", async () => {
    const world = W.makeApp({ ttl: Duration.millis(30) })
    try {
      const { client_secret } = await create({ products: [W.fixed.id] }, world)
      await new Promise((resolve) => setTimeout(resolve, 60))
      const expired = { error: "ExpiredCheckoutError", detail: "This checkout session has expired." }
      const got = await world.call("GET", client(client_secret), { token: null })
      expect(got.status).toBe(410)
      expect(got.json).toEqual(expired)
      const updated = await world.call("PATCH", client(client_secret), { token: null, json: { customer_name: "x" } })
      expect([updated.status, updated.json]).toEqual([410, expired])
      const confirmed = await world.call("POST", client(client_secret, "/confirm"), { token: null, json: {} })
      expect([confirmed.status, confirmed.json]).toEqual([410, expired])
      // Expiry is checked before the organization: an expired checkout of a blocked organization is still a 410.
      const blocked = await create({ products: [W.blockableProduct.id] }, world, W.tokens.initech)
      await new Promise((resolve) => setTimeout(resolve, 60))
      await W.setBlocked(world.handles, W.blockableOrg, true)
      const expiredBlocked = await world.call("GET", client(blocked.client_secret), { token: null })
      expect([expiredBlocked.status, expiredBlocked.json]).toEqual([410, expired])
    } finally {
      await world.dispose()
    }
  })
})

describe("tax outage", () => {
  it("a technical tax failure is a logged 500 with a generic body", async () => {
    const world = W.makeApp({ tax: { technicalErrors: { DE: "tax service down" } } })
    try {
      const result = await world.call("POST", "/v1/checkouts/", {
        json: { products: [W.fixed.id], customer_billing_address: { country: "DE" } }
      })
      expect(result.status).toBe(500)
      expect(result.json).toEqual({ error: "InternalServerError", detail: "Internal Server Error" })
      expect(result.text).not.toContain("tax service down")
    } finally {
      await world.dispose()
    }
  })
})
