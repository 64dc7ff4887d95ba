/**
 * Regenerates the checkout page screenshots under docs/screenshots/ (desktop 1100 px and phone 360 px wide):
 * the form, the form with errors placed next to their fields, a declined card, the confirmation, an expired
 * checkout, and the dark theme. It starts the server in-process (test mode) and the same headless Chromium as the
 * browser tests. Run: `./scripts/screenshots.sh`.
 */
import { Effect, Exit, Scope } from "effect"
import type { Page } from "playwright-core"
import { fileURLToPath } from "node:url"
import { startApp } from "../test/Harness.ts"
import { launch } from "../test/browser/Browser.ts"
import { screenshotNames } from "../test/browser/Screenshots.ts"

const outDir = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url))
const token = "polar_oat_demo_checkout_kit_local_only"
const starter = "22222222-2222-4222-8222-000000000001"
const seats = "22222222-2222-4222-8222-000000000004"

const app = await Effect.runPromise(startApp({ RATE_LIMITS: "off" }))
const shortLived = await Effect.runPromise(startApp({ RATE_LIMITS: "off", CHECKOUT_TTL_SECONDS: "1" }))
const browser = await launch()

const create = async (base: string, product: string) => {
  const res = await fetch(`${base}/v1/checkouts/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ products: [product] })
  })
  return await res.json() as { url: string }
}

const widths = { desktop: { width: 1100, height: 1000 }, phone: { width: 360, height: 800 } } as const

const shoot = async (name: string, setup: (page: Page) => Promise<void>) => {
  for (const [device, viewport] of Object.entries(widths)) {
    const page = await browser.newPage({ viewport })
    await setup(page)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.screenshot({ path: `${outDir}${name}-${device}.png`, fullPage: true })
    await page.close()
  }
}

const form = async (page: Page, product = starter, query = "") => {
  await page.goto(`${(await create(app.url, product)).url}${query}`)
  await page.waitForSelector("#checkout-form")
}

const buyer = async (page: Page) => {
  await page.fill("#field-customer_email", "ada@example.com")
  await page.fill("#field-customer_name", "Ada Lovelace")
  await page.fill("#field-customer_billing_address-country", "FR")
}

try {
  await shoot("form", (page) => form(page))
  await shoot("errors", async (page) => {
    await form(page)
    await page.fill("#field-customer_email", "ada@")
    await page.click("#pay")
    await page.waitForSelector("#error-customer_email:not([hidden])")
  })
  await shoot("declined", async (page) => {
    await form(page)
    await buyer(page)
    await page.selectOption("#field-custom_field_data-team_size", "1")
    await page.check("input[value=tok_chargeDeclined]")
    await page.click("#pay")
    await page.waitForSelector("#error-payment:not([hidden])")
  })
  await shoot("success", async (page) => {
    await form(page)
    await buyer(page)
    await page.selectOption("#field-custom_field_data-team_size", "1")
    await page.click("#pay")
    await page.waitForSelector("text=Payment successful")
  })
  await shoot("expired", async (page) => {
    const checkout = await create(shortLived.url, starter)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    await page.goto(checkout.url)
  })
  await shoot("dark-seats", (page) => form(page, seats, "?theme=dark"))
} finally {
  await browser.close()
  await Effect.runPromise(Scope.close(app.scope, Exit.void))
  await Effect.runPromise(Scope.close(shortLived.scope, Exit.void))
}
console.log(`wrote ${screenshotNames.length} screenshots to ${outDir}`)
