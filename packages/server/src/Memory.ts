/**
 * One memory-reducing garbage collection right after start-up. Loading effect and the adapters allocates a lot of
 * short-lived objects, which grows V8's young generation to its maximum (32 MiB of touched pages) and leaves it
 * there until V8's memory reducer notices the process is idle, about 20-30 s later. Doing that collection at once
 * makes the idle footprint right after start-up what it would be half a minute later (about 20 MiB less); the
 * young generation grows back under load as usual. `gc` is only reachable through a fresh vm context once the
 * flag is set, so nothing else in the process sees it.
 */
import { Effect } from "effect"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

type Gc = (options: { readonly type: "major"; readonly execution: "sync"; readonly flavor: "last-resort" }) => void

/** Runs the collection; a runtime without the `gc` extension makes it a no-op. */
export const compactAfterStartup: Effect.Effect<void> = Effect.sync(() => {
  setFlagsFromString("--expose-gc")
  const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined")
  if (typeof gc === "function") (gc as Gc)({ type: "major", execution: "sync", flavor: "last-resort" })
})
