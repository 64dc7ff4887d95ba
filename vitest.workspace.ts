/**
 * The single list of vitest projects: one per package. Vitest 5 never reads this file by itself
 * (workspace-file support was removed), so vitest.config.ts imports it and passes it as
 * `test.projects`; adding a package with tests means adding it here.
 */
import type { TestProjectConfiguration } from "vitest/config"

export const projects: Array<TestProjectConfiguration> = [
  "packages/domain",
  "packages/store-memory",
  "packages/store-postgres",
  "packages/http-api",
  "packages/stripe",
  "packages/webhooks",
  "packages/checkout-page",
  "packages/server",
  "packages/acceptance"
]

export default projects
