/**
 * Vitest project "store-postgres": resolves workspace packages to their sources, and starts ONE embedded
 * PostgreSQL for the whole run (src/testing/globalSetup.ts): data under <repo>/.data/test-postgres, a free port, a
 * migrated template database; each test file (and each contract test) gets a fresh database copied from it.
 */
import { defineProject } from "vitest/config"

export default defineProject({
  ssr: { resolve: { conditions: ["@checkout-kit/source"] } },
  test: {
    name: "store-postgres",
    include: ["test/**/*.test.ts"],
    globalSetup: ["src/testing/globalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
