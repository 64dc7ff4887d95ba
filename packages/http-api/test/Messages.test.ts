/**
 * The reference's 422 catalogue (src/internal/Messages.ts) is the only place its texts are written: no other source
 * file of the package spells a catalogue message (or the fixed part of a parameterised one), and the parameterised
 * ones say what pydantic says for singular and plural bounds.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import * as M from "../src/internal/Messages.ts"

const srcDir = path.resolve(import.meta.dirname, "../src")
const catalogue = path.join(srcDir, "internal", "Messages.ts")

const listTs = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listTs(p) : p.endsWith(".ts") ? [p] : []
  })

const SENTINEL = 987654321

/** Every catalogue text, or for a parameterised message the fixed text before its first parameter. */
const texts = (): Array<string> =>
  Object.entries(M).flatMap(([name, entry]): Array<string> => {
    if (typeof entry === "object" && entry !== null && "msg" in entry) return [entry.msg]
    if (typeof entry !== "function" || ["plural", "expectedList", "valueError", "literal"].includes(name)) return []
    const produced = (entry as (...args: Array<unknown>) => M.Message)(SENTINEL, SENTINEL)
    return [produced.msg.split(String(SENTINEL))[0]!]
  }).filter((t) => t.length >= 12)

describe("Messages", () => {
  it("collects the catalogue's texts", () => {
    const all = texts()
    expect(all).toContain("Field required")
    expect(all).toContain("String should have at least ")
    expect(all).toContain("Dictionary should have at most ")
    expect(all.length).toBeGreaterThan(30)
  })

  it("no other source file writes a catalogue text", () => {
    const found: Array<string> = []
    const all = texts()
    for (const file of listTs(srcDir)) {
      if (file === catalogue) continue
      const source = fs.readFileSync(file, "utf8")
      for (const text of all) {
        if (source.includes(`"${text}`) || source.includes(`\`${text}`)) found.push(`${path.relative(srcDir, file)}: ${text}`)
      }
    }
    expect(found).toEqual([])
  })

  it("bounds read as pydantic writes them", () => {
    expect(M.stringTooShort(1)).toEqual({ type: "string_too_short", msg: "String should have at least 1 character", ctx: { min_length: 1 } })
    expect(M.stringTooLong(40).msg).toBe("String should have at most 40 characters")
    expect(M.listTooShort(1, 0)).toEqual({
      type: "too_short",
      msg: "List should have at least 1 item after validation, not 0",
      ctx: { field_type: "List", min_length: 1, actual_length: 0 }
    })
    expect(M.dictionaryTooLong(50, 51).msg).toBe("Dictionary should have at most 50 items after validation, not 51")
    expect(M.literal(M.expectedList(["'a'", "'b'", "'c'"]), "enum")).toEqual({
      type: "enum",
      msg: "Input should be 'a', 'b' or 'c'",
      ctx: { expected: "'a', 'b' or 'c'" }
    })
    expect(M.valueError("invalid value").msg).toBe("Value error, invalid value")
  })
})
