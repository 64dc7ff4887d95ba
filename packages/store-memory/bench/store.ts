/**
 * Benchmark of the memory store (not a test: it prints figures, see docs/benchmarks.md "Store (memory)").
 *
 *   node --expose-gc --conditions=@checkout-kit/source packages/store-memory/bench/store.ts
 *
 * Node 22 strips the types itself; the condition resolves @checkout-kit/domain to its sources (without it, run
 * `pnpm exec tsc -b` first so that its dist/ exists). Without --expose-gc the memory figure is skipped.
 *
 * Prints: the latency of the filtered first page (organization + product, -created_at, limit 10) with 10^3 and
 * 10^6 stored checkouts and their ratio (target <= 3x); create (build + insert) and get-by-id throughput; heap per
 * stored checkout at 10^6 (target <= 2 KiB). Everything goes through the ports, as a use case would call them.
 */
import { CheckoutRepository, ClientSecret, type ListQuery, UnitOfWork } from "@checkout-kit/domain"
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { DateTime, Effect, Layer, ManagedRuntime } from "effect"
import { MemoryStore, Randomness } from "../src/index.ts"

const { makeCheckout, makeOrganization, makeProduct, uuid } = RepositoryContract

const organizations = Array.from({ length: 4 }, (_, o) => uuid(0x1_0000 + o))
const products = organizations.map((org, o) => Array.from({ length: 10 }, (_, p) => ({ org, id: uuid(0x2_0000 + o * 100 + p) })))
const statuses = ["open", "open", "open", "expired", "confirmed", "succeeded"] as const
const start = DateTime.toEpochMillis(DateTime.makeUnsafe("2026-01-01T00:00:00.000Z"))

const fixtures: MemoryStore.Fixtures = {
  organizations: organizations.map((id) => makeOrganization(id)),
  products: products.flat().map((p) => makeProduct(p.id, p.org))
}

/** A checkout as the create use case builds it (fresh maps, the reference's defaults), from the contract builder. */
const template = makeCheckout(uuid(1), organizations[0]!, products[0]![0]!.id)

/** The i-th checkout: a fresh id, secret and timestamps each, half of them with a customer email, like the API makes. */
const checkoutAt = (i: number) => {
  const o = i % organizations.length
  const product = products[o]![(i >>> 2) % 10]!
  const created = start + i * 10
  return {
    ...template,
    id: crypto.randomUUID(),
    clientSecret: ClientSecret.make("polar_c_", Randomness.nextByte),
    organizationId: product.org,
    productId: product.id,
    productIds: [product.id],
    createdAt: DateTime.makeUnsafe(created),
    expiresAt: DateTime.makeUnsafe(created + 86_400_000),
    status: statuses[i % statuses.length]!,
    customerEmail: i % 2 === 0 ? `buyer${i}@example.com` : null,
    paymentProcessorMetadata: { publishable_key: "pk_test_demo" },
    metadata: {},
    customerMetadata: {},
    customFieldData: {}
  }
}

const gc = (globalThis as { gc?: () => void }).gc
const heapUsed = () => {
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed
}

const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

interface Store {
  readonly runtime: ManagedRuntime.ManagedRuntime<CheckoutRepository | UnitOfWork, never>
  readonly ids: Array<string>
}

const fill = async (count: number, onProgress?: (done: number) => void): Promise<Store & { readonly insertOpsPerSec: number }> => {
  const runtime = ManagedRuntime.make(MemoryStore.layer(fixtures) as Layer.Layer<CheckoutRepository | UnitOfWork>)
  const ids: Array<string> = []
  const repo = await runtime.runPromise(Effect.service(CheckoutRepository))
  const began = performance.now()
  const chunk = 10_000
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk)
    runtime.runSync(Effect.gen(function*() {
      for (let i = from; i < to; i++) {
        const checkout = checkoutAt(i)
        yield* repo.insert(checkout)
        ids.push(checkout.id)
      }
    }))
    onProgress?.(to)
  }
  return { runtime, ids, insertOpsPerSec: count / ((performance.now() - began) / 1000) }
}

/** Median and mean microseconds of the first page for random (organization, product) pairs. */
const firstPageLatency = (store: Store, iterations: number, extra: Partial<ListQuery> = {}) => {
  const repo = store.runtime.runSync(Effect.service(CheckoutRepository))
  const samples: Array<number> = []
  let sink = 0
  const queries = Array.from({ length: iterations }, (_, k) => {
    const o = k % organizations.length
    const product = products[o]![(k * 7) % 10]!
    return {
      organizationIds: [product.org],
      productIds: [product.id],
      sorting: [{ field: "createdAt", descending: true }],
      page: 1,
      limit: 10,
      ...extra
    } satisfies ListQuery
  })
  // Warm-up, then one timed run per query (each a separate runSync, as a request would do).
  for (const q of queries.slice(0, 200)) sink += store.runtime.runSync(repo.list(q)).totalCount
  for (const q of queries) {
    const t0 = performance.now()
    sink += store.runtime.runSync(repo.list(q)).items.length
    samples.push((performance.now() - t0) * 1000)
  }
  samples.sort((a, b) => a - b)
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  return { median: samples[samples.length >> 1]!, p99: samples[Math.floor(samples.length * 0.99)]!, mean, sink }
}

