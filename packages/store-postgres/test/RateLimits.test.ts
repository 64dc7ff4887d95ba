/**
 * The rate-limit contract against PostgreSQL (a fresh database per test), plus what only a shared database can
 * show: two pools (two processes) share the counters and a block, a block survives a new pool (a restart), and
 * pruning drops only what has ended.
 */
import { RateLimitStore } from "@checkout-kit/domain"
import { RateLimitContract } from "@checkout-kit/domain/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as RateLimits from "../src/RateLimits.ts"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

RateLimitContract.run("postgres", () => RateLimits.layer().pipe(Layer.provide(TestDatabase.layerClient())))

const hitOn = (database: string, identity: string, n: number) =>
  Effect.forEach(Array.from({ length: n }), () => RateLimitStore.use((s) => s.hit(identity, RateLimitContract.confirmRule)))
    .pipe(Effect.provide(RateLimits.layer().pipe(Layer.provide(TestDatabase.layerClientOn(database, 2)))))

describe("RateLimits on PostgreSQL", () => {
  it.live("two pools share the counters and the block; a new pool (restart) still sees the block", () =>
    Effect.gen(function*() {
      const database = yield* TestDatabase.freshDatabase
      const first = yield* hitOn(database, "ip:203.0.113.9", 4)
      const second = yield* hitOn(database, "ip:203.0.113.9", 4)
      assert.deepStrictEqual([...first, ...second].map((d) => d._tag), [
        "Allowed", "Allowed", "Allowed", "Allowed", "Allowed", "Allowed", "Limited", "Limited"
      ])
      const [afterRestart] = yield* hitOn(database, "ip:203.0.113.9", 1)
      assert.strictEqual(afterRestart?._tag, "Limited")
      assert.isTrue(afterRestart?._tag === "Limited" && afterRestart.retryAfterSeconds > 1790)
      const [other] = yield* hitOn(database, "ip:203.0.113.10", 1)
      assert.strictEqual(other?._tag, "Allowed")
    }).pipe(Effect.scoped), 60_000)

  it.live("pruning deletes ended counters and blocks only", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient
      yield* RateLimitStore.use((s) => s.hit("ip:a", { zone: "z", windows: [{ seconds: 60, limit: 1 }], blockSeconds: 30 }))
      yield* RateLimitStore.use((s) => s.hit("ip:a", { zone: "z", windows: [{ seconds: 60, limit: 1 }], blockSeconds: 30 }))
      assert.strictEqual(yield* RateLimits.prune(new Date()), 0)
      assert.strictEqual(yield* RateLimits.prune(new Date(Date.now() + 45_000)), 1)
      assert.strictEqual(yield* RateLimits.prune(new Date(Date.now() + 61_000)), 1)
      const [left] = yield* sql<{ n: number }>`SELECT (SELECT count(*) FROM rate_limit_counters)::int
        + (SELECT count(*) FROM rate_limit_blocks)::int AS n`
      assert.strictEqual(left?.n, 0)
    }).pipe(Effect.provide(RateLimits.layer().pipe(Layer.provideMerge(TestDatabase.layerClient())))), 60_000)
})
