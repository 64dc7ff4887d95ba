/** `Lru`: holds at most its capacity, forgets the least recently used key first, and a read makes a key recent. */
import { describe, expect, it } from "@effect/vitest"
import * as Lru from "../src/Lru.ts"

describe("Lru", () => {
  it("forgets the least recently used key past its capacity; get and set both make a key the most recent", () => {
    const lru = Lru.make<string, number>(2)
    lru.set("a", 1)
    lru.set("b", 2)
    expect(lru.get("a")).toBe(1) // "b" is now the least recently used
    lru.set("c", 3)
    expect(lru.get("b")).toBeUndefined()
    expect(lru.get("a")).toBe(1)
    expect(lru.get("c")).toBe(3)
    lru.set("a", 10) // replacing a value makes it recent too: "c" goes next
    lru.set("d", 4)
    expect(lru.get("c")).toBeUndefined()
    expect([lru.get("a"), lru.get("d"), lru.size()]).toEqual([10, 4, 2])
  })

  it("never holds more than its capacity", () => {
    const lru = Lru.make<number, number>(100)
    for (let i = 0; i < 1000; i++) {
      lru.set(i, i)
      if (i % 3 === 0) lru.get(i - 50)
      expect(lru.size()).toBeLessThanOrEqual(100)
    }
    expect(lru.get(999)).toBe(999)
    expect(lru.get(0)).toBeUndefined()
  })
})
