/**
 * The optional API reference page: off by default, and when enabled a self-contained HTML page (Scalar's bundle
 * inlined, web fonts off) so it renders on a machine without network.
 */
import { describe, expect, it } from "@effect/vitest"
import * as W from "./World.ts"

describe("/docs", () => {
  it("is not served unless enabled", async () => {
    const world = W.makeApp()
    try {
      const result = await world.call("GET", "/docs", { token: null })
      expect(result.status).toBe(404)
      expect(result.json).toEqual({ detail: "Not Found" })
    } finally {
      await world.dispose()
    }
  })

  it("when enabled, serves a page that embeds the bundle and the document and loads nothing from the network", async () => {
    const world = W.makeApp({ routes: { docsPath: "/docs" } })
    try {
      const result = await world.call("GET", "/docs", { token: null })
      expect(result.status).toBe(200)
      expect(result.headers.get("content-type")).toContain("text/html")
      const html = result.text
      // Plain booleans: a failing matcher would print the whole 3 MB page.
      expect(html.length > 1_000_000).toBe(true)
      expect(html.includes("window.Scalar.createApiReference")).toBe(true)
      expect(html.includes("\"withDefaultFonts\":false")).toBe(true)
      expect(html.includes("/v1/checkouts/client/{client_secret}/confirm")).toBe(true)
      // No external script, stylesheet or font: every <script> is inline.
      expect(/<script[^>]*\ssrc=/iu.test(html)).toBe(false)
      expect(/<link[^>]*\shref=["']https?:/iu.test(html)).toBe(false)
    } finally {
      await world.dispose()
    }
  })
})
