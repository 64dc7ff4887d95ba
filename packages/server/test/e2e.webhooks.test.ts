/**
 * Merchant webhooks end to end: the real server (App.layer) on a loopback port, driven by the official Polar SDK
 * (`webhooks.*` and `checkouts.*`), delivering to a real local receiver that verifies every request with the SDK's
 * `validateEvent`. Checks the endpoints API (statuses, scopes, organization isolation), the events at the
 * reference's moments with the API's view of the checkout as `data`, order per checkout, an outage (refused,
 * 500s, timeouts) after which every event arrives, in order, with no `webhook-id` lost, and the delivery log's
 * filters (status class, text, time range; bad values are 422s).
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Polar } from "@polar-sh/sdk"
import { ResourceNotFound } from "@polar-sh/sdk/models/errors/resourcenotfound.js"
import { SDKError } from "@polar-sh/sdk/models/errors/sdkerror.js"
import { HTTPValidationError } from "@polar-sh/sdk/models/errors/httpvalidationerror.js"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { Effect, Exit, Redacted, Scope } from "effect"
import { type Started, startApp } from "./Harness.ts"
import { eventually, type Receiver, startReceiver } from "./Receiver.ts"

const starterKit = "22222222-2222-4222-8222-000000000001"
const acmeToken = "polar_oat_demo_checkout_kit_local_only"
const readonlyToken = "polar_oat_demo_readonly_local_only"
const globexToken = "polar_oat_demo_globex_local_only"

const env = {
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
  WEBHOOKS_RETRY_BASE_MS: "40",
  WEBHOOKS_RETRY_MAX_MS: "300",
  WEBHOOKS_TIMEOUT_MS: "400",
  WEBHOOKS_MAX_ATTEMPTS: "1000",
  WEBHOOKS_DISABLE_AFTER_FAILURES: "100000",
  CHECKOUT_TTL_SECONDS: "3",
  EXPIRY_SWEEP_INTERVAL_SECONDS: "1"
}

const sdk = (started: Started, token: string) =>
  new Polar({ accessToken: token, serverURL: started.url, retryConfig: { strategy: "none" } })

const rejection = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error("expected the call to fail")
}

const billing = {
  customFieldData: { team_size: "2-10" },
  customerName: "Ada Lovelace",
  customerEmail: "ada@example.com",
  customerBillingAddress: { country: "US" as const, line1: "1 Main St", city: "Springfield", postalCode: "12345", state: "IL" }
}

/** The verified events of a checkout, first delivery of each webhook-id, in arrival order. */
const eventsOf = (receiver: Receiver, checkoutId: string) => {
  const seen = new Set<string>()
  return receiver.received.filter((r) => {
    if (r.event === null || r.event.data.id !== checkoutId || seen.has(r.id)) return false
    seen.add(r.id)
    return true
  })
}

