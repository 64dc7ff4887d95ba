/**
 * The use cases open their named spans when a tracer is on, and none when tracing is off (the server's setting),
 * which is what makes `Tracing.fn` cheaper than `Effect.fn`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, References, Tracer } from "effect"
import * as Tracing from "../../../domain/src/Tracing.ts"
import * as W from "./CheckoutWorld.ts"

/** A tracer that remembers the names of the spans it was asked to open. */
const recording = () => {
  const names: Array<string> = []
  const tracer = Tracer.make({
    span(options) {
      names.push(options.name)
      return new Tracer.NativeSpan(options)
    }
  })
  return { names, tracer }
}

const double = Tracing.fn("Test.double")(function*(n: number) {
  const span = yield* Effect.option(Effect.currentSpan)
  return { value: n * 2, span: span._tag === "Some" ? span.value.name : null }
})

describe("Tracing.fn", () => {
  it.effect("runs the body inside a span of that name when tracing is on", () =>
    Effect.gen(function*() {
      const { names, tracer } = recording()
      const result = yield* double(21).pipe(Effect.provideService(Tracer.Tracer, tracer))
      assert.deepStrictEqual(result, { value: 42, span: "Test.double" })
      assert.deepStrictEqual(names, ["Test.double"])
    }))

  it.effect("opens no span when tracing is off", () =>
    Effect.gen(function*() {
      const { names, tracer } = recording()
      const result = yield* double(21).pipe(
        Effect.provideService(Tracer.Tracer, tracer),
        Effect.provideService(References.TracerEnabled, false)
      )
      assert.deepStrictEqual(result, { value: 42, span: null })
      assert.deepStrictEqual(names, [])
    }))

  it.effect("names the use case's span (CheckoutService.create)", () =>
    W.run(Effect.gen(function*() {
      const { names, tracer } = recording()
      yield* W.service.use((s) => s.create(W.caller, { products: [W.fixed.id] })).pipe(
        Effect.provideService(Tracer.Tracer, tracer)
      )
      assert.include(names, "CheckoutService.create")
    })))
})
