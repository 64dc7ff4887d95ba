/**
 * @checkout-kit/webhooks: delivery of committed checkout events to merchant endpoints, Polar-compatible: Standard
 * Webhooks signatures (`Signing`), safe targets with a deadline and capped reads (`Target`), and the worker that
 * relays, claims, sends, retries and records (`Worker`).
 */
export * as Signing from "./Signing.ts"
export * as Target from "./Target.ts"
export * as Worker from "./Worker.ts"
