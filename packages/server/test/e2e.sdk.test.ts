/**
 * End to end: the real server (App.layer, as main runs it) on a loopback port, driven by the official Polar SDK.
 * The SDK validates every response against its own schemas at run time, so any wire mismatch fails here.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Polar } from "@polar-sh/sdk"
import { ExpiredCheckoutError } from "@polar-sh/sdk/models/errors/expiredcheckouterror.js"
import { NotOpenCheckout } from "@polar-sh/sdk/models/errors/notopencheckout.js"
import { PaymentError } from "@polar-sh/sdk/models/errors/paymenterror.js"
import { ResourceNotFound } from "@polar-sh/sdk/models/errors/resourcenotfound.js"
import { Effect, Exit, Scope } from "effect"
import { type Started, startApp } from "./Harness.ts"

const starterKit = "22222222-2222-4222-8222-000000000001" // demo seed: one-time, usd 10.00
const proMonthly = "22222222-2222-4222-8222-000000000002" // demo seed: recurring, usd 25.00

// The SDK run confirms more than the reference's 6 a minute from one address: the limits are tested elsewhere.
const start = (env: Record<string, string> = {}) => Effect.runPromise(startApp({ RATE_LIMITS: "off", ...env }))
const stop = (started: Started | undefined) =>
  started === undefined ? Promise.resolve() : Effect.runPromise(Scope.close(started.scope, Exit.void))

const sdkFor = (started: Started) =>
  new Polar({ accessToken: String(started.ready["accessToken"]), serverURL: started.url, retryConfig: { strategy: "none" } })

/** The SDK error thrown by `run`, checked to be of class `type`. */
const rejection = async <E>(run: () => Promise<unknown>, type: abstract new(...args: never) => E): Promise<E> => {
  try {
    await run()
  } catch (error) {
    assert.instanceOf(error, type as unknown as new() => E, String(error))
    return error as E
  }
  throw new Error("expected the call to fail")
}

const waitFor = async <A>(read: () => Promise<A>, done: (a: A) => boolean, timeoutMs = 5_000): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** What the confirm form sends for the Starter Kit, whose required custom field is `team_size` (a select). */
const billing = {
  customFieldData: { team_size: "2-10" },
  customerName: "Ada Lovelace",
  customerEmail: "ada@example.com",
  customerBillingAddress: { country: "US" as const, line1: "1 Main St", city: "Springfield", postalCode: "12345", state: "IL" }
}

