/**
 * The outbox reader (src/Events.ts): `after` returns every committed event past a position; `unseenChangesAfter`
 * the same window minus the positions the caller has already seen, as (checkout id, client secret, status) changes
 * (what the checkout page's feed polls with), so a quiet outbox reads nothing.
 */
import { Events } from "@checkout-kit/domain"
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { PostgresEvents } from "../src/Events.ts"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

const { makeCheckout, uuid } = RepositoryContract
const checkout = (n: number) => makeCheckout(uuid(0x9200 + n), uuid(0x9100), uuid(0x9101))

describe("outbox reader", () => {
  it.live("unseenChangesAfter skips the positions already seen and those up to the cursor", () =>
    Effect.gen(function*() {
      const events = yield* Events
      for (const n of [1, 2, 3, 4]) yield* events.publish({ type: "checkout.created", checkout: checkout(n) })
      const outbox = yield* PostgresEvents
      const all = yield* outbox.after(0, 100)
      assert.strictEqual(all.length, 4)
      const [s1, s2, s3, s4] = all.map((e) => e.seq) as [number, number, number, number]
      const byChange = (n: number) => ({ checkoutId: checkout(n).id, clientSecret: checkout(n).clientSecret, status: checkout(n).status })
      assert.deepStrictEqual((yield* outbox.unseenChangesAfter(0, [], 100)).map((e) => e.seq), [s1, s2, s3, s4])
      assert.deepStrictEqual(yield* outbox.unseenChangesAfter(0, [s1, s2, s3, s4], 100), [])
      assert.deepStrictEqual((yield* outbox.unseenChangesAfter(0, [s1], 2)).map((e) => e.seq), [s2, s3], "the limit counts unseen events")
      assert.deepStrictEqual(yield* outbox.unseenChangesAfter(s1, [s2, s4], 100), [{ seq: s3, ...byChange(3) }],
        "after the cursor, minus the seen positions, read from the stored JSON")
    }).pipe(Effect.provide(TestDatabase.layerStore())))
})
