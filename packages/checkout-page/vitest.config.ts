/** Vitest project "checkout-page": resolves workspace packages to their sources (never a stale dist/). */
import { defineProject } from "vitest/config"

export default defineProject({
  ssr: { resolve: { conditions: ["@checkout-kit/source"] } },
  test: { name: "checkout-page", include: ["test/**/*.test.ts"] }
})
