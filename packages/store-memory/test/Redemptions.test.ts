/**
 * Discount redemptions under concurrency: a redemption reserved by an unfinished transaction counts against
 * max_redemptions for everyone and is returned on rollback, so the cap holds exactly even when transactions
 * interleave between redeeming and committing (where a check of committed counts alone would over-redeem).
 */
import { assert, describe, it } from "@effect/vitest"
import { Catalog, UnitOfWork } from "@checkout-kit/domain"
import { Deferred, Effect, Fiber, Option } from "effect"
import { MemoryStore } from "../src/index.ts"
import { at, capped, makeDiscount, other, single, store, uuid } from "./Rows.ts"

const checkoutIds = (n: number, base: number) => Array.from({ length: n }, (_, i) => uuid(base + i))

describe("Catalog redemptions (memory)", () => {
  it.effect("100 concurrent redeem-then-commit transactions that yield in between: exactly 10 of a cap of 10 commit", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const uow = yield* UnitOfWork
      const results = yield* Effect.forEach(
        checkoutIds(100, 0x7000),
        (checkoutId) =>
          Effect.result(uow.transaction(Effect.gen(function*() {
            yield* Effect.yieldNow
            yield* catalog.redeemDiscount({ discountId: capped, checkoutId, now: at(0) })
            // Still uncommitted: every other transaction runs here.
            for (let i = 0; i < 5; i++) yield* Effect.yieldNow
          }))),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter((r) => r._tag === "Success").length, 10)
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(capped)).redemptionsCount, 10)
    }).pipe(Effect.provide(store())))

  it.effect("when half of the concurrent transactions roll back after redeeming, their slots go to others", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const uow = yield* UnitOfWork
      // Wave 1: 10 transactions take every slot, then roll back.
      const reserved = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      let count = 0
      const wave1 = yield* Effect.forkChild(Effect.forEach(
        checkoutIds(10, 0x7100),
        (checkoutId) =>
          Effect.exit(uow.transaction(Effect.gen(function*() {
            yield* catalog.redeemDiscount({ discountId: capped, checkoutId, now: at(0) })
            if (++count === 10) yield* Deferred.succeed(reserved, undefined)
            yield* Deferred.await(gate)
            return yield* Effect.fail("roll back")
          }))),
        { concurrency: "unbounded" }
      ))
      yield* Deferred.await(reserved)
      // While the slots are held, nobody else gets one (and a committed count alone would say 0 of 10 are used).
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(capped)).redemptionsCount, 0)
      const refused = yield* Effect.flip(uow.transaction(catalog.redeemDiscount({ discountId: capped, checkoutId: uuid(0x7200), now: at(0) })))
      assert.strictEqual(refused._tag, "DiscountNotRedeemable")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(wave1)
      // Wave 2: the returned slots are all available again.
      const wave2 = yield* Effect.forEach(
        checkoutIds(30, 0x7300),
        (checkoutId) => Effect.result(uow.transaction(catalog.redeemDiscount({ discountId: capped, checkoutId, now: at(0) }))),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(wave2.filter((r) => r._tag === "Success").length, 10)
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(capped)).redemptionsCount, 10)
    }).pipe(Effect.provide(store())))

  it.effect("a transaction sees its own redemption in redemptionsCount; others see only committed ones", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const uow = yield* UnitOfWork
      const inside = yield* uow.transaction(Effect.gen(function*() {
        yield* catalog.redeemDiscount({ discountId: other, checkoutId: uuid(0x7401), now: at(0) })
        const own = Option.getOrThrow(yield* catalog.getDiscount(other)).redemptionsCount
        const byCode = Option.getOrThrow(yield* catalog.getDiscountByCode(uuid(0x101), "other")).redemptionsCount
        return [own, byCode]
      }))
      assert.deepStrictEqual(inside, [1, 1])
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(other)).redemptionsCount, 1)
    }).pipe(Effect.provide(store())))

  it.effect("release inside a transaction takes effect at commit and is undone by a rollback", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const uow = yield* UnitOfWork
      const checkoutId = uuid(0x7501)
      yield* catalog.redeemDiscount({ discountId: single, checkoutId, now: at(0) })
      yield* Effect.exit(uow.transaction(Effect.andThen(catalog.releaseRedemption(checkoutId), Effect.fail("abort"))))
      assert.deepStrictEqual(Option.getOrNull(yield* catalog.findRedemption(checkoutId)), { discountId: single })
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 1)
      // Releasing and redeeming for another checkout in one transaction reuses the freed slot.
      yield* uow.transaction(Effect.gen(function*() {
        yield* catalog.releaseRedemption(checkoutId)
        assert.isTrue(Option.isNone(yield* catalog.findRedemption(checkoutId)))
        yield* catalog.redeemDiscount({ discountId: single, checkoutId: uuid(0x7502), now: at(0) })
      }))
      assert.isTrue(Option.isNone(yield* catalog.findRedemption(checkoutId)))
      assert.deepStrictEqual(Option.getOrNull(yield* catalog.findRedemption(uuid(0x7502))), { discountId: single })
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 1)
    }).pipe(Effect.provide(store())))

  it.effect("a checkout holds one redemption: redeeming another discount gives the first one back", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const checkoutId = uuid(0x7601)
      yield* catalog.redeemDiscount({ discountId: single, checkoutId, now: at(0) })
      yield* catalog.redeemDiscount({ discountId: other, checkoutId, now: at(0) })
      assert.deepStrictEqual(Option.getOrNull(yield* catalog.findRedemption(checkoutId)), { discountId: other })
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 0)
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(other)).redemptionsCount, 1)
    }).pipe(Effect.provide(store())))

  it.effect("two transactions redeeming for the same checkout: the second is refused while the first is unfinished", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const uow = yield* UnitOfWork
      const checkoutId = uuid(0x7701)
      const held = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      const first = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
        yield* catalog.redeemDiscount({ discountId: other, checkoutId, now: at(0) })
        yield* Deferred.succeed(held, undefined)
        yield* Deferred.await(gate)
      })))
      yield* Deferred.await(held)
      const refused = yield* Effect.flip(uow.transaction(catalog.redeemDiscount({ discountId: other, checkoutId, now: at(0) })))
      assert.strictEqual(refused._tag, "DiscountNotRedeemable")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(first)
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(other)).redemptionsCount, 1)
      // Committed now: redeeming again for the same checkout is the idempotent no-op.
      yield* uow.transaction(catalog.redeemDiscount({ discountId: other, checkoutId, now: at(0) }))
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(other)).redemptionsCount, 1)
    }).pipe(Effect.provide(store())))

  it.effect("the validity window is inclusive at both ends", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const admin = yield* MemoryStore.MemoryStore
      const windowed = makeDiscount(uuid(0x7801), uuid(0x101), { startsAt: at(10), endsAt: at(20) })
      yield* admin.putDiscount(windowed)
      const attempt = (minute: number, n: number) =>
        Effect.result(catalog.redeemDiscount({ discountId: windowed.id, checkoutId: uuid(0x7810 + n), now: at(minute) }))
      const outcomes = [(yield* attempt(9, 0))._tag, (yield* attempt(10, 1))._tag, (yield* attempt(20, 2))._tag, (yield* attempt(21, 3))._tag]
      assert.deepStrictEqual(outcomes, ["Failure", "Success", "Success", "Failure"])
      const missing = yield* Effect.flip(catalog.redeemDiscount({ discountId: uuid(0x7fff), checkoutId: uuid(0x7820), now: at(0) }))
      assert.strictEqual(missing._tag, "DiscountNotRedeemable")
    }).pipe(Effect.provide(store())))
})
