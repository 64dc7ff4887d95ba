/**
 * The webhook storage contract: one suite that the memory and PostgreSQL stores both run, so that delivery behaves
 * the same on either. It pins down what `ports/Webhooks.ts` promises: endpoints per organization, the relay from
 * the committed outbox (only subscribed, enabled endpoints of the checkout's organization; nothing from a rolled
 * back transaction), leases (one worker per event at a time, an expired lease is claimable, a stale completion is
 * refused), per (checkout, endpoint) order, retries and giving up, disabling after consecutive failures, the
 * delivery log and redelivery.
 *
 * Usage, in an adapter's test file:
 *   WebhookContract.runWebhookContract("memory", { makeLayer: (fixtures) => MemoryStore.layer(fixtures) })
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Fiber, type Layer, Option, Redacted, Stream } from "effect"
import type { Checkout } from "../Checkout.ts"
import type { CheckoutEventType } from "../ports/Events.ts"
import { Events } from "../ports/Events.ts"
import { CheckoutRepository } from "../ports/CheckoutRepository.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import * as Committed from "../ports/CommittedEvents.ts"
import { CommittedEvents } from "../ports/CommittedEvents.ts"
import { type Claimed, type DeliveryListQuery, type Outcome, WebhookEndpoints, WebhookQueue } from "../ports/Webhooks.ts"
import type * as WebhookEndpoint from "../WebhookEndpoint.ts"
import { baseTime, contractFixtures, type Fixtures, makeCheckout, type Services as RepositoryServices, uuid } from "./RepositoryContract.ts"

export type Services = RepositoryServices | WebhookEndpoints | WebhookQueue | CommittedEvents

export interface Adapter<R = never, E = never> {
  /** A fresh store seeded with the fixtures; called once per test. */
  readonly makeLayer: (fixtures: Fixtures) => Layer.Layer<Services | R, E>
}

const orgA = uuid(0x101)
const orgB = uuid(0x102)
const productA1 = uuid(0x201)
const productB1 = uuid(0x204)

export const makeEndpoint = (
  id: string,
  organizationId: string,
  overrides: Partial<WebhookEndpoint.WebhookEndpoint> = {}
): WebhookEndpoint.WebhookEndpoint => ({
  id,
  organizationId,
  url: `https://example.com/hooks/${id.slice(-4)}`,
  name: null,
  format: "raw",
  secret: Redacted.make(`polar_whs_${id.replaceAll("-", "").padEnd(43, "x")}`),
  events: ["checkout.created", "checkout.updated", "checkout.expired"],
  enabled: true,
  consecutiveFailures: 0,
  createdAt: baseTime,
  modifiedAt: null,
  ...overrides
})

/** Commits `type` for `checkout` as a use case would: the write and its event in one unit of work. */
const commit = (checkout: Checkout, type: CheckoutEventType, insert = false) =>
  Effect.gen(function*() {
    const repo = yield* CheckoutRepository
    const events = yield* Events
    const uow = yield* UnitOfWork
    yield* uow.transaction(Effect.gen(function*() {
      if (insert) yield* repo.insert(checkout)
      yield* events.publish({ type, checkout })
    }))
  })

/** Relays everything committed so far. */
const relayAll = Effect.gen(function*() {
  const queue = yield* WebhookQueue
  let total = 0
  for (;;) {
    const n = yield* queue.relay(100)
    if (n === 0) return total
    total += n
  }
})

const T0 = DateTime.toEpochMillis(baseTime) + 1_000_000_000_000

/** Claims the events due at `now`, at most `limit`, with a 30 s lease. */
const claimAt = (now: number, limit = 10) => WebhookQueue.use((queue) => queue.claim({ now, limit, leaseMs: 30_000 }))

/** One endpoint of organization A, and a created event for each numbered checkout, relayed to its queue. */
const queueCreated = (checkoutNumbers: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    const endpoints = yield* WebhookEndpoints
    yield* endpoints.insert(makeEndpoint(uuid(0xe01), orgA))
    for (const n of checkoutNumbers) yield* commit(makeCheckout(uuid(n), orgA, productA1), "checkout.created", true)
    yield* relayAll
  })

