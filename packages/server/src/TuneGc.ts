/**
 * Applies `GcTuning` to this process when imported. `main.ts` imports it first so that the flag is set before any
 * other module runs: a pretenuring decision V8 made while modules load would outlive the flag.
 */
import { setFlagsFromString } from "node:v8"
import { tune } from "./GcTuning.ts"

tune(process.execArgv, setFlagsFromString)
