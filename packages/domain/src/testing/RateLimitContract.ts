/**
 * The rate-limit contract: one suite every `RateLimitStore` adapter runs against its own layer (memory, PostgreSQL),
 * so that limits behave the same on one process and on a shared database. Time is driven with TestClock.
 *
 * Usage: `RateLimitContract.run("memory", () => RateLimits.layerMemory)`; the layer must be fresh per call.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { TestClock } from "effect/testing"
import { type RateLimitDecision, type RateLimitRule, RateLimitStore } from "../ports/RateLimitStore.ts"

/** The reference's confirm rule (6 a minute, 20 an hour, then 30 minutes blocked). */
export const confirmRule: RateLimitRule = {
  zone: "checkout-confirm",
  windows: [{ seconds: 60, limit: 6 }, { seconds: 3600, limit: 20 }],
  blockSeconds: 1800
}
const apiRule: RateLimitRule = { zone: "api", windows: [{ seconds: 60, limit: 3 }], blockSeconds: null }

const hits = (identity: string, rule: RateLimitRule, n: number) =>
  Effect.forEach(Array.from({ length: n }), () => RateLimitStore.use((store) => store.hit(identity, rule)))

const allowed = (ds: ReadonlyArray<RateLimitDecision>) => ds.filter((d) => d._tag === "Allowed").length
const retryAfter = (d: RateLimitDecision | undefined) => (d?._tag === "Limited" ? d.retryAfterSeconds : -1)

export const run = <E>(name: string, makeLayer: () => Layer.Layer<RateLimitStore, E>) =>
  describe(`RateLimitStore contract (${name})`, () => {
    const test = (title: string, body: Effect.Effect<void, never, RateLimitStore>) =>
      it.effect(title, () => body.pipe(Effect.provide(makeLayer())), 30_000)

    test("a window allows its limit, then refuses until it ends (retry-after = time left), then allows again",
      Effect.gen(function*() {
        assert.strictEqual(allowed(yield* hits("ip:a", apiRule, 3)), 3)
        yield* TestClock.adjust("20 seconds")
        const [refused] = yield* hits("ip:a", apiRule, 1)
        assert.strictEqual(retryAfter(refused), 40)
        yield* TestClock.adjust("39 seconds")
        assert.strictEqual(allowed(yield* hits("ip:a", apiRule, 1)), 0)
        yield* TestClock.adjust("1 second")
        assert.strictEqual(allowed(yield* hits("ip:a", apiRule, 4)), 3)
      }))

    test("identities and zones count apart", Effect.gen(function*() {
      assert.strictEqual(allowed(yield* hits("ip:a", apiRule, 5)), 3)
      assert.strictEqual(allowed(yield* hits("ip:b", apiRule, 5)), 3)
      assert.strictEqual(allowed(yield* hits("ip:a", { ...apiRule, zone: "other" }, 5)), 3)
    }))

    test("confirm: 6 a minute, then the identity is blocked for 30 minutes on every rule", Effect.gen(function*() {
      const ds = yield* hits("ip:a", confirmRule, 10)
      assert.strictEqual(allowed(ds), 6)
      assert.deepStrictEqual(ds.slice(6).map(retryAfter), [1800, 1800, 1800, 1800])
      // The block covers other zones too (the reference keys blocks by identity only).
      const [other] = yield* hits("ip:a", apiRule, 1)
      assert.strictEqual(retryAfter(other), 1800)
      yield* TestClock.adjust("29 minutes")
      assert.strictEqual(retryAfter((yield* hits("ip:a", confirmRule, 1))[0]), 60)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(allowed(yield* hits("ip:a", confirmRule, 6)), 6)
      assert.strictEqual(allowed(yield* hits("ip:b", confirmRule, 1)), 1)
    }))

    test("confirm: 20 an hour even when spread out, then blocked", Effect.gen(function*() {
      for (let minute = 0; minute < 3; minute++) {
        assert.strictEqual(allowed(yield* hits("ip:a", confirmRule, 6)), 6)
        yield* TestClock.adjust("61 seconds")
      }
      const last = yield* hits("ip:a", confirmRule, 4)
      assert.deepStrictEqual(last.map(retryAfter), [-1, -1, 1800, 1800])
      yield* TestClock.adjust("61 seconds")
      assert.strictEqual(retryAfter((yield* hits("ip:a", confirmRule, 1))[0]), 1739)
    }))

    test("refused requests count nowhere", Effect.gen(function*() {
      yield* hits("ip:a", apiRule, 50)
      yield* TestClock.adjust("60 seconds")
      assert.strictEqual(allowed(yield* hits("ip:a", apiRule, 5)), 3)
    }))

    test("concurrent hits never allow more than the limit", Effect.gen(function*() {
      const rule: RateLimitRule = { zone: "burst", windows: [{ seconds: 60, limit: 7 }], blockSeconds: null }
      const ds = yield* Effect.forEach(
        Array.from({ length: 40 }),
        () => RateLimitStore.use((store) => store.hit("ip:a", rule)),
        { concurrency: 40 }
      )
      assert.strictEqual(allowed(ds), 7)
    }))
  })
