/**
 * Vitest project "server": resolves workspace packages to their sources (never a stale dist/). Tests that run the
 * server on PostgreSQL share the run's embedded PostgreSQL (store-postgres's global setup, started once per run).
 */
import { defineProject } from "vitest/config"

export default defineProject({
  ssr: { resolve: { conditions: ["@checkout-kit/source"] } },
  test: {
    name: "server",
    include: ["test/**/*.test.ts"],
    globalSetup: ["../store-postgres/src/testing/globalSetup.ts"]
  }
})
