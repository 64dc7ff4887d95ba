import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Rounding from "../src/Rounding.ts"

/**
 * An independent transcription of the reference expression, `polar_round(amount * (basis_points / 10_000))` with
 * `polar_round(x) = ceil(x) if x - int(x) >= 0.5 else floor(x)` (x >= 0): the oracle our implementation must match
 * bit for bit.
 */
const referenceOracle = (amount: number, bp: number): number => {
  const x = amount * (bp / 10_000)
  return x - Math.trunc(x) >= 0.5 ? Math.ceil(x) : Math.floor(x)
}

/** Exact rational rounding (half away from zero) of amount * bp / 10000, in integers: what the reference is NOT. */
const exactRational = (amount: number, bp: number): number => {
  const n = amount * bp
  const r = n % 10_000
  return (n - r) / 10_000 + (2 * r >= 10_000 ? 1 : 0)
}

describe("Rounding.polarRound", () => {
  it.each([
    [8.5, 9],
    [-8.5, -9],
    [8.4999, 8],
    [-8.4999, -8],
    [0.5, 1],
    [-0.5, -1],
    [0, 0],
    [2.5, 3],
    [499.75, 500],
    [1.5, 2],
    [33.33, 33],
    [1.4999999999999998, 1]
  ])("polarRound(%d) = %d", (x, expected) => {
    expect(Rounding.polarRound(x)).toBe(expected)
  })

  it("is symmetric around zero", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        expect(Rounding.polarRound(-x)).toBe(0 - Rounding.polarRound(x))
      }),
      { numRuns: 200 }
    )
  })
})

describe("Rounding.basisPointsOf: the reference's float expression, bit for bit", () => {
  // spec 3.4: "Verified in Python and Node"
  it.each([
    [2500, 6, 1],
    [1500, 90, 13],
    [750, 180, 13],
    [1999, 2500, 500],
    [3, 5000, 2],
    [100, 3333, 33],
    [2000, 5000, 1000],
    [119_900, 2500, 29_975]
  ])("(%d, %d bp) -> %d", (amount, bp, expected) => {
    expect(Rounding.basisPointsOf(amount, bp)).toBe(expected)
  })

  it("the float cases differ from exact arithmetic (2500, 6bp) -> 1 not 2", () => {
    expect(2500 * (6 / 10_000)).toBe(1.4999999999999998)
    expect(exactRational(2500, 6)).toBe(2)
    expect(Rounding.basisPointsOf(2500, 6)).toBe(1)
  })

  it("equals the reference oracle for every amount < 3000 and bp 1..10000; exact arithmetic differs in 765 cases", () => {
    let mismatches = 0
    let exactDiffers = 0
    let floatBelowExact = 0
    for (let amount = 0; amount < 3000; amount++) {
      for (let bp = 1; bp <= 10_000; bp++) {
        const ours = Rounding.basisPointsOf(amount, bp)
        if (ours !== referenceOracle(amount, bp)) mismatches++
        const exact = exactRational(amount, bp)
        if (exact !== ours) {
          exactDiffers++
          if (ours < exact) floatBelowExact++
        }
      }
    }
    expect(mismatches).toBe(0)
    // The figure quoted in docs/pricing.md: every difference is the float product landing just below .5.
    expect(exactDiffers).toBe(765)
    expect(floatBelowExact).toBe(765)
  })

  it("equals the oracle on large amounts too (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 1, max: 10_000 }), (amount, bp) => {
        expect(Rounding.basisPointsOf(amount, bp)).toBe(referenceOracle(amount, bp))
      }),
      { numRuns: 200 }
    )
  })
})

describe("Rounding.allocateLargestRemainder", () => {
  it.each([
    [1500, [1000, 1000], [750, 750]],
    [750, [300, 1200], [150, 600]],
    [100, [100, 200], [33, 67]],
    [0, [1000, 1000], [0, 0]],
    [10, [1, 1, 1], [4, 3, 3]],
    [5, [0, 0], [0, 0]],
    [5, [], []]
  ])("%d over %j -> %j", (total, weights, expected) => {
    expect(Rounding.allocateLargestRemainder(total, weights)).toEqual(expected)
  })

  it("parts always sum to the total and each part is within 1 of its exact share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const parts = Rounding.allocateLargestRemainder(total, weights)
          const sum = weights.reduce((a, b) => a + b, 0)
          if (sum === 0) return parts.every((p) => p === 0)
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
          parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(1))
          return true
        }
      ),
      { numRuns: 200 }
    )
  })
})