describe("e2e through @polar-sh/sdk", () => {
  let server: Started | undefined
  let polar: Polar

  beforeAll(async () => {
    server = await start()
    polar = sdkFor(server)
  }, 30_000)
  afterAll(() => stop(server))

  it("checkouts: create, get, update", async () => {
    const created = await polar.checkouts.create({ products: [starterKit], metadata: { order: "e2e-1" } })
    assert.strictEqual(created.status, "open")
    assert.strictEqual(created.productId, starterKit)
    assert.strictEqual(created.currency, "usd")
    assert.strictEqual(created.totalAmount, 1000)
    assert.match(created.clientSecret, /^polar_c_/u)

    const fetched = await polar.checkouts.get({ id: created.id })
    assert.strictEqual(fetched.id, created.id)
    assert.deepStrictEqual(fetched.metadata, { order: "e2e-1" })

    const updated = await polar.checkouts.update({
      id: created.id,
      checkoutUpdate: { customerEmail: "buyer@example.com", metadata: { order: "e2e-1", step: "updated" } }
    })
    assert.strictEqual(updated.customerEmail, "buyer@example.com")
    assert.deepStrictEqual(updated.metadata, { order: "e2e-1", step: "updated" })

    const missing = await rejection(
      () => polar.checkouts.get({ id: "6f7c2a52-46a5-4a6b-9d2c-0c2a6d1f7d10" }),
      ResourceNotFound
    )
    assert.strictEqual(missing.error, "ResourceNotFound")
  })

  it("checkouts: list with paging", async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 5; i++) ids.add((await polar.checkouts.create({ products: [proMonthly] })).id)
    const first = await polar.checkouts.list({ productId: proMonthly, limit: 2, page: 1 })
    assert.strictEqual(first.result.items.length, 2)
    assert.strictEqual(first.result.pagination.totalCount, 5)
    assert.strictEqual(first.result.pagination.maxPage, 3)
    const seen: Array<string> = []
    for await (const page of first) seen.push(...page.result.items.map((c) => c.id))
    assert.strictEqual(seen.length, 5)
    assert.deepStrictEqual(new Set(seen), ids)
  })

  it("client: get, update, confirm with the local test processor; then not open (403)", async () => {
    const created = await polar.checkouts.create({ products: [starterKit] })
    const publicView = await polar.checkouts.clientGet({ clientSecret: created.clientSecret })
    assert.strictEqual(publicView.id, created.id)
    assert.strictEqual(publicView.paymentProcessorMetadata["publishable_key"], "pk_test_local")

    const updated = await polar.checkouts.clientUpdate({
      clientSecret: created.clientSecret,
      checkoutUpdatePublic: { customerName: "Ada Lovelace", customerEmail: "ada@example.com" }
    })
    assert.strictEqual(updated.customerName, "Ada Lovelace")

    const confirmed = await polar.checkouts.clientConfirm({
      clientSecret: created.clientSecret,
      checkoutConfirmStripe: { ...billing, confirmationTokenId: "tok_visa" }
    })
    assert.strictEqual(confirmed.status, "confirmed")

    // The local processor settles the charge the way Stripe's webhook would.
    const settled = await waitFor(() => polar.checkouts.get({ id: created.id }), (c) => c.status === "succeeded")
    assert.strictEqual(settled.status, "succeeded")

    const notOpen = await rejection(
      () => polar.checkouts.clientUpdate({ clientSecret: created.clientSecret, checkoutUpdatePublic: { customerName: "X" } }),
      NotOpenCheckout
    )
    assert.strictEqual(notOpen.error, "NotOpenCheckout")
  })

  it("client: a declined test card is a PaymentError and leaves the checkout open", async () => {
    const created = await polar.checkouts.create({ products: [starterKit] })
    const declined = await rejection(
      () =>
        polar.checkouts.clientConfirm({
          clientSecret: created.clientSecret,
          checkoutConfirmStripe: { ...billing, confirmationTokenId: "tok_chargeDeclined" }
        }),
      PaymentError
    )
    assert.include(declined.detail, "Your card was declined.")
    assert.strictEqual((await polar.checkouts.get({ id: created.id })).status, "open")
  })

  it("client: a 3-D Secure test card confirms with requires_action and does not settle", async () => {
    const created = await polar.checkouts.create({ products: [starterKit] })
    const confirmed = await polar.checkouts.clientConfirm({
      clientSecret: created.clientSecret,
      checkoutConfirmStripe: { ...billing, confirmationTokenId: "tok_threeDSecure2Required" }
    })
    assert.strictEqual(confirmed.status, "confirmed")
    assert.strictEqual(confirmed.paymentProcessorMetadata["intent_status"], "requires_action")
    assert.match(String(confirmed.paymentProcessorMetadata["intent_client_secret"]), /^pi_local_\w+_secret_\w+$/u)
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.strictEqual((await polar.checkouts.get({ id: created.id })).status, "confirmed")
  })

  it("the banner's checkout link opens a fresh checkout (307 to its page)", async () => {
    const linkUrl = String(server?.ready["checkoutLinkUrl"])
    const res = await fetch(linkUrl, { redirect: "manual" })
    assert.strictEqual(res.status, 307)
    const location = res.headers.get("location") ?? ""
    const clientSecret = /\/checkout\/(polar_c_\w+)/u.exec(location)?.[1]
    assert.isDefined(clientSecret, location)
    const opened = await polar.checkouts.clientGet({ clientSecret: clientSecret ?? "" })
    assert.strictEqual(opened.status, "open")
  })

  it("checkout links: create, get, list, update, delete", async () => {
    const created = await polar.checkoutLinks.create({
      paymentProcessor: "stripe",
      products: [starterKit],
      label: "e2e link"
    })
    assert.strictEqual(created.label, "e2e link")
    assert.match(created.url, /\/v1\/checkout-links\/polar_cl_\w+\/redirect$/u)

    const fetched = await polar.checkoutLinks.get({ id: created.id })
    assert.strictEqual(fetched.id, created.id)

    const listed = await polar.checkoutLinks.list({ productId: starterKit, limit: 100 })
    assert.isTrue(listed.result.items.some((l) => l.id === created.id))

    const updated = await polar.checkoutLinks.update({ id: created.id, checkoutLinkUpdate: { label: "renamed" } })
    assert.strictEqual(updated.label, "renamed")

    await polar.checkoutLinks.delete({ id: created.id })
    await rejection(() => polar.checkoutLinks.get({ id: created.id }), ResourceNotFound)
  })
})

describe("e2e: expiry", () => {
  let server: Started | undefined
  let polar: Polar

  beforeAll(async () => {
    server = await start({ CHECKOUT_TTL_SECONDS: "1", EXPIRY_SWEEP_INTERVAL_SECONDS: "1" })
    polar = sdkFor(server)
  }, 30_000)
  afterAll(() => stop(server))

  it("an expired checkout answers 410 to the client and the sweep marks it expired", async () => {
    const created = await polar.checkouts.create({ products: [starterKit] })
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    const expired = await rejection(() => polar.checkouts.clientGet({ clientSecret: created.clientSecret }), ExpiredCheckoutError)
    assert.strictEqual(expired.error, "ExpiredCheckoutError")
    const swept = await waitFor(() => polar.checkouts.get({ id: created.id }), (c) => c.status === "expired")
    assert.strictEqual(swept.status, "expired")
  }, 15_000)
})
