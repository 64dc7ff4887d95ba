/**
 * The memory ProcessedEvents: marks are idempotent and retention is bounded (oldest ids forgotten first), which the
 * endpoint tolerates because a forgotten id only means the idempotent use case runs again.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeMemory, ProcessedEvents } from "../src/ProcessedEvents.ts"

describe("ProcessedEvents.layerMemory", () => {
  it.effect("remembers marked ids, and marking twice is harmless", () =>
    Effect.gen(function*() {
      const store = yield* ProcessedEvents
      expect(yield* store.isProcessed("evt_1")).toBe(false)
      yield* store.markProcessed("evt_1")
      yield* store.markProcessed("evt_1")
      expect(yield* store.isProcessed("evt_1")).toBe(true)
      expect(yield* store.isProcessed("evt_2")).toBe(false)
    }).pipe(Effect.provide(ProcessedEvents.layerMemory())))

  it.effect("keeps only the most recent `capacity` ids; a re-mark does not refresh an id's age", () =>
    Effect.gen(function*() {
      const store = makeMemory(3)
      for (const id of ["a", "b", "c"]) yield* store.markProcessed(id)
      yield* store.markProcessed("a")
      yield* store.markProcessed("d")
      const seen = []
      for (const id of ["a", "b", "c", "d"]) seen.push(yield* store.isProcessed(id))
      expect(seen).toEqual([false, true, true, true])
    }))
})
