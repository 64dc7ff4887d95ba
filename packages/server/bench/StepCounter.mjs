// Preload for bench/steps.mjs (`node --import ./StepCounter.mjs main.js`): counts the effect steps (instructions of
// a fiber's run loop) and fiber resumptions (run-loop entries) of the whole process, and on SIGUSR2 writes the
// totals as `<report number> <steps> <resumptions>` to the file named by STEP_COUNT_FILE. It wraps the fiber class's `runLoop` of the `effect` the server resolves
// (the same module instance: resolved from packages/server and imported by its real path). A benchmark aid only.
import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"

const require = createRequire(new URL("../package.json", import.meta.url))
const { Effect } = await import(pathToFileURL(require.resolve("effect")).href)
// The fiber class, from any fiber.
const proto = Object.getPrototypeOf(Effect.runFork(Effect.void))
const runLoop = proto.runLoop
let steps = 0
let resumptions = 0
proto.runLoop = function(effect) {
  try {
    return runLoop.call(this, effect)
  } finally {
    steps += this.currentOpCount
    resumptions++
  }
}
const file = process.env.STEP_COUNT_FILE
if (file === undefined) throw new Error("StepCounter.mjs: set STEP_COUNT_FILE")
let reports = 0
process.on("SIGUSR2", () => writeFileSync(file, `${++reports} ${steps} ${resumptions}`))
