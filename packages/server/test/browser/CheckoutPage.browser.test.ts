/**
 * The hosted checkout page in a real headless Chromium against the whole server in-process (test mode: the local
 * test processor), one browser for the file. Each test opens its own checkout. What a buyer does is done through
 * the page only; the API is used to set the scene (create checkouts and links) and to check the outcome.
 */
import { Effect, Scope } from "effect"
import type { Browser, Page } from "playwright-core"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { type Started, startApp } from "../Harness.ts"
import { launch, otherOrigin } from "./Browser.ts"

const token = "polar_oat_demo_checkout_kit_local_only"
const product = {
  starter: "22222222-2222-4222-8222-000000000001",
  pwyw: "22222222-2222-4222-8222-000000000003",
  graduatedSeats: "22222222-2222-4222-8222-000000000004",
  free: "22222222-2222-4222-8222-000000000006"
}

let app: Started
let shortLived: Started
let browser: Browser
let merchant: Awaited<ReturnType<typeof otherOrigin>>
const started = Date.now()

const api = async (base: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: await response.json() as Record<string, any> }
}

const createCheckout = async (body: Record<string, unknown>, base = app.url) => {
  const created = await api(base, "POST", "/v1/checkouts/", body)
  assert.strictEqual(created.status, 201, JSON.stringify(created.body))
  return created.body
}

const openPage = async (url: string, viewport = { width: 1100, height: 900 }) => {
  const page = await browser.newPage({ viewport })
  const problems: Array<string> = []
  // Test mode needs no network beyond our server (and the merchant's page in the embed test).
  page.on("request", (request) => {
    const origin = new URL(request.url()).origin
    if (origin !== new URL(app.url).origin && origin !== merchant.origin && origin !== new URL(shortLived.url).origin) {
      problems.push(`request to ${origin}`)
    }
  })
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`))
  page.on("console", (message) => {
    // The browser logs every 4xx answer as an error; those are expected here (declines, 422s).
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console: ${message.text()}`)
    }
  })
  await page.goto(url)
  return { page, problems }
}

const fillBuyer = async (page: Page, email = "ada@example.com") => {
  await page.fill("#field-customer_email", email)
  await page.fill("#field-customer_name", "Ada Lovelace")
  await page.fill("#field-customer_billing_address-country", "FR")
}

const chooseCard = (page: Page, tokenId: string) => page.check(`input[name=test_card][value=${tokenId}]`)

beforeAll(async () => {
  ;[app, shortLived, browser, merchant] = await Promise.all([
    // One browser pays many checkouts from one address: far past the confirm limit (6 a minute), which
    // RateLimits.test.ts covers; here the limits are off.
    Effect.runPromise(startApp({ RATE_LIMITS: "off" })),
    Effect.runPromise(startApp({ RATE_LIMITS: "off", CHECKOUT_TTL_SECONDS: "1", EXPIRY_SWEEP_INTERVAL_SECONDS: "3600" })),
    launch(),
    otherOrigin({
      "/thanks": (url) => `<!doctype html><title>Thanks</title><h1 id="thanks">Thanks ${url.searchParams.get("checkout_id")}</h1>`,
      // The runnable example page of the checkout-page package, as a merchant on another origin serves it.
      "/shop": (url) =>
        readFileSync(fileURLToPath(new URL("../../../checkout-page/examples/embed.html", import.meta.url)), "utf8")
          .replaceAll("__SERVER__", url.searchParams.get("server") ?? "")
          .replaceAll("__CHECKOUT__", url.searchParams.get("checkout") ?? "")
    })
  ])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await merchant?.close()
  await Promise.all([app, shortLived].filter(Boolean).map((a) => Effect.runPromise(Scope.close(a.scope, undefined as never))))
  console.log(`checkout page browser tests: ${Date.now() - started} ms including browser start`)
})

