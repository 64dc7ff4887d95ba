/**
 * Crash safety on PostgreSQL: a server process (Stripe mode, the in-repo fake Stripe) is SIGKILLed at a random
 * moment while 30 confirms are in flight, a new process is started on the same database, and:
 * - no committed checkout is lost (every create that answered 201 is there), and no event is duplicated;
 * - no checkout is charged twice: exactly one PaymentIntent per checkout, also after the buyers retry;
 * - every checkout whose charge was recorded (or not made) before the kill reaches `succeeded` once the buyers retry
 *   (the same confirm again) and the webhooks are processed, with one `checkout.succeeded` event.
 * Two rounds with different kill points. KNOWN GAP, not hidden: a charge made just before the kill, whose confirm
 * transaction never committed, is recorded nowhere on the checkout (the confirm calls the processor inside its
 * transaction), and the buyer's retry cannot settle it (a new processor customer, so Stripe refuses the reused
 * idempotency key): such a checkout stays open with the money taken until issue 15's two-transaction confirm and
 * reconciliation land. The test allows exactly that case, checks it is never charged twice, and prints the counts.
 */
import { FakeStripe } from "@checkout-kit/stripe/testing"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Random, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { call, confirmBody, json, starterKit, startNode } from "./Nodes.ts"

const webhookPath = "/v1/integrations/stripe/webhook"

describe("SIGKILL during a stream of confirms", () => {
  it.live("no committed checkout lost, no double charge, no duplicated event; retries and webhooks complete every checkout", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const database = yield* TestDatabase.freshDatabase
      const env = {
        CHECKOUT_STORE: "postgres",
        DATABASE_URL: Redacted.value(TestDatabase.urlOf(database)),
        STRIPE_SECRET_KEY: "sk_test_fake",
        STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
        STRIPE_API_BASE: fake.url
      }
      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), yield* Layer.build(TestDatabase.layerClientOn(database, 1)))
      let unrecordedTotal = 0
      let stuck = 0

      for (const round of [0, 1]) {
        const scope = yield* Scope.make()
        yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
        const victim = yield* Scope.provide(startNode(env), scope)
        const created = yield* Effect.forEach(Array.from({ length: 30 }), () =>
          Effect.map(call(victim.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }), (r) => {
            assert.strictEqual(r.status, 201)
            return json(r) as { id: string; client_secret: string }
          }))
        const requests = created.map((c, i) => ({
          checkout: c,
          body: confirmBody(fake.mintConfirmationToken({ scenario: "success" }).id, `r${round}-buyer${i}@example.com`)
        }))
        const inFlight = yield* Effect.forkChild(Effect.forEach(
          requests,
          (r) => call(victim.url, `/v1/checkouts/client/${r.checkout.client_secret}/confirm`, { method: "POST", body: r.body }),
          { concurrency: "unbounded" }
        ))
        // Somewhere in the stream: early (few confirms done) to late (most done).
        yield* Effect.sleep(30 + (yield* Random.nextIntBetween(0, 400)))
        victim.child.kill("SIGKILL")
        yield* Fiber.join(inFlight)
        yield* Scope.close(scope, Exit.void)

        const next = yield* Scope.make()
        yield* Effect.addFinalizer(() => Scope.close(next, Exit.void))
        const survivor = yield* Scope.provide(startNode(env), next)
        // Committed creates survive.
        const ids = created.map((c) => c.id)
        const [stored] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM checkouts WHERE id = ANY(${ids}::uuid[])`
        assert.strictEqual(stored!.n, 30, `round ${round}: committed checkouts lost`)
        const intentsOf = (id: string) => fake.paymentIntents().filter((pi) => pi.metadata["checkout_id"] === id)
        // Charged by the processor, but the kill came before the confirm's transaction committed: nothing on the
        // checkout says so (issue 15 records the attempt before the call and reconciles; until then only the buyer's
        // retry can settle it, and Stripe refuses that retry: the processor customer is new, the key is not).
        const unrecorded = new Set<string>()
        for (const c of created) {
          assert.isAtMost(intentsOf(c.id).length, 1, `round ${round}: checkout ${c.id} charged twice`)
          if (intentsOf(c.id).length === 1 && json(yield* call(survivor.url, `/v1/checkouts/${c.id}`)).status === "open") {
            unrecorded.add(c.id)
          }
        }
        unrecordedTotal += unrecorded.size

        // The buyers retry (same token, same body); then Stripe delivers its webhooks.
        const retried = yield* Effect.forEach(
          requests,
          (r) => call(survivor.url, `/v1/checkouts/client/${r.checkout.client_secret}/confirm`, { method: "POST", body: r.body }),
          { concurrency: 8 }
        )
        for (const [i, r] of retried.entries()) {
          const id = requests[i]!.checkout.id
          // 200 (confirmed now), or 403 when the confirm before the crash had committed.
          const expected = unrecorded.has(id) ? [200, 403, 500] : [200, 403]
          assert.include(expected, r.status, `round ${round} retry ${i}: ${r.status} ${r.body.slice(0, 200)}`)
        }
        const events = fake.events("charge.succeeded")
        yield* Effect.promise(() => fake.deliverEvents(`${survivor.url}${webhookPath}`, events))
        let succeededNow = 0
        for (const c of created) {
          assert.strictEqual(intentsOf(c.id).length, 1, `round ${round}: checkout ${c.id} must be charged exactly once`)
          const status = json(yield* call(survivor.url, `/v1/checkouts/${c.id}`)).status
          if (!unrecorded.has(c.id)) assert.strictEqual(status, "succeeded", `round ${round}: ${c.id}`)
          else if (status !== "succeeded") stuck++
          if (status === "succeeded") succeededNow++
        }
        // No event twice: each (type, checkout, version) once; one created and one succeeded per checkout.
        const [dupes] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT type, checkout_id, checkout->>'version'
          FROM checkout_events GROUP BY 1, 2, 3 HAVING count(*) > 1) d`
        assert.strictEqual(dupes!.n, 0, `round ${round}: duplicated events`)
        const perCheckout = yield* sql<{ created: number; succeeded: number }>`SELECT
            count(*) FILTER (WHERE type = 'checkout.created')::int AS created,
            count(*) FILTER (WHERE type = 'checkout.succeeded')::int AS succeeded
          FROM checkout_events WHERE checkout_id = ANY(${ids}::uuid[]) GROUP BY checkout_id`
        assert.strictEqual(perCheckout.length, 30)
        assert.isTrue(perCheckout.every((r) => r.created === 1 && r.succeeded <= 1), JSON.stringify(perCheckout))
        assert.strictEqual(perCheckout.filter((r) => r.succeeded === 1).length, succeededNow, "one event per succeeded checkout")
        yield* Scope.close(next, Exit.void)
      }
      // Reported, not hidden: charges the kill left unrecorded, and how many of them the retry could not settle.
      console.log(`crash safety: ${unrecordedTotal} charge(s) unrecorded after a kill, ${stuck} left open after retries and webhooks`)
    }).pipe(Effect.scoped), 240_000)
})
