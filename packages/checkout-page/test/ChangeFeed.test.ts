/** The change feed: committed events reach every subscriber as status changes; closing it ends the subscriptions. */
import { assert, describe, it } from "@effect/vitest"
import type { CheckoutEvent } from "@checkout-kit/domain"
import { Fixtures } from "@checkout-kit/domain/testing"
import { Effect, Fiber, Layer, Option, PubSub, Queue, Stream } from "effect"
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
