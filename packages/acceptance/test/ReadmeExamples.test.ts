/**
 * Keeps the README true: every `<!-- include: path -->` block must equal the file, and every
 * `<!-- output: path -->` block must equal what running that file prints today.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../../..")
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")

const blocks = (kind: "include" | "output"): Array<{ file: string; body: string }> =>
  [...readme.matchAll(new RegExp(`<!-- ${kind}: (\\S+) -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n`, "g"))].map((m) => ({
    file: m[1]!,
    body: m[2]!
  }))

describe("README examples", () => {
  it("the README embeds at least the two in-process examples", () => {
    expect(blocks("include").map((b) => b.file)).toEqual(
      expect.arrayContaining(["packages/domain/examples/pricing.ts", "packages/acceptance/examples/in-process.ts"])
    )
    expect(blocks("output").length).toBe(blocks("include").length)
  })

  for (const { file, body } of blocks("include")) {
    it(`${file}: the README shows the file as it is`, () => {
      expect(body).toBe(fs.readFileSync(path.join(root, file), "utf8"))
    })
  }

  for (const { file, body } of blocks("output")) {
    it(`${file}: the README shows what it prints`, () => {
      const printed = execFileSync(process.execPath, ["--conditions=@checkout-kit/source", file], {
        cwd: root,
        encoding: "utf8",
        timeout: 60_000
      })
      expect(printed).toBe(body)
    }, 60_000)
  }
})
