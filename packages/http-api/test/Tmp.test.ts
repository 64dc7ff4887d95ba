import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as W from "./World.ts"
describe("tmp", () => {
  it("defect", async () => {
    const world = W.makeApp({ processor: (inner) => ({ ...inner, confirm: () => Effect.die(new Error("boom polar_oat_test_write_acme_0000000001")) }) })
    const c = await world.call("POST", "/v1/checkouts/", { json: { products: [W.fixed.id], customer_email: "a@b.co", customer_billing_address: { country: "FR" } } })
    const r = await world.call("POST", `/v1/checkouts/client/${c.json.client_secret}/confirm`, { token: null, json: { confirmation_token_id: "x" } })
    console.log(r.status, JSON.stringify(r.text), [...r.headers.entries()])
    const d = await world.call("GET", "/docs", { token: null })
    console.log(d.status)
    expect(1).toBe(1)
    await world.dispose()
  })
})
