/**
 * `internal/UseCase.fn`: `Effect.fn` (a span with the use case's attributes) when the fiber traces, the same body
 * untraced under a stack frame named after the use case when it does not; the choice is made per call.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, References, Tracer } from "effect"
import * as UseCase from "../src/internal/UseCase.ts"

const recording = () => {
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer }
}

/** A use case that answers its arguments, `this`, and the name of the innermost stack frame it runs under. */
const probe = UseCase.fn("CheckoutService.probe")(function*(this: unknown, caller: { organizationId: string }, n: number) {
  const frame = yield* References.CurrentStackFrame
  return { caller, n, self: this, frame: frame?.name }
})

const failing = UseCase.fn("CheckoutService.failing")(function*(_: number) {
  return yield* Effect.fail({ _tag: "CheckoutNotFound" } as const)
})

describe("UseCase.fn", () => {
  it.effect("tracing on: one span named after the use case, with its attributes, under its stack frame", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recording()
      const answer = yield* probe({ organizationId: "org-1" }, 7).pipe(Effect.provideService(Tracer.Tracer, tracer))
      assert.deepStrictEqual(answer.n, 7)
      assert.strictEqual(answer.frame, "CheckoutService.probe")
      assert.deepStrictEqual(spans.map((s) => s.name), ["CheckoutService.probe"])
      assert.deepStrictEqual(Object.fromEntries(spans[0]!.attributes), { "organization.id": "org-1", outcome: "success" })
      const failed = yield* failing(1).pipe(Effect.provideService(Tracer.Tracer, tracer), Effect.exit)
      assert.isTrue(Exit.isFailure(failed))
      assert.deepStrictEqual(Object.fromEntries(spans[1]!.attributes), { outcome: "CheckoutNotFound" })
    }))

  it.effect("tracing off: no span, the same answer, under a stack frame that still names the use case", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recording()
      const answer = yield* probe({ organizationId: "org-1" }, 7).pipe(
        Effect.provideService(Tracer.Tracer, tracer),
        Effect.provideService(References.TracerEnabled, false)
      )
      assert.strictEqual(answer.n, 7)
      assert.strictEqual(answer.caller.organizationId, "org-1")
      assert.strictEqual(answer.frame, "CheckoutService.probe")
      assert.deepStrictEqual(spans, [])
      const failed = yield* failing(1).pipe(Effect.provideService(References.TracerEnabled, false), Effect.flip)
      assert.strictEqual(failed._tag, "CheckoutNotFound")
    }))

  it.effect("decides per call, and keeps the body's arity and `this`", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recording()
      const traced = Effect.provideService(Tracer.Tracer, tracer)
      yield* probe({ organizationId: "a" }, 1).pipe(Effect.provideService(References.TracerEnabled, false), traced)
      yield* probe({ organizationId: "b" }, 2).pipe(traced)
      assert.deepStrictEqual(spans.map((s) => s.attributes.get("organization.id")), ["b"])
      assert.strictEqual(probe.length, 2)
      const self = { probe }
      const answer = yield* self.probe({ organizationId: "c" }, 3).pipe(Effect.provideService(References.TracerEnabled, false))
      assert.strictEqual(answer.self, self)
    }))
})
