/**
 * Unit-of-work semantics beyond the shared contract: isolation of uncommitted writes, rollback on interruption,
 * row locks that make concurrent writers wait (and a stale one see VersionConflict), NOWAIT against a row that is
 * only being updated, deadlock detection, unique constraints checked at commit, and confirm-like contention.
 */
import { assert, describe, it } from "@effect/vitest"
import { Catalog, CheckoutLinkRepository, CheckoutRepository, Customers, Events, UnitOfWork } from "@checkout-kit/domain"
import { Context, Deferred, Effect, Exit, Fiber, Layer, Option, Ref } from "effect"
import { DeadlockDetected, MemoryEvents } from "../src/index.ts"
import { at, customerA, makeCheckout, makeCustomer, makeLink, orgA, productA1, productA2, single, store, uuid } from "./Rows.ts"

const existing = makeCheckout(uuid(0x901), orgA, productA1)
const second = makeCheckout(uuid(0x902), orgA, productA1)

/** Lets every other runnable fiber run for a while. */
const settle = Effect.forEach(Array.from({ length: 20 }), () => Effect.yieldNow, { discard: true })

/**
 * Forks a transaction that runs `work` and then stays open (its writes uncommitted, its locks held); returns once
 * `work` is done, with `release`: lets the transaction run `end` and finish, and joins it.
 */
const holdOpen = <E, R, E2 = never>(work: Effect.Effect<unknown, E, R>, end: Effect.Effect<void, E2> = Effect.void) =>
  Effect.gen(function*() {
    const uow = yield* UnitOfWork
    const reached = yield* Deferred.make<void>()
    const gate = yield* Deferred.make<void>()
    const fiber = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
      yield* work
      yield* Deferred.succeed(reached, undefined)
      yield* Deferred.await(gate)
      yield* end
    })))
    yield* Deferred.await(reached)
    return { release: Deferred.succeed(gate, undefined).pipe(Effect.andThen(Fiber.join(fiber))) }
  })

const defectOf = (exit: Exit.Exit<unknown, unknown>): unknown => {
  const found = Exit.findDefect(exit)
  return found._tag === "Success" ? found.success : undefined
}

