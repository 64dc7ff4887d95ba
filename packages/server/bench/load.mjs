// Load benchmark of the real checkout-kit server against a bare node:http baseline doing the same JSON work.
// Usage (from the repo root, after `pnpm exec tsc -b`):
//   node packages/server/bench/load.mjs [duration_s=10] [connections=50] [rounds=1]
// Starts `node packages/server/dist/main.js` (in-memory store, demo seed, local test-mode processor) on a free
// loopback port, reads the access token and a product id from its "checkout-kit ready" log line, measures its idle
// RSS, captures one real create response and one client-get response as templates for bench/raw-server.mjs, then
// runs autocannon on loopback against both servers (alternating, after a warm-up):
//   create: POST /v1/checkouts/ {"products":[<id>],"metadata":{...}}  (201)
//   client: GET /v1/checkouts/client/<client_secret>                   (200), round robin over 500 checkouts
//   client-cold: the same over 3000 other checkouts, so each read finds none of the server's per-value memos (the
//           domain remembers its last 1024 views, the API the body of each remembered view): the cost of a read
//           of a checkout not read since it last changed
// Prints req/s, p50 and p99 latency, non-2xx counts, the real/raw throughput ratio (floor >= 0.3) and the idle
// RSS (target <= 120 MiB), then a JSON summary line. The server runs with RATE_LIMITS=off: a benchmark is a flood
// from one address, which the abuse limits exist to refuse; LOG_LEVEL=Info includes one request line per request,
// written to a file in $TMPDIR (removed at the end), never through a pipe to this busy process (Processes.start with a log file).
// SERVER_NODE_ARGS: node arguments for the real server (Processes.mjs), e.g. SERVER_NODE_ARGS=--allocation-site-pretenuring for V8's default GC setting.
// BASELINE_REF=<commit> (or BASELINE_DIST=<dir>/packages/server/dist/main.js): also runs that build's server, started,
// seeded and measured exactly as this one, alternating with the other two in every round, and prints its ratio to
// the raw server (`base`): how another build does on the same machine in the same minutes (Processes.baselineBuild
// builds it once into $TMPDIR).
import autocannon from "autocannon"
import { rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { baselineBuild, freePort, parseJson, rssMiB, serverNodeArgs, start, stop, writeTemplates } from "./Processes.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const main = join(here, "..", "dist", "main.js")
const [duration = 10, connections = 50, rounds = 1] = process.argv.slice(2).map(Number)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const json = async (url, init) => {
  const res = await fetch(url, init)
  const body = await res.json()
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${JSON.stringify(body)}`)
  return body
}

const createBody = (productId, i) => JSON.stringify({ products: [productId], metadata: { bench: "load", n: i } })

/** Creates `n` checkouts (so GET has data to read) and returns their client secrets. */
const seed = async (base, token, productId, n) => {
  const secrets = []
  for (let i = 0; i < n; i++) {
    const c = await json(`${base}/v1/checkouts/`, {
      method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: createBody(productId, i)
    })
    secrets.push(c.client_secret)
  }
  return secrets
}

const run = async (base, token, productId, target, scenario, seconds) => {
  const secrets = scenario === "client-cold" ? target.cold : target.secrets
  let i = 0
  const requests = scenario === "create"
    ? [{ method: "POST", path: "/v1/checkouts/", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: createBody(productId, i++) }) }]
    : [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/checkouts/client/${secrets[i++ % secrets.length]}` }) }]
  const r = await autocannon({ url: base, duration: seconds, connections, requests })
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts }
}

// 1. The real server (and the baseline build's, when asked for).
// Its log (one line per request at Info) goes to a file, as in a deployment that ships logs from a file or journal;
// removed at the end.
const logs = []
/** Starts a build's server; answers its child, base URL and the ready facts (product ids, access token). */
const startServer = async (mainJs, name) => {
  const log = join(tmpdir(), `checkout-kit-bench-${name}-${process.pid}.log`)
  logs.push(log)
  const port = await freePort()
  // The product ids come from the "checkout-kit ready" log line; the access token (never logged) from the banner after it.
  let readyFacts
  const server = await start([...serverNodeArgs, mainJs], { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "Info", RATE_LIMITS: "off",
    CHECKOUT_STORE: "memory" },
    (line) => {
      const l = parseJson(line)
      if (l?.message === "checkout-kit ready") readyFacts = l.annotations
      const token = /Access token:\s+(\S+)/.exec(line)?.[1]
      return readyFacts !== undefined && token !== undefined ? { ...readyFacts, accessToken: token } : undefined
    }, log)
  return { child: server.child, base: `http://127.0.0.1:${port}`, facts: server.value }
}
const baseline = baselineBuild(undefined)
const real = await startServer(main, "server")
const { accessToken, products } = real.facts
const productId = products.find((p) => p.amountType === "fixed")?.id ?? products[0].id
const realBase = real.base
await sleep(2000)
const idleRss = rssMiB(real.child.pid)
// The baseline build is seeded from the same demo data, so the same product id and token work there.
const baselineServer = baseline === undefined ? undefined : await startServer(baseline.main, "baseline")

