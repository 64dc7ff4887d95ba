/**
 * Vitest project "acceptance": the suites that need several adapters at once (domain use cases on store-memory,
 * the HTTP suites, Stripe end to end against the fake Stripe server, two store-postgres suites, the README
 * examples, the workspace dependency rules). Resolves workspace packages to their sources; the PostgreSQL suites
 * share the run's embedded PostgreSQL (store-postgres's global setup).
 */
import { defineProject } from "vitest/config"

export default defineProject({
  ssr: { resolve: { conditions: ["@checkout-kit/source"] } },
  test: {
    name: "acceptance",
    include: ["test/**/*.test.ts"],
    globalSetup: ["../store-postgres/src/testing/globalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