describe.each(["memory", "postgres"] as const)("webhooks e2e through @polar-sh/sdk (%s store)", (store) => {
  let server: Started | undefined
  let receiver: Receiver
  let polar: Polar
  const database = Effect.runSync(Scope.make())

  beforeAll(async () => {
    receiver = await startReceiver()
    const storeEnv = store === "memory" ? { CHECKOUT_STORE: "memory" } : {
      CHECKOUT_STORE: "postgres",
      DATABASE_URL: Redacted.value(TestDatabase.urlOf(await Effect.runPromise(Scope.provide(database)(TestDatabase.freshDatabase))))
    }
    server = await Effect.runPromise(startApp({ ...env, ...storeEnv }))
    polar = sdk(server, acmeToken)
  }, 30_000)
  afterAll(async () => {
    if (server !== undefined) await Effect.runPromise(Scope.close(server.scope, Exit.void))
    await Effect.runPromise(Scope.close(database, Exit.void))
    await receiver.stop()
  })

  it("endpoints API: create, list, get, update, reset secret, delete; scopes, isolation, validation", async () => {
    const created = await polar.webhooks.createWebhookEndpoint({
      url: "https://example.com/a",
      format: "raw",
      events: ["checkout.created", "order.paid"],
      name: "fulfilment"
    })
    assert.match(created.secret, /^polar_whs_[A-Za-z0-9]{43}$/u)
    assert.strictEqual(created.format, "raw")
    assert.isTrue(created.enabled)
    assert.deepStrictEqual(created.events, ["checkout.created", "order.paid"])
    assert.strictEqual(created.name, "fulfilment")

    const fetched = await polar.webhooks.getWebhookEndpoint({ id: created.id })
    assert.deepStrictEqual(fetched, created)
    const page = await polar.webhooks.listWebhookEndpoints({})
    assert.isTrue(page.result.items.some((e) => e.id === created.id))

    const updated = await polar.webhooks.updateWebhookEndpoint({
      id: created.id,
      webhookEndpointUpdate: { url: "https://example.com/b", events: ["checkout.updated"], enabled: false }
    })
    assert.strictEqual(updated.url, "https://example.com/b")
    assert.deepStrictEqual(updated.events, ["checkout.updated"])
    assert.isFalse(updated.enabled)
    assert.isNotNull(updated.modifiedAt)

    const reset = await polar.webhooks.resetWebhookEndpointSecret({ id: created.id })
    assert.notStrictEqual(reset.secret, created.secret)
    assert.match(reset.secret, /^polar_whs_/u)

    // Another organization's endpoint is a 404, as an unknown id.
    const globex = sdk(server!, globexToken)
    assert.instanceOf(await rejection(() => globex.webhooks.getWebhookEndpoint({ id: created.id })), ResourceNotFound)
    assert.instanceOf(await rejection(() => globex.webhooks.deleteWebhookEndpoint({ id: created.id })), ResourceNotFound)
    assert.isFalse((await globex.webhooks.listWebhookEndpoints({})).result.items.some((e) => e.id === created.id))

    // A token without webhooks scopes is refused (403).
    const readonly = sdk(server!, readonlyToken)
    const forbidden = await rejection(() => readonly.webhooks.listWebhookEndpoints({}))
    assert.instanceOf(forbidden, SDKError)
    assert.strictEqual((forbidden as SDKError).statusCode, 403)

    // discord/slack are a clear 422; so is a URL that is not http(s).
    const slack = await rejection(() =>
      polar.webhooks.createWebhookEndpoint({ url: "https://example.com/s", format: "slack", events: ["checkout.created"] }))
    assert.instanceOf(slack, HTTPValidationError)
    assert.match(JSON.stringify((slack as HTTPValidationError).detail), /not supported/u)
    const ftp = await rejection(() =>
      polar.webhooks.createWebhookEndpoint({ url: "ftp://example.com/s", format: "raw", events: ["checkout.created"] }))
    assert.instanceOf(ftp, HTTPValidationError)
    assert.match(JSON.stringify((ftp as HTTPValidationError).detail), /url_scheme/u)

    await polar.webhooks.deleteWebhookEndpoint({ id: created.id })
    assert.instanceOf(await rejection(() => polar.webhooks.getWebhookEndpoint({ id: created.id })), ResourceNotFound)
    assert.instanceOf(await rejection(() => polar.webhooks.redeliverWebhookEvent({ id: created.id })), ResourceNotFound)
  })

  it("checkout events at the reference's moments, signed, with the API's view as data, in order; outage recovery", async () => {
    const endpoint = await polar.webhooks.createWebhookEndpoint({
      url: receiver.url,
      format: "raw",
      events: ["checkout.created", "checkout.updated", "checkout.expired"]
    })
    receiver.secret = endpoint.secret

    // A: created, updated, confirmed and settled.
    const a = await polar.checkouts.create({ products: [starterKit], metadata: { order: "wh-1" } })
    const aUpdated = await polar.checkouts.update({ id: a.id, checkoutUpdate: { customerEmail: "buyer@example.com" } })
    await eventually(() => eventsOf(receiver, a.id).length >= 2)
    const [aCreatedEvent, aUpdatedEvent] = eventsOf(receiver, a.id)
    assert.strictEqual(aCreatedEvent!.event!.type, "checkout.created")
    assert.deepStrictEqual(aCreatedEvent!.event!.data as unknown, a as unknown)
    assert.strictEqual(aUpdatedEvent!.event!.type, "checkout.updated")
    assert.deepStrictEqual(aUpdatedEvent!.event!.data as unknown, aUpdated as unknown)

    // Outage: connections refused, then 500s, then timeouts, while more events are committed.
    await receiver.close()
    await polar.checkouts.clientConfirm({ clientSecret: a.clientSecret, checkoutConfirmStripe: { ...billing, confirmationTokenId: "tok_visa" } })
    const b = await polar.checkouts.create({ products: [starterKit] })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await receiver.reopen()
    receiver.mode = "error"
    await polar.checkouts.update({ id: b.id, checkoutUpdate: { metadata: { step: "1" } } })
    await eventually(() => receiver.received.filter((r) => r.mode === "error").length >= 3)
    receiver.mode = "hang"
    await polar.checkouts.update({ id: b.id, checkoutUpdate: { metadata: { step: "2" } } })
    await eventually(() => receiver.received.filter((r) => r.mode === "hang").length >= 2)
    receiver.mode = "ok"

    // After recovery: A settles (succeeded), B expires by time; every event arrives.
    const aFinal = await (async () => {
      for (;;) {
        const c = await polar.checkouts.get({ id: a.id })
        if (c.status === "succeeded") return c
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()
    await eventually(() => eventsOf(receiver, b.id).some((r) => r.event!.type === "checkout.expired"), 15_000)
    await eventually(() => eventsOf(receiver, a.id).some((r) => (r.event!.data as { status?: string }).status === "succeeded"))
    const bFinal = await polar.checkouts.get({ id: b.id })

    // Every delivery verified with the SDK; every webhook-id of the log arrived; duplicates only as retries.
    assert.deepStrictEqual(receiver.received.filter((r) => r.mode === "ok" && r.event === null).map((r) => r.error), [])
    const deliveries = await polar.webhooks.listWebhookDeliveries({ endpointId: endpoint.id, limit: 100 })
    const loggedIds = new Set(deliveries.result.items.map((d) => d.webhookEvent.id))
    const receivedOk = new Set(receiver.received.filter((r) => r.mode === "ok" && r.event !== null).map((r) => r.id))
    for (const id of loggedIds) assert.isTrue(receivedOk.has(id), `event ${id} never delivered`)
    assert.isTrue(deliveries.result.items.some((d) => !d.succeeded && d.httpCode === 500))
    assert.isTrue(deliveries.result.items.some((d) => !d.succeeded && d.httpCode === null))
    assert.isTrue(deliveries.result.items.some((d) => d.succeeded && d.httpCode === 202))

    // The reference's filters through the SDK: status class, text, time range (bounds excluded), combined.
    const filtered = async (filters: Omit<Parameters<typeof polar.webhooks.listWebhookDeliveries>[0], "endpointId" | "limit">) =>
      (await polar.webhooks.listWebhookDeliveries({ endpointId: endpoint.id, limit: 100, ...filters })).result.items
    const fivexx = await filtered({ httpCodeClass: "5xx" })
    assert.isTrue(fivexx.length > 0 && fivexx.every((d) => d.httpCode !== null && d.httpCode >= 500 && d.httpCode < 600))
    const twoxx = await filtered({ httpCodeClass: "2xx", succeeded: true })
    assert.isTrue(twoxx.length > 0 && twoxx.every((d) => d.succeeded && d.httpCode === 202))
    assert.deepStrictEqual(await filtered({ httpCodeClass: "2xx", succeeded: false }), [])
    const one = deliveries.result.items[0]!
    const byText = await filtered({ query: one.id.toUpperCase() })
    assert.deepStrictEqual(byText.map((d) => d.id), [one.id])
    const byEvent = await filtered({ query: one.webhookEvent.id })
    assert.isTrue(byEvent.length > 0 && byEvent.every((d) => d.webhookEvent.id === one.webhookEvent.id))
    const at = one.createdAt.getTime()
    const window = await filtered({ startTimestamp: new Date(at - 1), endTimestamp: new Date(at + 1) })
    assert.isTrue(window.some((d) => d.id === one.id))
    assert.isTrue(window.every((d) => Math.abs(d.createdAt.getTime() - at) < 1))
    assert.isFalse((await filtered({ startTimestamp: new Date(at) })).some((d) => d.id === one.id))
    assert.isFalse((await filtered({ endTimestamp: new Date(at) })).some((d) => d.id === one.id))
    // Bad filter values are 422s in the reference's shape, at the query parameter.
    for (const [query, loc] of [["http_code_class=6xx", "http_code_class"], ["start_timestamp=2026-01-01T00:00:00", "start_timestamp"], ["end_timestamp=yesterday", "end_timestamp"]] as const) {
      const response = await fetch(`${server!.url}/v1/webhooks/deliveries?${query}`, { headers: { authorization: `Bearer ${acmeToken}` } })
      assert.strictEqual(response.status, 422, query)
      const body = await response.json() as { detail: Array<{ loc: Array<string> }> }
      assert.deepStrictEqual(body.detail.map((d) => d.loc), [["query", loc]], query)
    }
    // Retries keep the id and the exact body.
    const byId = new Map<string, Set<string>>()
    for (const r of receiver.received) byId.set(r.id, (byId.get(r.id) ?? new Set()).add(r.body))
    for (const [id, bodies] of byId) assert.strictEqual(bodies.size, 1, `webhook-id ${id} sent with different bodies`)

    // Order per checkout: the types in commit order, modified_at never going back.
    const typesA = eventsOf(receiver, a.id).map((r) => r.event!.type)
    assert.deepStrictEqual(typesA.slice(0, 2), ["checkout.created", "checkout.updated"])
    assert.isTrue(typesA.slice(2).every((t) => t === "checkout.updated"))
    const statusesA = eventsOf(receiver, a.id).map((r) => (r.event!.data as unknown as { status: string }).status)
    assert.deepStrictEqual(statusesA.slice(-2), ["confirmed", "succeeded"])
    const typesB = eventsOf(receiver, b.id).map((r) => r.event!.type)
    assert.deepStrictEqual(typesB, ["checkout.created", "checkout.updated", "checkout.updated", "checkout.expired"])
    for (const id of [a.id, b.id]) {
      const stamps = eventsOf(receiver, id).map((r) => {
        const data = r.event!.data as unknown as { modifiedAt?: Date | null; createdAt: Date }
        return (data.modifiedAt ?? data.createdAt).getTime()
      })
      assert.deepStrictEqual(stamps, [...stamps].sort((x, y) => x - y))
    }
    // The last event of each checkout is the API's view of it now.
    assert.deepStrictEqual(eventsOf(receiver, a.id).at(-1)!.event!.data, aFinal as unknown as Record<string, unknown> & { id: string })
    assert.deepStrictEqual(eventsOf(receiver, b.id).at(-1)!.event!.data, bFinal as unknown as Record<string, unknown> & { id: string })

    // Redelivery sends the same event (same id, same body) again.
    const first = eventsOf(receiver, a.id)[0]!
    const before = receiver.received.filter((r) => r.id === first.id).length
    await polar.webhooks.redeliverWebhookEvent({ id: first.id })
    await eventually(() => receiver.received.filter((r) => r.id === first.id).length > before)
    assert.strictEqual(receiver.received.filter((r) => r.id === first.id).at(-1)!.body, first.body)
  }, 60_000)
})
