/**
 * Rate limits across processes: two real server processes (`node src/main.ts`, local test mode) on one PostgreSQL
 * share the counters, so a card tester spreading declined confirms over both nodes still gets exactly 6 attempts to
 * the processor; another address is unaffected; made-up bearer tokens spread over both nodes all count for the
 * sender's address (one shared allowance, not one each); and a fresh process started after both stopped (a restart)
 * still refuses the blocked address.
 */
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Redacted, Scope } from "effect"
import { call, confirmBody, json, starterKit, startNode } from "./Nodes.ts"

const attacker = "203.0.113.7"

describe("rate limits on two server processes sharing one database", () => {
  it.live("counters and the block are shared, and the block survives a restart", () =>
    Effect.gen(function*() {
      const database = yield* TestDatabase.freshDatabase
      const env = {
        CHECKOUT_STORE: "postgres",
        DATABASE_URL: Redacted.value(TestDatabase.urlOf(database)),
        TRUSTED_PROXIES: "127.0.0.1",
        // Small, so that the made-up token burst below is quick (the confirm zone is separate).
        RATE_LIMIT_API_PER_MINUTE: "20"
      }
      const first = yield* Scope.make()
      const a = yield* startNode(env).pipe(Scope.provide(first))
      const b = yield* startNode(env).pipe(Scope.provide(first))
      const created = json(yield* call(a.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }))
      const confirm = (url: string, from: string) =>
        call(url, `/v1/checkouts/client/${created.client_secret}/confirm`, {
          method: "POST",
          headers: { "x-forwarded-for": from, authorization: "" },
          body: confirmBody("tok_chargeDeclined", "card.tester@example.com")
        })
      const answers = []
      for (let i = 0; i < 12; i++) answers.push(yield* confirm(i % 2 === 0 ? a.url : b.url, attacker))
      // 400 PaymentError: the attempt reached the processor and was declined; 429: refused at the edge.
      assert.deepStrictEqual(answers.map((r) => r.status), [400, 400, 400, 400, 400, 400, 429, 429, 429, 429, 429, 429])
      assert.strictEqual(json(answers[0]!).error, "PaymentError")
      assert.strictEqual(json(answers[6]!).error, "TooManyRequests")
      assert.strictEqual((yield* confirm(b.url, "198.51.100.2")).status, 400)

      // Made-up tokens, alternating nodes: one allowance for the address (20 a minute), not one per token.
      const guesser = "203.0.113.50"
      const guesses = []
      for (let i = 0; i < 26; i++) {
        guesses.push((yield* call(i % 2 === 0 ? a.url : b.url, "/v1/checkouts/?limit=1", {
          headers: { authorization: `Bearer polar_oat_made_up_${i}`, "x-forwarded-for": guesser }
        })).status)
      }
      assert.deepStrictEqual(guesses, [...Array(20).fill(401), ...Array(6).fill(429)])
      // The real token from that address counts for its organization, on either node.
      const real = yield* call(b.url, "/v1/checkouts/?limit=1", { headers: { "x-forwarded-for": guesser } })
      assert.strictEqual(real.status, 200)
      yield* Scope.close(first, Exit.void)

      // Both processes are gone; a new one on the same database still refuses the blocked address.
      const c = yield* startNode(env)
      const after = yield* confirm(c.url, attacker)
      assert.strictEqual(after.status, 429)
      assert.strictEqual((yield* confirm(c.url, "198.51.100.3")).status, 400)
    }).pipe(Effect.scoped), { timeout: 120_000 })
})
