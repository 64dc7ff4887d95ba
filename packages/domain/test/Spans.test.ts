/**
 * The use cases run inside spans named after them (`Effect.fn("CheckoutService.create")`): a tracer sees them when
 * tracing is on, and is never called when it is off (the server's setting).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, References, Tracer } from "effect"
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

const createAndGet = Effect.gen(function*() {
  const created = yield* W.service.use((s) => s.create(W.caller, { products: [W.fixed.id] }))
  yield* W.service.use((s) => s.clientGet(created.checkout.clientSecret))
  return created
})

describe("use-case spans", () => {
  it.effect("names the use cases' spans (CheckoutService.create, CheckoutService.clientGet)", () =>
    W.run(Effect.gen(function*() {
      const { names, tracer } = recording()
      yield* createAndGet.pipe(Effect.provideService(Tracer.Tracer, tracer))
      assert.include(names, "CheckoutService.create")
      assert.include(names, "CheckoutService.clientGet")
    })))

  it.effect("opens no span when tracing is off, and the use cases still answer", () =>
    W.run(Effect.gen(function*() {
      const { names, tracer } = recording()
      const created = yield* createAndGet.pipe(
        Effect.provideService(Tracer.Tracer, tracer),
        Effect.provideService(References.TracerEnabled, false)
      )
      assert.strictEqual(created.checkout.status, "open")
      assert.deepStrictEqual(names, [])
    })))
})