// 2. Templates for the baseline: one real create response and one real client-get response.
const [templateSecret] = await seed(realBase, accessToken, productId, 1)
const checkout = await json(`${realBase}/v1/checkouts/`, {
  method: "POST", headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" }, body: createBody(productId, -1)
})
const clientCheckout = await json(`${realBase}/v1/checkouts/client/${templateSecret}`)
const templates = writeTemplates("bench", { checkout, clientCheckout, accessToken })
const raw = await start([join(here, "raw-server.mjs")], { PORT: "0", TEMPLATES: templates },
  (line) => parseJson(line)?.listening)
const rawBase = `http://127.0.0.1:${raw.value}`

const target = async (url) => ({ base: url, secrets: await seed(url, accessToken, productId, 500), cold: await seed(url, accessToken, productId, 3000) })
const targets = { real: await target(realBase), raw: await target(rawBase), ...(baselineServer === undefined ? {} : { base: await target(baselineServer.base) }) }
const names = Object.keys(targets)
const scenarios = ["create", "client", "client-cold"]

// 3. Warm-up, then alternating measured rounds.
const results = Object.fromEntries(names.map((name) => [name, Object.fromEntries(scenarios.map((s) => [s, []]))]))
for (const name of names) for (const scenario of scenarios) {
  await run(targets[name].base, accessToken, productId, targets[name], scenario, 2)
}
for (let round = 0; round < rounds; round++) {
  for (const scenario of scenarios) for (const name of names) {
    results[name][scenario].push(await run(targets[name].base, accessToken, productId, targets[name], scenario, duration))
  }
}
const afterRss = rssMiB(real.child.pid)
for (const server of [real, raw, baselineServer]) if (server !== undefined) await stop(server.child)
for (const log of logs) rmSync(log, { force: true })

const avg = (rs, k) => rs.reduce((s, r) => s + r[k], 0) / rs.length
const summary = {}
console.log(`node ${process.version}  ${duration}s x ${rounds} round(s)  c=${connections}  loopback` +
  (serverNodeArgs.length > 0 ? `  server node args: ${serverNodeArgs.join(" ")}` : "") +
  (baseline === undefined ? "" : `  base: ${baseline.label}`))
for (const scenario of scenarios) {
  const row = {}
  for (const name of names) {
    const rs = results[name][scenario]
    row[name] = { rps: Math.round(avg(rs, "rps")), p50: avg(rs, "p50"), p99: avg(rs, "p99"),
      non2xx: rs.reduce((s, r) => s + r.non2xx, 0), errors: rs.reduce((s, r) => s + r.errors + r.timeouts, 0) }
    console.log(`${scenario.padEnd(11)} ${name.padEnd(5)} ${String(row[name].rps).padStart(7)} req/s  p50 ${row[name].p50} ms  p99 ${row[name].p99} ms  non2xx ${row[name].non2xx}  errors ${row[name].errors}`)
  }
  row.ratio = Number((row.real.rps / row.raw.rps).toFixed(2))
  console.log(`${scenario.padEnd(11)} ratio real/raw ${row.ratio}  (floor >= 0.3)`)
  if (row.base !== undefined) {
    row.baseRatio = Number((row.base.rps / row.raw.rps).toFixed(2))
    row.realVsBase = Number((row.real.rps / row.base.rps).toFixed(2))
    console.log(`${scenario.padEnd(11)} ratio base/raw ${row.baseRatio}  real/base ${row.realVsBase}`)
  }
  summary[scenario] = row
}
console.log(`idle RSS of the real server after start-up: ${idleRss.toFixed(1)} MiB (target <= 120)  after load: ${afterRss.toFixed(1)} MiB`)
console.log(JSON.stringify({ ...summary, idleRssMiB: Number(idleRss.toFixed(1)), afterLoadRssMiB: Number(afterRss.toFixed(1)) }))
