import autocannon from "autocannon"
import { join, dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort, parseJson, start, stop } from "./Processes.mjs"
const here = dirname(fileURLToPath(import.meta.url))
const port = await freePort()
let facts
const real = await start([...(process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof", "--cpu-prof-interval=100"] : []), join(here, "..", "dist", "main.js")], { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "Info", RATE_LIMITS: "off", CHECKOUT_STORE: "memory" },
  (line) => { const l = parseJson(line); if (l?.message === "checkout-kit ready") facts = l.annotations; const t = /Access token:\s+(\S+)/.exec(line)?.[1]; return facts && t ? { ...facts, token: t } : undefined }, "/tmp/prof/server.log")
const { token, products } = real.value
const productId = products.find((p) => p.amountType === "fixed")?.id ?? products[0].id
let i = 0
const run = (d) => autocannon({ url: `http://127.0.0.1:${port}`, duration: d, connections: 50, requests: [{ method: "POST", path: "/v1/checkouts/", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ products: [productId], metadata: { bench: "load", n: i++ } }) }) }] })
await run(3)
const r = await run(Number(process.env.D ?? 10))
console.log("rps", r.requests.average, "non2xx", r.non2xx)
real.child.kill("SIGINT")
await new Promise((res) => real.child.once("exit", res))
