import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Tiers from "../src/Tiers.ts"
import { seatTiers } from "./Fixtures.ts"

const volume = seatTiers("volume", [[1, 4, 1000], [5, 9, 800], [10, null, 500]])
const graduated = seatTiers("graduated", [[1, 4, 1000], [5, 9, 800], [10, null, 500]])

describe("Tiers", () => {
  it.each([
    [0, 0],
    [1, 1000],
    [4, 4000],
    [5, 4000],
    [9, 7200],
    [10, 5000],
    [100, 50_000]
  ])("volume: %d seats -> %d (all seats at the rate of the tier the count falls in)", (seats, expected) => {
    expect(Tiers.seatAmount(volume, seats)).toBe(expected)
  })

  it.each([
    [0, 0],
    [1, 1000],
    [4, 4000],
    [5, 4800],
    [9, 4000 + 5 * 800],
    [10, 4000 + 4000 + 500],
    [100, 4000 + 4000 + 91 * 500]
  ])("graduated: %d seats -> %d (each slice at its own tier's rate)", (seats, expected) => {
    expect(Tiers.seatAmount(graduated, seats)).toBe(expected)
  })

  it("reads unsorted seat tiers by their minimum, as the reference sorts them", () => {
    const unsorted = seatTiers("graduated", [[5, null, 800], [1, 4, 1000]])
    expect(Tiers.fromSeatTiers(unsorted).tiers).toEqual([{ bound: 4, unitAmount: 1000 }, { bound: null, unitAmount: 800 }])
    expect(Tiers.seatAmount(unsorted, 6)).toBe(4000 + 1600)
    expect(Tiers.seatBounds(unsorted)).toEqual({ min: 1, max: null })
  })

  it("bounds: first tier's minimum to last tier's maximum", () => {
    expect(Tiers.seatBounds(seatTiers("volume", [[2, 20, 1500]]))).toEqual({ min: 2, max: 20 })
    expect(Tiers.seatBounds(volume)).toEqual({ min: 1, max: null })
  })

  it("free when every rate is 0", () => {
    expect(Tiers.isFree(seatTiers("volume", [[1, null, 0]]))).toBe(true)
    expect(Tiers.isFree(seatTiers("volume", [[1, 3, 0], [4, null, 1]]))).toBe(false)
  })

  it("volume and graduated agree on a single tier (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
        (rate, seats, max) => {
          const bound = max === null ? null : Math.max(max, seats)
          const v = Tiers.seatAmount(seatTiers("volume", [[1, bound, rate]]), seats)
          const g = Tiers.seatAmount(seatTiers("graduated", [[1, bound, rate]]), seats)
          expect(v).toBe(g)
          expect(v).toBe(rate * seats)
        }
      ),
      { numRuns: 200 }
    )
  })

  it("graduated never exceeds pricing every seat at the highest rate, and is monotone in seats (property)", () => {
    const tiersArb = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 5 }).chain((rates) =>
      fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: rates.length - 1, maxLength: rates.length - 1 }).map(
        (bounds) => {
          const sorted = [...bounds].sort((a, b) => a - b)
          let min = 1
          return rates.map((rate, i) => {
            const max = sorted[i] ?? null
            const tier = [min, max, rate] as const
            if (max !== null) min = max + 1
            return tier
          })
        }
      )
    )
    fc.assert(
      fc.property(tiersArb, fc.integer({ min: 0, max: 1000 }), (tiers, seats) => {
        const g = seatTiers("graduated", tiers)
        const top = Math.max(...tiers.map((t) => t[2]))
        const amount = Tiers.seatAmount(g, seats)
        expect(amount).toBeLessThanOrEqual(top * seats)
        expect(Tiers.seatAmount(g, seats + 1)).toBeGreaterThanOrEqual(amount)
        expect(Number.isSafeInteger(amount)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})
