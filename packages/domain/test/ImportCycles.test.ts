/**
 * No import circles inside packages/domain/src (type-only imports count: a circle of types is still a circle of
 * meaning). Modules form a DAG, so each can be read knowing only what it imports.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { specifiers } from "./DependencyRule.test.ts"

const srcDir = path.resolve(import.meta.dirname, "../src")

const listTs = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listTs(p) : p.endsWith(".ts") ? [p] : []
  })

/** Module graph: file -> relative imports it names (resolved to files). */
const graphOf = (files: ReadonlyArray<string>, read: (f: string) => string): Map<string, Array<string>> =>
  new Map(files.map((f) => [
    f,
    specifiers(read(f))
      .filter((s) => s.startsWith("./") || s.startsWith("../"))
      .map((s) => path.resolve(path.dirname(f), s))
  ]))

/** Every elementary circle found by depth-first search, each reported once from its smallest member. */
export const cycles = (graph: Map<string, Array<string>>): Array<Array<string>> => {
  const found = new Set<string>()
  const out: Array<Array<string>> = []
  const visit = (start: string, node: string, trail: Array<string>) => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) {
        const min = trail.reduce((a, b) => (a < b ? a : b))
        const i = trail.indexOf(min)
        const canon = [...trail.slice(i), ...trail.slice(0, i)]
        const key = canon.join(" -> ")
        if (!found.has(key)) {
          found.add(key)
          out.push(canon)
        }
      } else if (next > start && !trail.includes(next) && graph.has(next) && trail.length < 8) {
        visit(start, next, [...trail, next])
      }
    }
  }
  for (const start of graph.keys()) visit(start, start, [start])
  return out
}

describe("domain import graph", () => {
  it("the cycle finder sees a two-module and a three-module circle", () => {
    const g = new Map([
      ["/a.ts", ["/b.ts"]],
      ["/b.ts", ["/a.ts", "/c.ts"]],
      ["/c.ts", ["/d.ts"]],
      ["/d.ts", ["/e.ts"]],
      ["/e.ts", ["/c.ts"]]
    ])
    expect(cycles(g)).toEqual([["/a.ts", "/b.ts"], ["/c.ts", "/d.ts", "/e.ts"]])
    const src = { "/x/A.ts": `import type { B } from "./B.ts"`, "/x/B.ts": `import * as A from "./A.ts"` } as Record<string, string>
    expect(cycles(graphOf(Object.keys(src), (f) => src[f]!))).toHaveLength(1)
  })

  it("packages/domain/src has no import circle between its modules", () => {
    const files = listTs(srcDir)
    const graph = graphOf(files, (f) => fs.readFileSync(f, "utf8"))
    const found = cycles(graph).map((c) => c.map((f) => path.relative(srcDir, f)))
    // The only circles left are the services with their own use cases: `internal/checkout|links/*` take the input
    // types from CheckoutService.ts / CheckoutLinkService.ts, which wire them up (being reorganized separately).
    const serviceWithItsUseCases = (c: ReadonlyArray<string>) =>
      (c[0] === "CheckoutService.ts" && c.slice(1).every((f) => f.startsWith(`internal${path.sep}checkout${path.sep}`))) ||
      (c[0] === "CheckoutLinkService.ts" && c.slice(1).every((f) => f.startsWith(`internal${path.sep}links${path.sep}`)))
    expect(found.filter((c) => !serviceWithItsUseCases(c)).map((c) => c.join(" -> "))).toEqual([])
    // The three circles the domain had are gone for good.
    const pairs = found.filter((c) => c.length === 2).map((c) => c.join(" -> "))
    for (const gone of ["Checkout.ts -> CheckoutStatus.ts", "CheckoutLink.ts -> ports/CheckoutLinkRepository.ts", "Price.ts -> Tiers.ts"]) {
      expect(pairs).not.toContain(gone)
    }
  })
})
