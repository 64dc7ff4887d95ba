/**
 * The test command's summary line cannot hide a failure: scripts/vitest.sh (the vitest half of scripts/test.sh) run
 * for real over scratch directories, one green and some with a test file that fails to load, a suite hook that
 * throws and an unhandled error, each of which must show in `vitest: N passed, N failed` and in the exit status.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url))

/** Runs scripts/vitest.sh over a scratch directory holding `files`; the scratch config needs no imports. */
const runOver = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), "summary-scratch-"))
  try {
    writeFileSync(join(dir, "vitest.config.mjs"), `export default { test: { globals: true, include: ["*.test.mjs"] } }\n`)
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    // This test runs inside vitest: its worker variables would confuse the nested run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST")))
    const result = spawnSync("bash", [join(repoRoot, "scripts", "vitest.sh"), "--root", dir, "--config", join(dir, "vitest.config.mjs")], {
      env,
      encoding: "utf8",
      timeout: 60_000
    })
    const lines = result.stdout.trim().split("\n")
    return { status: result.status, last: lines[lines.length - 1], output: result.stdout + result.stderr }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const passing = `test("ok", () => { expect(1 + 1).toBe(2) })\n`

describe("scripts/test.sh summary", () => {
  it("a green run says 0 failed and exits 0", { timeout: 60_000 }, () => {
    const run = runOver({ "ok.test.mjs": passing })
    assert.strictEqual(run.last, "vitest: 1 passed, 0 failed", run.output)
    assert.strictEqual(run.status, 0, run.output)
  })

  it("a file that fails to load and a throwing suite hook each count as failed, and the command exits non-zero", { timeout: 60_000 }, () => {
    const run = runOver({
      "ok.test.mjs": passing,
      "broken.test.mjs": `import "./no-such-module.mjs"\ntest("never runs", () => {})\n`,
      "hook.test.mjs": `describe("s", () => { beforeAll(() => { throw new Error("setup failed") }); test("t", () => {}) })\n`
    })
    assert.strictEqual(run.last, "vitest: 1 passed, 2 failed, 1 skipped", run.output)
    assert.match(run.output, /vitest: file failed: .*broken\.test\.mjs: .*no-such-module/u)
    assert.match(run.output, /vitest: file failed: .*hook\.test\.mjs/u)
    assert.strictEqual(run.status, 1, run.output)
  })

  it("an unhandled error, which vitest's JSON report does not record, counts as a failure", { timeout: 60_000 }, () => {
    const run = runOver({
      "leak.test.mjs": `test("leaks", () => { setTimeout(() => { throw new Error("late") }, 0) })\n` +
        `test("waits", async () => { await new Promise((resolve) => setTimeout(resolve, 50)) })\n`
    })
    assert.strictEqual(run.last, "vitest: 2 passed, 1 failed", run.output)
    assert.match(run.output, /the run failed outside any test/u)
    assert.strictEqual(run.status, 1, run.output)
  })

  it("a missing report (vitest never got that far) is a failure", () => {
    const result = spawnSync(process.execPath, [join(repoRoot, "scripts", "summary.mjs"), join(tmpdir(), "no-such-report.json"), "0"], {
      encoding: "utf8"
    })
    assert.include(result.stdout, "vitest: 0 passed, 1 failed")
    assert.strictEqual(result.status, 1)
  })
})
