// Test support, preloaded with `--import` (NODE_OPTIONS): appends the URL of every module the process resolves from
// an OpenTelemetry package (`@opentelemetry/*`, `@effect/opentelemetry`) to the file LOADED_MODULES_OUT names
// (Telemetry.test.ts: the SDK loads only when export is on).
import { appendFileSync } from "node:fs"
import { registerHooks } from "node:module"

const out = process.env.LOADED_MODULES_OUT
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context)
    // The package is what follows the last node_modules/ (pnpm's store paths name peers earlier in the path).
    const pkg = resolved.url.split("/node_modules/").at(-1) ?? ""
    if (out !== undefined && /^@(opentelemetry|effect\/opentelemetry)\b/u.test(pkg)) appendFileSync(out, `${resolved.url}\n`)
    return resolved
  }
})
