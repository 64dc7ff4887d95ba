/**
 * The repository contract: one suite that every storage adapter (memory today, SQL later) runs against its own
 * layer, so that the stores behave identically (architecture 4). It pins down what the port doc comments promise:
 * versioned updates, NOWAIT row locks held until the unit of work ends, rollback of every write on failure,
 * filtered/sorted/paginated lists with organization isolation, the expiry sweep's candidates, soft-deleted links,
 * the discount redemption cap under concurrency, and Customers.insertOrGet waiting for a concurrent insert.
 *
 * Usage, in an adapter's test file:
 *   RepositoryContract.runRepositoryContract("memory", { makeLayer: (fixtures) => MemoryStore.layer(fixtures) })
 * `makeLayer` must build a fresh, empty store seeded with the fixtures on every call (each test builds its own).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Deferred, Effect, Equal, Exit, Fiber, type Layer, Option } from "effect"
import type { Checkout } from "../Checkout.ts"
import type { CheckoutLink } from "../CheckoutLink.ts"
import type { Status } from "../CheckoutStatus.ts"
import type { Customer } from "../Customer.ts"
import type { Discount } from "../Discount.ts"
import type { Organization } from "../Organization.ts"
import type { Price } from "../Price.ts"
import type { Product } from "../Product.ts"
import { Catalog } from "../ports/Catalog.ts"
import { CheckoutLinkRepository, type LinkListQuery, type LinkSortField } from "../ports/CheckoutLinkRepository.ts"
import { CheckoutRepository, type ListQuery, type SortField } from "../ports/CheckoutRepository.ts"
import { Customers } from "../ports/Customers.ts"
import { type CheckoutEvent, Events } from "../ports/Events.ts"
import { Organizations } from "../ports/Organizations.ts"
import { UnitOfWork } from "../ports/UnitOfWork.ts"
import type { RepositoryPorts } from "../ports/index.ts"
import * as Kit from "./Fixtures.ts"

// ---------------------------------------------------------------------------------------------------------------
// What an adapter provides
// ---------------------------------------------------------------------------------------------------------------

/** Catalog and customer data the suite needs; the ports have no insert for them, so the adapter seeds them. */
export interface Fixtures {
  readonly organizations: ReadonlyArray<Organization>
  readonly products: ReadonlyArray<Product>
  readonly discounts: ReadonlyArray<Discount>
  readonly customers: ReadonlyArray<Customer>
}

export type Services = RepositoryPorts

