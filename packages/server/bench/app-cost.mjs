// What the API app itself costs per request, in process and served, in the same run (docs/benchmarks.md, "HTTP
// server", stage 17). The app is `Routes.layer` with the request log (to a logger that drops the lines), over the
// memory store holding the demo seed, the domain's scripted payment processor, tracing off: what `main.js` runs,
// without the process around it (banner, expiry sweep, webhook worker, checkout page).
//
// - in process: web `Request`s through `HttpRouter.toWebHandler`, 50 at a time; CPU of this process per request.
//   IN_PROCESS_CONCURRENCY=1 IN_PROCESS_GAP_MS=2: one at a time with 2 ms of idle after each (stage 17: the same
//   request then takes 3-5 times as long).
// - served: the same app on `NodeHttpServer` in a child process, loaded by autocannon over loopback (50
//   connections); CPU of the child per request, user and system apart.
//
// Usage (from the repo root, after `pnpm exec tsc -b`): node packages/server/bench/app-cost.mjs [seconds=5]
// Prints one line per mode and scenario (create, client GET: CPU and minor page faults per request), the served / in
// process ratio per scenario, then a JSON summary.
import { CheckoutConfig, CheckoutLinkService, CheckoutService, WebhookService } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator } from "@checkout-kit/domain/testing"
import { RequestLog, Routes, Seed } from "@checkout-kit/http-api"
import { MemoryStore } from "@checkout-kit/store-memory"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import autocannon from "autocannon"
import { Duration, Effect, Layer, Logger, Redacted, References } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { createServer } from "node:http"
import { fileURLToPath } from "node:url"
import { freePort, parseJson, procStat, start, stop } from "./Processes.mjs"

const token = "polar_oat_app_cost_bench_0000000000001"
const seconds = Number(process.argv[2] ?? 5)
// In-process knobs: requests in flight (default 50), and an idle pause after each request (default none).
const concurrency = Number(process.env.IN_PROCESS_CONCURRENCY ?? 50)
const gapMs = process.env.IN_PROCESS_GAP_MS === undefined ? undefined : Number(process.env.IN_PROCESS_GAP_MS)
const demo = await Effect.runPromise(Seed.demo)
const organizationId = demo.organizations[0].id
const productId = demo.products.find((p) => p.prices[0]?.amountType === "fixed").id
const createBody = (i) => JSON.stringify({ products: [productId], metadata: { bench: "app-cost", n: i } })
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }

const app = () => {
  const adapters = Layer.mergeAll(
    MemoryStore.layerTest(demo),
    FakePaymentProcessor.layer(),
    FakeTaxCalculator.layer({ rates: {} }),
    Layer.succeed(CheckoutConfig.Ttl, Duration.hours(24)),
    Layer.succeed(CheckoutConfig.Urls, { frontendBaseUrl: "https://pay.example.test" })
  )
  const services = Layer.merge(CheckoutLinkService.CheckoutLinkService.layer, WebhookService.layer).pipe(
    Layer.provideMerge(CheckoutService.CheckoutService.layer),
    Layer.provideMerge(adapters)
  )
  const grant = Layer.effectDiscard(Effect.gen(function*() {
    const store = yield* MemoryStore.MemoryStore
    yield* store.putAccessToken(Redacted.make(token), { organizationId, scopes: new Set(["checkouts:read", "checkouts:write"]) })
  }))
  return Layer.mergeAll(
    Routes.layer(),
    grant,
    Layer.succeed(References.TracerEnabled, false),
    Logger.layer([Logger.make(() => {})])
  ).pipe(Layer.provide(RequestLog.layer()), Layer.provide(services))
}

