// HTTP benchmark on PostgreSQL: the real server (`node packages/server/dist/main.js` with DATABASE_URL, pool of 10,
// local test-mode processor) against bench/raw-postgres-server.mjs (node:http + the plain `pg` driver, pool of 10,
// the same SQL text), on the same embedded PostgreSQL database (bench/Postgres.mjs: a fresh cluster under
// .data/bench-http-postgres, deleted at the end), in the same run. Usage (from the repo root, after `pnpm exec tsc -b`):
//   node packages/server/bench/postgres.mjs [duration_s=10] [connections=50] [confirms=2000] [pool_connections=200]
// 1. Statements per use case: for each server and use case, 20 sequential requests between a reset and a read of
//    pg_stat_statements; prints each statement with its count per request (the background pollers of the outbox and
//    the webhook queue, which run whatever the requests do, and BEGIN/COMMIT, which the raw server sends as simple
//    queries, are left out; every statement is one round trip for both: neither pipelines).
// 2. Throughput: autocannon create (POST /v1/checkouts/), client GET and confirm (tok_visa, each confirm on its own
//    open checkout, `confirms` of them) against both; prints req/s, p50/p99, non-2xx, ratio (goal >= 0.6), and the CPU
//    time per request of each server process and of PostgreSQL (/proc; on a shared machine the CPU ratio raw/real is
//    steadier than the req/s ratio, which also measures how much of the 2 cores each process got).
// 3. Pool: the same three at `pool_connections` concurrent requests (pool of 10) while pg_stat_activity is sampled
//    every 10 ms (also during phase 2): the longest time a connection of the server under measurement sat `idle in
//    transaction` (held by a request while not running SQL) and the most of its connections waiting on a lock at once.
import autocannon from "autocannon"
import { readdirSync, readFileSync, rmSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { dataDir, resetStatements, startPostgres, statements } from "./Postgres.mjs"
import { cpuMicros, freePort, parseJson, procStat, start, stop, writeTemplates } from "./Processes.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const main = join(here, "..", "dist", "main.js")
const [duration = 10, connections = 50, confirms = 2000, poolConnections = 200] = process.argv.slice(2).map(Number)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const background = /webhook_events|pg_advisory_xact_lock|FROM checkout_events\s+WHERE|UPDATE checkout_events SET webhooks_relayed|rate_limit|^(BEGIN|COMMIT)$|pg_stat_database/

/**
 * CPU µs of the PostgreSQL server: the postmaster with its exited children's (utime, stime, cutime, cstime) plus
 * its live children's (the backends of both servers' pools).
 */
const postgresCpu = (postmaster) => {
  const own = procStat(postmaster)
  let sum = own.userUs + own.systemUs + own.childrenUs
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = procStat(entry)
      if (stat.ppid === postmaster) sum += stat.userUs + stat.systemUs
    } catch { /* gone */ }
  }
  return sum
}

const pgs = await startPostgres()
const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0])
console.log(`bench database: ${pgs.url.replace(/:[^:@/]*@/, ":***@")} (cluster under .data/bench-http-postgres, deleted at the end)`)
const realPort = await freePort()
let facts
let bannerToken
// Its request log (Info) goes to a file, never through a pipe to this busy process (Processes.start with a log file).
const realLog = join(tmpdir(), `checkout-kit-pg-bench-server-${process.pid}.log`)
const real = await start([main], { PORT: String(realPort), HOST: "127.0.0.1", LOG_LEVEL: "Info", RATE_LIMITS: "off",
  DATABASE_URL: pgs.url, DATABASE_POOL_SIZE: "10" }, (line) => {
  const l = parseJson(line)
  if (l?.message === "checkout-kit ready") facts = l.annotations
  // The banner and the ready log entry come in either order (JSON log lines are written once per event-loop turn).
  bannerToken ??= /Access token:\s+(\S+)/.exec(line)?.[1]
  return facts !== undefined && bannerToken !== undefined ? { ...facts, token: bannerToken } : undefined
}, realLog)
const { token, products } = real.value
const productId = products.find((p) => p.amountType === "fixed")?.id ?? products[0].id
const realBase = `http://127.0.0.1:${realPort}`

