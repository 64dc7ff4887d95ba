/**
 * The checkout page in Stripe mode, in Chromium, against the fake Stripe server. Stripe.js cannot be fetched here
 * (no network in tests), so the browser is given a stand-in at its URL with the calls the page makes: `Stripe(key)`,
 * `elements(...)`, `createConfirmationToken` (a token minted by the fake Stripe) and `handleNextAction` (completes
 * 3-D Secure on the fake Stripe, which then sends its webhook). What is real: the page's Stripe-mode code path, its
 * CSP admitting Stripe.js under 'strict-dynamic', the confirm through the stripe adapter, the signed webhook, and the
 * event stream moving the page to succeeded.
 */
import { FakeStripe } from "../../../stripe/test/support/index.ts"
import { Effect, Exit, Scope } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { type Started, startApp } from "../Harness.ts"
import { launch } from "./Browser.ts"

const stubStripeJs = `
window.Stripe = (key) => {
  window.__stripe = { key, calls: [] }
  const call = (name, arg) => window.__stripe.calls.push(name + (arg === undefined ? "" : " " + JSON.stringify(arg)))
  return {
    elements: (options) => {
      call("elements", options)
      return {
        create: (type) => ({ mount: (el) => { call("mount " + type); el.textContent = "Stripe Payment Element (stand-in)" } }),
        submit: async () => { call("submit"); return {} },
        update: (options) => call("update", options)
      }
    },
    createConfirmationToken: async () => { call("createConfirmationToken"); return { confirmationToken: { id: await window.mintToken() } } },
    handleNextAction: async ({ clientSecret }) => { call("handleNextAction"); await window.completeAction(clientSecret); return {} }
  }
}`

let browser: Browser
let app: Started
let fake: FakeStripe.FakeStripe
let closeFake: Scope.Closeable

beforeAll(async () => {
  closeFake = await Effect.runPromise(Scope.make())
  fake = await Effect.runPromise(FakeStripe.make().pipe(Scope.provide(closeFake)))
  ;[browser, app] = await Promise.all([
    launch(),
    Effect.runPromise(startApp({
      RATE_LIMITS: "off", // several confirms from one address (limits: RateLimits.test.ts)
      STRIPE_SECRET_KEY: "sk_test_fake",
      STRIPE_PUBLISHABLE_KEY: "pk_test_fake",
      STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
      STRIPE_API_BASE: fake.url
    }))
  ])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (app) await Effect.runPromise(Scope.close(app.scope, Exit.void))
  if (closeFake) await Effect.runPromise(Scope.close(closeFake, Exit.void))
})

describe("checkout page in Stripe mode", { timeout: 20_000 }, () => {
  it("Payment Element + ConfirmationToken; requires_action is handled by Stripe.js; the webhook settles it and the stream shows success", async () => {
    const created = await fetch(`${app.url}/v1/checkouts/`, {
      method: "POST",
      headers: { authorization: "Bearer polar_oat_demo_checkout_kit_local_only", "content-type": "application/json" },
      body: JSON.stringify({ products: ["22222222-2222-4222-8222-000000000003"] })
    })
    const checkout = await created.json() as { id: string; url: string }
    const page = await browser.newPage()
    const offOrigin: Array<string> = []
    page.on("request", (request) => {
      const origin = new URL(request.url()).origin
      if (origin !== new URL(app.url).origin) offOrigin.push(origin)
    })
    await page.route("https://js.stripe.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: stubStripeJs }))
    await page.exposeFunction("mintToken", () => fake.mintConfirmationToken({ scenario: "requires_action" }).id)
    await page.exposeFunction("completeAction", async (clientSecret: string) => {
      const events = fake.resolveIntent(clientSecret.split("_secret_")[0]!, "succeed")
      await fake.deliverEvents(`${app.url}/v1/integrations/stripe/webhook`, events)
    })
    await page.goto(checkout.url)
    await page.waitForSelector("text=Stripe Payment Element (stand-in)")
    assert.isNull(await page.$("#test-mode"))
    // A new amount reprices the checkout on the server, and the Payment Element is told the new total.
    await page.fill("#field-amount", "12.00")
    await page.press("#field-amount", "Tab")
    await page.waitForFunction(() => document.querySelector("#amount-total")?.textContent === "$12.00")
    await page.fill("#field-customer_email", "ada@example.com")
    await page.fill("#field-customer_billing_address-country", "FR")
    await page.click("#pay")
    await page.waitForSelector("text=Payment successful", { timeout: 8000 })
    const calls = await page.evaluate(() => (window as any).__stripe) as { key: string; calls: Array<string> }
    assert.strictEqual(calls.key, "pk_test_fake")
    assert.deepStrictEqual(calls.calls.map((c) => c.split(" ")[0]), [
      "elements", "mount", "update", "submit", "createConfirmationToken", "handleNextAction"
    ])
    assert.include(calls.calls[0]!, `"mode":"payment"`)
    assert.include(calls.calls[0]!, `"amount":1000`)
    assert.strictEqual(calls.calls[2], `update {"amount":1200,"currency":"usd"}`)
    // Stripe.js is the only script from another origin, and only in this mode.
    assert.deepStrictEqual([...new Set(offOrigin)], ["https://js.stripe.com"])
    const stored = await fetch(`${app.url}/v1/checkouts/client/${checkout.url.split("/checkout/")[1]}`)
    assert.strictEqual((await stored.json() as { status: string }).status, "succeeded")
    assert.strictEqual(fake.chargeCount("succeeded"), 1)
    await page.close()
  })
})