export interface Adapter<R = never, E = never> {
  /** A fresh store seeded with the fixtures; called once per test. */
  readonly makeLayer: (fixtures: Fixtures) => Layer.Layer<Services | R, E>
  /**
   * Events published and committed so far, when the adapter can tell (memory store, outbox table). Without it the
   * suite cannot check that a rolled-back transaction publishes nothing, and skips that one assertion.
   */
  readonly publishedEvents?: Effect.Effect<ReadonlyArray<CheckoutEvent>, never, Services | R>
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture builders (deterministic ids and times; also handy for service tests): the testing kit's builders with an
// explicit id, and names derived from it
// ---------------------------------------------------------------------------------------------------------------

/** A fixed, valid v4-shaped UUID per number, so failures name readable ids. */
export const uuid = (n: number): string => Kit.uuidOf(n)

/** The suite's reference instant; every fixture time is relative to it (tests never read the clock). */
export const baseTime: DateTime.Utc = Kit.epoch

export const at = (minutes: number): DateTime.Utc => DateTime.add(baseTime, { minutes })

export const makeOrganization = (id: string, overrides: Partial<Organization> = {}): Organization =>
  Kit.organization({ id, name: `Organization ${id.slice(-4)}`, slug: `org-${id.slice(-4)}`, ...overrides })

export const makeFixedPrice = (id: string, productId: string, priceAmount: number, overrides: Partial<Price> = {}): Price =>
  ({ ...Kit.fixed(priceAmount, { id })(productId), ...overrides }) as Price

export const makeProduct = (id: string, organizationId: string, overrides: Partial<Product> = {}): Product =>
  Kit.product({ id, organizationId, name: `Product ${id.slice(-4)}`, prices: [], ...overrides })

export const makeDiscount = (id: string, organizationId: string, overrides: Partial<Discount> = {}): Discount =>
  ({
    ...Kit.percentageDiscount({ id, organizationId, name: `Discount ${id.slice(-4)}`, basisPoints: 1000 }),
    ...overrides
  }) as Discount

export const makeCustomer = (id: string, organizationId: string, overrides: Partial<Customer> = {}): Customer =>
  Kit.customer({ id, organizationId, email: `${id.slice(-4)}@example.com`, ...overrides })

export const makeCheckout = (
  id: string,
  organizationId: string,
  productId: string,
  overrides: Partial<Checkout> = {}
): Checkout => Kit.checkout({ id, organizationId, productIds: [productId], productId, ...overrides })

export const makeLink = (
  id: string,
  organizationId: string,
  productIds: readonly [string, ...Array<string>],
  overrides: Partial<CheckoutLink> = {}
): CheckoutLink => Kit.link(id, organizationId, productIds, { createdAt: baseTime, ...overrides })

// The suite's own data set.
const orgA = uuid(0x101)
const orgB = uuid(0x102)
const productA1 = uuid(0x201)
const productA2 = uuid(0x202)
const productA3 = uuid(0x203)
const productB1 = uuid(0x204)
const priceA1 = uuid(0x301)
const capped = uuid(0x401)
const uncapped = uuid(0x402)
const ended = uuid(0x403)
const single = uuid(0x404)
const otherOrgCode = uuid(0x405)
const notStarted = uuid(0x406)
const customerA = uuid(0x501)

export const contractFixtures: Fixtures = {
  organizations: [makeOrganization(orgA), makeOrganization(orgB)],
  products: [
    makeProduct(productA1, orgA, { prices: [makeFixedPrice(priceA1, productA1, 1000)] }),
    makeProduct(productA2, orgA),
    makeProduct(productA3, orgA),
    makeProduct(productB1, orgB)
  ],
  discounts: [
    makeDiscount(capped, orgA, { code: "FooBar", maxRedemptions: 10 }),
    makeDiscount(uncapped, orgA, { code: "OPEN" }),
    makeDiscount(ended, orgA, { endsAt: at(-60) }),
    makeDiscount(single, orgA, { maxRedemptions: 1 }),
    makeDiscount(otherOrgCode, orgB, { code: "ONLYB" }),
    makeDiscount(notStarted, orgA, { startsAt: at(60) })
  ],
  customers: [makeCustomer(customerA, orgA, { email: "Buyer@Example.com", externalId: "ext-1" })]
}

// ---------------------------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------------------------

/** Structural equality that understands DateTime (an adapter may hand back equal but distinct instances). */
const assertSame = <A>(actual: A, expected: A, message?: string): void => {
  if (!Equal.equals(actual, expected)) {
    assert.deepStrictEqual(actual, expected, message)
    assert.fail(message ?? "values differ structurally")
  }
}

const assertSome = <A>(actual: Option.Option<A>, expected: A, message?: string): void => {
  assert.isTrue(Option.isSome(actual), message ?? "expected Some, got None")
  assertSame(Option.getOrThrow(actual), expected, message)
}

const ids = (items: ReadonlyArray<{ readonly id: string }>): Array<string> => items.map((item) => item.id)

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Marker failure used to abort transactions in rollback tests. */
class Abort {
  readonly _tag = "Abort"
}

const run = <A, E, R, LE>(
  adapter: Adapter<R, LE>,
  effect: Effect.Effect<A, E, Services | R>
): Effect.Effect<A, E | LE> => Effect.provide(effect, adapter.makeLayer(contractFixtures))

// ---------------------------------------------------------------------------------------------------------------
// CheckoutRepository
// ---------------------------------------------------------------------------------------------------------------

const checkoutQuery = (overrides: Partial<ListQuery> = {}): ListQuery => ({
  organizationIds: [orgA],
  sorting: [{ field: "createdAt", descending: false }],
  page: 1,
  limit: 100,
  ...overrides
})

/** Five orgA checkouts with distinct sort keys and one orgB checkout. */
const listedCheckouts: ReadonlyArray<Checkout> = [
  makeCheckout(uuid(0x601), orgA, productA1, {
    createdAt: at(1),
    expiresAt: at(500),
    status: "open",
    customerId: customerA,
    externalCustomerId: "ext-1",
    customerEmail: "Alice@Example.com"
  }),
  makeCheckout(uuid(0x602), orgA, productA2, {
    createdAt: at(2),
    expiresAt: at(300),
    status: "confirmed",
    externalCustomerId: "ext-2",
    customerEmail: "bob@example.org"
  }),
  makeCheckout(uuid(0x603), orgA, productA1, {
    createdAt: at(3),
    expiresAt: at(100),
    status: "succeeded",
    customerEmail: "carol@shop.io"
  }),
  makeCheckout(uuid(0x604), orgA, productA3, { createdAt: at(4), expiresAt: at(400), status: "expired" }),
  makeCheckout(uuid(0x605), orgA, productA2, { createdAt: at(5), expiresAt: at(200), status: "failed", customerEmail: "ALICIA@x.com" }),
  makeCheckout(uuid(0x606), orgB, productB1, { createdAt: at(6), expiresAt: at(600), status: "open", customerEmail: "alice@b.com" })
]

const insertCheckouts = (checkouts: ReadonlyArray<Checkout>) =>
  Effect.gen(function*() {
    const repo = yield* CheckoutRepository
    yield* Effect.forEach(checkouts, (c) => repo.insert(c), { discard: true })
  })

const listCheckoutIds = (query: ListQuery) =>
  Effect.gen(function*() {
    const repo = yield* CheckoutRepository
    return ids((yield* repo.list(query)).items)
  })

const checkoutSortKey: Record<SortField, (c: Checkout) => string | number> = {
  createdAt: (c) => DateTime.toEpochMillis(c.createdAt),
  expiresAt: (c) => DateTime.toEpochMillis(c.expiresAt),
  status: (c) => c.status
}

const expectedOrder = <A extends { readonly id: string }>(
  items: ReadonlyArray<A>,
  key: (a: A) => string | number | boolean,
  descending: boolean
): Array<string> =>
  [...items]
    .sort((a, b) => {
      const ka = key(a)
      const kb = key(b)
      return (ka === kb ? byId(a.id, b.id) : ka < kb ? -1 : 1) * (descending ? -1 : 1)
    })
    .map((a) => a.id)

export const runCheckoutRepositoryContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  describe(`CheckoutRepository contract (${name})`, () => {
    it.effect("insert then find by id and by client secret returns the stored checkout", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const checkout = makeCheckout(uuid(0x610), orgA, productA1, {
          metadata: { a: "x", n: 1.5, b: true },
          customerBillingAddress: { line1: null, line2: null, postalCode: null, city: null, state: "US-NY", country: "US" },
          trialEnd: at(90)
        })
        yield* repo.insert(checkout)
        assertSome(yield* repo.findById(checkout.id), checkout)
        assertSome(yield* repo.findByClientSecret(checkout.clientSecret), checkout)
        assert.isTrue(Option.isNone(yield* repo.findById(uuid(0x6ff))))
        assert.isTrue(Option.isNone(yield* repo.findByClientSecret("polar_c_unknown")))
      })))

    it.effect("update with the current version stores the checkout with version + 1", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const checkout = makeCheckout(uuid(0x611), orgA, productA1)
        yield* repo.insert(checkout)
        const first = yield* repo.update({ ...checkout, customerName: "Ada" }, 1)
        assert.strictEqual(first.version, 2)
        assert.strictEqual(first.customerName, "Ada")
        const second = yield* repo.update({ ...first, customerName: "Grace" }, 2)
        assert.strictEqual(second.version, 3)
        assertSome(yield* repo.findById(checkout.id), second)
      })))

    it.effect("a pending payment attempt is stored and cleared with the checkout (every field round-trips)", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const checkout = makeCheckout(uuid(0x619), orgA, productA1)
        yield* repo.insert(checkout)
        const pending = yield* repo.update({
          ...checkout,
          customerId: customerA,
          pendingPayment: {
            attempt: 0,
            idempotencyKey: `${checkout.id}:0`,
            kind: "payment",
            confirmationTokenId: "ctok_1",
            amount: 1000,
            currency: "usd",
            processorCustomerId: "cus_1",
            productPriceId: null,
            metadata: { checkout_id: checkout.id, tax_amount: "None" },
            returnUrl: "https://shop.test/return",
            description: "Org — Product",
            statementDescriptorSuffix: "org",
            setupFutureUsage: true,
            intentId: null,
            state: "sending",
            sentAt: at(3)
          }
        }, 1)
        assertSome(yield* repo.findById(checkout.id), pending)
        const unknown = yield* repo.update({
          ...pending,
          status: "confirmed",
          pendingPayment: { ...pending.pendingPayment!, state: "unknown", intentId: "pi_1" }
        }, 2)
        assertSome(yield* repo.findById(checkout.id), unknown)
        const cleared = yield* repo.update({ ...unknown, pendingPayment: null }, 3)
        assertSome(yield* repo.findById(checkout.id), cleared)
      })))

    it.effect("update with a stale version fails with VersionConflict and stores nothing", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const checkout = makeCheckout(uuid(0x612), orgA, productA1)
        yield* repo.insert(checkout)
        const stored = yield* repo.update({ ...checkout, customerName: "first writer" }, 1)
        const conflict = yield* Effect.flip(repo.update({ ...checkout, customerName: "second writer" }, 1))
        assert.strictEqual(conflict._tag, "VersionConflict")
        assert.strictEqual(conflict.id, checkout.id)
        assert.strictEqual(conflict.expectedVersion, 1)
        assertSome(yield* repo.findById(checkout.id), stored)
      })))

    it.effect("the repository persists the status it is given (no expiry on save)", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        // Expired by time long ago, still open: saving must not flip it (status changes go through transition()).
        const checkout = makeCheckout(uuid(0x613), orgA, productA1, { expiresAt: at(-10_000) })
        yield* repo.insert(checkout)
        const updated = yield* repo.update({ ...checkout, customerName: "x" }, 1)
        assert.strictEqual(updated.status, "open")
        assert.strictEqual(Option.getOrThrow(yield* repo.findById(checkout.id)).status, "open")
      })))

    it.effect("lockForUpdate returns the current row inside a transaction, None for an unknown id", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const uow = yield* UnitOfWork
        const checkout = makeCheckout(uuid(0x614), orgA, productA1)
        yield* repo.insert(checkout)
        const locked = yield* uow.transaction(repo.lockForUpdate(checkout.id))
        assertSome(locked, checkout)
        const missing = yield* uow.transaction(repo.lockForUpdate(uuid(0x6fe)))
        assert.isTrue(Option.isNone(missing))
        // The same transaction may lock its row again.
        const twice = yield* uow.transaction(Effect.andThen(repo.lockForUpdate(checkout.id), repo.lockForUpdate(checkout.id)))
        assert.isTrue(Option.isSome(twice))
      })))

    it.effect("lockForUpdate outside a transaction is a defect", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const checkout = makeCheckout(uuid(0x615), orgA, productA1)
        yield* repo.insert(checkout)
        const exit = yield* Effect.exit(repo.lockForUpdate(checkout.id))
        assert.isTrue(Exit.hasDies(exit), "expected a defect")
      })))

    const lockHolder = (checkoutId: string, outcome: "commit" | "fail" | "die") =>
      Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const uow = yield* UnitOfWork
        const acquired = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const holder = yield* Effect.forkChild(Effect.exit(uow.transaction(Effect.gen(function*() {
          yield* repo.lockForUpdate(checkoutId)
          yield* Deferred.succeed(acquired, undefined)
          yield* Deferred.await(release)
          if (outcome === "fail") return yield* Effect.fail(new Abort())
          if (outcome === "die") return yield* Effect.die("boom")
        }))))
        yield* Deferred.await(acquired)
        return { release: Deferred.succeed(release, undefined), holder }
      })

    for (const outcome of ["commit", "fail", "die"] as const) {
      it.effect(`a second lock holder fails with CheckoutLocked at once; the lock is free after ${outcome}`, () =>
        run(adapter, Effect.gen(function*() {
          const repo = yield* CheckoutRepository
          const uow = yield* UnitOfWork
          const checkout = makeCheckout(uuid(0x616), orgA, productA1)
          yield* repo.insert(checkout)
          const { holder, release } = yield* lockHolder(checkout.id, outcome)
          const contended = yield* Effect.flip(uow.transaction(repo.lockForUpdate(checkout.id)))
          assert.strictEqual(contended._tag, "CheckoutLocked")
          assert.strictEqual(contended.checkoutId, checkout.id)
          yield* release
          const holderExit = yield* Fiber.join(holder)
          assert.strictEqual(Exit.isSuccess(holderExit), outcome === "commit")
          const after = yield* uow.transaction(repo.lockForUpdate(checkout.id))
          assertSome(after, checkout)
        })))
    }

    it.effect("locks are per row: another checkout can be locked meanwhile", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const uow = yield* UnitOfWork
        const first = makeCheckout(uuid(0x617), orgA, productA1)
        const second = makeCheckout(uuid(0x618), orgA, productA1)
        yield* insertCheckouts([first, second])
        const { holder, release } = yield* lockHolder(first.id, "commit")
        const other = yield* uow.transaction(repo.lockForUpdate(second.id))
        assertSome(other, second)
        yield* release
        yield* Fiber.join(holder)
      })))

    it.effect("list isolates organizations and reports the total count", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        yield* insertCheckouts(listedCheckouts)
        const pageA = yield* repo.list(checkoutQuery())
        assert.deepStrictEqual(ids(pageA.items), ids(listedCheckouts.slice(0, 5)))
        assert.strictEqual(pageA.totalCount, 5)
        assert.deepStrictEqual(yield* listCheckoutIds(checkoutQuery({ organizationIds: [orgB] })), [uuid(0x606)])
        assert.strictEqual((yield* repo.list(checkoutQuery({ organizationIds: [orgA, orgB] }))).totalCount, 6)
        const none = yield* repo.list(checkoutQuery({ organizationIds: [uuid(0x1ff)] }))
        assert.deepStrictEqual(none, { items: [], totalCount: 0 })
      })))

    it.effect("list filters by product, customer, external customer, status and email query (any-of, AND across)", () =>
      run(adapter, Effect.gen(function*() {
        yield* insertCheckouts(listedCheckouts)
        const q = (overrides: Partial<ListQuery>) => listCheckoutIds(checkoutQuery(overrides))
        assert.deepStrictEqual(yield* q({ productIds: [productA1] }), [uuid(0x601), uuid(0x603)])
        assert.deepStrictEqual(yield* q({ productIds: [productA2, productA3] }), [uuid(0x602), uuid(0x604), uuid(0x605)])
        assert.deepStrictEqual(yield* q({ productIds: [productB1] }), [])
        assert.deepStrictEqual(yield* q({ customerIds: [customerA] }), [uuid(0x601)])
        assert.deepStrictEqual(yield* q({ externalCustomerIds: ["ext-1", "ext-2"] }), [uuid(0x601), uuid(0x602)])
        assert.deepStrictEqual(yield* q({ statuses: ["open"] }), [uuid(0x601)])
        assert.deepStrictEqual(yield* q({ statuses: ["confirmed", "expired"] }), [uuid(0x602), uuid(0x604)])
        // Case-insensitive substring of the customer email.
        assert.deepStrictEqual(yield* q({ query: "ALI" }), [uuid(0x601), uuid(0x605)])
        assert.deepStrictEqual(yield* q({ query: "example" }), [uuid(0x601), uuid(0x602)])
        assert.deepStrictEqual(yield* q({ productIds: [productA1, productA2], statuses: ["open", "failed"] }), [uuid(0x601), uuid(0x605)])
        assert.deepStrictEqual(yield* q({ productIds: [productA1], query: "bob" }), [])
      })))

    for (const field of ["createdAt", "expiresAt", "status"] as const) {
      for (const descending of [false, true]) {
        it.effect(`list sorts by ${descending ? "-" : ""}${field}`, () =>
          run(adapter, Effect.gen(function*() {
            yield* insertCheckouts(listedCheckouts)
            const actual = yield* listCheckoutIds(checkoutQuery({ sorting: [{ field, descending }] }))
            assert.deepStrictEqual(actual, expectedOrder(listedCheckouts.slice(0, 5), checkoutSortKey[field], descending))
          })))
      }
    }

    it.effect("list breaks sort ties by id in the direction of the last sort key, and applies sort keys in order", () =>
      run(adapter, Effect.gen(function*() {
        // Inserted in an order that is neither id order nor its reverse.
        const tied = [0x623, 0x621, 0x624, 0x622].map((n, i) =>
          makeCheckout(uuid(n), orgA, productA1, { createdAt: at(1), status: i % 2 === 0 ? "open" : "expired" })
        )
        yield* insertCheckouts(tied)
        const sorted = [uuid(0x621), uuid(0x622), uuid(0x623), uuid(0x624)]
        assert.deepStrictEqual(yield* listCheckoutIds(checkoutQuery({ sorting: [{ field: "createdAt", descending: false }] })), sorted)
        assert.deepStrictEqual(
          yield* listCheckoutIds(checkoutQuery({ sorting: [{ field: "createdAt", descending: true }] })),
          [...sorted].reverse()
        )
        assert.deepStrictEqual(
          yield* listCheckoutIds(checkoutQuery({ sorting: [{ field: "status", descending: true }, { field: "createdAt", descending: false }] })),
          [uuid(0x623), uuid(0x624), uuid(0x621), uuid(0x622)]
        )
      })))

    it.effect("list paginates: pages of `limit` items, totalCount of every match, empty past the end", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        yield* insertCheckouts(listedCheckouts)
        const page = (n: number) => repo.list(checkoutQuery({ page: n, limit: 2 }))
        const [p1, p2, p3, p4] = [yield* page(1), yield* page(2), yield* page(3), yield* page(4)]
        assert.deepStrictEqual(ids(p1.items), [uuid(0x601), uuid(0x602)])
        assert.deepStrictEqual(ids(p2.items), [uuid(0x603), uuid(0x604)])
        assert.deepStrictEqual(ids(p3.items), [uuid(0x605)])
        assert.deepStrictEqual(ids(p4.items), [])
        for (const p of [p1, p2, p3, p4]) assert.strictEqual(p.totalCount, 5)
        const filtered = yield* repo.list(checkoutQuery({ page: 1, limit: 1, productIds: [productA2] }))
        assert.deepStrictEqual(ids(filtered.items), [uuid(0x602)])
        assert.strictEqual(filtered.totalCount, 2)
      })))

    it.effect("listExpirable returns only open checkouts expired by `now`, oldest first, at most `limit`", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const statuses: ReadonlyArray<[number, Status, number]> = [
          [0x631, "open", 30],
          [0x632, "open", 10],
          [0x633, "succeeded", 5],
          [0x634, "confirmed", 5],
          [0x635, "expired", 5],
          [0x636, "open", 20],
          [0x637, "open", 100], // exactly now: expirable (expires_at <= now)
          [0x638, "open", 101] // still valid
        ]
        yield* insertCheckouts(statuses.map(([n, status, minutes]) =>
          makeCheckout(uuid(n), n === 0x636 ? orgB : orgA, productA1, { status, expiresAt: at(minutes) })
        ))
        const now = at(100)
        assert.deepStrictEqual(ids(yield* repo.listExpirable(now, 10)), [uuid(0x632), uuid(0x636), uuid(0x631), uuid(0x637)])
        assert.deepStrictEqual(ids(yield* repo.listExpirable(now, 2)), [uuid(0x632), uuid(0x636)])
        assert.deepStrictEqual(ids(yield* repo.listExpirable(at(0), 10)), [])
      })))

    it.effect("a checkout.payment_refunded event keeps its refund detail (intent, refund id, amount, reason)", () =>
      run(adapter, Effect.gen(function*() {
        assert.isDefined(adapter.publishedEvents, "the adapter exposes its committed events")
        const events = yield* Events
        const uow = yield* UnitOfWork
        const checkout = makeCheckout(uuid(0x651), orgA, productA1, { status: "succeeded" })
        yield* (yield* CheckoutRepository).insert(checkout)
        const refund = { intentId: "pi_old", refundId: "re_1", amount: 1234, reason: "superseded_attempt" }
        yield* uow.transaction(events.publish({ type: "checkout.payment_refunded", checkout, refund }))
        yield* uow.transaction(events.publish({ type: "checkout.updated", checkout }))
        const published = (yield* adapter.publishedEvents!).filter((e) => e.checkout.id === checkout.id)
        assert.deepStrictEqual(published.map((e) => [e.type, e.refund ?? null]), [
          ["checkout.payment_refunded", refund],
          ["checkout.updated", null]
        ])
      })))

    it.effect("listConfirmed returns only confirmed checkouts last changed by `before`, oldest change first, at most `limit`", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        // [id, status, createdAt minute, modifiedAt minute | null]
        const rows: ReadonlyArray<[number, Status, number, number | null]> = [
          [0x641, "confirmed", 0, 30],
          [0x642, "confirmed", 10, null], // never modified since insert: its creation counts
          [0x643, "open", 0, 5],
          [0x644, "succeeded", 0, 5],
          [0x645, "confirmed", 0, 20],
          [0x646, "confirmed", 0, 100], // exactly `before`: included
          [0x647, "confirmed", 0, 101] // changed after: not yet
        ]
        yield* insertCheckouts(rows.map(([n, status, created, modified]) =>
          makeCheckout(uuid(n), n === 0x645 ? orgB : orgA, productA1, {
            status,
            createdAt: at(created),
            modifiedAt: modified === null ? null : at(modified)
          })
        ))
        assert.deepStrictEqual(ids(yield* repo.listConfirmed(at(100), 10)), [uuid(0x642), uuid(0x645), uuid(0x641), uuid(0x646)])
        assert.deepStrictEqual(ids(yield* repo.listConfirmed(at(100), 2)), [uuid(0x642), uuid(0x645)])
        assert.deepStrictEqual(ids(yield* repo.listConfirmed(at(9), 10)), [])
        // A versioned update moves the row in or out.
        const moved = Option.getOrThrow(yield* repo.findById(uuid(0x642)))
        yield* repo.update({ ...moved, status: "succeeded", modifiedAt: at(50) }, moved.version)
        assert.deepStrictEqual(ids(yield* repo.listConfirmed(at(100), 10)), [uuid(0x645), uuid(0x641), uuid(0x646)])
      })))
  })
}

