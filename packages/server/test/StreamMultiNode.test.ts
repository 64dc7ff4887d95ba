/**
 * The client event stream across server processes: two real server processes on one PostgreSQL database; the
 * buyer's stream is open on one, the confirm and the Stripe webhook that settles it land on the other, and the
 * stream still sees "confirmed" then "succeeded" (the feed tails the shared outbox), within a second of the webhook.
 */
import { FakeStripe } from "../../stripe/test/support/index.ts"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, confirmBody, json, starterKit, startNode, sharedDatabaseEnv } from "./Nodes.ts"
import { openStream, untilStatus } from "./Sse.ts"

describe("the client stream on two server processes", () => {
  it.live("a confirm and webhook handled by one process reach a stream open on the other within a second", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const database = yield* TestDatabase.freshDatabase
      const env = sharedDatabaseEnv(fake, database)
      const a = yield* startNode(env)
      const b = yield* startNode(env)
      const checkout = json(yield* call(a.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }))
      const result = yield* Effect.promise(async () => {
        const stream = await openStream(`${a.url}/v1/checkouts/client/${checkout["client_secret"]}/stream`)
        const confirmed = await fetch(`${b.url}/v1/checkouts/client/${checkout["client_secret"]}/confirm`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(confirmBody(fake.mintConfirmationToken({ scenario: "success" }).id, "ada@example.com"))
        })
        const first = (await untilStatus(stream.next, "confirmed")).message
        const sent = Date.now()
        const deliveries = await fake.deliverEvents(`${b.url}/v1/integrations/stripe/webhook`, fake.events("charge.succeeded"))
        const second = (await untilStatus(stream.next, "succeeded")).message
        const latency = Date.now() - sent
        stream.close()
        return { confirmed: confirmed.status, first, second, latency, delivered: deliveries.map((d) => d.status) }
      })
      assert.strictEqual(result.confirmed, 200)
      assert.deepStrictEqual(result.delivered, [200])
      assert.deepStrictEqual(result.first["payload"], { status: "confirmed" })
      assert.deepStrictEqual(result.second["payload"], { status: "succeeded" })
      assert.isBelow(result.latency, 1000)
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
