/**
 * What the fake payment processor (FakePaymentProcessor.ts) holds per idempotency key: the answer it gave (for a
 * lost answer, what really happened), the request's parameters to compare a replay with, and the attempt's checkout,
 * kind and amount. Indexed by key, by intent id and by checkout (newest last), so a confirm, a lookup and a refund
 * each cost O(1) (a checkout's own attempts aside), however many attempts are held. With a `limit`, the oldest key
 * is forgotten first once more are held (Stripe forgets a key after 24 hours), so a long-running server's memory
 * stays bounded. Imports `effect` only (the server loads it at run time).
 */
import type { ConfirmInput, ConfirmOutcome } from "../ports/PaymentProcessor.ts"

/** One held attempt. */
export interface Held {
  readonly outcome: ConfirmOutcome
  /** The request's parameters in canonical form, or their `digest` (what a replay must repeat). */
  readonly params: string
  readonly checkoutId: string
  readonly kind: ConfirmInput["kind"]
  readonly amount: number
}

export interface HeldAttempts {
  /** The attempt held for an idempotency key. */
  readonly get: (idempotencyKey: string) => Held | undefined
  /** Holds an attempt for a key not held yet; beyond the limit, forgets the oldest key. */
  readonly add: (idempotencyKey: string, held: Held) => void
  /** The held attempt that created this intent. */
  readonly byIntentId: (intentId: string) => Held | undefined
  /** The checkout's newest held attempt of this kind (any kind for null) that was not declined. */
  readonly newestFor: (checkoutId: string, kind: ConfirmInput["kind"] | null) => Held | undefined
  /** How many keys are held now. */
  readonly size: () => number
  /** Attempts ever held that were not declined (charges or setups made), forgotten ones included. */
  readonly charges: () => number
}

/**
 * A 53-bit digest of a text (cyrb53: two 32-bit multiplicative hashes), as 14 hex digits: what a bounded processor
 * compares a replay's parameters by. Not cryptographic: a collision would replay an answer instead of refusing the
 * reused key, at odds of about 2^-53 per reuse.
 */
export const digest = (text: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0")
}

const intentIdOf = (held: Held): string | null => ("intentId" in held.outcome ? held.outcome.intentId : null)

/**
 * A Map that forgets its oldest keys (the first set) once it holds more than `limit`, calling `onForget` for each.
 * The order is its own queue of keys: a Map's own iterator would step over every deleted entry still in its table.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>()
  private order: Array<K> = []
  private head = 0
  private readonly limit: number
  private readonly onForget: (key: K, value: V) => void

  constructor(limit: number, onForget: (key: K, value: V) => void = () => {}) {
    this.limit = Math.max(1, Math.floor(limit))
    this.onForget = onForget
  }

  get size(): number {
    return this.map.size
  }

  get(key: K): V | undefined {
    return this.map.get(key)
  }

  values(): IterableIterator<V> {
    return this.map.values()
  }

  set(key: K, value: V): void {
    if (!this.map.has(key) && this.limit !== Infinity) this.order.push(key)
    this.map.set(key, value)
    while (this.map.size > this.limit && this.head < this.order.length) {
      const oldest = this.order[this.head++]!
      const forgotten = this.map.get(oldest)
      this.map.delete(oldest)
      if (forgotten !== undefined) this.onForget(oldest, forgotten)
    }
    // Drop the forgotten part of the queue once it is most of it (amortised O(1) per key).
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.head = 0
    }
  }
}

/** An empty store; `limit` (default: none) is how many keys it holds at most. */
export const make = (limit: number = Infinity): HeldAttempts => {
  const byIntent = new Map<string, Held>()
  /** Per checkout, its attempts that were not declined, oldest first. */
  const byCheckout = new Map<string, Array<Held>>()
  let charges = 0

  const forget = (_key: string, held: Held) => {
    const intentId = intentIdOf(held)
    if (intentId !== null && byIntent.get(intentId) === held) byIntent.delete(intentId)
    const attempts = byCheckout.get(held.checkoutId)
    if (attempts === undefined) return
    const at = attempts.indexOf(held)
    if (at >= 0) attempts.splice(at, 1)
    if (attempts.length === 0) byCheckout.delete(held.checkoutId)
  }
  const byKey = new BoundedMap<string, Held>(limit, forget)

  return {
    get: (key) => byKey.get(key),
    add: (key, held) => {
      const intentId = intentIdOf(held)
      if (intentId !== null && !byIntent.has(intentId)) byIntent.set(intentId, held)
      if (held.outcome._tag !== "Declined") {
        charges++
        const attempts = byCheckout.get(held.checkoutId)
        if (attempts === undefined) byCheckout.set(held.checkoutId, [held])
        else attempts.push(held)
      }
      byKey.set(key, held)
    },
    byIntentId: (intentId) => byIntent.get(intentId),
    newestFor: (checkoutId, kind) => {
      const attempts = byCheckout.get(checkoutId)
      if (attempts === undefined) return undefined
      for (let i = attempts.length - 1; i >= 0; i--) {
        const held = attempts[i]!
        if (kind === null || held.kind === kind) return held
      }
      return undefined
    },
    size: () => byKey.size,
    charges: () => charges
  }
}
