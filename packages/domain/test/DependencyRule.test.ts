/**
 * The dependency rule, enforced: production code in packages/domain/src imports `effect` only (and relative
 * modules). Not `effect/http*`, `effect/sql*` (those are adapters' business), not `node:*`, not `stripe`, not other
 * workspace packages. The test-support entry point src/testing/ may additionally import the test libraries.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const srcDir = path.resolve(import.meta.dirname, "../src")
const TESTING_EXTRA = new Set(["fast-check", "@effect/vitest", "vitest"])

const listTs = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listTs(p) : p.endsWith(".ts") ? [p] : []
  })

/** Every module specifier in static imports, re-exports and dynamic imports. */
export const specifiers = (source: string): Array<string> => {
  const out: Array<string> = []
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!)
  return out
}

export const isAllowed = (spec: string, inTesting: boolean): boolean => {
  if (spec.startsWith("./") || spec.startsWith("../")) return true
  if (inTesting && TESTING_EXTRA.has(spec)) return true
  if (spec === "effect") return true
  if (spec.startsWith("effect/")) {
    const sub = spec.slice("effect/".length)
    return !(sub.startsWith("http") || sub.startsWith("sql") || sub.startsWith("unstable"))
  }
  return false
}

describe("domain dependency rule", () => {
  it("the scanner recognises every import form, so the rule can fail", () => {
    const src = `import { A } from "effect"\nimport * as fs from "node:fs"\nexport * from "./x.ts"\nconst m = import("stripe")\nimport "@checkout-kit/http-api"\nimport type { T } from "effect/http"`
    const specs = specifiers(src)
    expect(specs).toEqual(["effect", "node:fs", "./x.ts", "stripe", "@checkout-kit/http-api", "effect/http"])
    expect(specs.filter((s) => !isAllowed(s, false))).toEqual(["node:fs", "stripe", "@checkout-kit/http-api", "effect/http"])
    expect(isAllowed("effect/sql", false)).toBe(false)
    expect(isAllowed("effect/Arbitrary", false)).toBe(true)
    expect(isAllowed("fast-check", false)).toBe(false)
    expect(isAllowed("fast-check", true)).toBe(true)
  })

  it("packages/domain/src imports only effect", () => {
    const files = listTs(srcDir)
    expect(files.length).toBeGreaterThan(0)
    const violations = files.flatMap((file) => {
      const inTesting = path.relative(srcDir, file).startsWith("testing" + path.sep)
      return specifiers(fs.readFileSync(file, "utf8"))
        .filter((s) => !isAllowed(s, inTesting))
        .map((s) => `${path.relative(srcDir, file)}: ${s}`)
    })
    expect(violations).toEqual([])
  })
})
