/**
 * Benchmark: one client secret, the domain's pure format (JS CRC-32) on pooled node:crypto bytes, against the
 * baseline of the same draw checksummed with node:zlib's native crc32 (what store-memory did before the format
 * moved into the domain). Prints ns per secret for both and their ratio; run with
 * `node --conditions=@checkout-kit/source packages/domain/bench/clientSecret.ts [n=1000000]`.
 */
import { randomBytes } from "node:crypto"
import { crc32 } from "node:zlib"
import * as ClientSecret from "../src/ClientSecret.ts"

const n = Number(process.argv[2] ?? 1_000_000)
const nextByte = ClientSecret.pooled((size) => randomBytes(size))
const codes = Array.from(ClientSecret.alphabet, (c) => c.charCodeAt(0))

/** The previous implementation: the same rejection draw, zlib's crc32, base62. */
const baseline = (prefix: string): string => {
  const out = new Array<number>(37)
  for (let i = 0; i < 37;) {
    const b = nextByte()
    if (b < 248) out[i++] = codes[b % 62]!
  }
  const random = String.fromCharCode(...out)
  let c = crc32(random) >>> 0
  let sum = ""
  while (c > 0) {
    sum = ClientSecret.checksumAlphabet[c % 62] + sum
    c = Math.floor(c / 62)
  }
  return prefix + random + sum.padStart(6, "0")
}

const time = (label: string, f: () => string): number => {
  let sink = 0
  for (let i = 0; i < 50_000; i++) sink += f().length // warm-up
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink += f().length
  const ns = Number(process.hrtime.bigint() - start) / n
  if (sink === 0) console.log("unreachable")
  console.log(`${label.padEnd(36)} ${ns.toFixed(0).padStart(6)} ns/secret`)
  return ns
}

const base = time("baseline (node:zlib crc32)", () => baseline("polar_c_"))
const pure = time("ClientSecret.make (pure CRC-32)", () => ClientSecret.make("polar_c_", nextByte))
console.log(`ratio pure / baseline: ${(pure / base).toFixed(2)}x (n = ${n})`)
