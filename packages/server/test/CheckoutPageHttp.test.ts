/**
 * The checkout page and its event stream over HTTP, in test mode and in Stripe mode (against the fake Stripe
 * server): the page's headers and what it holds, the link redirect landing on it, and a confirm settled by a
 * signed Stripe webhook reaching an open stream.
 */
import { assert, describe, it } from "@effect/vitest"
import { FakeStripe } from "../../stripe/test/support/index.ts"
import { Effect, Exit, Scope } from "effect"
import { startApp } from "./Harness.ts"
import { openStream, untilStatus } from "./Sse.ts"

const token = "polar_oat_demo_checkout_kit_local_only"
const starter = "22222222-2222-4222-8222-000000000001"

const createCheckout = async (url: string) => {
  const res = await fetch(`${url}/v1/checkouts/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ products: [starter] })
  })
  return await res.json() as { id: string; client_secret: string; url: string }
}

const nonceOf = (csp: string) => /'nonce-([^']+)'/u.exec(csp)?.[1]

describe("checkout page over HTTP", () => {
  it.live("test mode: the link redirect lands on the page; strict headers; nothing secret in the HTML", () =>
    Effect.gen(function*() {
      const { ready, scope, url } = yield* startApp()
      const result = yield* Effect.promise(async () => {
        const redirect = await fetch(String(ready["checkoutLinkUrl"]) + "?customer_email=ada%40example.com", { redirect: "manual" })
        const location = redirect.headers.get("location") ?? ""
        const page = await fetch(location)
        const html = await page.text()
        const asset = await fetch(`${url}/checkout-page/assets/main.js`)
        const missing = await fetch(`${url}/checkout-page/assets/nope.js`)
        const unknown = await fetch(`${url}/checkout/polar_c_doesnotexist`)
        const secret = location.split("/checkout/")[1]
        const opened = await (await fetch(`${url}/v1/checkouts/client/${secret}`)).json() as Record<string, unknown>
        return { redirect, location, page, html, asset, missing, unknown, unknownHtml: await unknown.text(), opened }
      })
      assert.strictEqual(result.redirect.status, 307)
      assert.match(result.location, new RegExp(`^${url}/checkout/polar_c_\\w+$`, "u"))
      // The reference's query prefill reached the checkout the page shows.
      assert.strictEqual(result.opened["customer_email"], "ada@example.com")
      assert.strictEqual(result.page.status, 200)
      assert.strictEqual(result.page.headers.get("content-type"), "text/html; charset=utf-8")
      assert.strictEqual(result.page.headers.get("cache-control"), "no-store")
      assert.strictEqual(result.page.headers.get("referrer-policy"), "no-referrer")
      const csp = result.page.headers.get("content-security-policy") ?? ""
      const nonce = nonceOf(csp)
      assert.isDefined(nonce)
      // Every script tag carries this response's nonce; no inline handler, no external script.
      const scripts = [...result.html.matchAll(/<script\b[^>]*>/gu)].map((m) => m[0])
      assert.lengthOf(scripts, 2)
      for (const tag of scripts) assert.include(tag, `nonce="${nonce}"`)
      assert.notMatch(result.html, /\son[a-z]+=/u)
      assert.notMatch(result.html, /https?:\/\/(?!127\.0\.0\.1)/u)
      assert.include(csp, "frame-ancestors 'none'")
      assert.notInclude(csp, "stripe")
      assert.notInclude(result.html, token)
      assert.notInclude(result.html, "polar_cl_")
      // A second load gets a fresh nonce.
      const again = yield* Effect.promise(() => fetch(result.location))
      assert.notStrictEqual(nonceOf(again.headers.get("content-security-policy") ?? ""), nonce)
      assert.strictEqual(result.asset.status, 200)
      assert.strictEqual(result.asset.headers.get("content-type"), "text/javascript; charset=utf-8")
      assert.strictEqual(result.missing.status, 404)
      assert.strictEqual(result.unknown.status, 404)
      assert.include(result.unknownHtml, "Checkout not found")
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 20_000 })

  it.live("embed: only the allowed origin may frame the page", () =>
    Effect.gen(function*() {
      const { scope, url } = yield* startApp()
      const csp = yield* Effect.promise(async () => {
        const checkout = await createCheckout(url)
        const framed = await fetch(`${checkout.url}?embed=true&embed_origin=${encodeURIComponent("https://shop.example/")}&theme=dark`)
        const html = await framed.text()
        return { header: framed.headers.get("content-security-policy") ?? "", html }
      })
      assert.match(csp.header, /; frame-ancestors https:\/\/shop\.example$/u)
      assert.include(csp.html, `data-theme="dark" data-embed="true"`)
      assert.include(csp.html, `"embedOrigin":"https://shop.example"`)
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 20_000 })

  it.live("Stripe mode: the CSP admits Stripe.js; a confirm settled by the signed webhook reaches an open stream within a second", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const { scope, url } = yield* startApp({
        STRIPE_SECRET_KEY: "sk_test_fake",
        STRIPE_PUBLISHABLE_KEY: "pk_test_fake",
        STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
        STRIPE_API_BASE: fake.url
      })
      const result = yield* Effect.promise(async () => {
        const checkout = await createCheckout(url)
        const page = await fetch(checkout.url)
        const html = await page.text()
        const notFound = await fetch(`${url}/v1/checkouts/client/polar_c_nope/stream`)
        const stream = await openStream(`${url}/v1/checkouts/client/${checkout.client_secret}/stream`)
        const confirmed = await fetch(`${url}/v1/checkouts/client/${checkout.client_secret}/confirm`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            confirmation_token_id: fake.mintConfirmationToken({ scenario: "success" }).id,
            custom_field_data: { team_size: "1" },
            customer_email: "ada@example.com",
            customer_billing_address: { country: "US", line1: "1 Main St", city: "Springfield", postal_code: "12345", state: "IL" }
          })
        })
        const first = (await untilStatus(stream.next, "confirmed")).message
        const sent = Date.now()
        const deliveries = await fake.deliverEvents(`${url}/v1/integrations/stripe/webhook`, fake.events("charge.succeeded"))
        const second = (await untilStatus(stream.next, "succeeded")).message
        const latency = Date.now() - sent
        stream.close()
        return { page, html, notFound, stream, confirmed: confirmed.status, first, second, latency, deliveries }
      })
      const csp = result.page.headers.get("content-security-policy") ?? ""
      assert.include(csp, "script-src 'nonce-")
      assert.include(csp, "https://js.stripe.com")
      assert.include(result.html, `"paymentMode":"stripe"`)
      assert.notInclude(result.html, "sk_test_fake")
      assert.notInclude(result.html, fake.webhookSecret)
      assert.strictEqual(result.notFound.status, 404)
      assert.strictEqual(result.stream.res.headers.get("content-type"), "text/event-stream; charset=utf-8")
      assert.strictEqual(result.confirmed, 200)
      assert.strictEqual(result.deliveries[0]?.status, 200)
      assert.deepStrictEqual([result.first["key"], result.first["payload"]], ["checkout.updated", { status: "confirmed" }])
      assert.deepStrictEqual([result.second["key"], result.second["payload"]], ["checkout.updated", { status: "succeeded" }])
      assert.match(String(result.second["id"]), /^[0-9a-f-]{36}$/u)
      assert.isBelow(result.latency, 1000)
      yield* Scope.close(scope, Exit.void)
    }), { timeout: 20_000 })

  it.live("an open stream does not hold up shutdown", () =>
    Effect.gen(function*() {
      const { scope, url } = yield* startApp()
      const stream = yield* Effect.promise(async () => {
        const checkout = await createCheckout(url)
        return await openStream(`${url}/v1/checkouts/client/${checkout.client_secret}/stream`)
      })
      const start = Date.now()
      yield* Scope.close(scope, Exit.void)
      const ended = yield* Effect.promise(() => stream.next().then(() => "message", () => "ended"))
      assert.isBelow(Date.now() - start, 3000)
      assert.strictEqual(ended, "ended")
    }), { timeout: 20_000 })
})
