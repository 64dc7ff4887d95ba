/**
 * What only the SQL store has, beyond the shared contract: real constraints (unique client secrets, unique
 * (organization, lower(email)) among non-deleted customers), the lock probe answering CheckoutLocked without
 * aborting the transaction, versioned UPDATEs racing on one row, the discount cap across two independent pools (two
 * nodes), the outbox written in the same transaction as the change, and the processed Stripe events table.
 */
import { Catalog, CheckoutRepository, Customers, Errors, Events, UnitOfWork } from "@checkout-kit/domain"
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { isSqlError } from "effect/sql/SqlError"
import { PostgresEvents } from "../../../store-postgres/src/Events.ts"
import * as PostgresStore from "../../../store-postgres/src/PostgresStore.ts"
import * as ProcessedEvents from "../../../store-postgres/src/ProcessedEvents.ts"
import * as TestDatabase from "../../../store-postgres/src/testing/TestDatabase.ts"
import * as TestSecrets from "../../../store-postgres/src/testing/TestSecrets.ts"

const { makeCheckout, makeCustomer, makeDiscount, makeOrganization, makeProduct, uuid, at } = RepositoryContract
const org = uuid(0x9001)
const otherOrg = uuid(0x9002)
const product = uuid(0x9003)
const fixtures = {
  organizations: [makeOrganization(org), makeOrganization(otherOrg)],
  products: [makeProduct(product, org)],
  discounts: [makeDiscount(uuid(0x9004), org, { code: "CAP5", maxRedemptions: 5 })]
}

/** The unique violation behind a defect, if that is what it is. */
const uniqueConstraint = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (!Exit.isFailure(exit)) return undefined
  const defect = exit.cause.reasons.find(Cause.isDieReason)?.defect
  if (!isSqlError(defect) || defect.reason._tag !== "UniqueViolation") return undefined
  return (defect.reason as { readonly constraint?: string }).constraint ?? (defect.reason.cause as { constraint?: string })?.constraint
}

describe("constraints", () => {
  it.effect("a second checkout with the same client secret is a unique violation (checkouts_client_secret)", () =>
    Effect.gen(function*() {
      const repo = yield* CheckoutRepository
      const a = makeCheckout(uuid(0x9101), org, product, { clientSecret: "polar_c_same" })
      const b = makeCheckout(uuid(0x9102), org, product, { clientSecret: "polar_c_same" })
      yield* repo.insert(a)
      const exit = yield* Effect.exit(repo.insert(b))
      assert.strictEqual(uniqueConstraint(exit), "checkouts_client_secret")
      assert.isTrue(Option.isNone(yield* repo.findById(b.id)))
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))))

  it.effect("customers: one non-deleted customer per (organization, lower(email)); deleted ones and other organizations do not count", () =>
    Effect.gen(function*() {
      const customers = yield* Customers
      yield* customers.insert(makeCustomer(uuid(0x9201), org, { email: "Jane@Example.com" }))
      const clash = yield* Effect.exit(customers.insert(makeCustomer(uuid(0x9202), org, { email: "jane@example.COM" })))
      assert.strictEqual(uniqueConstraint(clash), "customers_organization_email")
      // Another organization may hold the same address.
      yield* customers.insert(makeCustomer(uuid(0x9203), otherOrg, { email: "jane@example.com" }))
      // Once the first is deleted, the address is free again.
      const first = Option.getOrThrow(yield* customers.findById(uuid(0x9201)))
      yield* customers.update({ ...first, deletedAt: at(1) })
      yield* customers.insert(makeCustomer(uuid(0x9204), org, { email: "JANE@example.com" }))
      const found = Option.getOrThrow(yield* customers.findByEmail(org, "jane@EXAMPLE.com"))
      assert.strictEqual(found.id, uuid(0x9204))
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))))
})

describe("row locks and versions", () => {
  it.effect("a row updated by an unfinished transaction is CheckoutLocked to lockForUpdate, and the caller's transaction stays usable", () =>
    Effect.gen(function*() {
      const repo = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      const a = makeCheckout(uuid(0x9301), org, product)
      const b = makeCheckout(uuid(0x9302), org, product)
      yield* repo.insert(a)
      yield* repo.insert(b)
      const updated = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
        yield* repo.update({ ...a, customerName: "held" }, 1)
        yield* Deferred.succeed(updated, undefined)
        yield* Deferred.await(release)
      })))
      yield* Deferred.await(updated)
      const result = yield* uow.transaction(Effect.gen(function*() {
        const locked = yield* Effect.flip(repo.lockForUpdate(a.id))
        assert.instanceOf(locked, Errors.CheckoutLocked)
        // PostgreSQL's NOWAIT would have aborted this transaction; the probe does not: it can still write.
        const other = yield* repo.lockForUpdate(b.id)
        return yield* repo.update({ ...Option.getOrThrow(other), customerName: "after" }, 1)
      }))
      assert.strictEqual(result.version, 2)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holder)
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(a.id)).customerName, "held")
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(b.id)).customerName, "after")
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))))

  it.live("two writers of one version: the second waits for the first's commit, then gets VersionConflict (no lost update)", () =>
    Effect.gen(function*() {
      const repo = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      const a = makeCheckout(uuid(0x9401), org, product)
      yield* repo.insert(a)
      const first = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const winner = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
        yield* repo.update({ ...a, customerName: "first" }, 1)
        yield* Deferred.succeed(first, undefined)
        yield* Deferred.await(commit)
      })))
      yield* Deferred.await(first)
      const loser = yield* Effect.forkChild(Effect.exit(repo.update({ ...a, customerName: "second" }, 1)))
      yield* Effect.sleep(200)
      // Still waiting on the row lock.
      assert.isUndefined(loser.pollUnsafe())
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(winner)
      const exit = yield* Fiber.join(loser)
      assert.isTrue(Exit.isFailure(exit))
      assert.instanceOf(Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined, Errors.VersionConflict)
      const stored = Option.getOrThrow(yield* repo.findById(a.id))
      assert.strictEqual(stored.customerName, "first")
      assert.strictEqual(stored.version, 2)
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))))
})

