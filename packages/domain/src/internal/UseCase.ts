/**
 * How a use case is defined: `UseCase.fn("CheckoutService.create")(function*(caller, input) { ... })`.
 *
 * When the calling fiber traces (`References.TracerEnabled`, effect's default), the call is
 * `Effect.fn("CheckoutService.create")(body, SpanAttributes.annotate(...))`: a span named after the use case with the
 * attributes of `SpanAttributes`, and the call-site stack frame. When tracing is off (the server's setting unless
 * OpenTelemetry export is configured), the same body runs as `Effect.fnUntraced` under a stack frame that carries the
 * use case's name but no captured call site: error reports still name the use case, and the call skips the span
 * machinery that `Effect.fn` runs even with tracing off (a no-op span, an exit observer, a captured `Error`; about
 * 40 µs of a create in the server, docs/benchmarks.md, "Upstream proposal: `Effect.fn` with tracing off").
 * The choice is made per call, so tracing turned on for one request traces that request.
 */
import { Effect, References } from "effect"
import * as SpanAttributes from "./SpanAttributes.ts"

const noStack = () => undefined

/** `Effect.fn(name)` with the use case's span attributes when tracing, `Effect.fnUntraced` under a named frame when not. */
export const fn = (name: string): Effect.fn.Untraced =>
  ((body: (...args: Array<any>) => any) => {
    const traced: (...args: Array<any>) => Effect.Effect<any, any, any> = Effect.fn(name)(
      body as any,
      SpanAttributes.annotate(name)
    )
    const untraced: (...args: Array<any>) => Effect.Effect<any, any, any> = Effect.fnUntraced(body as any)
    const frame = (parent: References.StackFrame | undefined): References.StackFrame => ({ name, stack: noStack, parent })
    const call = function(this: unknown, ...args: Array<any>) {
      return Effect.withFiber((fiber) =>
        fiber.getRef(References.TracerEnabled)
          ? traced.apply(this, args)
          : Effect.updateService(untraced.apply(this, args), References.CurrentStackFrame, frame)
      )
    }
    return Object.defineProperty(call, "length", { value: body.length, configurable: true })
  }) as Effect.fn.Untraced