const getThroughput = (store: Store, lookups: number) => {
  const repo = store.runtime.runSync(Effect.service(CheckoutRepository))
  const keys = Array.from({ length: lookups }, (_, k) => store.ids[(k * 7919) % store.ids.length]!)
  let found = 0
  const began = performance.now()
  store.runtime.runSync(Effect.gen(function*() {
    for (const id of keys) if ((yield* repo.findById(id))._tag === "Some") found++
  }))
  const seconds = (performance.now() - began) / 1000
  if (found !== lookups) throw new Error(`lookups found ${found} of ${lookups}`)
  return lookups / seconds
}

/** Versioned updates of open checkouts (open -> confirmed), autocommit or each in a transaction after a row lock. */
const updateThroughput = (store: Store, count: number, inTransaction: boolean) => {
  const program = Effect.gen(function*() {
    const repo = yield* CheckoutRepository
    const uow = yield* UnitOfWork
    let done = 0
    const began = performance.now()
    for (let k = 0; done < count; k++) {
      const id = store.ids[(k * 104_729) % store.ids.length]!
      const confirm = Effect.gen(function*() {
        const row = inTransaction ? yield* repo.lockForUpdate(id) : yield* repo.findById(id)
        if (row._tag === "None" || row.value.status !== "open") return false
        yield* repo.update({ ...row.value, status: "confirmed" }, row.value.version)
        return true
      })
      if (yield* (inTransaction ? uow.transaction(confirm) : confirm)) done++
    }
    return count / ((performance.now() - began) / 1000)
  })
  return store.runtime.runSync(program as Effect.Effect<number>)
}

const main = async () => {
  console.log(`node ${process.version}, ${gc === undefined ? "no --expose-gc (memory figure skipped)" : "--expose-gc"}`)

  const small = await fill(1_000)
  const smallPage = firstPageLatency(small, 20_000)
  await small.runtime.dispose()

  const before = heapUsed()
  const large = await fill(1_000_000)
  const after = heapUsed()
  const largePage = firstPageLatency(large, 20_000)
  const largeStatus = firstPageLatency(large, 200, { statuses: ["confirmed"] })
  const gets = getThroughput(large, 1_000_000)
  const updates = updateThroughput(large, 100_000, false)
  const confirms = updateThroughput(large, 100_000, true)

  console.log("")
  console.log("filtered first page (organization + product, -created_at, limit 10):")
  console.log(`  10^3 checkouts: median ${fmt(smallPage.median, 2)} us, p99 ${fmt(smallPage.p99, 2)} us, mean ${fmt(smallPage.mean, 2)} us`)
  console.log(`  10^6 checkouts: median ${fmt(largePage.median, 2)} us, p99 ${fmt(largePage.p99, 2)} us, mean ${fmt(largePage.mean, 2)} us`)
  console.log(`  ratio 10^6 / 10^3 (median): ${fmt(largePage.median / smallPage.median, 2)}x (target <= 3x)`)
  console.log(`  same with a status filter (scans the ~25 000 rows of the bucket): median ${fmt(largePage.median > 0 ? largeStatus.median : 0, 0)} us`)
  console.log("")
  console.log(`create (build the checkout + insert), 10^6 in chunks of 10^4: ${fmt(large.insertOpsPerSec / 1000, 0)} k ops/s`)
  console.log(`get by id, 10^6 random lookups at 10^6 stored: ${fmt(gets / 1000, 0)} k ops/s`)
  console.log(`versioned update (open -> confirmed, autocommit), 10^5 at 10^6: ${fmt(updates / 1000, 0)} k ops/s`)
  console.log(`transaction (lockForUpdate + update + commit), 10^5 at 10^6: ${fmt(confirms / 1000, 0)} k ops/s`)
  if (gc !== undefined) {
    const perCheckout = (after - before) / large.ids.length
    console.log(`heap per stored checkout at 10^6: ${fmt(perCheckout, 0)} bytes (${fmt(perCheckout / 1024, 2)} KiB; target <= 2 KiB)`)
    console.log(`  (heapUsed ${fmt(before / 2 ** 20, 0)} MiB -> ${fmt(after / 2 ** 20, 0)} MiB, ids array included: 8 bytes/row)`)
  }
  if (smallPage.sink + largePage.sink < 0) console.log("")
  await large.runtime.dispose()
}

await main()
