/**
 * V8 garbage-collector tuning for the server process: allocation-site pretenuring off. `main.ts` applies it through
 * `TuneGc.ts`, its first import, before any other module runs; a service embedding the library decides for its own
 * process (docs/http-api.md, "Operational notes"; measurements in docs/benchmarks.md, "Stage 7").
 *
 * Why: V8 allocates straight into the old generation from object and array literals whose objects often survived a
 * young collection. Under load, some of our request-path literals qualify (objects of in-flight requests survive
 * collections), and from then on each request leaves old-generation objects that point at its young ones. Dead old
 * objects are only found by a full collection, so every young collection keeps the request's response graph alive
 * and finally copies it to the old generation: 16.4 KB promoted per create instead of 4.0, and 11-18 % more server
 * CPU per create. Without pretenuring, short-lived objects die young, as in a bare node:http server.
 *
 * An explicit `--allocation-site-pretenuring` or `--no-allocation-site-pretenuring` on node's command line wins,
 * which is also how the benchmark compares both settings.
 */

/** The V8 flag this module sets. */
export const pretenuringOff = "--no-allocation-site-pretenuring"

const pretenuringFlag = /^--(?:no-?)?allocation[-_]site[-_]pretenuring$/u

/** Whether node's command line already sets allocation-site pretenuring, either way and in either spelling. */
export const decidedOnCommandLine = (execArgv: ReadonlyArray<string>): boolean =>
  execArgv.some((arg) => pretenuringFlag.test(arg))

/** Sets the flags through `setFlags` unless the command line decided; answers the flags it set. */
export const tune = (
  execArgv: ReadonlyArray<string>,
  setFlags: (flags: string) => void
): ReadonlyArray<string> => {
  if (decidedOnCommandLine(execArgv)) return []
  setFlags(pretenuringOff)
  return [pretenuringOff]
}