if (process.env.APP_COST_SERVE !== undefined) {
  // The child: the app on node:http.
  const port = Number(process.env.APP_COST_SERVE)
  const ready = Layer.effectDiscard(Effect.sync(() => console.log(JSON.stringify({ ready: port }))))
  HttpRouter.serve(Layer.merge(app(), ready), { disableLogger: true, disableListenLog: true }).pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" })),
    Layer.launch,
    NodeRuntime.runMain
  )
} else {
  const results = {}
  const report = (mode, scenario, row) => {
    ;(results[mode] ??= {})[scenario] = row
    const split = row.userUs === undefined
      ? `  (wall ${row.wallUs.toFixed(1)} µs from request to read response)`
      : `  (user ${row.userUs.toFixed(1)}, system ${row.systemUs.toFixed(1)})`
    console.log(
      `${mode.padEnd(10)} ${scenario.padEnd(7)} ${row.cpuUs.toFixed(1).padStart(7)} µs CPU/request  ` +
        `${row.faults.toFixed(2)} minor page faults/request${split}`
    )
  }

  // 1. In process.
  const { dispose, handler } = HttpRouter.toWebHandler(app().pipe(Layer.provide(HttpServer.layerServices)), { disableLogger: true })
  const send = async (request) => {
    const response = await handler(request)
    await response.text()
    if (response.status >= 300) throw new Error(`${request.method} ${request.url}: ${response.status}`)
    return response
  }
  const secrets = []
  for (let i = 0; i < 500; i++) {
    const r = await handler(new Request("http://app/v1/checkouts/", { method: "POST", headers, body: createBody(-i) }))
    secrets.push((await r.json()).client_secret)
  }
  const inProcess = async (scenario, make) => {
    const run = async (until) => {
      let i = 0
      let wall = 0
      const started = process.cpuUsage()
      const faults = process.resourceUsage().minorPageFault
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const request = make(i++)
          const sent = performance.now()
          await send(request)
          wall += performance.now() - sent
          if (gapMs !== undefined) await new Promise((resolve) => setTimeout(resolve, gapMs))
        }
      }))
      const used = process.cpuUsage(started)
      return {
        cpuUs: (used.user + used.system) / i,
        faults: (process.resourceUsage().minorPageFault - faults) / i,
        wallUs: (wall * 1000) / i
      }
    }
    await run(performance.now() + 2_000)
    report("in process", scenario, await run(performance.now() + seconds * 1_000))
  }
  await inProcess("create", (i) => new Request("http://app/v1/checkouts/", { method: "POST", headers, body: createBody(i) }))
  await inProcess("client", (i) => new Request(`http://app/v1/checkouts/client/${secrets[i % secrets.length]}`))
  await dispose()

  // 2. Served, in a child process.
  const port = await freePort()
  const { child } = await start([...process.execArgv, fileURLToPath(import.meta.url)], { APP_COST_SERVE: String(port) },
    (line) => parseJson(line)?.ready)
  const base = `http://127.0.0.1:${port}`
  const served = []
  for (let i = 0; i < 500; i++) {
    const r = await fetch(`${base}/v1/checkouts/`, { method: "POST", headers, body: createBody(-i) })
    served.push((await r.json()).client_secret)
  }
  const load = async (scenario, request) => {
    const run = async (duration) => {
      const before = procStat(child.pid)
      const result = await autocannon({ url: base, duration, connections: 50, requests: [request] })
      const after = procStat(child.pid)
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${scenario}: ${result.non2xx} non-2xx, ${result.errors} errors`)
      const n = result.requests.total
      return {
        user: (after.userUs - before.userUs) / n,
        system: (after.systemUs - before.systemUs) / n,
        faults: (after.minorFaults - before.minorFaults) / n
      }
    }
    await run(2)
    const { faults, system, user } = await run(seconds)
    report("served", scenario, { cpuUs: user + system, userUs: user, systemUs: system, faults })
  }
  let n = 0
  await load("create", {
    method: "POST",
    path: "/v1/checkouts/",
    headers,
    setupRequest: (req) => ({ ...req, body: createBody(n++) })
  })
  await load("client", {
    method: "GET",
    setupRequest: (req) => ({ ...req, path: `/v1/checkouts/client/${served[n++ % served.length]}` })
  })
  await stop(child)
  for (const scenario of ["create", "client"]) {
    console.log(`${scenario}: served / in process ${(results["served"][scenario].cpuUs / results["in process"][scenario].cpuUs).toFixed(2)}x`)
  }
  console.log(JSON.stringify({ node: process.version, seconds, ...results }))
}