describe("discount cap across nodes", () => {
  it.effect("50 redemptions of a discount capped at 5 through two independent pools: exactly 5 succeed, the count is 5", () =>
    Effect.gen(function*() {
      const name = yield* TestDatabase.freshDatabase
      const node = () => PostgresStore.layer({ url: TestDatabase.urlOf(name), seed: fixtures, maxConnections: 10, secrets: TestSecrets.layer })
      const nodeA = yield* Layer.build(node())
      const nodeB = yield* Layer.build(node())
      const redeem = (i: number) =>
        Effect.gen(function*() {
          const catalog = yield* Catalog
          const uow = yield* UnitOfWork
          return yield* uow.transaction(catalog.redeemDiscount({ discountId: uuid(0x9004), checkoutId: uuid(0x9500 + i), now: at(0) }))
        }).pipe(Effect.provide(i % 2 === 0 ? nodeA : nodeB), Effect.exit)
      const exits = yield* Effect.forEach(Array.from({ length: 50 }, (_, i) => i), redeem, { concurrency: "unbounded" })
      assert.strictEqual(exits.filter(Exit.isSuccess).length, 5)
      for (const e of exits.filter(Exit.isFailure)) assert.instanceOf(Cause.squash(e.cause), Errors.DiscountNotRedeemable)
      const discount = yield* Effect.provide(Catalog.use((c) => c.getDiscount(uuid(0x9004))), nodeA)
      assert.strictEqual(Option.getOrThrow(discount).redemptionsCount, 5)
      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), nodeB)
      const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM discount_redemptions`
      assert.strictEqual(row!.n, 5)
    }).pipe(Effect.scoped))
})

describe("outbox", () => {
  it.effect("an event is invisible to others until its transaction commits, and never exists after a rollback", () =>
    Effect.gen(function*() {
      const repo = yield* CheckoutRepository
      const uow = yield* UnitOfWork
      const events = yield* Events
      const outbox = yield* PostgresEvents
      const a = makeCheckout(uuid(0x9601), org, product)
      const written = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const tx = yield* Effect.forkChild(uow.transaction(Effect.gen(function*() {
        yield* repo.insert(a)
        yield* events.publish({ type: "checkout.created", checkout: a })
        yield* Deferred.succeed(written, undefined)
        yield* Deferred.await(commit)
      })))
      yield* Deferred.await(written)
      assert.strictEqual((yield* outbox.all).length, 0)
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(tx)
      const after = yield* outbox.all
      assert.deepStrictEqual(after.map((e) => [e.type, e.checkout.id]), [["checkout.created", a.id]])

      const b = makeCheckout(uuid(0x9602), org, product)
      const failed = yield* Effect.exit(uow.transaction(Effect.gen(function*() {
        yield* repo.insert(b)
        yield* events.publish({ type: "checkout.created", checkout: b })
        return yield* Effect.fail("abort")
      })))
      assert.isTrue(Exit.isFailure(failed))
      assert.strictEqual((yield* outbox.all).length, 1)
      assert.isTrue(Option.isNone(yield* repo.findById(b.id)))
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))))
})

describe("processed Stripe events", () => {
  it.effect("a mark made through one pool is seen through another; marking twice is not an error", () =>
    Effect.gen(function*() {
      const name = yield* TestDatabase.freshDatabase
      const a = yield* Effect.provide(ProcessedEvents.make, yield* Layer.build(TestDatabase.layerClientOn(name)))
      const b = yield* Effect.provide(ProcessedEvents.make, yield* Layer.build(TestDatabase.layerClientOn(name)))
      assert.isFalse(yield* b.isProcessed("evt_1"))
      yield* a.markProcessed("evt_1")
      yield* b.markProcessed("evt_1")
      assert.isTrue(yield* b.isProcessed("evt_1"))
      assert.isFalse(yield* a.isProcessed("evt_2"))
      assert.strictEqual(yield* a.prune(0), 1)
      assert.isFalse(yield* b.isProcessed("evt_1"))
    }).pipe(Effect.scoped))
})
