/**
 * Our patch of effect's `Context.merge` (patches/effect@4.1.0.patch, see patches/README.md) and the serving
 * context's overlay allowance (`Server.withContextDepth`):
 * - the patched merge gives the same services as a plain map union, whatever the shapes (overlays over a base,
 *   repeated keys, keys of `that` shadowing overlays), the first time and when the same `that` is merged over the
 *   same base again (the cached path);
 * - on a real server, a request reaches its HttpApi handler with the route group's services (routes-only ones,
 *   and the group's value where the server's context holds another), without its context having been copied into
 *   a new map on the way (it still has overlays, and Server's allowance of 16).
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer, Schema, Scope } from "effect"
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import * as fc from "fast-check"
import * as Server from "../src/Server.ts"

/** Internal fields of effect's context representation, read to check that a request's context was not copied. */
interface ContextInternals {
  readonly depth: number
  readonly maxDepth: number
}
const internals = (context: Context.Context<never>) => context as unknown as ContextInternals

const keys = ["a", "b", "c", "d", "e", "f"] as const
const services = new Map(keys.map((k) => [k, Context.Service<unknown>(`ContextMerge.test/${k}`)]))
const service = (k: string) => services.get(k as (typeof keys)[number])!

/** A context built the way fibers build theirs: a base map, then `Context.add`s (overlays, repeated keys allowed). */
const arbContext = fc.record({
  base: fc.dictionary(fc.constantFrom(...keys), fc.integer({ min: 0, max: 3 })),
  adds: fc.array(fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 0, max: 3 })), { maxLength: 12 }),
  maxDepth: fc.integer({ min: 0, max: 16 })
})

type Spec = { readonly base: Record<string, number>; readonly adds: ReadonlyArray<readonly [string, number]>; readonly maxDepth: number }

/** Values are shared objects per (key, n), so that `===` equality between contexts is meaningful. */
const values = new Map<string, object>()
const value = (key: string, n: number) => {
  const id = `${key}${n}`
  let v = values.get(id)
  if (v === undefined) values.set(id, v = { id })
  return v
}

const build = (spec: Spec, base?: Map<string, unknown>) => {
  const map = base ?? new Map(Object.entries(spec.base).map(([k, n]) => [service(k).key, value(k, n)]))
  let context = Context.makeUnsafe<never>(map, { maxDepth: spec.maxDepth })
  const expected = new Map<string, unknown>(map)
  for (const [k, n] of spec.adds) {
    context = Context.add(context, service(k), value(k, n)) as Context.Context<never>
    expected.set(service(k).key, value(k, n))
  }
  return { context, expected, map }
}

const entries = (context: Context.Context<never>) => [...context.mapUnsafe].sort(([x], [y]) => x.localeCompare(y))
const sorted = (map: Map<string, unknown>) => [...map].sort(([x], [y]) => x.localeCompare(y))

describe("Context.merge (patched)", () => {
  it("gives the union of both contexts, `that` winning, on first and repeated merges, over the same or another base", () => {
    fc.assert(
      fc.property(arbContext, arbContext, arbContext, (selfSpec, thatSpec, secondSpec) => {
        const that = build(thatSpec).context
        const first = build(selfSpec)
        const union = new Map([...first.expected, ...that.mapUnsafe])
        const merged1 = Context.merge(first.context, that)
        assert.deepStrictEqual(entries(merged1), sorted(union))
        // The same `that` over the same base map again (different overlays): the cached path.
        const second = build({ ...secondSpec, base: selfSpec.base }, first.map)
        const merged2 = Context.merge(second.context, that)
        assert.deepStrictEqual(entries(merged2), sorted(new Map([...second.expected, ...that.mapUnsafe])))
        // Lookups agree with the listing, through the overlays.
        for (const k of keys) {
          const expected = new Map([...second.expected, ...that.mapUnsafe]).get(service(k).key)
          assert.strictEqual(Context.getOrUndefined(merged2, service(k)), expected)
        }
        // The same `that` over another base: the cached map must not be reused.
        const other = build(secondSpec)
        const merged3 = Context.merge(other.context, that)
        assert.deepStrictEqual(entries(merged3), sorted(new Map([...other.expected, ...that.mapUnsafe])))
        // The overlay allowance comes from the first non-empty argument, as with the unpatched merge.
        const source = second.context.mapUnsafe.size > 0 ? second.context : that
        assert.strictEqual(internals(merged2).maxDepth, internals(source).maxDepth)
      }),
      { numRuns: 1_000 }
    )
  })

  it("merging an empty context returns `self`; merging into an empty context returns `that`", () => {
    const self = Context.add(Context.makeUnsafe<never>(new Map([["x", 1]])), service("a"), value("a", 0))
    assert.strictEqual(Context.merge(self, Context.empty()), self)
    const that = Context.make(service("b"), value("b", 0))
    assert.strictEqual(Context.merge(Context.empty(), that), that)
  })
})

// A one-endpoint API whose handler reports what it sees of its fiber's context.
class RoutesOnly extends Context.Service<RoutesOnly, string>()("ContextMerge.test/RoutesOnly") {}
class Both extends Context.Service<Both, string>()("ContextMerge.test/Both") {}

const Report = Schema.Struct({ routesOnly: Schema.String, both: Schema.String, depth: Schema.Number, maxDepth: Schema.Number })
class ProbeGroup extends HttpApiGroup.make("probe").add(HttpApiEndpoint.get("probe", "/probe", { success: Report })) {}
class ProbeApi extends HttpApi.make("probe").add(ProbeGroup) {}

const probe = HttpApiBuilder.group(ProbeApi, "probe", (handlers) =>
  handlers.handle("probe", () =>
    Effect.sync(() => {
      // Read from the fiber's context itself: that is what the per-request merge built.
      const context = Fiber.getCurrent()!.context
      return {
        routesOnly: Context.getOrUndefined(context, RoutesOnly) ?? "missing",
        both: Context.getOrUndefined(context, Both) ?? "missing",
        depth: internals(context).depth,
        maxDepth: internals(context).maxDepth
      }
    })))

const routes = HttpApiBuilder.layer(ProbeApi).pipe(
  Layer.provide(probe),
  Layer.provide([Layer.succeed(RoutesOnly, "routes"), Layer.succeed(Both, "routes")])
)

describe("a request's context on the real server", () => {
  it.live("carries the route group's services and reaches the handler without being copied", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const served = Server.serve(routes, { host: "127.0.0.1", port: 0 }).pipe(Layer.provide(Layer.succeed(Both, "server")))
      const context = yield* Layer.buildWithScope(served, scope)
      const url = yield* Server.baseUrl.pipe(Effect.provideContext(context))
      const get = Effect.promise(async () => (await fetch(`${url}/probe`)).json() as Promise<typeof Report.Type>)
      const first = yield* get
      assert.deepStrictEqual({ routesOnly: first.routesOnly, both: first.both }, { routesOnly: "routes", both: "routes" })
      // From the second request on, the group's services are merged over the cached `base ∪ group` map: the
      // request's own services stay overlays (depth > 0) instead of being copied into a new flat map.
      for (let i = 0; i < 3; i++) {
        const next = yield* get
        assert.deepStrictEqual({ routesOnly: next.routesOnly, both: next.both }, { routesOnly: "routes", both: "routes" })
        assert.isAbove(next.depth, 0)
        assert.strictEqual(next.maxDepth, Server.requestContextDepth)
      }
      yield* Scope.close(scope, Exit.void)
    }))
})
