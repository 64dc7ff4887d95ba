/** The committed screenshots (scripts/screenshots.sh) exist, are PNG images, and the README shows the main ones. */
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "vitest"
import { screenshotNames } from "./Screenshots.ts"

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe("checkout page screenshots", () => {
  it.each(screenshotNames)("docs/screenshots/%s is a committed PNG", (name) => {
    const path = `${root}docs/screenshots/${name}`
    assert.isTrue(existsSync(path), `${path} is missing: run ./scripts/screenshots.sh`)
    const bytes = readFileSync(path)
    assert.deepStrictEqual([...bytes.subarray(0, 8)], png)
    assert.isAbove(bytes.length, 5000)
  })

  it("the README quick start and docs/checkout-page.md show them", () => {
    const readme = readFileSync(`${root}README.md`, "utf8")
    for (const name of ["form-desktop.png", "form-phone.png", "success-desktop.png"]) {
      assert.include(readme, `docs/screenshots/${name}`)
    }
    const doc = readFileSync(`${root}docs/checkout-page.md`, "utf8")
    for (const name of screenshotNames) assert.include(doc, `screenshots/${name}`)
  })
})
