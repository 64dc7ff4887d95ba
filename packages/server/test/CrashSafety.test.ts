/**
 * Crash safety on PostgreSQL: a server process (Stripe mode, the in-repo fake Stripe) is SIGKILLed at a random
 * moment while 30 confirms are in flight, a new process is started on the same database (reconciliation every
 * second, a 5 s payment call timeout so the dead process's `sending` attempts go stale quickly), and, with no
 * allowance for any checkout:
 * - no committed checkout is lost (every create that answered 201 is there);
 * - no charge without a recorded attempt: right after the kill, every PaymentIntent at the fake Stripe belongs to a
 *   checkout whose stored attempt (or recorded answer) names it or whose stored attempt's idempotency key created it;
 * - the buyers' retries (the same confirm again) never answer 500: 200, 403 (already confirmed) or 409 (its attempt
 *   is still being resolved);
 * - every checkout ends `succeeded` after the reconciliation and Stripe's webhooks, charged exactly once (one
 *   PaymentIntent, one succeeded charge), with exactly one `checkout.created` and one `checkout.succeeded` event and
 *   no event stored twice; every webhook delivery answers 200.
 * Two rounds with different kill points.
 */
import { FakeStripe } from "../../stripe/test/support/index.ts"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Random, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { call, confirmBody, json, starterKit, startNode, sharedDatabaseEnv } from "./Nodes.ts"

const webhookPath = "/v1/integrations/stripe/webhook"
const checkoutsPerRound = 30

