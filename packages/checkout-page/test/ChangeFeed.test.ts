/** The change feed: committed events reach every subscriber as status changes; closing it ends the subscriptions. */
import { assert, describe, it } from "@effect/vitest"
import type { CheckoutEvent } from "@checkout-kit/domain"
import { Fixtures } from "@checkout-kit/domain/testing"
import { Context, Effect, Exit, Fiber, Layer, Option, PubSub, Queue, Scope, Stream } from "effect"
import * as ChangeFeed from "../src/ChangeFeed.ts"

describe("ChangeFeed", () => {
  it.effect("fromEvents: each committed event becomes { checkoutId, clientSecret, status } for every subscriber", () =>
    Effect.gen(function*() {
      const events = yield* Queue.unbounded<CheckoutEvent>()
      const context = yield* Layer.build(ChangeFeed.fromEvents(Stream.fromQueue(events)))
      const feed = yield* ChangeFeed.ChangeFeed.pipe(Effect.provide(context))
      const first = yield* feed.subscribe
      const second = yield* feed.subscribe
      const checkout = Fixtures.checkout({ status: "succeeded" })
      yield* Queue.offer(events, { type: "checkout.succeeded", checkout })
      const expected = { checkoutId: checkout.id, clientSecret: checkout.clientSecret, status: "succeeded" }
      assert.deepStrictEqual(yield* PubSub.take(first), expected)
      assert.deepStrictEqual(yield* PubSub.take(second), expected)
    }).pipe(Effect.scoped))

  it.effect("fromListener: each event the listener hears reaches every subscriber at once; the listener ends with the layer", () =>
    Effect.gen(function*() {
      const listeners = new Set<(event: CheckoutEvent) => void>()
      const listen = (f: (event: CheckoutEvent) => void) =>
        Effect.acquireRelease(Effect.sync(() => listeners.add(f)), () => Effect.sync(() => listeners.delete(f)))
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(ChangeFeed.fromListener(listen), scope)
      const feed = Context.get(context, ChangeFeed.ChangeFeed)
      const first = yield* feed.subscribe
      const second = yield* feed.subscribe
      assert.strictEqual(listeners.size, 1)
      const checkout = Fixtures.checkout({ status: "confirmed" })
      for (const f of listeners) f({ type: "checkout.updated", checkout })
      const expected = { checkoutId: checkout.id, clientSecret: checkout.clientSecret, status: "confirmed" }
      // Delivered by the listener call itself: no fiber had to run for the subscribers to hold it.
      assert.deepStrictEqual(yield* PubSub.takeUpTo(first, 10), [expected])
      assert.deepStrictEqual(yield* PubSub.takeUpTo(second, 10), [expected])
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual(listeners.size, 0)
    }).pipe(Effect.scoped))

  it.live("close ends open subscriptions instead of leaving them waiting", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(ChangeFeed.layer)
      const feed = yield* ChangeFeed.ChangeFeed.pipe(Effect.provide(context))
      const subscription = yield* feed.subscribe
      const waiting = yield* Effect.forkChild(Stream.runCollect(Stream.fromSubscription(subscription)))
      yield* feed.close
      // Without close the reader would wait forever and this would be None.
      const ended = yield* Fiber.await(waiting).pipe(Effect.timeoutOption("1 second"))
      assert.isTrue(Option.isSome(ended))
    }).pipe(Effect.scoped))
})
