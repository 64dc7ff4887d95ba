/**
 * The testing modules the server loads at run time (package.json's `./testing/<Name>` entries, e.g. the fake payment
 * processor of the local test mode) import `effect` and the domain only, transitively: starting the server never
 * loads fast-check, vitest or @effect/vitest.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const packageDir = path.resolve(import.meta.dirname, "..")
const exportsOf = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")).exports as Record<string, Record<string, string>>

const specifiers = (source: string): Array<string> =>
  [...source.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm)]
    .map((m) => (m[1] ?? m[2] ?? m[3])!)

/** Every bare specifier reachable from `file` through relative imports. */
const reachable = (file: string, seen = new Set<string>()): Set<string> => {
  const bare = new Set<string>()
  if (seen.has(file)) return bare
  seen.add(file)
  for (const spec of specifiers(fs.readFileSync(file, "utf8"))) {
    if (spec.startsWith(".")) for (const b of reachable(path.resolve(path.dirname(file), spec), seen)) bare.add(b)
    else bare.add(spec)
  }
  return bare
}

describe("run-time testing entries", () => {
  const entries = Object.entries(exportsOf).filter(([name]) => name.startsWith("./testing/"))

  it("exist (the server's local test mode loads the fake payment processor through one)", () => {
    expect(entries.map(([name]) => name)).toContain("./testing/FakePaymentProcessor")
  })

  it("import effect only, transitively", () => {
    for (const [name, targets] of entries) {
      const bare = [...reachable(path.join(packageDir, targets["@checkout-kit/source"]!))]
      expect(bare.filter((s) => s !== "effect" && !s.startsWith("effect/")), name).toEqual([])
    }
  })

  it("the scan follows relative imports, so it can fail: the testing barrel reaches the test libraries", () => {
    const bare = reachable(path.join(packageDir, "src/testing/index.ts"))
    expect([...bare].some((s) => s === "@effect/vitest" || s === "fast-check")).toBe(true)
  })
})
