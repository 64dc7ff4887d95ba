/**
 * `internal/Now.now`: the instant `DateTime.now` gives, from the same `Clock` (so `TestClock` moves it).
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect } from "effect"
import { TestClock } from "effect/testing"
import * as Now from "../src/internal/Now.ts"

describe("Now.now", () => {
  it.effect("reads the fiber's clock, as DateTime.now does", () =>
    Effect.gen(function*() {
      expect(DateTime.toEpochMillis(yield* Now.now)).toBe(DateTime.toEpochMillis(yield* DateTime.now))
      yield* TestClock.adjust(Duration.hours(25))
      const moved = yield* Now.now
      expect(DateTime.toEpochMillis(moved)).toBe(DateTime.toEpochMillis(yield* DateTime.now))
      expect(DateTime.toEpochMillis(moved)).toBe(25 * 3_600_000)
      expect(DateTime.isUtc(moved)).toBe(true)
    }))
})
