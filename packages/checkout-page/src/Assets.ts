/**
 * The page's static files, read once when the routes are built and served from memory: the script bundle that
 * `tsc -b` compiles from `client/` into `dist/client/` (ES modules, no third-party code), its stylesheet, and
 * the embed script for merchant pages. Nothing is fetched from a CDN at run time.
 */
import { Effect, Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assetsPath } from "./Html.ts"

/** The package root, the same from `src/` (tests) and from `dist/` (the built server). */
const packageRoot = fileURLToPath(new URL("../", import.meta.url))
export const bundleDir = `${packageRoot}dist/client/`
const stylesheet = `${packageRoot}client/checkout.css`

interface Asset {
  readonly body: Uint8Array
  readonly contentType: string
}

/** Every file of the bundle by name, plus the stylesheet. Fails loudly when the bundle was not built. */
export const load = (): ReadonlyMap<string, Asset> => {
  if (!existsSync(`${bundleDir}main.js`)) {
    throw new Error(`checkout-page: the script bundle is missing (${bundleDir}main.js); run \`pnpm exec tsc -b\``)
  }
  const assets = new Map<string, Asset>()
  for (const name of readdirSync(bundleDir)) {
    if (name.endsWith(".js")) {
      assets.set(name, { body: readFileSync(`${bundleDir}${name}`), contentType: "text/javascript; charset=utf-8" })
    }
  }
  assets.set("checkout.css", { body: readFileSync(stylesheet), contentType: "text/css; charset=utf-8" })
  return assets
}

/**
 * `GET /checkout-page/assets/{name}`. Revalidated on every use (`no-cache` + ETag-free: the files are small and
 * a deploy must never mix an old module with a new page).
 */
export const layer = Layer.unwrap(Effect.sync(() => {
  const assets = load()
  return HttpRouter.add("GET", `${assetsPath}/:name`, Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const asset = assets.get(params.name ?? "")
    if (asset === undefined) return HttpServerResponse.jsonUnsafe({ detail: "Not Found" }, { status: 404 })
    return HttpServerResponse.uint8Array(asset.body, {
      contentType: asset.contentType,
      headers: {
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
        // The embed script is loaded by merchant pages on other origins, as a module (a CORS request).
        "cross-origin-resource-policy": "cross-origin",
        "access-control-allow-origin": "*"
      }
    })
  }))
}))
