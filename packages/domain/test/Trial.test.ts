/**
 * Trial.trialEnd: days and weeks are added to the instant as exact multiples of 24 h; the result must be what
 * effect's calendar arithmetic (`DateTime.add`) gives, for any instant and count.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as fc from "fast-check"
import * as Trial from "../src/Trial.ts"

// 1900-01-01 .. 2200-01-01, in milliseconds.
const instant = fc.integer({ min: -2_208_988_800_000, max: 7_258_118_400_000 }).map((ms) => DateTime.makeUnsafe(ms))
const count = fc.integer({ min: 1, max: 1000 })

describe("Trial.trialEnd", () => {
  it("adds days and weeks exactly as DateTime.add does", () => {
    fc.assert(fc.property(instant, count, fc.constantFrom("day" as const, "week" as const), (now, n, interval) => {
      const end = Trial.trialEnd(now, { interval, count: n })
      const expected = DateTime.add(now, interval === "day" ? { days: n } : { weeks: n })
      assert.strictEqual(end?.epochMilliseconds, expected.epochMilliseconds)
      assert.isTrue(end !== null && DateTime.isUtc(end))
    }), { numRuns: 2000 })
  })

  it("adds months and years with DateTime.add's end-of-month clamping", () => {
    const jan31 = DateTime.makeUnsafe("2024-01-31T10:00:00Z")
    assert.strictEqual(DateTime.formatIso(Trial.trialEnd(jan31, { interval: "month", count: 1 })!), "2024-02-29T10:00:00.000Z")
    const feb29 = DateTime.makeUnsafe("2024-02-29T10:00:00Z")
    assert.strictEqual(DateTime.formatIso(Trial.trialEnd(feb29, { interval: "year", count: 1 })!), "2025-02-28T10:00:00.000Z")
  })

  it("is null without a trial", () => {
    assert.isNull(Trial.trialEnd(DateTime.makeUnsafe(0), null))
  })
})
