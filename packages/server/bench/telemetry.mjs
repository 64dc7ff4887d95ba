// "Free when off": server CPU per request with OpenTelemetry export off, against a baseline build of another commit
// (default `main`: today's server) in the same run, and with export on (to a local OTLP sink) for scale.
// Usage (from the repo root, after `pnpm exec tsc -b`):
//   node packages/server/bench/telemetry.mjs [seconds=5] [rounds=3]
//   EXPORT_ON=0 ...              only baseline and off (what edge.mjs runs)
//   BASELINE_REF=<commit> ...    the baseline commit (default main); BASELINE_DIST=<dir>/packages/server/dist/main.js
//                                 uses an already built baseline instead
// The baseline is built by Processes.baselineBuild: `git archive`d into $TMPDIR/checkout-kit-baseline-<sha> (kept
// for reruns), installed from pnpm's store (--offline) and built with tsc -b. Each round starts every variant in turn
// (baseline, off, on) on the memory store with RATE_LIMITS=off and LOG_LEVEL=Warn (no request log line: this
// measures telemetry, not logging), creates 200 checkouts, then per scenario (client GET, create POST) a 2 s warm-up and a measured autocannon run
// (50 connections), reading the server's user+system CPU from /proc. Prints every round with the load average at
// that moment, then the medians and off/baseline ratios, and a JSON summary line.
import autocannon from "autocannon"
import { createServer } from "node:http"
import { loadavg } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { baselineBuild, cpuMicros, freePort, parseJson, start, stop } from "./Processes.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const [seconds = 5, rounds = 3] = process.argv.slice(2).map(Number)

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ")

// EXPORT_ON=0 leaves the "on" variant out (edge.mjs: an A/B of this build against the baseline only).
const exportOn = process.env.EXPORT_ON !== "0"
// An OTLP/HTTP sink for the "on" variant: answers 200 to every export, keeps nothing.
const sink = createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200); res.end() }) })
await new Promise((resolve) => sink.listen(0, "127.0.0.1", resolve))
const sinkUrl = `http://127.0.0.1:${sink.address().port}`

const baseline = baselineBuild("main")
const current = join(here, "..", "dist", "main.js")
const common = { HOST: "127.0.0.1", LOG_LEVEL: "Warn", RATE_LIMITS: "off", CHECKOUT_STORE: "memory" }
const variants = [
  { name: "baseline", main: baseline.main, env: {} },
  { name: "off", main: current, env: {} },
  { name: "on", main: current, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_METRIC_EXPORT_INTERVAL: "10000" } }
].filter((v) => exportOn || v.name !== "on")

const token = "polar_oat_demo_checkout_kit_local_only"
const productId = "22222222-2222-4222-8222-000000000001"
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }
const body = (i) => JSON.stringify({ products: [productId], metadata: { bench: "telemetry", n: i } })

const measure = async (variant) => {
  const port = await freePort()
  // LOG_LEVEL=Warn hides the ready line; the banner on stdout says when the server is ready.
  const { child } = await start([variant.main], { ...common, ...variant.env, PORT: String(port) },
    (line) => (/checkout-kit is ready at/u.test(line) || parseJson(line)?.message === "checkout-kit ready" ? true : undefined))
  const base = `http://127.0.0.1:${port}`
  const secrets = []
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${base}/v1/checkouts/`, { method: "POST", headers, body: body(i) })
    if (res.status !== 201) throw new Error(`${variant.name}: create answered ${res.status}`)
    secrets.push((await res.json()).client_secret)
  }
  let n = 0
  const requests = {
    client: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/checkouts/client/${secrets[n++ % secrets.length]}` }) }],
    create: [{ method: "POST", path: "/v1/checkouts/", headers, setupRequest: (req) => ({ ...req, body: body(n++) }) }]
  }
  const out = {}
  for (const scenario of ["client", "create"]) {
    await autocannon({ url: base, duration: 2, connections: 50, requests: requests[scenario] })
    const before = cpuMicros(child.pid)
    const r = await autocannon({ url: base, duration: seconds, connections: 50, requests: requests[scenario] })
    out[scenario] = { cpuUs: (cpuMicros(child.pid) - before) / r.requests.total, rps: r.requests.average, non2xx: r.non2xx, load: load() }
  }
  await stop(child)
  return out
}

console.log(`node ${process.version}  ${seconds}s x ${rounds} round(s)  c=50  baseline ${baseline.label}`)
const results = Object.fromEntries(variants.map((v) => [v.name, { client: [], create: [] }]))
for (let round = 1; round <= rounds; round++) {
  for (const variant of variants) {
    const r = await measure(variant)
    for (const scenario of ["client", "create"]) {
      results[variant.name][scenario].push(r[scenario].cpuUs)
      console.log(`round ${round}  ${variant.name.padEnd(8)} ${scenario.padEnd(6)} ${r[scenario].cpuUs.toFixed(1).padStart(7)} µs CPU/request  ${String(Math.round(r[scenario].rps)).padStart(6)} req/s  non2xx ${r[scenario].non2xx}  load ${r[scenario].load}`)
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const summary = {}
for (const scenario of ["client", "create"]) {
  const m = Object.fromEntries(variants.map((v) => [v.name, Number(median(results[v.name][scenario]).toFixed(1))]))
  summary[scenario] = { ...m, offVsBaseline: Number((m.off / m.baseline).toFixed(2)), ...(exportOn ? { onVsOff: Number((m.on / m.off).toFixed(2)) } : {}) }
  console.log(`${scenario.padEnd(6)} median µs CPU/request: baseline ${m.baseline}  off ${m.off}  off/baseline ${summary[scenario].offVsBaseline}` +
    (exportOn ? `  on ${m.on}  on/off ${summary[scenario].onVsOff}` : ""))
}
console.log(JSON.stringify({ ...summary, load: load() }))
sink.close()
