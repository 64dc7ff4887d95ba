/**
 * GcTuning: the server turns V8's allocation-site pretenuring off unless node's command line says otherwise, and
 * main.ts applies it before any other module runs. What the flag does to the server is measured by the benchmark
 * (docs/benchmarks.md, "Stage 7"), not here.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { readFileSync } from "node:fs"
import * as GcTuning from "../src/GcTuning.ts"

const recorder = () => {
  const set: Array<string> = []
  return { set, setFlags: (flags: string) => void set.push(flags) }
}

const unrelated = fc.constantFrom(
  "--max-old-space-size=512",
  "--trace-pretenuring",
  "--allocation-site-pretenuring-extra",
  "--no-allocation-site",
  "--enable-source-maps",
  "--import=./x.mjs",
  "allocation-site-pretenuring"
)
const explicit = fc.tuple(
  fc.constantFrom("--", "--no-", "--no"),
  fc.constantFrom("-", "_"),
  fc.constantFrom("-", "_")
).map(([prefix, a, b]) => `${prefix}allocation${a}site${b}pretenuring`)

describe("GcTuning.tune", () => {
  it("turns pretenuring off when the command line does not mention it", () => {
    fc.assert(fc.property(fc.array(unrelated, { maxLength: 5 }), (execArgv) => {
      const { set, setFlags } = recorder()
      expect(GcTuning.tune(execArgv, setFlags)).toEqual(["--no-allocation-site-pretenuring"])
      expect(set).toEqual(["--no-allocation-site-pretenuring"])
    }))
  })

  it("leaves V8 alone when the command line sets pretenuring either way, in any spelling", () => {
    fc.assert(fc.property(fc.array(unrelated, { maxLength: 3 }), explicit, fc.array(unrelated, { maxLength: 3 }),
      (before, flag, after) => {
        const { set, setFlags } = recorder()
        expect(GcTuning.tune([...before, flag, ...after], setFlags)).toEqual([])
        expect(set).toEqual([])
        expect(GcTuning.decidedOnCommandLine([flag])).toBe(true)
      }))
  })
})

describe("main.ts", () => {
  it("imports TuneGc before any other module, so no pretenuring decision is made before the flag is set", () => {
    const source = readFileSync(new URL("../src/main.ts", import.meta.url), "utf8")
    const imports = [...source.matchAll(/^import\s+(?:[^"\n]*\s+from\s+)?"([^"]+)"/gmu)].map((m) => m[1])
    expect(imports[0]).toBe("./TuneGc.ts")
    expect(imports.length).toBeGreaterThan(1)
  })
})
