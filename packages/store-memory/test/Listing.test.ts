/**
 * Lists against a naive model: random checkouts and links (with tied sort keys, NULLs, non-ASCII labels and
 * updates that move rows between indexes), random filters, sort criteria and pages; the store must return exactly
 * what filtering, sorting (PostgreSQL NULL order, code-point text order, id tie-break in the last criterion's
 * direction) and slicing the whole table would, committed or seen from inside a transaction with buffered writes.
 */
import { assert, describe, it } from "@effect/vitest"
import type { Checkout, CheckoutLink, CheckoutStatus, LinkListQuery, LinkSortField, ListQuery, SortField } from "@checkout-kit/domain"
import { CheckoutLinkRepository, CheckoutRepository, UnitOfWork } from "@checkout-kit/domain"
import { DateTime, Effect } from "effect"
import * as fc from "fast-check"
import { at, customerA, makeCheckout, makeLink, orgA, orgB, productA1, productA2, productA3, store, uuid } from "./Rows.ts"

const statuses: ReadonlyArray<CheckoutStatus.Status> = ["open", "expired", "confirmed", "succeeded", "failed"]
const otherCustomer = uuid(0x502)
const customerExternalIds: Record<string, string | null> = { [customerA]: "ext-1", [otherCustomer]: null }
const millis = (d: DateTime.Utc) => DateTime.toEpochMillis(d)

// ---------------------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------------------