describe("checkout page in Chromium", { timeout: 20_000 }, () => {
  it("link -> page -> required custom field -> pay with the succeeding card -> succeeded via the stream -> success_url", async () => {
    const link = await api(app.url, "POST", "/v1/checkout-links/", {
      payment_processor: "stripe",
      products: [product.starter],
      success_url: `${merchant.origin}/thanks?checkout_id={CHECKOUT_ID}`
    })
    assert.strictEqual(link.status, 201, JSON.stringify(link.body))
    const { page, problems } = await openPage(link.body["url"])
    assert.match(page.url(), /\/checkout\/polar_c_\w+$/u)
    await page.waitForSelector("#checkout-form")
    assert.strictEqual(await page.textContent("#product-name"), "Starter Kit")
    assert.isNotNull(await page.$("#test-mode"))
    await fillBuyer(page)
    // The required custom field is left empty: the server's 422 lands next to it.
    await page.click("#pay")
    const fieldError = page.locator("#error-custom_field_data-team_size")
    await fieldError.waitFor({ state: "visible" })
    assert.match(await fieldError.textContent() ?? "", /required/iu)
    assert.strictEqual(await page.getAttribute("#field-custom_field_data-team_size", "aria-invalid"), "true")
    await page.selectOption("#field-custom_field_data-team_size", "2-10")
    await chooseCard(page, "tok_visa")
    await page.click("#pay")
    await page.waitForURL(`${merchant.origin}/thanks?**`, { timeout: 5000 })
    const checkoutId = new URL(page.url()).searchParams.get("checkout_id")
    const stored = await api(app.url, "GET", `/v1/checkouts/${checkoutId}`)
    assert.strictEqual(stored.body["status"], "succeeded")
    assert.deepStrictEqual(stored.body["custom_field_data"], { team_size: "2-10" })
    assert.deepStrictEqual(problems, [])
    await page.close()
  })

  it("a declined card shows the decline; the buyer retries with another card and sees the confirmation", async () => {
    const checkout = await createCheckout({ products: [product.pwyw] })
    const { page, problems } = await openPage(checkout["url"])
    await page.waitForSelector("#checkout-form")
    await fillBuyer(page)
    await chooseCard(page, "tok_chargeDeclined")
    await page.click("#pay")
    const error = page.locator("#error-payment")
    await error.waitFor({ state: "visible" })
    assert.match(await error.textContent() ?? "", /declined/iu)
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body["status"], "open")
    await chooseCard(page, "tok_visa")
    await page.click("#pay")
    await page.waitForSelector("text=Payment successful", { timeout: 5000 })
    assert.match(page.url(), /\/confirmation$/u)
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body["status"], "succeeded")
    assert.deepStrictEqual(problems, [])
    await page.close()
  })

  it("currency switch, business purchase with tax id, and a subscription's interval and trial", async () => {
    const checkout = await createCheckout({ products: [product.starter, "22222222-2222-4222-8222-000000000002"] })
    const { page, problems } = await openPage(checkout["url"])
    await page.waitForSelector("#field-currency")
    await page.selectOption("#field-currency", { label: "EUR" })
    await page.waitForFunction(() => document.querySelector("#amount-total")?.textContent === "€10.00")
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body["currency"], "eur")
    await page.check("#field-is_business_customer")
    await page.waitForSelector("#field-customer_tax_id")
    await page.fill("#field-customer_billing_name", "Analytical Engines Ltd")
    await page.fill("#field-customer_tax_id", "FR40303265045")
    // The other product: a monthly subscription with a 7-day trial.
    await page.check("input[name=product_id][value='22222222-2222-4222-8222-000000000002']")
    await page.waitForFunction(() => document.querySelector("#product-name")?.textContent === "Pro Monthly")
    assert.match(await page.textContent(".trial") ?? "", /Free trial: 7 day/u)
    assert.match(await page.textContent("#checkout-form") ?? "", /Billed every month/u)
    assert.strictEqual(await page.textContent("#pay"), "Start trial")
    await page.fill("#field-customer_email", "ada@example.com")
    await page.fill("#field-customer_billing_address-country", "FR")
    await page.selectOption("#field-custom_field_data-team_size", "1")
    await page.click("#pay")
    // A business purchase needs the full address: the server's 422 items land next to the fields it names.
    await page.locator("#error-customer_billing_address-line1").waitFor({ state: "visible" })
    assert.strictEqual(await page.getAttribute("#field-customer_billing_address-city", "aria-invalid"), "true")
    await page.fill("#field-customer_billing_address-line1", "12 Rue de Rivoli")
    await page.fill("#field-customer_billing_address-city", "Paris")
    await page.fill("#field-customer_billing_address-postal_code", "75001")
    assert.strictEqual(await page.inputValue("#field-custom_field_data-team_size"), "1")
    await page.click("#pay")
    await page.waitForSelector("text=Payment successful", { timeout: 5000 })
    const stored = (await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body
    assert.deepStrictEqual(
      [stored["status"], stored["is_business_customer"], stored["customer_billing_name"], stored["customer_tax_id"]],
      ["succeeded", true, "Analytical Engines Ltd", "FR40303265045"]
    )
    assert.deepStrictEqual(problems, [])
    await page.close()
  })

  it("pay what you want: below the minimum is refused next to the amount, a valid amount updates the total", async () => {
    const checkout = await createCheckout({ products: [product.pwyw] })
    const { page } = await openPage(checkout["url"])
    await page.waitForSelector("#field-amount")
    assert.strictEqual(await page.textContent("#amount-total"), "$10.00")
    await page.fill("#field-amount", "0.10")
    await page.press("#field-amount", "Tab")
    const error = page.locator("#error-amount")
    await error.waitFor({ state: "visible" })
    assert.match(await error.textContent() ?? "", /minimum/iu)
    await page.fill("#field-amount", "25.50")
    await page.press("#field-amount", "Tab")
    await page.waitForFunction(() => document.querySelector("#amount-total")?.textContent === "$25.50")
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body["total_amount"], 2550)
    await page.close()
  })

  it("seats change the total through the graduated tiers", async () => {
    const checkout = await createCheckout({ products: [product.graduatedSeats] })
    const { page } = await openPage(checkout["url"])
    await page.waitForSelector("#field-seats")
    await page.fill("#field-seats", "7")
    await page.press("#field-seats", "Tab")
    // 5 seats at $10 + 2 at $8.
    await page.waitForFunction(() => document.querySelector("#amount-total")?.textContent === "$66.00")
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body["seats"], 7)
    await page.close()
  })

  it("a discount code: an unknown one is refused next to the field, a real one lowers the total", async () => {
    const checkout = await createCheckout({ products: [product.starter] })
    const { page } = await openPage(checkout["url"])
    await page.waitForSelector("#field-discount_code")
    await page.fill("#field-discount_code", "NOPE")
    await page.click("#apply-discount")
    await page.locator("#error-discount_code").waitFor({ state: "visible" })
    await page.fill("#field-discount_code", "HALFOFF")
    await page.press("#field-discount_code", "Enter")
    await page.waitForFunction(() => document.querySelector("#amount-total")?.textContent === "$5.00")
    assert.strictEqual(await page.textContent("#amount-discount"), "−$5.00")
    await page.close()
  })

  it("an expired checkout offers nothing to pay", async () => {
    const checkout = await createCheckout({ products: [product.starter] }, shortLived.url)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    const { page } = await openPage(checkout["url"])
    assert.strictEqual(await page.textContent("h1"), "This checkout has expired")
    assert.isNull(await page.$("#pay"))
    assert.isNull(await page.$("form"))
    await page.close()
  })

  it("the embed example on another origin: a checkout link opens in an iframe and the parent receives loaded, confirmed, success", async () => {
    const link = await api(app.url, "POST", "/v1/checkout-links/", { payment_processor: "stripe", products: [product.pwyw] })
    const shop = `${merchant.origin}/shop?server=${encodeURIComponent(app.url)}&checkout=${encodeURIComponent(link.body["url"])}`
    const { page, problems } = await openPage(shop)
    await page.click("#buy-dark")
    const frame = (await (await page.waitForSelector("iframe")).contentFrame())!
    await frame.waitForSelector("#checkout-form")
    assert.strictEqual(await frame.getAttribute("html", "data-theme"), "dark")
    assert.match(frame.url(), /\/checkout\/polar_c_\w+\?.*embed=true/u)
    await page.waitForFunction(() => document.getElementById("log")?.textContent?.includes("loaded"))
    await frame.fill("#field-customer_email", "ada@example.com")
    await frame.fill("#field-customer_billing_address-country", "FR")
    await frame.click("#pay")
    await page.waitForFunction(() => document.getElementById("log")?.textContent?.includes("success"), undefined, { timeout: 5000 })
    const log = (await page.textContent("#log"))!.trim().split("\n")
    assert.strictEqual(log[0], "loaded")
    assert.match(log[1]!, /^confirmed \{"type":"POLAR_CHECKOUT","event":"confirmed"\}$/u)
    assert.match(log[2]!, /^success \{"type":"POLAR_CHECKOUT","event":"success","successURL":"http:[^"]+\/confirmation","redirect":false\}$/u)
    // The checkout remembers the parent's origin, from the link's embed_origin.
    const secret = /polar_c_\w+/u.exec(frame.url())![0]
    const opened = await (await fetch(`${app.url}/v1/checkouts/client/${secret}`)).json() as Record<string, unknown>
    assert.strictEqual(opened["embed_origin"], merchant.origin)
    assert.deepStrictEqual(problems, [])
    await page.close()
  })

  it("keyboard only: tab through the form, pick options with the keyboard, pay with Enter", async () => {
    const checkout = await createCheckout({ products: [product.starter] })
    const { page } = await openPage(checkout["url"])
    await page.waitForSelector("#checkout-form")
    const tabTo = async (id: string) => {
      for (let i = 0; i < 60; i++) {
        if (await page.evaluate(() => document.activeElement?.id) === id) return
        await page.keyboard.press("Tab")
      }
      assert.fail(`#${id} is not reachable with Tab`)
    }
    await tabTo("field-customer_email")
    await page.keyboard.type("grace@example.com")
    await tabTo("field-customer_billing_address-country")
    await page.keyboard.type("DE")
    await tabTo("field-custom_field_data-team_size")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowDown")
    await tabTo("field-customer_email")
    await page.keyboard.press("Enter")
    await page.waitForSelector("text=Payment successful", { timeout: 5000 })
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body["customer_email"], "grace@example.com")
    await page.close()
  })

  it("a free product needs no card and no address", async () => {
    const free = await createCheckout({ products: [product.free] })
    const { page } = await openPage(free["url"])
    await page.waitForSelector("#checkout-form")
    assert.isNull(await page.$("#payment"))
    assert.isNull(await page.$("fieldset.address"))
    assert.strictEqual(await page.textContent("#pay"), "Get it free")
    await page.fill("#field-customer_email", "ada@example.com")
    await page.click("#pay")
    await page.waitForSelector("text=Payment successful", { timeout: 5000 })
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${free["id"]}`)).body["status"], "succeeded")
    await page.close()
  })

  it("switching from a free product to a paid one brings the card choice, and back hides it", async () => {
    const checkout = await createCheckout({ products: [product.free, product.pwyw] })
    const { page, problems } = await openPage(checkout["url"])
    await page.waitForSelector("#checkout-form")
    assert.isNull(await page.$("#payment"))
    await page.check(`input[name=product_id][value='${product.pwyw}']`)
    await page.waitForSelector("#payment", { state: "visible" })
    await page.check(`input[name=product_id][value='${product.free}']`)
    await page.waitForSelector("#payment", { state: "hidden" })
    await page.check(`input[name=product_id][value='${product.pwyw}']`)
    await page.waitForSelector("#payment", { state: "visible" })
    await fillBuyer(page)
    await chooseCard(page, "tok_visa")
    await page.click("#pay")
    await page.waitForSelector("text=Payment successful", { timeout: 5000 })
    const stored = (await api(app.url, "GET", `/v1/checkouts/${checkout["id"]}`)).body
    assert.deepStrictEqual([stored["status"], stored["product_id"], stored["total_amount"]], ["succeeded", product.pwyw, 1000])
    assert.deepStrictEqual(problems, [])
    await page.close()
  })

  it("the 3-D Secure test card: the checkout stays confirmed and the page says why", async () => {
    const secure = await createCheckout({ products: [product.pwyw] })
    const { page } = await openPage(secure["url"])
    await page.waitForSelector("#checkout-form")
    await fillBuyer(page)
    await chooseCard(page, "tok_threeDSecure2Required")
    await page.click("#pay")
    await page.waitForSelector("#payment-note")
    assert.match(await page.textContent("#payment-note") ?? "", /3-D Secure/u)
    assert.strictEqual(await page.textContent("h1"), "Processing your payment…")
    assert.strictEqual((await api(app.url, "GET", `/v1/checkouts/${secure["id"]}`)).body["status"], "confirmed")
    await page.close()
  })

  it("fits a 360 px wide phone without horizontal scrolling", async () => {
    const checkout = await createCheckout({ products: [product.graduatedSeats] })
    const { page } = await openPage(checkout["url"], { width: 360, height: 740 })
    await page.waitForSelector("#checkout-form")
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
    assert.isAtMost(widths.scroll, 360)
    const pay = await page.locator("#pay").boundingBox()
    assert.isNotNull(pay)
    assert.isAtMost(pay!.x + pay!.width, 360)
    await page.close()
  })
})
