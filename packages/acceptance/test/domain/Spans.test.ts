/**
 * The use cases run inside spans named after them (`Effect.fn("CheckoutService.create")`): a tracer sees them when
 * tracing is on, and is never called when it is off (the server's setting).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, References, Tracer } from "effect"
import * as W from "./CheckoutWorld.ts"

/** A tracer that remembers the spans it was asked to open (and their names). */
const recording = () => {
  const names: Array<string> = []
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span(options) {
      names.push(options.name)
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { names, spans, tracer }
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

  it.effect("sets the checkout id, organization id, status and outcome on the span, never the buyer's e-mail", () =>
    W.run(Effect.gen(function*() {
      const { spans, tracer } = recording()
      const created = yield* W.service.use((s) =>
        s.create(W.caller, { products: [W.fixed.id], customerEmail: "buyer@example.com" })
      ).pipe(Effect.provideService(Tracer.Tracer, tracer))
      const failed = yield* W.service.use((s) => s.clientGet("no-such-secret")).pipe(
        Effect.provideService(Tracer.Tracer, tracer),
        Effect.flip
      )
      const create = spans.find((s) => s.name === "CheckoutService.create")!
      assert.deepStrictEqual(Object.fromEntries(create.attributes), {
        "organization.id": created.checkout.organizationId,
        "checkout.id": created.checkout.id,
        "checkout.status": "open",
        outcome: "success"
      })
      const get = spans.find((s) => s.name === "CheckoutService.clientGet")!
      assert.deepStrictEqual(Object.fromEntries(get.attributes), { outcome: failed._tag })
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