describe("UnitOfWork (memory)", () => {
  it.effect("uncommitted writes of every kind are invisible to other fibers until commit", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const links = yield* CheckoutLinkRepository
      const customers = yield* Customers
      const catalog = yield* Catalog
      const events = yield* Events
      const outbox = yield* MemoryEvents.MemoryEvents
      yield* checkouts.insert(existing)
      const fresh = makeCheckout(uuid(0x903), orgA, productA2, { customerEmail: "new@example.com" })
      const link = makeLink(uuid(0x904), orgA, [productA1])
      const customer = makeCustomer(uuid(0x905), orgA, { email: "fresh@example.com" })
      const writer = yield* holdOpen(Effect.gen(function*() {
        yield* checkouts.insert(fresh)
        yield* checkouts.update({ ...existing, status: "confirmed" }, 1)
        yield* links.insert(link)
        yield* customers.insert(customer)
        yield* catalog.redeemDiscount({ discountId: single, checkoutId: fresh.id, now: at(0) })
        yield* events.publish({ type: "checkout.created", checkout: fresh })
        // The writer itself sees everything, including through the list and secret lookups.
        assert.isTrue(Option.isSome(yield* checkouts.findByClientSecret(fresh.clientSecret)))
        const own = yield* checkouts.list({ organizationIds: [orgA], statuses: ["confirmed"], sorting: [], page: 1, limit: 10 })
        assert.deepStrictEqual(own.items.map((c) => c.id), [existing.id])
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 1)
      }))

      assert.isTrue(Option.isNone(yield* checkouts.findById(fresh.id)))
      assert.isTrue(Option.isNone(yield* checkouts.findByClientSecret(fresh.clientSecret)))
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).status, "open")
      const listed = yield* checkouts.list({ organizationIds: [orgA], sorting: [], page: 1, limit: 10 })
      assert.deepStrictEqual(listed.items.map((c) => c.id), [existing.id])
      assert.strictEqual((yield* checkouts.list({ organizationIds: [orgA], statuses: ["confirmed"], sorting: [], page: 1, limit: 10 })).totalCount, 0)
      assert.isTrue(Option.isNone(yield* links.findById(link.id)))
      assert.isTrue(Option.isNone(yield* customers.findById(customer.id)))
      assert.isTrue(Option.isNone(yield* customers.findByEmail(orgA, "fresh@example.com")))
      assert.isTrue(Option.isNone(yield* catalog.findRedemption(fresh.id)))
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 0)
      assert.strictEqual((yield* outbox.all).length, 0)

      yield* writer.release
      assert.isTrue(Option.isSome(yield* checkouts.findById(fresh.id)))
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).status, "confirmed")
      assert.isTrue(Option.isSome(yield* links.findById(link.id)))
      assert.isTrue(Option.isSome(yield* customers.findByEmail(orgA, "FRESH@example.com")))
      assert.deepStrictEqual(Option.getOrNull(yield* catalog.findRedemption(fresh.id)), { discountId: single })
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 1)
      assert.deepStrictEqual((yield* outbox.all).map((e) => e.checkout.id), [fresh.id])
    }).pipe(Effect.provide(store())))

  it.effect("an interrupted transaction rolls back and releases its locks", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const catalog = yield* Catalog
      const uow = yield* UnitOfWork
      yield* checkouts.insert(existing)
      const inside = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
        yield* checkouts.lockForUpdate(existing.id)
        yield* checkouts.update({ ...existing, customerName: "interrupted" }, 1)
        yield* catalog.redeemDiscount({ discountId: single, checkoutId: existing.id, now: at(0) })
        yield* Deferred.succeed(inside, undefined)
        return yield* Effect.never
      })))
      yield* Deferred.await(inside)
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).version, 1)
      assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 0)
      // The reservation was returned and the row lock released.
      yield* uow.transaction(catalog.redeemDiscount({ discountId: single, checkoutId: second.id, now: at(0) }))
      assert.isTrue(Option.isSome(yield* uow.transaction(checkouts.lockForUpdate(existing.id))))
    }).pipe(Effect.provide(store())))

  it.effect("a nested transaction joins the outer one (no savepoint): an inner failure the outer catches keeps the inner writes", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      yield* uow.transaction(Effect.gen(function*() {
        yield* uow.transaction(Effect.andThen(checkouts.insert(existing), Effect.fail("inner"))).pipe(Effect.ignore)
        yield* checkouts.insert(second)
      }))
      assert.isTrue(Option.isSome(yield* checkouts.findById(existing.id)))
      assert.isTrue(Option.isSome(yield* checkouts.findById(second.id)))
    }).pipe(Effect.provide(store())))

  for (const outcome of ["commit", "rollback"] as const) {
    it.effect(`a second writer of a row waits for the first transaction; after its ${outcome} it ${outcome === "commit" ? "gets VersionConflict" : "proceeds"}`, () =>
      Effect.gen(function*() {
        const checkouts = yield* CheckoutRepository
        const uow = yield* UnitOfWork
        yield* checkouts.insert(existing)
        const first = yield* holdOpen(
          checkouts.update({ ...existing, customerName: "first" }, 1),
          outcome === "rollback" ? Effect.fail("abort") : Effect.void
        )
        const secondDone = yield* Ref.make(false)
        const secondWriter = yield* Effect.forkChild(
          uow.transaction(checkouts.update({ ...existing, customerName: "second" }, 1)).pipe(
            Effect.ensuring(Ref.set(secondDone, true)),
            Effect.result
          )
        )
        yield* settle
        assert.isFalse(yield* Ref.get(secondDone), "the second writer must wait for the row lock")
        yield* Effect.exit(first.release)
        const result = yield* Fiber.join(secondWriter)
        if (outcome === "commit") {
          assert.strictEqual(result._tag, "Failure")
          if (result._tag === "Failure") assert.strictEqual(result.failure._tag, "VersionConflict")
          assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).customerName, "first")
        } else {
          assert.strictEqual(result._tag, "Success")
          const stored = Option.getOrThrow(yield* checkouts.findById(existing.id))
          assert.strictEqual(stored.customerName, "second")
          assert.strictEqual(stored.version, 2)
        }
      }).pipe(Effect.provide(store())))
  }

  it.effect("an autocommit update waits for the row lock of an unfinished transaction", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      yield* checkouts.insert(existing)
      const holder = yield* holdOpen(checkouts.lockForUpdate(existing.id))
      const done = yield* Ref.make(false)
      const writer = yield* Effect.forkChild(
        checkouts.update({ ...existing, customerName: "autocommit" }, 1).pipe(Effect.ensuring(Ref.set(done, true)))
      )
      yield* settle
      assert.isFalse(yield* Ref.get(done))
      yield* holder.release
      const stored = yield* Fiber.join(writer)
      assert.strictEqual(stored.version, 2)
    }).pipe(Effect.provide(store())))

  it.effect("lockForUpdate NOWAIT fails on a row another transaction has updated but not committed", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      yield* checkouts.insert(existing)
      const holder = yield* holdOpen(Effect.gen(function*() {
        yield* checkouts.update({ ...existing, customerName: "x" }, 1)
        yield* checkouts.insert(second)
      }))
      const err = yield* Effect.flip(uow.transaction(checkouts.lockForUpdate(existing.id)))
      assert.strictEqual(err._tag, "CheckoutLocked")
      // A row inserted by an unfinished transaction does not exist for others: nothing to lock.
      assert.isTrue(Option.isNone(yield* uow.transaction(checkouts.lockForUpdate(second.id))))
      yield* holder.release
      const locked = yield* uow.transaction(checkouts.lockForUpdate(existing.id))
      assert.strictEqual(Option.getOrThrow(locked).version, 2)
    }).pipe(Effect.provide(store())))

  it.effect("a lock-wait cycle is a deadlock: one transaction dies and rolls back, the other commits", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      yield* checkouts.insert(existing)
      yield* checkouts.insert(second)
      const aHolds = yield* Deferred.make<void>()
      const bHolds = yield* Deferred.make<void>()
      const goA = yield* Deferred.make<void>()
      const goB = yield* Deferred.make<void>()
      const a = yield* Effect.forkChild(Effect.exit(uow.transaction(Effect.gen(function*() {
        yield* checkouts.update({ ...existing, customerName: "A" }, 1)
        yield* Deferred.succeed(aHolds, undefined)
        yield* Deferred.await(goA)
        yield* checkouts.update({ ...second, customerName: "A" }, 1)
      }))))
      yield* Deferred.await(aHolds)
      const b = yield* Effect.forkChild(Effect.exit(uow.transaction(Effect.gen(function*() {
        yield* checkouts.update({ ...second, customerName: "B" }, 1)
        yield* Deferred.succeed(bHolds, undefined)
        yield* Deferred.await(goB)
        yield* checkouts.update({ ...existing, customerName: "B" }, 1)
      }))))
      yield* Deferred.await(bHolds)
      yield* Deferred.succeed(goA, undefined)
      yield* settle // A now waits for B's row
      yield* Deferred.succeed(goB, undefined)
      const exitB = yield* Fiber.join(b)
      const exitA = yield* Fiber.join(a)
      assert.instanceOf(defectOf(exitB), DeadlockDetected)
      assert.isTrue(Exit.isSuccess(exitA))
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).customerName, "A")
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(second.id)).customerName, "A")
    }).pipe(Effect.provide(store())))

  it.effect("50 concurrent confirm-like transactions on one checkout: exactly one gets past the lock", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      yield* checkouts.insert(existing)
      const attempts = yield* Ref.make(0)
      const allAttempted = yield* Deferred.make<void>()
      const passed = yield* Ref.make(0)
      const attempted = Effect.flatMap(Ref.updateAndGet(attempts, (n) => n + 1), (n) => (n === 50 ? Deferred.succeed(allAttempted, undefined) : Effect.void))
      const confirm = uow.transaction(Effect.gen(function*() {
        const locked = yield* checkouts.lockForUpdate(existing.id).pipe(Effect.ensuring(attempted))
        const row = Option.getOrThrow(locked)
        yield* Ref.update(passed, (n) => n + 1)
        // Hold the lock while every other request tries, then write, as confirm does around the processor call.
        yield* Deferred.await(allAttempted)
        yield* Effect.yieldNow
        return yield* checkouts.update({ ...row, status: "confirmed" }, row.version)
      }))
      const results = yield* Effect.all(Array.from({ length: 50 }, () => Effect.result(confirm)), { concurrency: "unbounded" })
      assert.strictEqual(yield* Ref.get(passed), 1)
      assert.strictEqual(results.filter((r) => r._tag === "Success").length, 1)
      for (const r of results) if (r._tag === "Failure") assert.strictEqual(r.failure._tag, "CheckoutLocked")
      const stored = Option.getOrThrow(yield* checkouts.findById(existing.id))
      assert.strictEqual(stored.status, "confirmed")
      assert.strictEqual(stored.version, 2)
    }).pipe(Effect.provide(store())))

  it.effect("unique constraints: a duplicate customer email is a defect, also when two transactions race to insert it", () =>
    Effect.gen(function*() {
      const customers = yield* Customers
      const uow = yield* UnitOfWork
      const dup = yield* Effect.exit(customers.insert(makeCustomer(uuid(0x910), orgA, { email: "BUYER@example.com" })))
      assert.isTrue(Exit.hasDies(dup))
      const dupExternal = yield* Effect.exit(customers.insert(makeCustomer(uuid(0x911), orgA, { email: "x@example.com", externalId: "ext-1" })))
      assert.isTrue(Exit.hasDies(dupExternal))
      // The same email in another organization is fine.
      yield* customers.insert(makeCustomer(uuid(0x912), uuid(0x102), { email: "buyer@example.com" }))

      const inserted = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      const racer = (n: number, wait: boolean) =>
        uow.transaction(Effect.gen(function*() {
          yield* customers.insert(makeCustomer(uuid(n), orgA, { email: "race@example.com" }))
          yield* customers.update({ ...(Option.getOrThrow(yield* customers.findById(customerA))), name: `racer ${n}` })
          if (wait) {
            yield* Deferred.succeed(inserted, undefined)
            yield* Deferred.await(gate)
          }
        }))
      const slow = yield* Effect.forkChild(Effect.exit(racer(0x920, true)))
      yield* Deferred.await(inserted)
      // Inserting the same email (in another case) while the slow racer's insert is uncommitted: both pass for now.
      const fast = yield* Effect.exit(uow.transaction(customers.insert(makeCustomer(uuid(0x921), orgA, { email: "Race@Example.com" }))))
      assert.isTrue(Exit.isSuccess(fast))
      yield* Deferred.succeed(gate, undefined)
      const slowExit = yield* Fiber.join(slow)
      assert.isTrue(Exit.hasDies(slowExit), "the later commit violates the unique email index")
      // The whole losing transaction rolled back, including its update of another customer.
      assert.isTrue(Option.isNone(yield* customers.findById(uuid(0x920))))
      assert.strictEqual(Option.getOrThrow(yield* customers.findById(customerA)).name, null)
    }).pipe(Effect.provide(store())))

  it.effect("ids are matched case-insensitively, as PostgreSQL's uuid type does", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      yield* checkouts.insert(existing)
      const upper = existing.id.toUpperCase()
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(upper)).id, existing.id)
      const page = yield* checkouts.list({ organizationIds: [orgA.toUpperCase()], productIds: [productA1.toUpperCase()], sorting: [], page: 1, limit: 5 })
      assert.deepStrictEqual(page.items.map((c) => c.id), [existing.id])
    }).pipe(Effect.provide(store())))

  it.effect("a checkout must be inserted with version 1 and a unique id and client secret (defects otherwise)", () =>
    Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      yield* checkouts.insert(existing)
      assert.isTrue(Exit.hasDies(yield* Effect.exit(checkouts.insert(existing))))
      assert.isTrue(Exit.hasDies(yield* Effect.exit(checkouts.insert({ ...second, clientSecret: existing.clientSecret }))))
      assert.isTrue(Exit.hasDies(yield* Effect.exit(checkouts.insert({ ...second, version: 2 }))))
      assert.isTrue(Option.isNone(yield* checkouts.findById(second.id)))
      const missing = yield* Effect.flip(checkouts.update(second, 1))
      assert.strictEqual(missing._tag, "VersionConflict")
    }).pipe(Effect.provide(store())))
})

describe("MemoryStore.layer", () => {
  it.effect("two stores built in one layer graph are independent", () =>
    Effect.gen(function*() {
      class First extends Context.Service<First, CheckoutRepository["Service"]>()("test/First") {}
      class Second extends Context.Service<Second, CheckoutRepository["Service"]>()("test/Second") {}
      const expose = <I>(tag: Context.Key<I, CheckoutRepository["Service"]>) =>
        Layer.effect(tag, Effect.service(CheckoutRepository)).pipe(Layer.provide(store()))
      const context = yield* Layer.build(Layer.merge(expose(First), expose(Second)))
      const first = Context.get(context, First)
      const secondRepo = Context.get(context, Second)
      yield* first.insert(existing)
      assert.isTrue(Option.isSome(yield* first.findById(existing.id)))
      assert.isTrue(Option.isNone(yield* secondRepo.findById(existing.id)))
    }).pipe(Effect.scoped))
})
