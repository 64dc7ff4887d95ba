/**
 * Test support for packages that run against PostgreSQL: the vitest global setup that starts one embedded
 * PostgreSQL per test run (`globalSetup.ts`, referenced from a project's vitest config) and fresh databases cloned
 * from its migrated template (`TestDatabase`).
 */
export * as TestDatabase from "./TestDatabase.ts"
export * as Scratch from "./Scratch.ts"
export * as TestSecrets from "./TestSecrets.ts"
