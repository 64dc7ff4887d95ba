/**
 * Spans for the use cases, paid for only when tracing is on.
 *
 * `Effect.fn(name)` captures the call site (`new Error()`) and opens a span on every call: ~2.7 µs per call even
 * with tracing off (`References.TracerEnabled = false`), more than a whole `clientGet` costs in a microbenchmark.
 * `fn(name)` reads `TracerEnabled` first and opens the same named span only when it is on (~0.2 µs when off).
 * What is given up is the call-site frame `Effect.fn` adds to failure traces; spans keep their names.
 */
import { Effect, References } from "effect"

type ErrorOf<Eff> = [Eff] extends [never] ? never : [Eff] extends [Effect.Effect<infer _A, infer E, infer _R>] ? E : never
type ServicesOf<Eff> = [Eff] extends [never] ? never
  : [Eff] extends [Effect.Effect<infer _A, infer _E, infer R>] ? R
  : never

/** Like `Effect.fn(name)(body)`: the body's effect, inside a span called `name` when a tracer is on. */
export const fn = (name: string) =>
<Eff extends Effect.Effect<any, any, any>, AEff, Args extends Array<any>>(
  body: (...args: Args) => Generator<Eff, AEff, never>
): (...args: Args) => Effect.Effect<AEff, ErrorOf<Eff>, ServicesOf<Eff>> => {
  const run = Effect.fnUntraced(body) as (...args: Args) => Effect.Effect<AEff, ErrorOf<Eff>, ServicesOf<Eff>>
  return (...args) =>
    Effect.withFiber((fiber) => fiber.getRef(References.TracerEnabled) ? Effect.withSpan(run(...args), name) : run(...args))
}
