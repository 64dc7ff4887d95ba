// A/B of the create payload decode as HttpApi runs it (the endpoint's payload schemas wrapped in one Union, parse
// options `{ errors: "all", reportInput: true }` as Api.ts annotates them, after `JSON.parse`), two builds in one
// process, alternating: the CPU-per-request benchmarks of the server are too noisy on a shared machine to see one
// schema's share. Both builds must decode the body to the same value (checked first).
// Usage (from the repo root, after `pnpm exec tsc -b` here and in the baseline checkout):
//   node packages/http-api/bench/create-decode-ab.mjs <baseline root> [this root=.] [rounds=5]
// A baseline root is a built checkout of another commit, e.g. `git archive main | tar -x -C /tmp/base`, then
// `pnpm install --offline` and `pnpm exec tsc -b` there (what bench/telemetry.mjs does for BASELINE_REF).
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"

const [baseRoot, thisRoot = ".", rounds = "5"] = process.argv.slice(2)
if (baseRoot === undefined) throw new Error("usage: create-decode-ab.mjs <baseline root> [this root] [rounds]")

const decoderOf = async (root) => {
  const at = (path) => pathToFileURL(resolve(root, path)).href
  const { Schema } = await import(at("packages/http-api/node_modules/effect/dist/index.js"))
  const { Api } = await import(at("packages/http-api/dist/Api.js"))
  const [{ schemas }] = [...Api.groups.checkouts.endpoints.create.payload.values()]
  return Schema.decodeUnknownExit(Schema.Union(schemas), { errors: "all", reportInput: true })
}
const base = await decoderOf(baseRoot)
const self = await decoderOf(thisRoot)
const body = JSON.stringify({ products: ["22222222-2222-4222-8222-000000000001"], metadata: { bench: "cpu", n: 1 } })
const [a, b] = [JSON.stringify(base(JSON.parse(body))), JSON.stringify(self(JSON.parse(body)))]
if (a !== b || !a.includes("Success")) throw new Error(`the builds decode differently:\n${a}\n${b}`)

/** µs per call over one second, after a warm-up. */
const time = (f) => {
  for (let i = 0; i < 3000; i++) f()
  let n = 0
  const start = performance.now()
  while (performance.now() - start < 1000) {
    for (let i = 0; i < 100; i++) f()
    n += 100
  }
  return ((performance.now() - start) * 1000) / n
}
const rows = []
for (let r = 1; r <= Number(rounds); r++) {
  const row = [time(() => base(JSON.parse(body))), time(() => self(JSON.parse(body))), time(() => JSON.parse(body))]
  rows.push(row)
  console.log(`round ${r}  baseline ${row[0].toFixed(2)} µs  this ${row[1].toFixed(2)} µs  JSON.parse ${row[2].toFixed(2)} µs`)
}
const median = (i) => rows.map((row) => row[i]).sort((x, y) => x - y)[rows.length >> 1]
console.log(`median  baseline ${median(0).toFixed(2)} µs  this ${median(1).toFixed(2)} µs  JSON.parse ${median(2).toFixed(2)} µs  this/baseline ${(median(1) / median(0)).toFixed(2)}`)