// ---------------------------------------------------------------------------------------------------------------
// CheckoutLinkRepository
// ---------------------------------------------------------------------------------------------------------------

const linkQuery = (overrides: Partial<LinkListQuery> = {}): LinkListQuery => ({
  organizationIds: [orgA],
  sorting: [{ field: "createdAt", descending: false }],
  page: 1,
  limit: 100,
  ...overrides
})

const listedLinks: ReadonlyArray<CheckoutLink> = [
  makeLink(uuid(0x801), orgA, [productA1], { createdAt: at(1), label: "b", successUrl: "https://c.example", allowDiscountCodes: true }),
  makeLink(uuid(0x802), orgA, [productA2, productA1], { createdAt: at(2), label: "d", successUrl: "https://a.example", allowDiscountCodes: false }),
  makeLink(uuid(0x803), orgA, [productA3], { createdAt: at(3), label: "a", successUrl: "https://d.example", allowDiscountCodes: true }),
  makeLink(uuid(0x804), orgA, [productA2], { createdAt: at(4), label: "c", successUrl: "https://b.example", allowDiscountCodes: false }),
  makeLink(uuid(0x805), orgB, [productB1], { createdAt: at(5), label: "e", successUrl: "https://e.example" })
]

const insertLinks = (links: ReadonlyArray<CheckoutLink>) =>
  Effect.gen(function*() {
    const repo = yield* CheckoutLinkRepository
    yield* Effect.forEach(links, (l) => repo.insert(l), { discard: true })
  })

