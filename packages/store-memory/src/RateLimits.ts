/**
 * The `RateLimitStore` port in process memory: fixed-window counters and blocks in maps, for one server process
 * (several processes need the PostgreSQL store's counters, which they share). Each `hit` runs without yielding, so
 * concurrent requests never both take the last slot. Entries whose windows and blocks have all ended are dropped
 * as the map is touched, so memory stays bounded by the identities active within the longest window.
 */
import { RateLimitStore } from "@checkout-kit/domain"
import type { RateLimitDecision, RateLimitRule } from "@checkout-kit/domain"
import { Clock, Effect, Layer } from "effect"

interface Counter {
  count: number
  /** Epoch milliseconds at which the window ends. */
  endsAt: number
}

const allowed: RateLimitDecision = { _tag: "Allowed" }
const limited = (ms: number): RateLimitDecision => ({ _tag: "Limited", retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) })

/** A fresh, empty store (one per process). */
export const make: Effect.Effect<RateLimitStore["Service"]> = Effect.sync(() => {
  const counters = new Map<string, Counter>()
  const blocks = new Map<string, number>()
  let sweepAt = 0
  const sweep = (now: number) => {
    if (now < sweepAt) return
    sweepAt = now + 60_000
    for (const [key, counter] of counters) if (counter.endsAt <= now) counters.delete(key)
    for (const [key, until] of blocks) if (until <= now) blocks.delete(key)
  }
  const hit = (identity: string, rule: RateLimitRule, now: number): RateLimitDecision => {
    sweep(now)
    const blockedUntil = blocks.get(identity)
    if (blockedUntil !== undefined && blockedUntil > now) return limited(blockedUntil - now)
    const windows = rule.windows.map((window) => {
      const key = `${rule.zone}\u0000${identity}\u0000${window.seconds}`
      let counter = counters.get(key)
      if (counter === undefined || counter.endsAt <= now) {
        counter = { count: 0, endsAt: now + window.seconds * 1000 }
        counters.set(key, counter)
      }
      return { window, counter }
    })
    // Refused until every full window has ended.
    const fullUntil = windows.reduce(
      (until, { counter, window }) => counter.count >= window.limit ? Math.max(until, counter.endsAt) : until,
      0
    )
    if (fullUntil > 0) {
      if (rule.blockSeconds === null) return limited(fullUntil - now)
      blocks.set(identity, now + rule.blockSeconds * 1000)
      return limited(rule.blockSeconds * 1000)
    }
    for (const { counter } of windows) counter.count++
    return allowed
  }
  return {
    hit: (identity, rule) => Effect.map(Clock.currentTimeMillis, (now) => hit(identity, rule, now))
  }
})

/** The memory store as a layer (its counters live as long as the layer). */
export const layer: Layer.Layer<RateLimitStore> = Layer.effect(RateLimitStore, make)
