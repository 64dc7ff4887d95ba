/**
 * @checkout-kit/store-postgres: every storage port of the domain on PostgreSQL through `@effect/sql-pg` (row locks,
 * versioned updates, READ COMMITTED transactions, an event outbox in the same transaction), schema migrations, a
 * seed loader, the Stripe processed-events table and an embedded PostgreSQL for zero-setup runs and tests.
 */
export * as Admin from "./Admin.ts"
export * as Embedded from "./Embedded.ts"
export * as Migrations from "./Migrations.ts"
export * as PostgresEvents from "./Events.ts"
export * as PostgresStore from "./PostgresStore.ts"
export * as ProcessedEvents from "./ProcessedEvents.ts"
export { EmbeddedPostgresError } from "./Embedded.ts"
export { StoreStartError } from "./PostgresStore.ts"
