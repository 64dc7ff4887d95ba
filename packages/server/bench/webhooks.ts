/**
 * Benchmark: webhook delivery throughput and end-to-end latency (change committed -> receiver got it) at 1, 10 and
 * 100 endpoints, on the memory store and on PostgreSQL (an embedded server of its own, a fresh database per run) in
 * the same run, with the server's real pieces (CheckoutService, the webhook worker with its keep-alive agents, the
 * API's payload encoder, Standard Webhooks signing, node:http to a loopback receiver that answers 200 at once).
 * Also reported: how long the burst of creates took and how long the deliveries took to drain after it.
 * Run: node --conditions=@checkout-kit/source packages/server/bench/webhooks.ts [checkouts=200] [stores=memory,postgres]
 * Results go to docs/benchmarks.md by hand, with the load average printed at the start and the end.
 */
import { CheckoutService, WebhookService } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator } from "@checkout-kit/domain/testing"
import { Seed } from "@checkout-kit/http-api"
import { MemoryStore } from "@checkout-kit/store-memory"
import { PostgresStore } from "@checkout-kit/store-postgres"
import { Scratch } from "@checkout-kit/store-postgres/testing"
import { Target, Worker } from "@checkout-kit/webhooks"
import { Effect, Fiber, Layer } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { loadavg } from "node:os"
import * as Randomness from "../src/Randomness.ts"
import * as Startup from "../src/Startup.ts"
import * as Webhooks from "../src/Webhooks.ts"

const acme = { organizationId: "11111111-1111-4111-8111-000000000001" }
const starterKit = "22222222-2222-4222-8222-000000000001"
const checkouts = Number(process.argv[2] ?? 200)
const stores = (process.argv[3] ?? "memory,postgres").split(",") as Array<"memory" | "postgres">
const workerOptions = { allowPrivateTargets: true, pollIntervalMs: 5, concurrency: 32, batchSize: 200 }

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

const run = (endpointCount: number, store: Layer.Layer<any, any>) =>
  Effect.gen(function*() {
    const committedAt = new Map<string, number>()
    const latencies: Array<number> = []
    let received = 0
    const server = http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { data: { id: string } }
        const at = committedAt.get(body.data.id)
        if (at !== undefined) latencies.push(performance.now() - at)
        received++
        res.end("ok")
      })
    })
    yield* Effect.promise(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const hooks = yield* WebhookService.WebhookService
    for (let i = 0; i < endpointCount; i++) {
      yield* hooks.create(acme, { url, format: "raw", events: ["checkout.created"] })
    }
    const agents = Target.makeAgents(workerOptions.concurrency)
    const worker = yield* Effect.forkChild(Worker.loop(Worker.resolve(workerOptions), agents))
    const service = yield* CheckoutService.CheckoutService
    const started = performance.now()
    for (let i = 0; i < checkouts; i++) {
      const created = yield* service.create(acme, { products: [starterKit] })
      committedAt.set(created.checkout.id, performance.now())
    }
    const burstDone = performance.now()
    const expected = checkouts * endpointCount
    while (received < expected) yield* Effect.sleep("5 millis")
    const seconds = (performance.now() - started) / 1000
    yield* Fiber.interrupt(worker)
    agents.destroy()
    server.closeAllConnections()
    server.close()
    const sorted = [...latencies].sort((a, b) => a - b)
    return {
      endpoints: endpointCount,
      deliveries: expected,
      perSecond: Math.round(expected / seconds),
      p50: Math.round(percentile(sorted, 0.5)),
      p99: Math.round(percentile(sorted, 0.99)),
      burstS: ((burstDone - started) / 1000).toFixed(1),
      drainS: ((performance.now() - burstDone) / 1000).toFixed(1)
    }
  }).pipe(
    Effect.provide(
      Webhooks.layerPayloads.pipe(Layer.provideMerge(Layer.mergeAll(WebhookService.layer, CheckoutService.CheckoutService.layer)),
        Layer.provideMerge(Webhooks.settings({ allowPrivateTargets: true, maxAttempts: 10, retryBaseMs: 1000, retryMaxMs: 10_000, timeoutMs: 10_000, disableAfterFailures: 20, concurrency: 32, shutdownGraceMs: 0 })),
        Layer.provideMerge(Layer.mergeAll(store, FakePaymentProcessor.layer(), FakeTaxCalculator.layer()))
      )
    )
  )

const load = () => loadavg().map((n) => n.toFixed(2)).join(" ")

const program = Effect.gen(function*() {
  const seed = (yield* Startup.loadSeed(Seed.demoSeedPath)).seed
  const dataDir = Scratch.scratchDir("bench-webhooks")
  console.log(`checkouts: ${checkouts} (one checkout.created each), node ${process.version}, load average at start: ${load()}`)
  console.log("store | endpoints | deliveries | deliveries/s | latency p50 ms | p99 ms | burst s | drain after burst s")
  for (const n of [1, 10, 100]) {
    for (const kind of stores) {
      const store = kind === "memory"
        ? MemoryStore.layer(seed)
        : PostgresStore.layerEmbedded({ dataDir, database: `bench_webhooks_${n}_${Date.now()}`, maxConnections: 10, seed, secrets: Randomness.secrets })
      const r = yield* run(n, store)
      console.log(`${kind} | ${r.endpoints} | ${r.deliveries} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${r.burstS} | ${r.drainS}`)
    }
  }
  console.log(`load average at end: ${load()}`)
})

Effect.runPromise(program).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
