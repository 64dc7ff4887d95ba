// Test support, preloaded with `--import` (NODE_OPTIONS): appends the URL of every module the process resolves that
// matches LOADED_MODULES_MATCH (a regular expression on the URL) to the file LOADED_MODULES_OUT names. Without
// LOADED_MODULES_MATCH: the OpenTelemetry packages (`@opentelemetry/*`, `@effect/opentelemetry`; Telemetry.test.ts:
// the SDK loads only when export is on). LazyStripe.test.ts: the Stripe SDK loads only in Stripe mode.
import { appendFileSync } from "node:fs"
import { registerHooks } from "node:module"

const out = process.env.LOADED_MODULES_OUT
const match = process.env.LOADED_MODULES_MATCH === undefined ? undefined : new RegExp(process.env.LOADED_MODULES_MATCH, "u")
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context)
    // The package is what follows the last node_modules/ (pnpm's store paths name peers earlier in the path).
    const pkg = resolved.url.split("/node_modules/").at(-1) ?? ""
    const wanted = match !== undefined ? match.test(resolved.url) : /^@(opentelemetry|effect\/opentelemetry)\b/u.test(pkg)
    if (out !== undefined && wanted) appendFileSync(out, `${resolved.url}\n`)
    return resolved
  }
})
