import { assert, describe, it } from "@effect/vitest"
import * as Banner from "../src/Banner.ts"
import * as Startup from "../src/Startup.ts"

const facts: Banner.Facts = {
  baseUrl: "http://127.0.0.1:8000",
  paymentProcessor: "local-test-mode",
  accessToken: "polar_oat_demo",
  organizationId: "11111111-1111-4111-8111-000000000001",
  products: [
    { id: "p-recurring", name: "Pro", amountType: "seat_based", priceLabel: "per seat" },
    { id: "p-fixed", name: "Kit", amountType: "fixed", priceLabel: "usd 10.00" }
  ],
  checkoutLinkUrl: "http://127.0.0.1:8000/v1/checkout-links/polar_cl_x/redirect",
  stripeWebhookPath: null,
  apiDocsPath: null
}

describe("Banner", () => {
  it("test mode is announced, with the token, products, link and a curl using a fixed-price product", () => {
    const text = Banner.render(facts).join("\n")
    assert.include(text, "TEST MODE")
    assert.include(text, "tok_chargeDeclined")
    assert.include(text, "Access token:    polar_oat_demo")
    assert.include(text, "p-recurring  Pro (per seat)")
    assert.include(text, "Checkout link:   http://127.0.0.1:8000/v1/checkout-links/polar_cl_x/redirect")
    assert.include(text, "-d '{\"products\":[\"p-fixed\"]}'")
    assert.include(text, "-H 'Authorization: Bearer polar_oat_demo'")
    assert.notInclude(text, "webhook")
    assert.include(text, "OpenAPI:         http://127.0.0.1:8000/openapi.json")
    assert.notInclude(text, "API reference")
    assert.include(Banner.render({ ...facts, apiDocsPath: "/docs" }).join("\n"), "API reference:   http://127.0.0.1:8000/docs")
  })

  it("with Stripe: no test-mode notice, the webhook endpoint is shown", () => {
    const text = Banner.render({ ...facts, paymentProcessor: "stripe", stripeWebhookPath: "/v1/integrations/stripe/webhook" })
      .join("\n")
    assert.notInclude(text, "TEST MODE")
    assert.include(text, "Stripe webhook endpoint: POST http://127.0.0.1:8000/v1/integrations/stripe/webhook")
  })

  it("without a plaintext token, says so and uses a placeholder", () => {
    const text = Banner.render({ ...facts, accessToken: null }).join("\n")
    assert.include(text, "Access token:    (none in the seed)")
    assert.include(text, "Bearer <your access token>")
  })
})

describe("Startup.plaintextToken", () => {
  it("finds the first token that can write checkouts", () => {
    const document = {
      organizations: [
        { id: "org-a", access_tokens: [{ token_sha256: "ab".repeat(32), scopes: ["checkouts:write"] }] },
        {
          id: "org-b",
          access_tokens: [
            { token: "read-only-token-xxxx", scopes: ["checkouts:read"] },
            { token: "writer-token-xxxxxxx", scopes: ["checkouts:read", "checkouts:write"] }
          ]
        }
      ]
    }
    assert.deepStrictEqual(Startup.plaintextToken(document), { token: "writer-token-xxxxxxx", organizationId: "org-b" })
    assert.isNull(Startup.plaintextToken({ organizations: [document.organizations[0]] }))
    assert.isNull(Startup.plaintextToken("nope"))
  })

  it("lists the seeded checkouts with their client URLs, at most five, and none when there are none", () => {
    const line = (n: number) => ({ id: `c-${n}`, status: n === 0 ? "expired" : "open", clientSecret: `polar_c_${n}` })
    const one = Banner.render({ ...facts, checkouts: [line(0)] }).join("\n")
    assert.include(one, "  Seeded checkouts:\n    c-0  expired  http://127.0.0.1:8000/v1/checkouts/client/polar_c_0")
    const many = Banner.render({ ...facts, checkouts: [0, 1, 2, 3, 4, 5, 6].map(line) }).join("\n")
    assert.include(many, "    c-4  open  http://127.0.0.1:8000/v1/checkouts/client/polar_c_4\n    ... and 2 more")
    assert.notInclude(many, "c-5")
    assert.notInclude(Banner.render({ ...facts, checkouts: [] }).join("\n"), "Seeded checkouts")
    assert.notInclude(Banner.render(facts).join("\n"), "Seeded checkouts")
  })
})
