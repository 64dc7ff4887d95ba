// Server CPU per request: the figure behind docs/benchmarks.md "HTTP server" (stage 3). Throughput on this 2-core VM
// also depends on how much CPU autocannon and V8's GC threads get; CPU time per request, read from /proc around a
// run, is what a change to the request path moves.
// Usage (from the repo root, after `pnpm exec tsc -b`):
//   node packages/server/bench/cpu.mjs [seconds=5] [scenario...]     scenarios: health client create (default all)
//   RAW=1 node packages/server/bench/cpu.mjs 5 client create          the same against bench/raw-server.mjs
//   FLOOR=1 node packages/server/bench/cpu.mjs 5 client create        the same against bench/floor-server.mjs (the
//                                                                     smallest HttpApi app with these routes' shapes)
// Starts packages/server/dist/main.js (memory store, demo seed, local test mode) on a free loopback port, creates 200 checkouts,
// then per scenario: a 2 s warm-up and a measured autocannon run (50 connections); prints req/s, the server
// process's user+system CPU µs per request, and its RSS. SERVER_NODE_ARGS: node arguments for the server (Processes.mjs).
import autocannon from "autocannon"
import { rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { cpuMicros, freePort, parseJson, rssMiB, serverNodeArgs, start, stop, writeTemplates } from "./Processes.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const [seconds = "5", ...chosen] = process.argv.slice(2)
const scenarios = chosen.length > 0 ? chosen : ["health", "client", "create"]

const token = "polar_oat_demo_checkout_kit_local_only"
const productId = "22222222-2222-4222-8222-000000000001"
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }
const body = (i) => JSON.stringify({ products: [productId], metadata: { bench: "cpu", n: i } })
const post = async (base, i) => {
  const res = await fetch(`${base}/v1/checkouts/`, { method: "POST", headers, body: body(i) })
  const json = await res.json()
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(json)}`)
  return json
}

const realPort = await freePort()
// The memory store (the server's default is the embedded PostgreSQL); the request log goes to a file (Processes.start).
const realLog = join(tmpdir(), `checkout-kit-cpu-server-${process.pid}.log`)
const { child: real } = await start([...serverNodeArgs, join(here, "..", "dist", "main.js")],
  { PORT: String(realPort), HOST: "127.0.0.1", LOG_LEVEL: "Info", RATE_LIMITS: "off", CHECKOUT_STORE: "memory" },
  (line) => parseJson(line)?.message === "checkout-kit ready" ? true : undefined, realLog)
let target = real
let base = `http://127.0.0.1:${realPort}`
const baseline = process.env.RAW === "1" ? "raw-server.mjs" : process.env.FLOOR === "1" ? "floor-server.mjs" : undefined
if (baseline !== undefined) {
  const checkout = await post(base, -1)
  const clientCheckout = await (await fetch(`${base}/v1/checkouts/client/${checkout.client_secret}`)).json()
  const templates = writeTemplates("cpu", { checkout, clientCheckout, accessToken: token })
  const raw = await start([join(here, baseline)], { PORT: "0", TEMPLATES: templates }, (line) => parseJson(line)?.listening)
  target = raw.child
  base = `http://127.0.0.1:${raw.value}`
}
const secrets = []
for (let i = 0; i < 200; i++) secrets.push((await post(base, i)).client_secret)

let n = 0
const requests = {
  health: [{ method: "GET", path: "/healthz" }],
  client: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/checkouts/client/${secrets[n++ % secrets.length]}` }) }],
  create: [{ method: "POST", path: "/v1/checkouts/", headers, setupRequest: (req) => ({ ...req, body: body(n++) }) }]
}
console.log(`node ${process.version}  ${baseline === undefined ? "checkout-kit server" : baseline}  ${seconds}s  c=50`)
for (const scenario of scenarios) {
  await autocannon({ url: base, duration: 2, connections: 50, requests: requests[scenario] })
  const before = cpuMicros(target.pid)
  const r = await autocannon({ url: base, duration: Number(seconds), connections: 50, requests: requests[scenario] })
  const perRequest = (cpuMicros(target.pid) - before) / r.requests.total
  console.log(`${scenario.padEnd(7)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  ${perRequest.toFixed(1).padStart(6)} µs CPU/request  non2xx ${r.non2xx}  RSS ${rssMiB(target.pid).toFixed(0)} MiB`)
}
if (target !== real) await stop(target)
await stop(real)
rmSync(realLog, { force: true })