/** Code-point order, computed the slow and obvious way. */
const codePoints = (s: string): Array<number> => Array.from(s, (c) => c.codePointAt(0)!)
const compareCodePoints = (a: string, b: string): number => {
  const x = codePoints(a)
  const y = codePoints(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

type Key = number | string | boolean | null
/** PostgreSQL: NULL is larger than every value. */
const compareKey = (a: Key, b: Key): number => {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b)
  return a < b ? -1 : 1
}

const modelSort = <A extends { readonly id: string }, F extends string>(
  rows: ReadonlyArray<A>,
  sorting: ReadonlyArray<{ readonly field: F; readonly descending: boolean }>,
  key: (row: A, field: F) => Key
): Array<A> =>
  [...rows].sort((a, b) => {
    for (const s of sorting) {
      const r = compareKey(key(a, s.field), key(b, s.field))
      if (r !== 0) return s.descending ? -r : r
    }
    const r = a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    return sorting[sorting.length - 1]!.descending ? -r : r
  })

const modelCheckouts = (rows: ReadonlyArray<Checkout.Checkout>, q: ListQuery) => {
  const anyOf = <A>(values: ReadonlyArray<A> | undefined, value: A | null) => values === undefined || (value !== null && values.includes(value))
  const matching = rows.filter((c) =>
    q.organizationIds.includes(c.organizationId) &&
    anyOf(q.productIds, c.productId) &&
    anyOf(q.customerIds, c.customerId) &&
    (q.externalCustomerIds === undefined ||
      (c.externalCustomerId !== null && q.externalCustomerIds.includes(c.externalCustomerId)) ||
      (c.customerId !== null && customerExternalIds[c.customerId] != null && q.externalCustomerIds.includes(customerExternalIds[c.customerId]!))) &&
    anyOf(q.statuses, c.status) &&
    (q.query === undefined || (c.customerEmail !== null && c.customerEmail.toLowerCase().includes(q.query.toLowerCase())))
  )
  const sorting = q.sorting.length > 0 ? q.sorting : [{ field: "createdAt" as const, descending: true }]
  const sorted = modelSort(matching, sorting, (c, f: SortField) =>
    f === "createdAt" ? millis(c.createdAt) : f === "expiresAt" ? millis(c.expiresAt) : c.status)
  const offset = (q.page - 1) * q.limit
  return { ids: sorted.slice(offset, offset + q.limit).map((c) => c.id), totalCount: sorted.length }
}

const modelLinks = (rows: ReadonlyArray<CheckoutLink.CheckoutLink>, q: LinkListQuery) => {
  const matching = rows.filter((l) =>
    l.deletedAt === null &&
    q.organizationIds.includes(l.organizationId) &&
    (q.productIds === undefined || l.productIds.some((p) => q.productIds!.includes(p)))
  )
  const sorting = q.sorting.length > 0 ? q.sorting : [{ field: "createdAt" as const, descending: false }]
  const sorted = modelSort(matching, sorting, (l, f: LinkSortField) =>
    f === "createdAt" ? millis(l.createdAt) : f === "label" ? l.label : f === "successUrl" ? l.successUrl : l.allowDiscountCodes)
  const offset = (q.page - 1) * q.limit
  return { ids: sorted.slice(offset, offset + q.limit).map((l) => l.id), totalCount: sorted.length }
}

// ---------------------------------------------------------------------------------------------------------------
// Generators (small value ranges, so that ties, NULLs and every filter value occur often)
// ---------------------------------------------------------------------------------------------------------------

const subsetOf = <A>(values: ReadonlyArray<A>) => fc.subarray([...values])
const optionalSubset = <A>(values: ReadonlyArray<A>) => fc.option(subsetOf(values), { nil: undefined })

const checkoutFields = fc.record({
  org: fc.constantFrom(orgA, orgB),
  product: fc.constantFrom(productA1, productA2, productA3, null),
  status: fc.constantFrom(...statuses),
  created: fc.integer({ min: 0, max: 6 }),
  expires: fc.integer({ min: 0, max: 6 }),
  email: fc.constantFrom(null, "Alice@Example.com", "bob@example.org", "ALI@shop.io", "carol@x.com"),
  customer: fc.constantFrom(null, customerA, otherCustomer),
  external: fc.constantFrom(null, "ext-1", "ext-2")
})
type CheckoutFields = typeof checkoutFields extends fc.Arbitrary<infer A> ? A : never

const toCheckout = (i: number, f: CheckoutFields): Checkout.Checkout =>
  makeCheckout(uuid(0x1000 + i), f.org, productA1, {
    productId: f.product,
    productIds: f.product === null ? [] : [f.product],
    status: f.status,
    createdAt: at(f.created),
    expiresAt: at(f.expires),
    customerEmail: f.email,
    customerId: f.customer,
    externalCustomerId: f.external
  })

/** The default order, a lone created_at (the indexed paths) and arbitrary criteria lists, about equally often. */
const sortingOf = <F extends string>(fields: readonly [F, ...Array<F>]) =>
  fc.oneof(
    fc.constant([]),
    fc.boolean().map((descending) => [{ field: fields[0], descending }]),
    fc.uniqueArray(fc.constantFrom(...fields), { minLength: 1, maxLength: 3 }).chain((chosen) =>
      fc.tuple(...chosen.map((field) => fc.boolean().map((descending) => ({ field, descending }))))
    )
  ).map((criteria) => criteria as ReadonlyArray<{ readonly field: F; readonly descending: boolean }>)

const filters = fc.record({
  customerIds: optionalSubset([customerA, otherCustomer]),
  externalCustomerIds: optionalSubset(["ext-1", "ext-2", "ext-3"]),
  statuses: optionalSubset(statuses),
  query: fc.option(fc.constantFrom("ali", "EXAMPLE", "", "zzz", "@"), { nil: undefined })
})

const checkoutQuery: fc.Arbitrary<ListQuery> = fc.record({
  organizationIds: fc.oneof(fc.constantFrom([orgA], [orgB]), fc.subarray([orgA, orgB, uuid(0x1ff)], { minLength: 1 })),
  productIds: fc.oneof(fc.constant(undefined), optionalSubset([productA1, productA2, productA3])),
  // Half of the queries filter on organization and product only: the ones the indexes answer without scanning.
  rest: fc.oneof(fc.constant({}), filters),
  sorting: sortingOf<SortField>(["createdAt", "expiresAt", "status"]),
  page: fc.integer({ min: 1, max: 4 }),
  limit: fc.integer({ min: 1, max: 7 })
}).map(({ rest, ...q }) => ({ ...q, ...rest })).map((q) => {
  // Keep the query minimal and exact-optional: absent filters are left out, not set to undefined.
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = v
  return out as unknown as ListQuery
})

/** Rows, a subset to update (committed or inside the reader's transaction) and the new values. */
const checkoutWorld = fc.record({
  rows: fc.array(checkoutFields, { maxLength: 30 }),
  updates: fc.array(fc.tuple(fc.nat(), checkoutFields), { maxLength: 8 }),
  queries: fc.array(checkoutQuery, { minLength: 1, maxLength: 5 }),
  updateInsideTransaction: fc.boolean(),
  now: fc.integer({ min: -1, max: 7 }),
  expirableLimit: fc.integer({ min: 1, max: 10 })
})

const label = fc.constantFrom(null, "a", "B", "b", "é", "\u{1F600}", "\uE000", "ab")
const linkFields = fc.record({
  org: fc.constantFrom(orgA, orgB),
  products: fc.subarray([productA1, productA2, productA3], { minLength: 1 }),
  created: fc.integer({ min: 0, max: 5 }),
  label,
  successUrl: fc.constantFrom(null, "https://a.example", "https://B.example", "https://b.example"),
  allow: fc.boolean(),
  deleted: fc.boolean()
})
type LinkFields = typeof linkFields extends fc.Arbitrary<infer A> ? A : never

const toLink = (i: number, f: LinkFields): CheckoutLink.CheckoutLink =>
  makeLink(uuid(0x2000 + i), f.org, f.products as [string, ...Array<string>], {
    createdAt: at(f.created),
    label: f.label,
    successUrl: f.successUrl,
    allowDiscountCodes: f.allow
  })

const linkQuery: fc.Arbitrary<LinkListQuery> = fc.record({
  organizationIds: fc.subarray([orgA, orgB], { minLength: 1 }),
  productIds: fc.oneof(fc.constant(undefined), optionalSubset([productA1, productA2, productA3])),
  sorting: sortingOf<LinkSortField>(["createdAt", "label", "successUrl", "allowDiscountCodes"]),
  page: fc.integer({ min: 1, max: 4 }),
  limit: fc.integer({ min: 1, max: 6 })
}, { requiredKeys: ["organizationIds", "sorting", "page", "limit"] }).map((q) =>
  (q.productIds === undefined ? { organizationIds: q.organizationIds, sorting: q.sorting, page: q.page, limit: q.limit } : q) as LinkListQuery
)

const linkWorld = fc.record({
  rows: fc.array(linkFields, { maxLength: 25 }),
  updates: fc.array(fc.tuple(fc.nat(), linkFields), { maxLength: 6 }),
  queries: fc.array(linkQuery, { minLength: 1, maxLength: 5 }),
  updateInsideTransaction: fc.boolean()
})

const runs = { numRuns: 150, seed: 20260101 }

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

describe("CheckoutRepository.list / listExpirable against a model", () => {
  it("returns exactly the model's page and total, committed or inside a transaction with buffered writes", async () => {
    await fc.assert(fc.asyncProperty(checkoutWorld, async (world) => {
      const program = Effect.gen(function*() {
        const repo = yield* CheckoutRepository
        const uow = yield* UnitOfWork
        const rows = world.rows.map((f, i) => toCheckout(i, f))
        yield* Effect.forEach(rows, (c) => repo.insert(c), { discard: true })
        const current = new Map(rows.map((c) => [c.id, c]))
        const applyUpdates = Effect.forEach(rows.length === 0 ? [] : world.updates, ([n, f]) => {
          const target = rows[n % rows.length]!
          const before = current.get(target.id)!
          const next = { ...toCheckout(n % rows.length, f), id: target.id, clientSecret: target.clientSecret }
          return Effect.map(repo.update(next, before.version), (stored) => {
            current.set(target.id, stored)
          })
        }, { discard: true })
        const check = Effect.gen(function*() {
          const all = Array.from(current.values())
          for (const q of world.queries) {
            const page = yield* repo.list(q)
            const expected = modelCheckouts(all, q)
            assert.deepStrictEqual({ ids: page.items.map((c) => c.id), totalCount: page.totalCount }, expected, JSON.stringify(q))
            for (const item of page.items) assert.deepStrictEqual(item, current.get(item.id), "the listed row is the current version")
          }
          const now = at(world.now)
          const expirable = yield* repo.listExpirable(now, world.expirableLimit)
          const expectedExpirable = modelSort(
            all.filter((c) => c.status === "open" && millis(c.expiresAt) <= millis(now)),
            [{ field: "expiresAt", descending: false }],
            (c) => millis(c.expiresAt)
          ).slice(0, world.expirableLimit).map((c) => c.id)
          assert.deepStrictEqual(expirable.map((c) => c.id), expectedExpirable)
        })
        if (world.updateInsideTransaction) yield* uow.transaction(Effect.andThen(applyUpdates, check))
        else yield* Effect.andThen(applyUpdates, check)
        // After a commit (or with nothing buffered) the indexed paths must agree with the model too.
        yield* check
      })
      await Effect.runPromise(program.pipe(Effect.provide(store())))
    }), runs)
  })
})

describe("CheckoutLinkRepository.list against a model", () => {
  it("returns exactly the model's page and total (soft-deleted links excluded)", async () => {
    await fc.assert(fc.asyncProperty(linkWorld, async (world) => {
      const program = Effect.gen(function*() {
        const repo = yield* CheckoutLinkRepository
        const uow = yield* UnitOfWork
        const rows = world.rows.map((f, i) => toLink(i, f))
        yield* Effect.forEach(rows, (l) => repo.insert(l), { discard: true })
        const current = new Map(rows.map((l) => [l.id, l]))
        // Soft-delete the rows generated as deleted, then apply the updates.
        const deletions = rows.filter((_, i) => world.rows[i]!.deleted)
        const applyUpdates = Effect.gen(function*() {
          for (const l of deletions) current.set(l.id, yield* repo.update({ ...current.get(l.id)!, deletedAt: at(9) }, current.get(l.id)!.version))
          if (rows.length === 0) return
          for (const [n, f] of world.updates) {
            const target = current.get(rows[n % rows.length]!.id)!
            if (target.deletedAt !== null) continue
            const next = { ...toLink(n % rows.length, f), id: target.id, clientSecret: target.clientSecret }
            current.set(target.id, yield* repo.update(next, target.version))
          }
        })
        const check = Effect.gen(function*() {
          const all = Array.from(current.values())
          for (const q of world.queries) {
            const page = yield* repo.list(q)
            assert.deepStrictEqual({ ids: page.items.map((l) => l.id), totalCount: page.totalCount }, modelLinks(all, q), JSON.stringify(q))
          }
        })
        if (world.updateInsideTransaction) yield* uow.transaction(Effect.andThen(applyUpdates, check))
        else yield* Effect.andThen(applyUpdates, check)
        yield* check
      })
      await Effect.runPromise(program.pipe(Effect.provide(store())))
    }), runs)
  })

  it("orders text by code point with NULLs last ascending and first descending", async () => {
    const labels = [null, "b", "B", "\uE000", "\u{1F600}", "a", null]
    const program = Effect.gen(function*() {
      const repo = yield* CheckoutLinkRepository
      yield* Effect.forEach(labels, (l, i) => repo.insert(makeLink(uuid(0x3000 + i), orgA, [productA1], { label: l })), { discard: true })
      const list = (descending: boolean) =>
        Effect.map(repo.list({ organizationIds: [orgA], sorting: [{ field: "label", descending }], page: 1, limit: 10 }), (p) => p.items.map((l) => l.label))
      return [yield* list(false), yield* list(true)] as const
    })
    const [ascending, descending] = await Effect.runPromise(program.pipe(Effect.provide(store())))
    // U+E000 is above U+0062 but below U+1F600 (a UTF-16 comparison would put the emoji, a surrogate pair, first).
    assert.deepStrictEqual(ascending, ["B", "a", "b", "\uE000", "\u{1F600}", null, null])
    assert.deepStrictEqual(descending, [null, null, "\u{1F600}", "\uE000", "b", "a", "B"])
  })
})