const call = async (base, method, path, body, auth = true) => {
  const res = await fetch(base + path, { method, headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const json = await res.json()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`)
  return json
}
const createBody = (i) => ({ products: [productId], metadata: { bench: "postgres", n: i } })
let emails = 0
const confirmBody = () => ({ confirmation_token_id: "tok_visa", custom_field_data: { team_size: "1" }, customer_name: "Ada Lovelace",
  customer_email: `buyer${emails++}@example.com`, customer_billing_address: { country: "US", line1: "1 Main St", city: "Springfield", postal_code: "12345", state: "IL" } })
const seed = async (base, n) => {
  const out = []
  for (let i = 0; i < n; i += 20) {
    out.push(...await Promise.all(Array.from({ length: Math.min(20, n - i) }, (_, k) => call(base, "POST", "/v1/checkouts/", createBody(i + k)).then((c) => c.client_secret))))
  }
  return out
}

// Templates for the raw server: real responses and the stored rows' JSON.
const created = await call(realBase, "POST", "/v1/checkouts/", createBody(-1))
const client = await call(realBase, "GET", `/v1/checkouts/client/${created.client_secret}`, undefined, false)
const toConfirm = await call(realBase, "POST", "/v1/checkouts/", createBody(-2))
const confirmed = await call(realBase, "POST", `/v1/checkouts/client/${toConfirm.client_secret}/confirm`, confirmBody(), false)
await sleep(500)
const stored = (await pgs.admin.query("SELECT data FROM checkouts WHERE id = $1", [created.id])).rows[0].data
const customer = (await pgs.admin.query("SELECT data FROM customers LIMIT 1")).rows[0].data
const templates = writeTemplates("pg-bench", { created, client, confirmed, stored, customer })
const raw = await start([join(here, "raw-postgres-server.mjs")], { PORT: "0", TEMPLATES: templates, DATABASE_URL: pgs.url, DATABASE_POOL_SIZE: "10" },
  (line) => parseJson(line)?.listening)
const rawBase = `http://127.0.0.1:${raw.value}`
const servers = { real: realBase, raw: rawBase }

// 1. Statements per use case.
const K = 20
const perUseCase = {}
for (const [name, base] of Object.entries(servers)) {
  perUseCase[name] = {}
  for (const useCase of ["create", "client", "confirm"]) {
    const secrets = useCase === "create" ? [] : await seed(base, K)
    await sleep(300)
    await resetStatements(pgs.admin)
    for (let i = 0; i < K; i++) {
      if (useCase === "create") await call(base, "POST", "/v1/checkouts/", createBody(i))
      if (useCase === "client") await call(base, "GET", `/v1/checkouts/client/${secrets[i]}`, undefined, false)
      if (useCase === "confirm") await call(base, "POST", `/v1/checkouts/client/${secrets[i]}/confirm`, confirmBody(), false)
    }
    await sleep(useCase === "confirm" ? 2000 : 300) // the settlement runs after the answer
    const rows = (await statements(pgs.admin)).filter((s) => !background.test(s.query.trim()))
    perUseCase[name][useCase] = { total: rows.reduce((s, r) => s + r.calls, 0) / K, rows: rows.map((r) => ({ perRequest: r.calls / K, query: r.query.replace(/\s+/g, " ").slice(0, 110) })) }
  }
}
for (const useCase of ["create", "client", "confirm"]) {
  for (const name of ["real", "raw"]) {
    const u = perUseCase[name][useCase]
    console.log(`\n${useCase} ${name}: ${u.total} statements (= round trips) per request, + BEGIN/COMMIT per transaction`)
    for (const r of u.rows) console.log(`  ${String(r.perRequest).padStart(5)}  ${r.query}`)
  }
}

// 2 + 3. Throughput, then the pool under many concurrent requests, with pg_stat_activity sampled meanwhile.
const sampler = { label: undefined, maxIdleInTx: {}, maxWaiting: {} }
let sampling = true
const sampleLoop = (async () => {
  while (sampling) {
    // The label of the measurement running when the sample was taken (it may end while the query runs), and only
    // the connections of the server under measurement (the other one's background work is not its figure).
    const label = sampler.label
    if (label !== undefined) {
      const r = await pgs.admin.query(`SELECT application_name AS app, state, wait_event_type,
          COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - state_change)) * 1000, 0)::float8 AS ms
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
      let waiting = 0
      for (const row of r.rows) {
        const who = row.app === "checkout-kit" ? "real" : "raw"
        if (!label.endsWith(` ${who}`)) continue
        if (row.state === "idle in transaction") sampler.maxIdleInTx[label] = Math.max(sampler.maxIdleInTx[label] ?? 0, row.ms)
        if (row.wait_event_type === "Lock") waiting++
      }
      sampler.maxWaiting[label] = Math.max(sampler.maxWaiting[label] ?? 0, waiting)
    }
    await sleep(10)
  }
})()

const run = async (base, useCase, conns, secrets, pid) => {
  const cpuBefore = { server: cpuMicros(pid), postgres: postgresCpu(postmaster) }
  let i = 0
  const requests = useCase === "create"
    ? [{ method: "POST", path: "/v1/checkouts/", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(createBody(i++)) }) }]
    : useCase === "client"
      ? [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/v1/checkouts/client/${secrets[i++ % secrets.length]}` }) }]
      : [{ method: "POST", headers: { "content-type": "application/json" },
          setupRequest: (req) => ({ ...req, path: `/v1/checkouts/client/${secrets[i++]}/confirm`, body: JSON.stringify(confirmBody()) }) }]
  const r = await autocannon({ url: base, connections: conns, requests,
    ...(useCase === "confirm" ? { amount: secrets.length } : { duration }) })
  const served = Math.max(1, r.requests.total)
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts,
    cpu: (cpuMicros(pid) - cpuBefore.server) / served, pgCpu: (postgresCpu(postmaster) - cpuBefore.postgres) / served }
}

const readSecrets = { real: await seed(realBase, 500), raw: await seed(rawBase, 500) }
const pids = { real: real.child.pid, raw: raw.child.pid }
for (const name of ["real", "raw"]) for (const useCase of ["create", "client"]) await run(servers[name], useCase, connections, readSecrets[name], pids[name]) // warm-up
const results = {}
for (const [phase, conns] of [["load", connections], ["pool", poolConnections]]) {
  for (const useCase of ["create", "client", "confirm"]) {
    for (const name of ["real", "raw"]) {
      const secrets = useCase === "confirm" ? await seed(servers[name], phase === "load" ? confirms : Math.max(confirms / 2, poolConnections * 5)) : readSecrets[name]
      if (useCase === "confirm") await sleep(500)
      sampler.label = `${phase} ${useCase} ${name}`
      results[`${phase} ${useCase} ${name}`] = await run(servers[name], useCase, conns, secrets, pids[name])
      sampler.label = undefined
      await sleep(useCase === "confirm" ? 3000 : 200) // settlements finish before the next phase
    }
  }
}
sampling = false
await sampleLoop
await stop(real.child)
rmSync(realLog, { force: true })
await stop(raw.child)
await pgs.stop(true)

console.log(`\nnode ${process.version}  ${duration}s per create/client measurement, ${confirms} confirms, c=${connections} (pool phase c=${poolConnections}), pool of 10 each; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`)
const summary = { statements: Object.fromEntries(Object.entries(perUseCase).map(([n, u]) => [n, Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v.total]))])) }
for (const phase of ["load", "pool"]) {
  for (const useCase of ["create", "client", "confirm"]) {
    for (const name of ["real", "raw"]) {
      const r = results[`${phase} ${useCase} ${name}`]
      console.log(`${phase} ${useCase.padEnd(7)} ${name.padEnd(4)} ${String(Math.round(r.rps)).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non2xx ${r.non2xx}  errors ${r.errors}  max idle-in-transaction ${(sampler.maxIdleInTx[`${phase} ${useCase} ${name}`] ?? 0).toFixed(1)} ms, most waiting on a lock ${sampler.maxWaiting[`${phase} ${useCase} ${name}`] ?? 0}  CPU/request: server ${Math.round(r.cpu)} µs, postgres ${Math.round(r.pgCpu)} µs`)
    }
    const [realR, rawR] = [results[`${phase} ${useCase} real`], results[`${phase} ${useCase} raw`]]
    const ratio = Number((realR.rps / rawR.rps).toFixed(2))
    // CPU per request is what a change to the request path moves; req/s on a shared 2-core machine also measures the load.
    const cpuRatio = Number((rawR.cpu / realR.cpu).toFixed(2))
    console.log(`${phase} ${useCase.padEnd(7)} ratio real/raw ${ratio}${phase === "load" ? "  (goal >= 0.6)" : ""}; raw/real server CPU per request ${cpuRatio}`)
    summary[`${phase} ${useCase}`] = { real: Math.round(realR.rps), raw: Math.round(rawR.rps), ratio, cpuUs: { real: Math.round(realR.cpu), raw: Math.round(rawR.cpu) },
      postgresCpuUs: { real: Math.round(realR.pgCpu), raw: Math.round(rawR.pgCpu) }, cpuRatio }
  }
}
summary.maxIdleInTransactionMs = sampler.maxIdleInTx
summary.maxWaitingOnLock = sampler.maxWaiting
console.log(JSON.stringify(summary))
