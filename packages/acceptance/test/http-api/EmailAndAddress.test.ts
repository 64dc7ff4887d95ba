/**
 * Issue 19 items 5 and 6 over HTTP: `customer_email` lengths as pydantic's `EmailStr` checks them on every endpoint
 * that takes one (create, org update, client update, confirm: 422 `value_error` at `body.customer_email` with
 * email-validator's reason, never stored; a link prefill drops it), and `customer_billing_address: null` ignored on
 * the org update, the client update and confirm (the stored address stays).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as W from "./World.ts"

const app = W.makeApp()
afterAll(() => app.dispose())
const { call } = app

const create = async (json: unknown) => {
  const result = await call("POST", "/v1/checkouts/", { json })
  expect(result.status, result.text).toBe(201)
  return result.json as { id: string; client_secret: string; customer_email: string | null }
}
const client = (secret: string, suffix = "") => `/v1/checkouts/client/${secret}${suffix}`
const orgGet = async (id: string) => (await call("GET", `/v1/checkouts/${id}`)).json

/** An address with a local part of `local` characters and a first domain label of `label` characters. */
const address = (local: number, label: number) => `${"b".repeat(local)}@${"d".repeat(label)}.test`

const cases = [
  { local: 64, label: 63, reason: null },
  { local: 65, label: 10, reason: "The email address is too long before the @-sign (1 character too many)." },
  { local: 70, label: 10, reason: "The email address is too long before the @-sign (6 characters too many)." },
  { local: 10, label: 64, reason: "After the @-sign, periods cannot be separated by so many characters (1 character too many)." }
] as const

const refusal = (email: string, reason: string) => [{
  type: "value_error",
  loc: ["body", "customer_email"],
  msg: `value is not a valid email address: ${reason}`,
  input: email,
  ctx: { reason }
}]

describe("customer_email lengths (EmailStr)", () => {
  it.each(cases)("local $local / label $label on create, org update, client update, confirm", async ({ local, label, reason }) => {
    const email = address(local, label)
    const created = await call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id], customer_email: email } })
    const base = await create({ products: [W.fixed.id], customer_email: "kept@acme.test", customer_billing_address: { country: "FR" } })
    const answers = [
      created,
      await call("PATCH", `/v1/checkouts/${base.id}`, { json: { customer_email: email } }),
      await call("PATCH", client(base.client_secret), { json: { customer_email: email }, token: null }),
      await call("POST", client(base.client_secret, "/confirm"), {
        json: { customer_email: email, confirmation_token_id: "ctok_1" },
        token: null
      })
    ]
    if (reason === null) {
      for (const a of answers) expect(a.status, a.text).toBe(200 + (a === created ? 1 : 0))
      expect(created.json.customer_email).toBe(email)
      expect((await orgGet(base.id)).customer_email).toBe(email)
    } else {
      for (const a of answers) {
        expect(a.status, a.text).toBe(422)
        expect(a.json).toEqual({ error: "RequestValidationError", detail: refusal(email, reason) })
      }
      const stored = await orgGet(base.id)
      expect([stored.customer_email, stored.status]).toEqual(["kept@acme.test", "open"])
    }
  })

  it("the whole address: 254 characters pass, 255 are refused with the reference's reason", async () => {
    const domain = `${"d".repeat(61)}.${"e".repeat(61)}.${"f".repeat(61)}.test` // 61*3 + 3 + 4 = 190
    const at254 = `${"b".repeat(63)}@${domain}`
    const at255 = `${"b".repeat(64)}@${domain}`
    expect([at254.length, at255.length]).toEqual([254, 255])
    expect((await call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id], customer_email: at254 } })).status).toBe(201)
    const refused = await call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id], customer_email: at255 } })
    expect(refused.json.detail).toEqual(refusal(at255, "The email address is too long (1 character too many)."))
  })

  it("a link prefill with a too long customer_email is dropped, a valid one kept", async () => {
    const link = await call("POST", "/v1/checkout-links/", { json: { payment_processor: "stripe", products: [W.fixed.id] } })
    expect(link.status, link.text).toBe(201)
    for (const [email, kept] of [[address(65, 10), false], [address(64, 63), true]] as const) {
      const redirect = await call("GET", `/v1/checkout-links/${link.json.client_secret}/redirect?customer_email=${email}`, { token: null })
      expect(redirect.status).toBe(307)
      const secret = /polar_c_[A-Za-z0-9]+/u.exec(redirect.headers.get("location")!)![0]
      const opened = await call("GET", client(secret), { token: null })
      expect(opened.json.customer_email).toBe(kept ? email : null)
    }
  })
})

describe("customer_billing_address: null on update is ignored", () => {
  it("org update, client update and confirm keep the stored address (and the tax computed on it)", async () => {
    const stored = { country: "FR", line1: "1 rue de Rivoli", line2: null, postal_code: "75001", city: "Paris", state: null }
    const c = await create({ products: [W.fixed.id], customer_email: "ada@acme.test", customer_billing_address: stored })
    const before = await orgGet(c.id)
    expect(before.customer_billing_address).toEqual(stored)
    expect(before.tax_amount).toBeGreaterThan(0)
    const org = await call("PATCH", `/v1/checkouts/${c.id}`, { json: { customer_billing_address: null, customer_name: "Ada" } })
    expect(org.status, org.text).toBe(200)
    expect([org.json.customer_billing_address, org.json.customer_name, org.json.tax_amount]).toEqual([stored, "Ada", before.tax_amount])
    const pub = await call("PATCH", client(c.client_secret), { json: { customer_billing_address: null }, token: null })
    expect(pub.status, pub.text).toBe(200)
    expect(pub.json.customer_billing_address).toEqual(stored)
    const confirmed = await call("POST", client(c.client_secret, "/confirm"), {
      json: { customer_billing_address: null, confirmation_token_id: "ctok_1" },
      token: null
    })
    expect(confirmed.status, confirmed.text).toBe(200)
    expect(confirmed.json.customer_billing_address).toEqual(stored)
  })
})
