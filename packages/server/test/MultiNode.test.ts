/**
 * Stateless nodes: two real server processes (`node src/main.ts`, Stripe mode against the in-repo fake Stripe) on
 * one PostgreSQL database behave as one server:
 * (a) 50 concurrent confirms of one checkout split across both nodes create exactly one PaymentIntent;
 * (b) both nodes' expiry sweeps (every second) expire each due checkout once and publish its event once;
 * (c) a discount capped at 10 is redeemed exactly 10 times by concurrent confirms spread over both nodes;
 * (d) a Stripe webhook delivered to both nodes (twice each, concurrently) completes its checkout once.
 */
import { FakeStripe } from "../../stripe/test/support/index.ts"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { SqlClient } from "effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { call, confirmBody, json, starterKit, startNode, sharedDatabaseEnv } from "./Nodes.ts"

const launch10 = "44444444-4444-4444-8444-000000000004"
const webhookPath = "/v1/integrations/stripe/webhook"

describe("two server processes on one database", () => {
  it.live("confirms, expiry sweeps, a discount cap and webhooks behave as on one server", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const database = yield* TestDatabase.freshDatabase
      // Many confirms from one loopback address: the abuse limits would refuse most of them.
      const env = sharedDatabaseEnv(fake, database, { RATE_LIMITS: "off", EXPIRY_SWEEP_INTERVAL_SECONDS: "1" })
      // Started one after the other: both run the migrator; the second finds nothing to do.
      const a = yield* startNode(env)
      const b = yield* startNode(env)
      const nodes = [a, b]
      const sql = yield* Effect.provide(
        SqlClient.use(Effect.succeed),
        yield* Layer.build(TestDatabase.layerClientOn(database, 2))
      )

      // (a) 50 concurrent confirms of one checkout, alternating nodes: one PaymentIntent.
      const created = json(yield* call(a.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }))
      const ctok = fake.mintConfirmationToken({ scenario: "success" })
      const confirms = yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => nodes[i % 2]!),
        (node) => call(node.url, `/v1/checkouts/client/${created.client_secret}/confirm`, {
          method: "POST",
          body: confirmBody(ctok.id, "ada@example.com")
        }),
        { concurrency: "unbounded" }
      )
      const statuses = confirms.map((r) => r.status)
      assert.isTrue(statuses.includes(200), statuses.join(","))
      assert.isTrue(statuses.every((s) => s === 200 || s === 409 || s === 403), statuses.join(","))
      const intentsFor = (checkoutId: string) => fake.paymentIntents().filter((pi) => pi.metadata["checkout_id"] === checkoutId)
      assert.strictEqual(intentsFor(created.id).length, 1)

      // (d) The charge's webhook, delivered twice to each node at once: the checkout succeeds once.
      const succeededEvents = fake.events("charge.succeeded")
      assert.strictEqual(succeededEvents.length, 1)
      const deliveries = yield* Effect.forEach(
        [a, b, a, b],
        (node) => Effect.promise(() => fake.deliverEvents(`${node.url}${webhookPath}`, succeededEvents)),
        { concurrency: "unbounded" }
      )
      const outcomes = deliveries.flat().map((d) => `${d.status}:${JSON.parse(d.body).status ?? JSON.parse(d.body).reason}`)
      // One applies it; a delivery racing it is told to retry (409, checkout locked), or finds it done already
      // (duplicate, or ignored when it passed the dedup check before the first was marked: the use case is idempotent).
      assert.strictEqual(outcomes.filter((o) => o === "200:applied").length, 1, outcomes.join(","))
      assert.isTrue(outcomes.every((o) => ["200:applied", "200:duplicate", "200:ignored", "409:locked"].includes(o)), outcomes.join(","))
      // Stripe's retries of the deferred deliveries, to either node: acknowledged as duplicates.
      for (const node of nodes) {
        const retry = yield* Effect.promise(() => fake.deliverEvents(`${node.url}${webhookPath}`, succeededEvents))
        assert.deepStrictEqual(retry.map((d) => [d.status, JSON.parse(d.body).status]), [[200, "duplicate"]])
      }
      assert.strictEqual(json(yield* call(b.url, `/v1/checkouts/${created.id}`)).status, "succeeded")
      const succeeded = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM checkout_events
        WHERE type = 'checkout.succeeded' AND checkout_id = ${created.id}`
      assert.strictEqual(succeeded[0]!.n, 1, "one checkout.succeeded event")
      const marked = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM processed_stripe_events WHERE event_id = ${succeededEvents[0]!.id}`
      assert.strictEqual(marked[0]!.n, 1)

      // (c) LAUNCH10 (max 10 redemptions): 24 checkouts with it, confirmed concurrently across both nodes.
      const discounted = yield* Effect.forEach(Array.from({ length: 24 }), () =>
        Effect.map(call(a.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit], discount_id: launch10 } }), json))
      const capped = yield* Effect.forEach(
        discounted,
        (c, i) => call(nodes[i % 2]!.url, `/v1/checkouts/client/${c.client_secret}/confirm`, {
          method: "POST",
          body: confirmBody(fake.mintConfirmationToken({ scenario: "success" }).id, `buyer${i}@example.com`)
        }),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(capped.filter((r) => r.status === 200).length, 10, capped.map((r) => r.status).join(","))
      assert.isTrue(capped.every((r) => r.status === 200 || r.status === 422), capped.map((r) => r.status).join(","))
      const [discountRow] = yield* sql<{ n: number }>`SELECT redemptions_count AS n FROM discounts WHERE id = ${launch10}`
      assert.strictEqual(discountRow!.n, 10)
      const charged = discounted.filter((c) => intentsFor(c.id).length > 0)
      assert.strictEqual(charged.length, 10)

      // (b) 30 open checkouts made due; both nodes sweep every second: each expires once, one event each.
      const due = yield* Effect.forEach(Array.from({ length: 30 }), () =>
        Effect.map(call(b.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }), (r) => json(r).id as string))
      yield* sql`UPDATE checkouts SET expires_at = now() - interval '1 second',
          data = jsonb_set(data, '{expiresAt}', to_jsonb(to_char((now() - interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        WHERE id = ANY(${due}::uuid[])`
      let open = due.length
      for (let i = 0; i < 100 && open > 0; i++) {
        yield* Effect.sleep(100)
        const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM checkouts WHERE id = ANY(${due}::uuid[]) AND status = 'open'`
        open = row!.n
      }
      assert.strictEqual(open, 0, "every due checkout expired")
      // Let both sweeps run at least once more over the expired rows.
      yield* Effect.sleep(2500)
      const expired = yield* sql<{ checkout_id: string; n: number }>`SELECT checkout_id, count(*)::int AS n FROM checkout_events
        WHERE type = 'checkout.expired' AND checkout_id = ANY(${due}::uuid[]) GROUP BY checkout_id`
      assert.strictEqual(expired.length, 30)
      assert.isTrue(expired.every((r) => r.n === 1), JSON.stringify(expired.filter((r) => r.n !== 1)))
      const versions = yield* sql<{ v: number }>`SELECT DISTINCT version AS v FROM checkouts WHERE id = ANY(${due}::uuid[])`
      assert.deepStrictEqual(versions.map((r) => r.v), [2], "each expired by exactly one write")
    }).pipe(Effect.scoped), 180_000)
})
