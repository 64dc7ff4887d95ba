/**
 * Port: the counters behind abuse limits (card testing on confirm, floods on the API). The HTTP edge asks
 * `hit(identity, rule)` before a request reaches a use case; an adapter counts in fixed windows and remembers
 * blocks, in process memory (one process) or in the database (shared by every process, surviving restarts).
 *
 * The semantics are the reference's (asgi-ratelimit's Redis backend, as polar's `rate_limit.py` uses it), and every
 * adapter must keep them exactly (the shared contract suite in `testing/RateLimitContract.ts` checks them):
 * 1. a blocked identity is refused until its block ends, on every rule (a block is per identity, not per zone),
 *    and a refused request counts nowhere;
 * 2. each window of the rule is a fixed window that starts at the first counted request after the previous one
 *    ended (not aligned to the clock);
 * 3. if any window of the rule is full, the request is refused and counts nowhere; when the rule has a block time,
 *    the identity is blocked for that long from now and `retryAfterSeconds` is the block time, else it is the time
 *    until every full window has ended, rounded up (the reference answers the window's whole length there; ours is exact);
 * 4. otherwise every window of the rule counts the request, and it is allowed.
 * Time is the Effect `Clock` of the caller (so tests drive it with TestClock).
 */
import type { Effect } from "effect"
import { Context } from "effect"

/** At most `limit` requests per `seconds`. */
export interface RateLimitWindow {
  readonly seconds: number
  readonly limit: number
}

export interface RateLimitRule {
  /** Counters are per zone and identity: rules with the same zone share their counters. */
  readonly zone: string
  readonly windows: ReadonlyArray<RateLimitWindow>
  /** When a window overflows, refuse the identity everywhere for this long (null: only until the window ends). */
  readonly blockSeconds: number | null
}

export type RateLimitDecision =
  | { readonly _tag: "Allowed" }
  | { readonly _tag: "Limited"; readonly retryAfterSeconds: number }

export class RateLimitStore extends Context.Service<RateLimitStore, {
  /** Counts one request of `identity` under `rule`, or refuses it (see the module comment for the exact rules). */
  readonly hit: (identity: string, rule: RateLimitRule) => Effect.Effect<RateLimitDecision>
}>()("@checkout-kit/domain/RateLimitStore") {}
