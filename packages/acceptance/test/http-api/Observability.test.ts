/**
 * What the routes leave in logs: access tokens never appear (valid, unknown or malformed, on success, refusal or
 * crash), and an unexpected failure is logged with its cause while the client gets a generic JSON 500.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as W from "./World.ts"

const payable = { products: [W.fixed.id], customer_email: "log@acme.test", customer_billing_address: { country: "FR" } }

describe("logging", () => {
  it("never writes a bearer token, whatever the outcome of the request", async () => {
    const lines: Array<string> = []
    const world = W.makeApp({
      logLines: lines,
      processor: (inner) => ({ ...inner, confirm: () => Effect.die(new Error("processor crashed")) })
    })
    try {
      const unknown = "polar_oat_unknown_token_which_must_not_leak"
      const created = await world.call("POST", "/v1/checkouts/", { json: payable })
      expect(created.status).toBe(201)
      await world.call("GET", "/v1/checkouts/", { token: unknown })
      await world.call("POST", "/v1/checkouts/", { token: W.tokens.read, json: payable })
      await world.call("GET", "/v1/checkouts/nope")
      await world.call("POST", "/v1/checkouts/", { body: "{not json", token: W.tokens.write })
      await world.call("GET", "/v1/checkouts/", { headers: { authorization: `Basic ${W.tokens.write}` }, token: null })
      const crashed = await world.call("POST", `/v1/checkouts/client/${created.json.client_secret}/confirm`, {
        token: W.tokens.write,
        json: { confirmation_token_id: "tok" }
      })
      expect(crashed.status).toBe(500)
      expect(crashed.json).toEqual({ error: "InternalServerError", detail: "Internal Server Error" })
      expect(crashed.text).not.toContain("processor crashed")
      const all = lines.join("\n")
      expect(lines.length).toBeGreaterThanOrEqual(7)
      expect(all).toContain("processor crashed")
      expect(all).toContain("http.status=401")
      for (const token of [W.tokens.write, W.tokens.read, unknown]) expect(all).not.toContain(token)
      expect(all.toLowerCase()).not.toContain("bearer ")
    } finally {
      await world.dispose()
    }
  })
})
