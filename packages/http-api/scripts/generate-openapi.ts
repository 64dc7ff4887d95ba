/**
 * Writes the contract's OpenAPI document to packages/http-api/openapi.json (or, with `--check`, fails when the
 * committed file differs). Run: `pnpm --filter @checkout-kit/http-api run openapi` (Node 22 strips the types).
 */
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as OpenApiDocument from "../src/OpenApiDocument.ts"

const target = fileURLToPath(new URL("../openapi.json", import.meta.url))
const text = OpenApiDocument.render()

if (process.argv.includes("--check")) {
  let committed = ""
  try {
    committed = readFileSync(target, "utf8")
  } catch {
    committed = ""
  }
  if (committed !== text) {
    console.error(`${target} is out of date. Regenerate it with: ${OpenApiDocument.regenerateCommand}`)
    process.exit(1)
  }
  console.log(`${target} is up to date.`)
} else {
  writeFileSync(target, text)
  console.log(`Wrote ${target} (${text.length} bytes).`)
}
