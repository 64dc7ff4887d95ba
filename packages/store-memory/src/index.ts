/**
 * @checkout-kit/store-memory: every storage port of the domain in memory, with the semantics of the SQL store
 * (versioned updates, row locks with NOWAIT, transactions at READ COMMITTED, an event outbox). The default store
 * of the server and the one tests and embedding services swap in.
 */
export * as MemoryEvents from "./MemoryEvents.ts"
export * as MemoryStore from "./MemoryStore.ts"
export * as Randomness from "./Randomness.ts"
export * as RateLimits from "./RateLimits.ts"
export * as Repositories from "./Repositories.ts"
export * as WebhookStore from "./WebhookStore.ts"
export { ConstraintViolation, Database } from "./Database.ts"
export { DeadlockDetected } from "./Transaction.ts"
