/**
 * The committed contract file cannot drift from the code: `openapi.json` must be exactly what `Api` generates, and
 * the server serves that same document at `/openapi.json`.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as OpenApiDocument from "../../../http-api/src/OpenApiDocument.ts"
import * as W from "./World.ts"

const committedPath = fileURLToPath(new URL("../../../http-api/openapi.json", import.meta.url))

describe("openapi.json", () => {
  it("the committed file is what the API definition generates", () => {
    const committed = readFileSync(committedPath, "utf8")
    const generated = OpenApiDocument.render()
    if (committed !== generated) {
      expect.fail(
        `packages/http-api/openapi.json is out of date with src/Api.ts. Regenerate it with: ${OpenApiDocument.regenerateCommand}`
      )
    }
    expect(JSON.parse(committed).openapi).toMatch(/^3\.1/u)
  })

  describe("served", () => {
    const app = W.makeApp()
    afterAll(() => app.dispose())

    it("GET /openapi.json serves the same document, without credentials", async () => {
      const result = await app.call("GET", "/openapi.json", { token: null })
      expect(result.status).toBe(200)
      expect(result.json).toEqual(OpenApiDocument.make())
      expect(Object.keys(result.json.paths)).toContain("/v1/checkouts/client/{client_secret}/confirm")
    })
  })
})
