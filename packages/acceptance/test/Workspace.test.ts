/**
 * The workspace's dependency rules, read from every packages/<name>/package.json: no workspace dependency cycle
 * (counting dependencies, devDependencies and peerDependencies, as pnpm does), and no adapter depending on
 * another adapter; only the composition root (`server`) and this test-only package know several adapters.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const packagesDir = path.resolve(import.meta.dirname, "../..")

interface Manifest {
  readonly dir: string
  readonly name: string
  readonly deps: ReadonlyArray<string>
}

const kinds = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const

const readManifests = (): Array<Manifest> =>
  fs.readdirSync(packagesDir)
    .filter((d) => fs.existsSync(path.join(packagesDir, d, "package.json")))
    .map((dir) => {
      const json = JSON.parse(fs.readFileSync(path.join(packagesDir, dir, "package.json"), "utf8"))
      const deps = new Set<string>()
      for (const kind of kinds) for (const name of Object.keys(json[kind] ?? {})) deps.add(name)
      return { dir, name: json.name as string, deps: [...deps] }
    })

/** Every cycle among workspace packages, each as the list of names along it (empty when the graph is acyclic). */
export const findCycles = (manifests: ReadonlyArray<Manifest>): Array<Array<string>> => {
  const names = new Set(manifests.map((m) => m.name))
  const edges = new Map(manifests.map((m) => [m.name, m.deps.filter((d) => names.has(d))]))
  const cycles: Array<Array<string>> = []
  const state = new Map<string, "visiting" | "done">()
  const stack: Array<string> = []
  const visit = (n: string): void => {
    state.set(n, "visiting")
    stack.push(n)
    for (const d of edges.get(n) ?? []) {
      if (state.get(d) === "visiting") cycles.push([...stack.slice(stack.indexOf(d)), d])
      else if (state.get(d) === undefined) visit(d)
    }
    stack.pop()
    state.set(n, "done")
  }
  for (const n of names) if (state.get(n) === undefined) visit(n)
  return cycles
}

const adapters = [
  "@checkout-kit/store-memory",
  "@checkout-kit/store-postgres",
  "@checkout-kit/http-api",
  "@checkout-kit/stripe",
  "@checkout-kit/webhooks",
  "@checkout-kit/checkout-page"
]
const composers = ["@checkout-kit/server", "@checkout-kit/acceptance"]

/** "a -> b" for every package (other than the composers) that depends on an adapter. */
export const adapterDependencies = (manifests: ReadonlyArray<Manifest>): Array<string> =>
  manifests
    .filter((m) => !composers.includes(m.name))
    .flatMap((m) => m.deps.filter((d) => adapters.includes(d)).map((d) => `${m.name} -> ${d}`))

describe("workspace dependency rules", () => {
  const manifests = readManifests()

  it("reads every package, adapters and domain included", () => {
    expect(manifests.map((m) => m.name)).toEqual(
      expect.arrayContaining(["@checkout-kit/domain", ...adapters, ...composers])
    )
  })

  it("has no workspace dependency cycle", () => {
    expect(findCycles(manifests)).toEqual([])
  })

  it("no package but server and acceptance depends on an adapter", () => {
    expect(adapterDependencies(manifests)).toEqual([])
  })

  it("the checks catch a cycle and an adapter -> adapter dependency", () => {
    const bad: Array<Manifest> = [
      { dir: "domain", name: "@checkout-kit/domain", deps: ["effect", "@checkout-kit/store-memory"] },
      { dir: "store-memory", name: "@checkout-kit/store-memory", deps: ["@checkout-kit/domain"] },
      { dir: "stripe", name: "@checkout-kit/stripe", deps: ["@checkout-kit/domain", "@checkout-kit/http-api"] },
      { dir: "server", name: "@checkout-kit/server", deps: ["@checkout-kit/stripe", "@checkout-kit/store-memory"] }
    ]
    expect(findCycles(bad)).toEqual([["@checkout-kit/domain", "@checkout-kit/store-memory", "@checkout-kit/domain"]])
    expect(adapterDependencies(bad)).toEqual([
      "@checkout-kit/domain -> @checkout-kit/store-memory",
      "@checkout-kit/stripe -> @checkout-kit/http-api"
    ])
  })
})
