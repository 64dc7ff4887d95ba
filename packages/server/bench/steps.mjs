// Effect steps per request: a count, not a time, so it does not move with the machine's speed (docs/benchmarks.md,
// "HTTP server", stage 16: in the server a step costs about 1 µs). Use it to compare two builds of the request path
// where a CPU or throughput figure is lost in the VM's noise.
// Usage (from the repo root, after `pnpm exec tsc -b`):
//   node packages/server/bench/steps.mjs [requests=500] [scenario...]   scenarios: create client (default both)
//   FLOOR=1 node packages/server/bench/steps.mjs                         the same for bench/floor-server.mjs
// Starts the server (memory store, demo seed, local test mode, LOG_LEVEL=Info with its log in a file) with
// bench/StepCounter.mjs preloaded, creates 50 checkouts, then per scenario sends `requests` requests one after the
// other (no concurrency: the count is per request whatever the load) and reads the process's step and resumption
// totals before and after (SIGUSR2). Background work (the expiry sweep, the webhook worker) adds a few steps
// per second: measured while idle for 2 s before each scenario, and subtracted for the run's duration.
import { readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort, parseJson, start, stop, writeTemplates } from "./Processes.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const [count = "500", ...chosen] = process.argv.slice(2)
const n = Number(count)
const scenarios = chosen.length > 0 ? chosen : ["create", "client"]
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const token = "polar_oat_demo_checkout_kit_local_only"
const productId = "22222222-2222-4222-8222-000000000001"
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }
const body = (i) => JSON.stringify({ products: [productId], metadata: { bench: "steps", n: i } })

const preload = ["--import", join(here, "StepCounter.mjs")]
const log = join(tmpdir(), `checkout-kit-steps-${process.pid}.log`)
const countFile = join(tmpdir(), `checkout-kit-steps-${process.pid}.count`)
const port = await freePort()
const base = `http://127.0.0.1:${port}`
let target
if (process.env.FLOOR === "1") {
  // The floor answers captured responses: capture them from a real server first.
  const realPort = await freePort()
  const real = await start([join(here, "..", "dist", "main.js")],
    { PORT: String(realPort), HOST: "127.0.0.1", LOG_LEVEL: "Info", RATE_LIMITS: "off", CHECKOUT_STORE: "memory" },
    (line) => parseJson(line)?.message === "checkout-kit ready" ? true : undefined, log)
  const res = await fetch(`http://127.0.0.1:${realPort}/v1/checkouts/`, { method: "POST", headers, body: body(-1) })
  const checkout = await res.json()
  const clientCheckout = await (await fetch(`http://127.0.0.1:${realPort}/v1/checkouts/client/${checkout.client_secret}`)).json()
  await stop(real.child)
  const templates = writeTemplates("steps", { checkout, clientCheckout, accessToken: token })
  target = await start([...preload, join(here, "floor-server.mjs")], { PORT: String(port), TEMPLATES: templates, STEP_COUNT_FILE: countFile },
    (line) => parseJson(line)?.listening)
} else {
  target = await start([...preload, join(here, "..", "dist", "main.js")],
    { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "Info", RATE_LIMITS: "off", CHECKOUT_STORE: "memory",
      STEP_COUNT_FILE: countFile },
    (line) => parseJson(line)?.message === "checkout-kit ready" ? true : undefined, log)
}
const { child } = target

let reports = 0
/** The server's step and resumption totals now (SIGUSR2; StepCounter.mjs answers in the count file). */
const totals = async () => {
  child.kill("SIGUSR2")
  for (let i = 0; i < 250; i++) {
    await sleep(20)
    const [report, steps, resumptions] = (() => {
      try { return readFileSync(countFile, "utf8").split(" ").map(Number) } catch { return [0] }
    })()
    if (report > reports) {
      reports = report
      return [steps, resumptions]
    }
  }
  throw new Error("the server did not report its step count (is StepCounter.mjs preloaded?)")
}

const send = async (scenario, i, secrets) => {
  const res = scenario === "create"
    ? await fetch(`${base}/v1/checkouts/`, { method: "POST", headers, body: body(i) })
    : await fetch(`${base}/v1/checkouts/client/${secrets[i % secrets.length]}`)
  const json = await res.json()
  if (!res.ok) throw new Error(`${scenario}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

const secrets = []
for (let i = 0; i < 50; i++) secrets.push((await send("create", i, [])).client_secret)
for (const scenario of scenarios) {
  for (let i = 0; i < 50; i++) await send(scenario, i, secrets)
  // What the server's background work (expiry sweep, webhook worker, ...) runs per second, measured while idle and
  // subtracted from the run's count for the run's duration.
  const [i0, j0] = await totals()
  const idleStart = performance.now()
  await sleep(2000)
  const [i1, j1] = await totals()
  const idleSeconds = (performance.now() - idleStart) / 1000
  const started = performance.now()
  const [s0, r0] = await totals()
  for (let i = 0; i < n; i++) await send(scenario, i, secrets)
  const [s1, r1] = await totals()
  const seconds = (performance.now() - started) / 1000
  const background = { steps: (i1 - i0) / idleSeconds * seconds, resumptions: (j1 - j0) / idleSeconds * seconds }
  console.log(`${scenario.padEnd(7)} ${((s1 - s0 - background.steps) / n).toFixed(1)} steps/request  ` +
    `${((r1 - r0 - background.resumptions) / n).toFixed(2)} resumptions/request  ` +
    `(background ${((i1 - i0) / idleSeconds).toFixed(0)} steps/s subtracted)`)
}
await stop(child)
rmSync(log, { force: true })
rmSync(countFile, { force: true })
