/**
 * A bounded map that forgets its least recently used key first: what the per-value memos are bounded with (the
 * domain's remembered views, the PostgreSQL store's decoded rows). Reading a key makes it the most recently used.
 */

export interface Lru<K, V> {
  /** The value held for `key`, which becomes the most recently used; `undefined` when none is held. */
  readonly get: (key: K) => V | undefined
  /** Holds `value` for `key` as the most recently used; past the capacity, the least recently used is forgotten. */
  readonly set: (key: K, value: V) => void
  /** How many keys are held. */
  readonly size: () => number
}

/** An empty map holding at most `capacity` keys. */
export const make = <K, V>(capacity: number): Lru<K, V> => {
  // A Map iterates in insertion order: re-inserting a key on each use keeps the least recently used first.
  const entries = new Map<K, V>()
  return {
    get: (key) => {
      const value = entries.get(key)
      if (value !== undefined) {
        entries.delete(key)
        entries.set(key, value)
      }
      return value
    },
    set: (key, value) => {
      entries.delete(key)
      entries.set(key, value)
      if (entries.size > capacity) entries.delete(entries.keys().next().value!)
    },
    size: () => entries.size
  }
}
