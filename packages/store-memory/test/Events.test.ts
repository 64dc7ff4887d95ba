/**
 * The event outbox: events published in a transaction reach readers and subscribers only when it commits, in
 * commit order; `take` reads and advances; retention bounds what `all` keeps.
 */
import { assert, describe, it } from "@effect/vitest"
import type { CheckoutEvent } from "@checkout-kit/domain"
import { Events, UnitOfWork } from "@checkout-kit/domain"
import { Deferred, Effect, Exit, Fiber, PubSub, Scope, Stream } from "effect"
import { MemoryEvents, MemoryStore } from "../src/index.ts"
import { fixtures, makeCheckout, orgA, productA1, store, uuid } from "./Rows.ts"

const event = (n: number, type: CheckoutEvent["type"] = "checkout.updated"): CheckoutEvent => ({
  type,
  checkout: makeCheckout(uuid(0xe00 + n), orgA, productA1)
})
const numbers = (events: ReadonlyArray<CheckoutEvent>) => events.map((e) => Number.parseInt(e.checkout.id.slice(-3), 16) - 0xe00)

describe("MemoryEvents", () => {
  it.effect("outside a transaction an event is visible at once; inside, only after commit and never after rollback", () =>
    Effect.gen(function*() {
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      const uow = yield* UnitOfWork
      yield* events.publish(event(1))
      assert.deepStrictEqual(numbers(yield* outbox.all), [1])
      const seenInside = yield* uow.transaction(Effect.gen(function*() {
        yield* events.publish(event(2))
        yield* events.publish(event(3))
        return numbers(yield* outbox.all)
      }))
      assert.deepStrictEqual(seenInside, [1], "not even the publishing transaction reads its events before commit")
      assert.deepStrictEqual(numbers(yield* outbox.all), [1, 2, 3])
      yield* Effect.exit(uow.transaction(Effect.andThen(events.publish(event(4)), Effect.fail("abort"))))
      yield* Effect.exit(uow.transaction(Effect.andThen(events.publish(event(5)), Effect.die("boom"))))
      assert.deepStrictEqual(numbers(yield* outbox.all), [1, 2, 3])
    }).pipe(Effect.provide(store())))

  it.effect("take returns what earlier takes did not; clear forgets", () =>
    Effect.gen(function*() {
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      yield* events.publish(event(1))
      yield* events.publish(event(2))
      assert.deepStrictEqual(numbers(yield* outbox.take), [1, 2])
      assert.deepStrictEqual(numbers(yield* outbox.take), [])
      yield* events.publish(event(3))
      assert.deepStrictEqual(numbers(yield* outbox.take), [3])
      assert.deepStrictEqual(numbers(yield* outbox.all), [1, 2, 3])
      yield* outbox.clear
      assert.deepStrictEqual(numbers(yield* outbox.all), [])
      yield* events.publish(event(4))
      assert.deepStrictEqual(numbers(yield* outbox.take), [4])
    }).pipe(Effect.provide(store())))

  it.effect("subscribers receive committed events in commit order, rolled-back ones never", () =>
    Effect.gen(function*() {
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      const uow = yield* UnitOfWork
      const subscription = yield* outbox.subscribe
      const published = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      // A transaction that publishes first but commits last.
      const slow = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
        yield* events.publish(event(1))
        yield* Deferred.succeed(published, undefined)
        yield* Deferred.await(gate)
      })))
      yield* Deferred.await(published)
      yield* uow.transaction(events.publish(event(2)))
      yield* Effect.exit(uow.transaction(Effect.andThen(events.publish(event(3)), Effect.fail("abort"))))
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(slow)
      const received = [yield* PubSub.take(subscription), yield* PubSub.take(subscription)]
      assert.deepStrictEqual(numbers(received), [2, 1])
      assert.deepStrictEqual(numbers(yield* outbox.all), [2, 1])
    }).pipe(Effect.scoped, Effect.provide(store())))

  it.effect("stream delivers events as they commit", () =>
    Effect.gen(function*() {
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      const collected = yield* Effect.forkChild(Stream.runCollect(Stream.take(outbox.stream, 2)))
      // Let the stream subscribe before publishing.
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      yield* events.publish(event(1, "checkout.created"))
      yield* events.publish(event(2, "checkout.succeeded"))
      const out = yield* Fiber.join(collected)
      assert.deepStrictEqual(out.map((e) => e.type), ["checkout.created", "checkout.succeeded"])
    }).pipe(Effect.provide(store())))

  it.effect("listen: called at commit in commit order, never for a rollback, not after its scope closes; a throw spares the commit", () =>
    Effect.gen(function*() {
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      const uow = yield* UnitOfWork
      const heard: Array<number> = []
      const other: Array<number> = []
      const scope = yield* Scope.make()
      yield* outbox.listen((e) => {
        heard.push(numbers([e])[0]!)
        if (numbers([e])[0] === 2) throw new Error("listener bug")
      }).pipe(Scope.provide(scope))
      yield* outbox.listen((e) => void other.push(numbers([e])[0]!)).pipe(Scope.provide(scope))
      const seenInside = yield* uow.transaction(Effect.gen(function*() {
        yield* events.publish(event(1))
        yield* events.publish(event(2))
        return [...heard]
      }))
      assert.deepStrictEqual(seenInside, [], "nothing is heard before the commit")
      assert.deepStrictEqual(heard, [1, 2])
      assert.deepStrictEqual(other, [1, 2], "a listener that throws does not stop the others")
      assert.deepStrictEqual(numbers(yield* outbox.all), [1, 2], "the commit stands")
      yield* Effect.exit(uow.transaction(Effect.andThen(events.publish(event(3)), Effect.fail("abort"))))
      yield* events.publish(event(4))
      assert.deepStrictEqual(heard, [1, 2, 4])
      yield* Scope.close(scope, Exit.void)
      yield* events.publish(event(5))
      assert.deepStrictEqual(heard, [1, 2, 4])
      assert.deepStrictEqual(other, [1, 2, 4])
      assert.deepStrictEqual(numbers(yield* outbox.all), [1, 2, 4, 5])
    }).pipe(Effect.provide(store())))

  it.effect("`all` keeps the most recent `eventRetention` events", () =>
    Effect.gen(function*() {
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      for (let n = 0; n < 10; n++) yield* events.publish(event(n))
      assert.deepStrictEqual(numbers(yield* outbox.all), [7, 8, 9])
      assert.deepStrictEqual(numbers(yield* outbox.take), [7, 8, 9])
    }).pipe(Effect.provide(MemoryStore.layer(fixtures, { eventRetention: 3 }))))
})