const complete = (
  claimed: Claimed,
  outcome: Outcome,
  now: number,
  succeeded = outcome._tag === "Delivered",
  disableAfterFailures = 5,
  httpCode: number | null = succeeded ? 200 : 500,
  deliveryId = uuid(0x9000 + Math.floor(Math.random() * 0xfffff))
) =>
  WebhookQueue.use((queue) =>
    queue.complete({
      claimed,
      payload: `{"type":"${claimed.event.type}","n":${claimed.attempt}}`,
      delivery: {
        id: deliveryId,
        eventId: claimed.event.id,
        endpointId: claimed.endpoint.id,
        succeeded,
        httpCode,
        response: succeeded ? "ok" : "boom",
        durationMs: 12,
        createdAt: DateTime.makeUnsafe(now)
      },
      outcome,
      disableAfterFailures
    }, now))

export const runWebhookContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  const run = <A, E2>(effect: Effect.Effect<A, E2, Services | R>) =>
    effect.pipe(Effect.provide(adapter.makeLayer(contractFixtures)))

  describe(`Webhook contract (${name})`, () => {
    it.effect("endpoints: insert, find, list per organization newest first, update, delete", () =>
      run(Effect.gen(function*() {
        const endpoints = yield* WebhookEndpoints
        yield* endpoints.insert(makeEndpoint(uuid(0xe01), orgA))
        yield* endpoints.insert(makeEndpoint(uuid(0xe02), orgA, { createdAt: DateTime.add(baseTime, { minutes: 1 }) }))
        yield* endpoints.insert(makeEndpoint(uuid(0xe03), orgB))
        const found = yield* endpoints.findById(uuid(0xe01))
        assert.isTrue(Option.isSome(found))
        assert.strictEqual(Redacted.value(Option.getOrThrow(found).secret), Redacted.value(makeEndpoint(uuid(0xe01), orgA).secret))
        assert.deepStrictEqual(Option.getOrThrow(found).events, ["checkout.created", "checkout.updated", "checkout.expired"])
        const page = yield* endpoints.list({ organizationIds: [orgA], page: 1, limit: 10 })
        assert.deepStrictEqual(page.items.map((e) => e.id), [uuid(0xe02), uuid(0xe01)])
        assert.strictEqual(page.totalCount, 2)
        const second = yield* endpoints.list({ organizationIds: [orgA], page: 2, limit: 1 })
        assert.deepStrictEqual(second.items.map((e) => e.id), [uuid(0xe01)])
        assert.strictEqual((yield* endpoints.list({ organizationIds: [], page: 1, limit: 10 })).totalCount, 0)
        yield* endpoints.update({ ...Option.getOrThrow(found), url: "https://example.org/new", enabled: false, consecutiveFailures: 3 })
        const updated = Option.getOrThrow(yield* endpoints.findById(uuid(0xe01)))
        assert.strictEqual(updated.url, "https://example.org/new")
        assert.isFalse(updated.enabled)
        assert.strictEqual(updated.consecutiveFailures, 3)
        assert.isTrue(yield* endpoints.delete(uuid(0xe01)))
        assert.isFalse(yield* endpoints.delete(uuid(0xe01)))
        assert.isTrue(Option.isNone(yield* endpoints.findById(uuid(0xe01))))
      })))

    it.effect("relay: committed events become one webhook event per subscribed, enabled endpoint of the organization", () =>
      run(Effect.gen(function*() {
        const endpoints = yield* WebhookEndpoints
        const queue = yield* WebhookQueue
        yield* endpoints.insert(makeEndpoint(uuid(0xe01), orgA))
        yield* endpoints.insert(makeEndpoint(uuid(0xe02), orgA, { events: ["checkout.expired"] }))
        yield* endpoints.insert(makeEndpoint(uuid(0xe03), orgA, { enabled: false }))
        yield* endpoints.insert(makeEndpoint(uuid(0xe04), orgB))
        const checkout = makeCheckout(uuid(0xc01), orgA, productA1)
        yield* commit(checkout, "checkout.created", true)
        yield* commit(checkout, "checkout.succeeded")
        // A rolled-back change publishes nothing.
        const uow = yield* UnitOfWork
        const events = yield* Events
        const failed = yield* Effect.exit(uow.transaction(Effect.andThen(
          events.publish({ type: "checkout.updated", checkout }),
          Effect.fail("rollback")
        )))
        assert.isTrue(Exit.isFailure(failed))
        assert.isTrue((yield* relayAll) >= 2)
        const claimed = yield* claimAt(T0)
        assert.deepStrictEqual(claimed.map((c) => [c.endpoint.id, c.event.type, c.attempt]), [[uuid(0xe01), "checkout.created", 1]])
        assert.strictEqual(claimed[0]!.checkout.id, checkout.id)
        assert.strictEqual(claimed[0]!.event.organizationId, orgA)
        assert.strictEqual(claimed[0]!.event.status, "pending")
        assert.strictEqual(yield* queue.relay(100), 0)
      })))

    it.effect("order per (checkout, endpoint): a later event waits until the earlier one is delivered or given up", () =>
      run(Effect.gen(function*() {
        const endpoints = yield* WebhookEndpoints
        const queue = yield* WebhookQueue
        yield* endpoints.insert(makeEndpoint(uuid(0xe01), orgA))
        const c1 = makeCheckout(uuid(0xc01), orgA, productA1)
        const c2 = makeCheckout(uuid(0xc02), orgA, productA1)
        yield* commit(c1, "checkout.created", true)
        yield* commit(c1, "checkout.updated")
        yield* commit(c2, "checkout.created", true)
        yield* commit(c1, "checkout.expired")
        yield* relayAll
        const first = yield* claimAt(T0)
        assert.deepStrictEqual(first.map((c) => [c.checkout.id, c.event.type]), [[c1.id, "checkout.created"], [c2.id, "checkout.created"]])
        // Retry later: c1's next event stays blocked behind it.
        assert.isTrue(yield* complete(first[0]!, { _tag: "Retry", at: T0 + 60_000 }, T0 + 10))
        assert.isTrue(yield* complete(first[1]!, { _tag: "Delivered" }, T0 + 10))
        assert.deepStrictEqual(yield* claimAt(T0 + 100), [])
        const retried = yield* claimAt(T0 + 60_000)
        assert.deepStrictEqual(retried.map((c) => [c.event.id, c.attempt]), [[first[0]!.event.id, 2]])
        assert.isTrue(yield* complete(retried[0]!, { _tag: "GiveUp" }, T0 + 60_010))
        const next = yield* claimAt(T0 + 60_020)
        assert.deepStrictEqual(next.map((c) => c.event.type), ["checkout.updated"])
        assert.isTrue(yield* complete(next[0]!, { _tag: "Delivered" }, T0 + 60_030))
        const last = yield* claimAt(T0 + 60_040)
        assert.deepStrictEqual(last.map((c) => c.event.type), ["checkout.expired"])
        const given = Option.getOrThrow(yield* queue.findEvent(first[0]!.event.id))
        assert.strictEqual(given.status, "failed")
        assert.strictEqual(given.payload, `{"type":"checkout.created","n":1}`)
      })))

    it.effect("leases: one holder at a time, an expired lease is claimable again, a stale completion is refused", () =>
      run(Effect.gen(function*() {
        const queue = yield* WebhookQueue
        yield* queueCreated([0xc01])
        const [a] = yield* claimAt(T0)
        assert.isDefined(a)
        assert.deepStrictEqual(yield* claimAt(T0 + 29_999), [])
        // The holder crashed: after the lease another worker takes it over.
        const [b] = yield* claimAt(T0 + 30_001)
        assert.strictEqual(b!.event.id, a!.event.id)
        assert.strictEqual(b!.attempt, 2)
        assert.isFalse(yield* complete(a!, { _tag: "Delivered" }, T0 + 30_002))
        assert.isTrue(yield* complete(b!, { _tag: "Delivered" }, T0 + 30_003))
        const log = yield* queue.listDeliveries({ organizationIds: [orgA], page: 1, limit: 10 })
        assert.strictEqual(log.totalCount, 1)
        assert.strictEqual(Option.getOrThrow(yield* queue.findEvent(a!.event.id)).status, "delivered")
      })))

    it.effect("release: an unfinished claim is claimable again at once, same attempt number, nothing recorded; a lost lease is not released", () =>
      run(Effect.gen(function*() {
        const queue = yield* WebhookQueue
        yield* queueCreated([0xc01])
        const [first] = yield* claimAt(T0)
        assert.strictEqual(first!.attempt, 1)
        assert.strictEqual((yield* claimAt(T0 + 1)).length, 0)
        yield* queue.release(first!)
        const [again] = yield* claimAt(T0 + 2)
        assert.strictEqual(again!.event.id, first!.event.id)
        assert.strictEqual(again!.attempt, 1)
        assert.notStrictEqual(again!.lease, first!.lease)
        // The old claim's release and completion are both refused: the new holder keeps the event.
        yield* queue.release(first!)
        assert.strictEqual((yield* claimAt(T0 + 3)).length, 0)
        assert.isFalse(yield* complete(first!, { _tag: "Delivered" }, T0 + 4))
        assert.isTrue(yield* complete(again!, { _tag: "Delivered" }, T0 + 5))
        assert.strictEqual((yield* queue.listDeliveries({ organizationIds: [orgA], page: 1, limit: 10 })).totalCount, 1)
      })))

    it.effect("concurrent claims lease each event to exactly one worker", () =>
      run(Effect.gen(function*() {
        yield* queueCreated(Array.from({ length: 20 }, (_, i) => 0xc00 + i))
        const batches = yield* Effect.all(
          Array.from({ length: 8 }, () => claimAt(T0, 3)),
          { concurrency: "unbounded" }
        )
        const ids = batches.flat().map((c) => c.event.id)
        assert.strictEqual(new Set(ids).size, ids.length)
        assert.strictEqual(ids.length, 20)
      })))

    it.effect("consecutive failures disable the endpoint (its events wait); a success resets the count", () =>
      run(Effect.gen(function*() {
        const endpoints = yield* WebhookEndpoints
        yield* queueCreated(Array.from({ length: 4 }, (_, i) => 0xc00 + i))
        const claimed = yield* claimAt(T0)
        assert.strictEqual(claimed.length, 4)
        yield* complete(claimed[0]!, { _tag: "Retry", at: T0 + 1 }, T0, false, 3)
        yield* complete(claimed[1]!, { _tag: "Delivered" }, T0, true, 3)
        assert.strictEqual(Option.getOrThrow(yield* endpoints.findById(uuid(0xe01))).consecutiveFailures, 0)
        yield* complete(claimed[2]!, { _tag: "Retry", at: T0 + 1 }, T0, false, 3)
        yield* complete(claimed[3]!, { _tag: "Retry", at: T0 + 1 }, T0, false, 3)
        const [again] = yield* claimAt(T0 + 1, 1)
        yield* complete(again!, { _tag: "Retry", at: T0 + 2 }, T0 + 1, false, 3)
        const disabled = Option.getOrThrow(yield* endpoints.findById(uuid(0xe01)))
        assert.isFalse(disabled.enabled)
        assert.strictEqual(disabled.consecutiveFailures, 3)
        assert.deepStrictEqual(yield* claimAt(T0 + 10), [])
        // Nothing new is relayed to a disabled endpoint.
        yield* commit(makeCheckout(uuid(0xc10), orgA, productA1), "checkout.created", true)
        yield* relayAll
        yield* endpoints.update({ ...disabled, enabled: true, consecutiveFailures: 0 })
        assert.strictEqual((yield* claimAt(T0 + 10)).length, 3)
      })))

    it.effect("delivery log per organization with filters; redelivery sends the same event again", () =>
      run(Effect.gen(function*() {
        const endpoints = yield* WebhookEndpoints
        const queue = yield* WebhookQueue
        yield* endpoints.insert(makeEndpoint(uuid(0xe01), orgA))
        yield* endpoints.insert(makeEndpoint(uuid(0xe02), orgA))
        yield* endpoints.insert(makeEndpoint(uuid(0xe03), orgB))
        yield* commit(makeCheckout(uuid(0xc01), orgA, productA1), "checkout.created", true)
        yield* commit(makeCheckout(uuid(0xc02), orgB, productB1), "checkout.created", true)
        yield* relayAll
        const claimed = yield* claimAt(T0)
        assert.strictEqual(claimed.length, 3)
        for (const c of claimed) yield* complete(c, c.endpoint.id === uuid(0xe02) ? { _tag: "GiveUp" } : { _tag: "Delivered" }, T0 + 5)
        const all = yield* queue.listDeliveries({ organizationIds: [orgA], page: 1, limit: 10 })
        assert.strictEqual(all.totalCount, 2)
        assert.isTrue(all.items.every((r) => r.event.organizationId === orgA))
        const one = yield* queue.listDeliveries({ organizationIds: [orgA], endpointIds: [uuid(0xe02)], page: 1, limit: 10 })
        assert.deepStrictEqual(one.items.map((r) => [r.delivery.endpointId, r.delivery.succeeded, r.delivery.httpCode]), [[uuid(0xe02), false, 500]])
        const ok = yield* queue.listDeliveries({ organizationIds: [orgA], succeeded: true, page: 1, limit: 10 })
        assert.deepStrictEqual(ok.items.map((r) => r.delivery.endpointId), [uuid(0xe01)])
        assert.strictEqual((yield* queue.listDeliveries({ organizationIds: [orgA], eventTypes: ["checkout.expired"], page: 1, limit: 10 })).totalCount, 0)
        const failedEvent = one.items[0]!.event
        yield* queue.redeliver(failedEvent.id, T0 + 100)
        const [again] = yield* claimAt(T0 + 100)
        assert.strictEqual(again!.event.id, failedEvent.id)
        assert.strictEqual(again!.event.payload, `{"type":"checkout.created","n":1}`)
        assert.strictEqual(again!.attempt, 2)
      })))

    it.effect("delivery log filters: time range (exclusive bounds), query (delivery id, event id, code), http code class", () =>
      run(Effect.gen(function*() {
        const endpoints = yield* WebhookEndpoints
        const queue = yield* WebhookQueue
        yield* endpoints.insert(makeEndpoint(uuid(0xe01), orgA))
        yield* endpoints.insert(makeEndpoint(uuid(0xe03), orgB))
        for (let i = 0; i < 4; i++) yield* commit(makeCheckout(uuid(0xc00 + i), orgA, productA1), "checkout.created", true)
        yield* commit(makeCheckout(uuid(0xc10), orgB, productB1), "checkout.created", true)
        yield* relayAll
        const claimed = yield* claimAt(T0)
        assert.strictEqual(claimed.length, 5)
        const a = claimed.filter((c) => c.endpoint.id === uuid(0xe01)).sort((x, y) => x.checkout.id.localeCompare(y.checkout.id))
        const b = claimed.find((c) => c.endpoint.id === uuid(0xe03))!
        // orgA: 201 at T0+1000, 302 at T0+2000, 404 at T0+3000, no response at T0+4000; orgB: 500 at T0+2000.
        const codes = [201, 302, 404, null] as const
        for (let i = 0; i < 4; i++) {
          const code = codes[i]!
          yield* complete(a[i]!, code === 201 ? { _tag: "Delivered" } : { _tag: "GiveUp" }, T0 + 1000 * (i + 1), code === 201, 50, code, uuid(0xd100 + i))
        }
        yield* complete(b, { _tag: "GiveUp" }, T0 + 2000, false, 50, 500, uuid(0xd200))
        const list = (filters: Partial<DeliveryListQuery>) =>
          Effect.map(
            queue.listDeliveries({ organizationIds: [orgA], page: 1, limit: 10, ...filters }),
            (page) => { assert.strictEqual(page.totalCount, page.items.length); return page.items.map((r) => r.delivery.httpCode) }
          )
        assert.deepStrictEqual(yield* list({}), [null, 404, 302, 201])
        assert.deepStrictEqual(yield* list({ createdAfter: T0 + 1000 }), [null, 404, 302])
        assert.deepStrictEqual(yield* list({ createdBefore: T0 + 3000 }), [302, 201])
        assert.deepStrictEqual(yield* list({ createdAfter: T0 + 1000, createdBefore: T0 + 4000 }), [404, 302])
        assert.deepStrictEqual(yield* list({ createdAfter: T0 + 4000 }), [])
        assert.deepStrictEqual(yield* list({ httpCodeClass: "2xx" }), [201])
        assert.deepStrictEqual(yield* list({ httpCodeClass: "3xx" }), [302])
        assert.deepStrictEqual(yield* list({ httpCodeClass: "4xx" }), [404])
        // orgB's 500 stays invisible to orgA.
        assert.deepStrictEqual(yield* list({ httpCodeClass: "5xx" }), [])
        // By code: the 404 attempt, and nothing that does not contain the text (event ids are random uuids, so
        // another attempt may match by its event id: the predicate is checked rather than a fixed list).
        const byCode = yield* queue.listDeliveries({ organizationIds: [orgA], page: 1, limit: 10, text: "404" })
        assert.isTrue(byCode.items.some((r) => r.delivery.httpCode === 404))
        assert.isTrue(byCode.items.every((r) => [r.delivery.id, r.delivery.eventId, String(r.delivery.httpCode)].some((f) => f.includes("404"))))
        // A delivery id (any case) or an event id (the webhook-id) finds its attempt.
        assert.deepStrictEqual(yield* list({ text: uuid(0xd101).toUpperCase() }), [302])
        assert.deepStrictEqual(yield* list({ text: a[2]!.event.id.slice(-12) }), [404])
        // LIKE wildcards are taken literally.
        assert.deepStrictEqual(yield* list({ text: "%" }), [])
        assert.deepStrictEqual(yield* list({ text: "_" }), [])
        assert.deepStrictEqual(yield* list({ httpCodeClass: "4xx", createdAfter: T0 + 3000 }), [])
        assert.deepStrictEqual(yield* list({ succeeded: false, createdBefore: T0 + 3500 }), [404, 302])
      })))

    it.live("committed events: a Stream in commit order from now on, resumable after a position, nothing rolled back", () =>
      run(Effect.gen(function*() {
        const uow = yield* UnitOfWork
        const events = yield* Events
        const before = makeCheckout(uuid(0xc01), orgA, productA1)
        yield* commit(before, "checkout.created", true)
        const fiber = yield* Committed.streamCommittedEvents({ pollInterval: "10 millis" }).pipe(Stream.take(3), Stream.runCollect, Effect.forkChild)
        yield* Effect.sleep("50 millis")
        const c = makeCheckout(uuid(0xc02), orgA, productA1)
        yield* commit(c, "checkout.created", true)
        yield* Effect.exit(uow.transaction(Effect.andThen(events.publish({ type: "checkout.updated", checkout: c }), Effect.fail("rollback"))))
        yield* commit(c, "checkout.updated")
        yield* commit(c, "checkout.succeeded")
        const seen = yield* Fiber.join(fiber)
        assert.deepStrictEqual(seen.map((e) => [e.event.checkout.id, e.event.type]), [
          [c.id, "checkout.created"],
          [c.id, "checkout.updated"],
          [c.id, "checkout.succeeded"]
        ])
        const positions = seen.map((e) => e.position)
        assert.deepStrictEqual(positions, [...positions].sort((x, y) => x - y))
        // Resuming after the first one replays the rest, and only the rest.
        const resumed = yield* Committed.streamCommittedEvents({ after: positions[0]!, pollInterval: "10 millis" }).pipe(Stream.take(2), Stream.runCollect)
        assert.deepStrictEqual(resumed.map((e) => e.position), positions.slice(1))
      })).pipe(Effect.timeout("20 seconds"), Effect.orDie))
  })
}