const listLinkIds = (query: LinkListQuery) =>
  Effect.gen(function*() {
    const repo = yield* CheckoutLinkRepository
    return ids((yield* repo.list(query)).items)
  })

const linkSortKey: Record<LinkSortField, (l: CheckoutLink) => string | number | boolean> = {
  createdAt: (l) => DateTime.toEpochMillis(l.createdAt),
  label: (l) => l.label ?? "",
  successUrl: (l) => l.successUrl ?? "",
  allowDiscountCodes: (l) => (l.allowDiscountCodes ? 1 : 0)
}

export const runCheckoutLinkRepositoryContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  describe(`CheckoutLinkRepository contract (${name})`, () => {
    it.effect("insert then find by id and by client secret returns the stored link", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutLinkRepository
        const link = makeLink(uuid(0x810), orgA, [productA2, productA1], {
          label: "Spring",
          seats: 5,
          discountId: uncapped,
          metadata: { campaign: "spring", n: 3 },
          trialInterval: "month",
          trialIntervalCount: 1
        })
        yield* repo.insert(link)
        assertSome(yield* repo.findById(link.id), link)
        assertSome(yield* repo.findByClientSecret(link.clientSecret), link)
        assert.isTrue(Option.isNone(yield* repo.findById(uuid(0x8ff))))
        assert.isTrue(Option.isNone(yield* repo.findByClientSecret("polar_cl_unknown")))
      })))

    it.effect("update is versioned: version increments, a stale version is a VersionConflict", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutLinkRepository
        const link = makeLink(uuid(0x811), orgA, [productA1])
        yield* repo.insert(link)
        const updated = yield* repo.update({ ...link, label: "new", productIds: [productA3, productA1] }, 1)
        assert.strictEqual(updated.version, 2)
        assert.deepStrictEqual(updated.productIds, [productA3, productA1])
        assertSome(yield* repo.findById(link.id), updated)
        const conflict = yield* Effect.flip(repo.update({ ...link, label: "stale" }, 1))
        assert.strictEqual(conflict._tag, "VersionConflict")
        assert.strictEqual(conflict.id, link.id)
        assert.strictEqual(conflict.expectedVersion, 1)
        assertSome(yield* repo.findById(link.id), updated)
      })))

    it.effect("soft-deleted links are invisible to find by id, by secret and to list", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutLinkRepository
        yield* insertLinks(listedLinks)
        const link = listedLinks[0]!
        yield* repo.update({ ...link, deletedAt: at(10) }, 1)
        assert.isTrue(Option.isNone(yield* repo.findById(link.id)))
        assert.isTrue(Option.isNone(yield* repo.findByClientSecret(link.clientSecret)))
        const page = yield* repo.list(linkQuery())
        assert.deepStrictEqual(ids(page.items), [uuid(0x802), uuid(0x803), uuid(0x804)])
        assert.strictEqual(page.totalCount, 3)
        assert.deepStrictEqual(yield* listLinkIds(linkQuery({ productIds: [productA1] })), [uuid(0x802)])
      })))

    it.effect("list isolates organizations and filters by any of the products a link contains", () =>
      run(adapter, Effect.gen(function*() {
        yield* insertLinks(listedLinks)
        const q = (overrides: Partial<LinkListQuery>) => listLinkIds(linkQuery(overrides))
        assert.deepStrictEqual(yield* q({}), [uuid(0x801), uuid(0x802), uuid(0x803), uuid(0x804)])
        assert.deepStrictEqual(yield* q({ organizationIds: [orgB] }), [uuid(0x805)])
        assert.deepStrictEqual(yield* q({ organizationIds: [uuid(0x1ff)] }), [])
        assert.deepStrictEqual(yield* q({ productIds: [productA1] }), [uuid(0x801), uuid(0x802)])
        assert.deepStrictEqual(yield* q({ productIds: [productA3, productA2] }), [uuid(0x802), uuid(0x803), uuid(0x804)])
        // A link that contains several matching products is listed once.
        assert.deepStrictEqual(yield* q({ productIds: [productA1, productA2] }), [uuid(0x801), uuid(0x802), uuid(0x804)])
        assert.deepStrictEqual(yield* q({ productIds: [productB1] }), [])
      })))

    for (const field of ["createdAt", "label", "successUrl", "allowDiscountCodes"] as const) {
      for (const descending of [false, true]) {
        it.effect(`list sorts links by ${descending ? "-" : ""}${field} (ties by id)`, () =>
          run(adapter, Effect.gen(function*() {
            yield* insertLinks(listedLinks)
            const actual = yield* listLinkIds(linkQuery({ sorting: [{ field, descending }] }))
            assert.deepStrictEqual(actual, expectedOrder(listedLinks.slice(0, 4), linkSortKey[field], descending))
          })))
      }
    }

    it.effect("list paginates links with the total count", () =>
      run(adapter, Effect.gen(function*() {
        const repo = yield* CheckoutLinkRepository
        yield* insertLinks(listedLinks)
        const p1 = yield* repo.list(linkQuery({ page: 1, limit: 3 }))
        const p2 = yield* repo.list(linkQuery({ page: 2, limit: 3 }))
        const p3 = yield* repo.list(linkQuery({ page: 3, limit: 3 }))
        assert.deepStrictEqual(ids(p1.items), [uuid(0x801), uuid(0x802), uuid(0x803)])
        assert.deepStrictEqual(ids(p2.items), [uuid(0x804)])
        assert.deepStrictEqual(ids(p3.items), [])
        for (const p of [p1, p2, p3]) assert.strictEqual(p.totalCount, 4)
      })))
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog (reads and discount redemptions), Customers, Organizations
// ---------------------------------------------------------------------------------------------------------------