describe("SIGKILL during a stream of confirms", () => {
  it.live("no checkout lost, no unrecorded or double charge, no duplicated event, no 500; every checkout succeeds", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const database = yield* TestDatabase.freshDatabase
      // Many confirms from one loopback address: the abuse limits would refuse most of them.
      const env = sharedDatabaseEnv(fake, database, { RATE_LIMITS: "off", PAYMENT_CALL_TIMEOUT_SECONDS: "5" })
      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), yield* Layer.build(TestDatabase.layerClientOn(database, 1)))
      const counts = {
        killedAfter: [] as Array<number>,
        chargedBeforeCommitOfAnswer: 0,
        openAtKill: 0,
        retryStatuses: new Map<number, number>()
      }

      for (const round of [0, 1]) {
        const scope = yield* Scope.make()
        yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
        const victim = yield* Scope.provide(startNode(env), scope)
        const created = yield* Effect.forEach(Array.from({ length: checkoutsPerRound }), () =>
          Effect.map(call(victim.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }), (r) => {
            assert.strictEqual(r.status, 201)
            return json(r) as { id: string; client_secret: string }
          }))
        const ids = created.map((c) => c.id)
        const requests = created.map((c, i) => ({
          checkout: c,
          body: confirmBody(fake.mintConfirmationToken({ scenario: "success" }).id, `r${round}-buyer${i}@example.com`)
        }))
        const inFlight = yield* Effect.forkChild(Effect.forEach(
          requests,
          (r) => call(victim.url, `/v1/checkouts/client/${r.checkout.client_secret}/confirm`, { method: "POST", body: r.body }),
          { concurrency: "unbounded" }
        ))
        // Somewhere in the stream, paced by its progress (not by time: the machine may be slow): once the processor
        // has created a random number of this round's PaymentIntents, early in round 0, late in round 1, so that
        // calls are in flight and answers are on their way to the database.
        const target = round === 0 ? yield* Random.nextIntBetween(1, 10) : yield* Random.nextIntBetween(12, 26)
        const charged = () => fake.paymentIntents().filter((pi) => ids.includes(pi.metadata["checkout_id"] ?? "")).length
        const giveUp = Date.now() + 60_000
        while (charged() < target && Date.now() < giveUp) yield* Effect.sleep(2)
        victim.child.kill("SIGKILL")
        counts.killedAfter.push(charged())
        yield* Fiber.join(inFlight)
        yield* Scope.close(scope, Exit.void)

        // With no process running: what the database says about every charge the processor made.
        const stored = yield* sql<{ id: string; status: string; data: any }>`SELECT id::text, status, data FROM checkouts
          WHERE id = ANY(${ids}::uuid[])`
        assert.strictEqual(stored.length, checkoutsPerRound, `round ${round}: committed checkouts lost`)
        const byId = new Map(stored.map((row) => [row.id, row.data]))
        const keyOfIntent = new Map(
          fake.events("payment_intent.created").map((e) => [(e.data.object as { id: string }).id, e.request.idempotency_key])
        )
        const roundIntents = fake.paymentIntents().filter((pi) => ids.includes(pi.metadata["checkout_id"] ?? ""))
        for (const pi of roundIntents) {
          const data = byId.get(pi.metadata["checkout_id"]!)
          const pending = data.pendingPayment as { intentId: string | null; idempotencyKey: string } | null
          const recorded = data.currentIntentId === pi.id || pending?.intentId === pi.id ||
            (pending !== null && pending.idempotencyKey === keyOfIntent.get(pi.id))
          assert.isTrue(recorded, `round ${round}: intent ${pi.id} of ${pi.metadata["checkout_id"]} recorded nowhere: ${JSON.stringify(data)}`)
          if (data.currentIntentId !== pi.id && pending?.intentId !== pi.id) counts.chargedBeforeCommitOfAnswer++
        }
        counts.openAtKill += stored.filter((row) => row.status === "open").length

        const next = yield* Scope.make()
        yield* Effect.addFinalizer(() => Scope.close(next, Exit.void))
        const survivor = yield* Scope.provide(startNode({ ...env, RECONCILE_INTERVAL_SECONDS: "1" }), next)

        // The buyers retry (same token, same body): never a 500.
        const retried = yield* Effect.forEach(
          requests,
          (r) => call(survivor.url, `/v1/checkouts/client/${r.checkout.client_secret}/confirm`, { method: "POST", body: r.body }),
          { concurrency: 8 }
        )
        for (const [i, r] of retried.entries()) {
          counts.retryStatuses.set(r.status, (counts.retryStatuses.get(r.status) ?? 0) + 1)
          assert.include([200, 403, 409], r.status, `round ${round} retry ${i}: ${r.status} ${r.body.slice(0, 300)}`)
        }

        // The reconciliation resolves every attempt left without an answer; Stripe delivers its webhooks (each event
        // once, as they appear); every checkout must end `succeeded`.
        const delivered = new Set<string>()
        const deadline = Date.now() + 60_000
        let statuses: ReadonlyArray<{ id: string; status: string }> = []
        while (true) {
          const fresh = fake.events("charge.succeeded").filter((e) =>
            !delivered.has(e.id) && ids.includes((e.data.object as { metadata: Record<string, string> }).metadata["checkout_id"] ?? "")
          )
          if (fresh.length > 0) {
            const deliveries = yield* Effect.promise(() => fake.deliverEvents(`${survivor.url}${webhookPath}`, fresh))
            for (const d of deliveries) {
              assert.strictEqual(d.status, 200, `round ${round}: webhook ${d.eventId}: ${d.body.slice(0, 300)}`)
              delivered.add(d.eventId)
            }
          }
          statuses = yield* sql<{ id: string; status: string }>`SELECT id::text, status FROM checkouts WHERE id = ANY(${ids}::uuid[])`
          if (statuses.every((s) => s.status === "succeeded") || Date.now() > deadline) break
          yield* Effect.sleep(250)
        }
        const notDone = statuses.filter((s) => s.status !== "succeeded")
        assert.deepStrictEqual(notDone, [], `round ${round}: checkouts not succeeded after reconciliation and webhooks`)

        // Charged exactly once each.
        for (const id of ids) {
          const intents = fake.paymentIntents().filter((pi) => pi.metadata["checkout_id"] === id)
          assert.strictEqual(intents.length, 1, `round ${round}: checkout ${id} must have exactly one PaymentIntent`)
          assert.strictEqual(intents[0]!.status, "succeeded", `round ${round}: checkout ${id}`)
        }
        // No event twice: each (type, checkout, version) once; exactly one created and one succeeded per checkout.
        const [dupes] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT type, checkout_id, checkout->>'version'
          FROM checkout_events GROUP BY 1, 2, 3 HAVING count(*) > 1) d`
        assert.strictEqual(dupes!.n, 0, `round ${round}: duplicated events`)
        const perCheckout = yield* sql<{ created: number; succeeded: number }>`SELECT
            count(*) FILTER (WHERE type = 'checkout.created')::int AS created,
            count(*) FILTER (WHERE type = 'checkout.succeeded')::int AS succeeded
          FROM checkout_events WHERE checkout_id = ANY(${ids}::uuid[]) GROUP BY checkout_id`
        assert.strictEqual(perCheckout.length, checkoutsPerRound)
        assert.isTrue(perCheckout.every((r) => r.created === 1 && r.succeeded === 1), JSON.stringify(perCheckout))
        yield* Scope.close(next, Exit.void)
      }
      console.log(
        `crash safety: killed after ${counts.killedAfter.join(" and ")} charges, ${counts.openAtKill} checkout(s) still open at the kill, ${counts.chargedBeforeCommitOfAnswer} ` +
          `charge(s) known only by their attempt's key, retry statuses ${JSON.stringify([...counts.retryStatuses])}`
      )
    }).pipe(Effect.scoped), 300_000)
})
