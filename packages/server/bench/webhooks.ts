/**
 * Benchmark: webhook delivery throughput and end-to-end latency (change committed -> receiver got it) at 1, 10 and
 * 100 endpoints, on the memory store, with the server's real pieces (CheckoutService, the webhook worker, the API's
 * payload encoder, Standard Webhooks signing, node:http to a loopback receiver that answers 200 at once).
 * Run: node --conditions=@checkout-kit/source packages/server/bench/webhooks.ts [checkouts=200]
 * Results go to docs/benchmarks.md by hand.
 */
import { CheckoutService, WebhookService } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator } from "@checkout-kit/domain/testing"
import { MemoryStore } from "@checkout-kit/store-memory"
import { Worker } from "@checkout-kit/webhooks"
import { Effect, Fiber, Layer } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Webhooks from "../src/Webhooks.ts"

const acme = { organizationId: "11111111-1111-4111-8111-000000000001" }
const starterKit = "22222222-2222-4222-8222-000000000001"
const checkouts = Number(process.argv[2] ?? 200)

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

const run = (endpointCount: number) =>
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
    const worker = yield* Effect.forkChild(Worker.loop(Worker.resolve({ allowPrivateTargets: true, pollIntervalMs: 5, concurrency: 32, batchSize: 200 })))
    const service = yield* CheckoutService.CheckoutService
    const started = performance.now()
    for (let i = 0; i < checkouts; i++) {
      const created = yield* service.create(acme, { products: [starterKit] })
      committedAt.set(created.checkout.id, performance.now())
    }
    const expected = checkouts * endpointCount
    while (received < expected) yield* Effect.sleep("5 millis")
    const seconds = (performance.now() - started) / 1000
    yield* Fiber.interrupt(worker)
    server.close()
    const sorted = [...latencies].sort((a, b) => a - b)
    return {
      endpoints: endpointCount,
      deliveries: expected,
      perSecond: Math.round(expected / seconds),
      p50: Math.round(percentile(sorted, 0.5)),
      p99: Math.round(percentile(sorted, 0.99))
    }
  }).pipe(
    Effect.provide(
      Webhooks.layerPayloads.pipe(Layer.provideMerge(Layer.mergeAll(WebhookService.layer, CheckoutService.CheckoutService.layer)),
        Layer.provideMerge(Webhooks.settings({ allowPrivateTargets: true, maxAttempts: 10, retryBaseMs: 1000, retryMaxMs: 10_000, timeoutMs: 10_000, disableAfterFailures: 20, concurrency: 32, shutdownGraceMs: 0 })),
        Layer.provideMerge(Layer.mergeAll(MemoryStore.layerDemo(), FakePaymentProcessor.layer(), FakeTaxCalculator.layer()))
      )
    )
  )

const program = Effect.gen(function*() {
  console.log(`checkouts: ${checkouts} (one checkout.created each), node ${process.version}`)
  console.log("endpoints | deliveries | deliveries/s | latency p50 ms | p99 ms")
  for (const n of [1, 10, 100]) {
    const r = yield* run(n)
    console.log(`${r.endpoints} | ${r.deliveries} | ${r.perSecond} | ${r.p50} | ${r.p99}`)
  }
})

Effect.runPromise(program)