export const runCatalogContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  describe(`Catalog contract (${name})`, () => {
    it.effect("reads seeded products, prices and discounts; unknown ids are None", () =>
      run(adapter, Effect.gen(function*() {
        const catalog = yield* Catalog
        const product = contractFixtures.products[0]!
        assertSome(yield* catalog.getProduct(productA1), product)
        const price = yield* catalog.getPrice(priceA1)
        assert.isTrue(Option.isSome(price))
        assertSame(Option.getOrThrow(price).price, product.prices[0]!)
        assert.strictEqual(Option.getOrThrow(price).product.id, productA1)
        assertSome(yield* catalog.getDiscount(capped), contractFixtures.discounts[0]!)
        assert.isTrue(Option.isNone(yield* catalog.getProduct(uuid(0x2ff))))
        assert.isTrue(Option.isNone(yield* catalog.getPrice(uuid(0x3ff))))
        assert.isTrue(Option.isNone(yield* catalog.getDiscount(uuid(0x4ff))))
      })))

    it.effect("discount code lookup is case-insensitive and scoped to the organization", () =>
      run(adapter, Effect.gen(function*() {
        const catalog = yield* Catalog
        for (const code of ["FooBar", "foobar", "FOOBAR", "fOoBaR"]) {
          assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscountByCode(orgA, code)).id, capped, code)
        }
        assert.isTrue(Option.isNone(yield* catalog.getDiscountByCode(orgA, "ONLYB")))
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscountByCode(orgB, "onlyb")).id, otherOrgCode)
        assert.isTrue(Option.isNone(yield* catalog.getDiscountByCode(orgA, "nope")))
      })))

    it.effect("100 concurrent redemptions of a discount capped at 10: exactly 10 succeed", () =>
      run(adapter, Effect.gen(function*() {
        const catalog = yield* Catalog
        const uow = yield* UnitOfWork
        const results = yield* Effect.forEach(
          Array.from({ length: 100 }, (_, i) => uuid(0x7000 + i)),
          (checkoutId) =>
            Effect.result(uow.transaction(Effect.gen(function*() {
              yield* catalog.redeemDiscount({ discountId: capped, checkoutId, now: at(0) })
              // Still uncommitted while every other transaction runs: a store that only counts committed
              // redemptions over-redeems here.
              for (let i = 0; i < 5; i++) yield* Effect.yieldNow
            }))),
          { concurrency: "unbounded" }
        )
        const succeeded = results.filter((r) => r._tag === "Success").length
        assert.strictEqual(succeeded, 10)
        for (const r of results) {
          if (r._tag === "Failure") assert.strictEqual(r.failure._tag, "DiscountNotRedeemable")
        }
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(capped)).redemptionsCount, 10)
      })))

    it.effect("redemption is idempotent per checkout and recorded for findRedemption", () =>
      run(adapter, Effect.gen(function*() {
        const catalog = yield* Catalog
        const checkoutId = uuid(0x7101)
        yield* catalog.redeemDiscount({ discountId: uncapped, checkoutId, now: at(0) })
        yield* catalog.redeemDiscount({ discountId: uncapped, checkoutId, now: at(0) })
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(uncapped)).redemptionsCount, 1)
        assert.deepStrictEqual(Option.getOrNull(yield* catalog.findRedemption(checkoutId)), { discountId: uncapped })
        assert.isTrue(Option.isNone(yield* catalog.findRedemption(uuid(0x7102))))
      })))

    it.effect("releaseRedemption frees the slot; releasing without a redemption is a no-op", () =>
      run(adapter, Effect.gen(function*() {
        const catalog = yield* Catalog
        const [first, second] = [uuid(0x7201), uuid(0x7202)]
        yield* catalog.redeemDiscount({ discountId: single, checkoutId: first, now: at(0) })
        const refused = yield* Effect.flip(catalog.redeemDiscount({ discountId: single, checkoutId: second, now: at(0) }))
        assert.strictEqual(refused._tag, "DiscountNotRedeemable")
        yield* catalog.releaseRedemption(first)
        assert.isTrue(Option.isNone(yield* catalog.findRedemption(first)))
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 0)
        yield* catalog.redeemDiscount({ discountId: single, checkoutId: second, now: at(0) })
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 1)
        yield* catalog.releaseRedemption(uuid(0x7203))
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 1)
      })))

    it.effect("a discount outside its validity window is not redeemable", () =>
      run(adapter, Effect.gen(function*() {
        const catalog = yield* Catalog
        const endedErr = yield* Effect.flip(catalog.redeemDiscount({ discountId: ended, checkoutId: uuid(0x7301), now: at(0) }))
        assert.strictEqual(endedErr._tag, "DiscountNotRedeemable")
        const early = yield* Effect.flip(catalog.redeemDiscount({ discountId: notStarted, checkoutId: uuid(0x7302), now: at(0) }))
        assert.strictEqual(early._tag, "DiscountNotRedeemable")
        yield* catalog.redeemDiscount({ discountId: notStarted, checkoutId: uuid(0x7303), now: at(61) })
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(notStarted)).redemptionsCount, 1)
      })))
  })

  describe(`Customers and Organizations contract (${name})`, () => {
    it.effect("customers: insert, find by id, by email (case-insensitive, per organization) and by external id", () =>
      run(adapter, Effect.gen(function*() {
        const customers = yield* Customers
        const seeded = contractFixtures.customers[0]!
        assertSome(yield* customers.findById(customerA), seeded)
        assert.strictEqual(Option.getOrThrow(yield* customers.findByEmail(orgA, "buyer@example.com")).id, customerA)
        assert.isTrue(Option.isNone(yield* customers.findByEmail(orgB, "buyer@example.com")))
        assert.strictEqual(Option.getOrThrow(yield* customers.findByExternalId(orgA, "ext-1")).id, customerA)
        assert.isTrue(Option.isNone(yield* customers.findByExternalId(orgB, "ext-1")))
        const created = makeCustomer(uuid(0x510), orgB, { email: "new@b.com" })
        yield* customers.insert(created)
        assertSome(yield* customers.findById(created.id), created)
        const renamed = { ...created, name: "Renamed" }
        yield* customers.update(renamed)
        assertSome(yield* customers.findById(created.id), renamed)
      })))

    it.effect("insertOrGet inserts a new customer, else returns the one holding its id, email or external id", () =>
      run(adapter, Effect.gen(function*() {
        const customers = yield* Customers
        const seeded = contractFixtures.customers[0]!
        const fresh = makeCustomer(uuid(0x520), orgA, { email: "fresh@example.com", externalId: "ext-fresh" })
        assert.deepStrictEqual(yield* customers.insertOrGet(fresh), fresh)
        assertSome(yield* customers.findById(fresh.id), fresh)
        // The same email in another case, the same external id, the same id: the stored one, unchanged.
        const sameEmail = makeCustomer(uuid(0x521), orgA, { email: "BUYER@example.com", name: "Other" })
        assert.deepStrictEqual(yield* customers.insertOrGet(sameEmail), seeded)
        const sameExternal = makeCustomer(uuid(0x522), orgA, { email: "new@example.com", externalId: "ext-1" })
        assert.deepStrictEqual(yield* customers.insertOrGet(sameExternal), seeded)
        assert.deepStrictEqual(yield* customers.insertOrGet({ ...fresh, name: "Renamed" }), fresh)
        assert.isTrue(Option.isNone(yield* customers.findById(sameEmail.id)))
        assert.isTrue(Option.isNone(yield* customers.findById(sameExternal.id)))
        // Uniqueness is per organization and among non-deleted customers.
        const otherOrg = makeCustomer(uuid(0x523), orgB, { email: "buyer@example.com", externalId: "ext-1" })
        assert.deepStrictEqual(yield* customers.insertOrGet(otherOrg), otherOrg)
        const gone = makeCustomer(uuid(0x524), orgA, { email: "gone@example.com", deletedAt: at(1) })
        yield* customers.insert(gone)
        const back = makeCustomer(uuid(0x525), orgA, { email: "gone@example.com" })
        assert.deepStrictEqual(yield* customers.insertOrGet(back), back)
      })))

    for (const outcome of ["commit", "fail"] as const) {
      it.effect(`insertOrGet waits for a concurrent transaction inserting the same email; after its ${outcome} it ${outcome === "commit" ? "returns that customer" : "inserts its own"}`, () =>
        run(adapter, Effect.gen(function*() {
          const customers = yield* Customers
          const uow = yield* UnitOfWork
          const first = makeCustomer(uuid(0x530), orgA, { email: "race@example.com" })
          const second = makeCustomer(uuid(0x531), orgA, { email: "RACE@example.com" })
          const inserted = yield* Deferred.make<void>()
          const gate = yield* Deferred.make<void>()
          const holder = yield* Effect.forkChild(Effect.exit(uow.transaction(Effect.gen(function*() {
            yield* customers.insertOrGet(first)
            yield* Deferred.succeed(inserted, undefined)
            yield* Deferred.await(gate)
            if (outcome === "fail") return yield* Effect.fail(new Abort())
          }))))
          yield* Deferred.await(inserted)
          let done = false
          const waiter = yield* Effect.forkChild(uow.transaction(Effect.tap(customers.insertOrGet(second), () =>
            Effect.sync(() => {
              done = true
            }))))
          for (let i = 0; i < 20; i++) yield* Effect.yieldNow
          assert.isFalse(done, "insertOrGet must wait for the unfinished insert of the same email")
          yield* Deferred.succeed(gate, undefined)
          yield* Fiber.join(holder)
          const got = yield* Fiber.join(waiter)
          assert.deepStrictEqual(got, outcome === "commit" ? first : second)
          assert.strictEqual(Option.getOrThrow(yield* customers.findByEmail(orgA, "race@example.com")).id, got.id)
        })))
    }

    it.effect("update of a customer that does not exist is a defect, not an insert", () =>
      run(adapter, Effect.gen(function*() {
        const customers = yield* Customers
        const missing = makeCustomer(uuid(0x540), orgA, { email: "missing@example.com" })
        const exit = yield* Effect.exit(customers.update(missing))
        assert.isTrue(Exit.hasDies(exit))
        assert.isTrue(Option.isNone(yield* customers.findById(missing.id)))
      })))

    it.effect("deleted customers are found by id only", () =>
      run(adapter, Effect.gen(function*() {
        const customers = yield* Customers
        const deleted = makeCustomer(uuid(0x511), orgA, { email: "gone@example.com", externalId: "ext-gone", deletedAt: at(1) })
        yield* customers.insert(deleted)
        assertSome(yield* customers.findById(deleted.id), deleted)
        assert.isTrue(Option.isNone(yield* customers.findByEmail(orgA, "gone@example.com")))
      })))

    it.effect("organizations: seeded ones are found by id", () =>
      run(adapter, Effect.gen(function*() {
        const organizations = yield* Organizations
        assertSome(yield* organizations.findById(orgA), contractFixtures.organizations[0]!)
        assert.isTrue(Option.isNone(yield* organizations.findById(uuid(0x1ff))))
      })))
  })
}

// ---------------------------------------------------------------------------------------------------------------
// UnitOfWork
// ---------------------------------------------------------------------------------------------------------------

export const runUnitOfWorkContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  describe(`UnitOfWork contract (${name})`, () => {
    const existing = makeCheckout(uuid(0x901), orgA, productA1)
    const existingLink = makeLink(uuid(0x902), orgA, [productA1])
    const newCheckout = makeCheckout(uuid(0x903), orgA, productA1)
    const newLink = makeLink(uuid(0x904), orgA, [productA2])
    const newCustomer = makeCustomer(uuid(0x905), orgA, { email: "rollback@example.com" })

    /** Every kind of write the ports allow, in one transaction body. */
    const writeEverything = Effect.gen(function*() {
      const checkouts = yield* CheckoutRepository
      const links = yield* CheckoutLinkRepository
      const customers = yield* Customers
      const catalog = yield* Catalog
      const events = yield* Events
      yield* checkouts.insert(newCheckout)
      yield* checkouts.update({ ...existing, customerName: "changed" }, 1)
      yield* links.insert(newLink)
      yield* links.update({ ...existingLink, label: "changed" }, 1)
      yield* customers.insert(newCustomer)
      yield* customers.update({ ...contractFixtures.customers[0]!, name: "changed" })
      yield* catalog.redeemDiscount({ discountId: single, checkoutId: newCheckout.id, now: at(0) })
      yield* events.publish({ type: "checkout.created", checkout: newCheckout })
      // Reads inside the transaction see its own writes.
      assert.isTrue(Option.isSome(yield* checkouts.findById(newCheckout.id)))
      assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).customerName, "changed")
      assert.isTrue(Option.isSome(yield* catalog.findRedemption(newCheckout.id)))
    })

    const setUp = Effect.gen(function*() {
      yield* (yield* CheckoutRepository).insert(existing)
      yield* (yield* CheckoutLinkRepository).insert(existingLink)
      return adapter.publishedEvents === undefined ? null : (yield* adapter.publishedEvents).length
    })

    const assertNothingWritten = (eventsBefore: number | null) =>
      Effect.gen(function*() {
        const checkouts = yield* CheckoutRepository
        const links = yield* CheckoutLinkRepository
        const customers = yield* Customers
        const catalog = yield* Catalog
        assert.isTrue(Option.isNone(yield* checkouts.findById(newCheckout.id)), "inserted checkout rolled back")
        assertSome(yield* checkouts.findById(existing.id), existing, "updated checkout restored")
        assert.isTrue(Option.isNone(yield* links.findById(newLink.id)), "inserted link rolled back")
        assertSome(yield* links.findById(existingLink.id), existingLink, "updated link restored")
        assert.isTrue(Option.isNone(yield* customers.findById(newCustomer.id)), "inserted customer rolled back")
        assertSome(yield* customers.findById(customerA), contractFixtures.customers[0]!, "updated customer restored")
        assert.isTrue(Option.isNone(yield* catalog.findRedemption(newCheckout.id)), "redemption rolled back")
        assert.strictEqual(Option.getOrThrow(yield* catalog.getDiscount(single)).redemptionsCount, 0)
        if (eventsBefore !== null && adapter.publishedEvents !== undefined) {
          assert.strictEqual((yield* adapter.publishedEvents).length, eventsBefore, "events rolled back")
        }
        // The store is still usable: the rolled-back versions are the current ones.
        yield* checkouts.update({ ...existing, customerName: "after" }, 1)
        yield* (yield* UnitOfWork).transaction(catalog.redeemDiscount({ discountId: single, checkoutId: uuid(0x906), now: at(0) }))
      })

    it.effect("a failed transaction rolls back checkout, link, customer, redemption and event writes", () =>
      run(adapter, Effect.gen(function*() {
        const uow = yield* UnitOfWork
        const eventsBefore = yield* setUp
        const exit = yield* Effect.exit(uow.transaction(Effect.andThen(writeEverything, Effect.fail(new Abort()))))
        assert.isTrue(Exit.isFailure(exit))
        yield* assertNothingWritten(eventsBefore)
      })))

    it.effect("a defect inside a transaction rolls back every write too", () =>
      run(adapter, Effect.gen(function*() {
        const uow = yield* UnitOfWork
        const eventsBefore = yield* setUp
        const exit = yield* Effect.exit(uow.transaction(Effect.andThen(writeEverything, Effect.die("boom"))))
        assert.isTrue(Exit.hasDies(exit))
        yield* assertNothingWritten(eventsBefore)
      })))

    it.effect("a nested transaction joins the outer one: its writes roll back with the outer failure", () =>
      run(adapter, Effect.gen(function*() {
        const uow = yield* UnitOfWork
        const eventsBefore = yield* setUp
        const exit = yield* Effect.exit(uow.transaction(Effect.andThen(uow.transaction(writeEverything), Effect.fail(new Abort()))))
        assert.isTrue(Exit.isFailure(exit))
        yield* assertNothingWritten(eventsBefore)
      })))

    it.effect("a committed transaction keeps every write and publishes its events", () =>
      run(adapter, Effect.gen(function*() {
        const uow = yield* UnitOfWork
        const eventsBefore = yield* setUp
        yield* uow.transaction(uow.transaction(writeEverything))
        const checkouts = yield* CheckoutRepository
        assertSome(yield* checkouts.findById(newCheckout.id), newCheckout)
        assert.strictEqual(Option.getOrThrow(yield* checkouts.findById(existing.id)).version, 2)
        assert.isTrue(Option.isSome(yield* (yield* CheckoutLinkRepository).findById(newLink.id)))
        assert.isTrue(Option.isSome(yield* (yield* Customers).findById(newCustomer.id)))
        assert.strictEqual(Option.getOrThrow(yield* (yield* Catalog).getDiscount(single)).redemptionsCount, 1)
        if (eventsBefore !== null && adapter.publishedEvents !== undefined) {
          const events = yield* adapter.publishedEvents
          assert.strictEqual(events.length, eventsBefore + 1)
          assert.strictEqual(events[events.length - 1]!.checkout.id, newCheckout.id)
        }
      })))

    it.effect("concurrent transactions on different rows all commit", () =>
      run(adapter, Effect.gen(function*() {
        const uow = yield* UnitOfWork
        const checkouts = yield* CheckoutRepository
        yield* checkouts.insert(existing)
        yield* Effect.forEach(
          [0x911, 0x912, 0x913].map(uuid),
          (id) => uow.transaction(checkouts.insert(makeCheckout(id, orgA, productA1))),
          { concurrency: "unbounded", discard: true }
        )
        assert.strictEqual((yield* checkouts.list(checkoutQuery())).totalCount, 4)
      })))
  })
}

/** Every contract above, for one adapter. */
export const runRepositoryContract = <R, E>(name: string, adapter: Adapter<R, E>): void => {
  runCheckoutRepositoryContract(name, adapter)
  runCheckoutLinkRepositoryContract(name, adapter)
  runCatalogContract(name, adapter)
  runUnitOfWorkContract(name, adapter)
}
