import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Fiber, Layer, Schema, Scope } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import type { AddressInfo } from "node:net"
import * as Server from "../src/Server.ts"

/** Starts `routes` on 127.0.0.1:0 in a fresh scope; returns the base URL and the scope that owns the server. */
const start = <E>(routes: Layer.Layer<never, E, HttpRouter.HttpRouter>) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(Server.serve(routes, { host: "127.0.0.1", port: 0 }), scope)
    const url = yield* Server.baseUrl.pipe(Effect.provideContext(context))
    return { url, scope }
  })

const fetchText = (url: string, init?: RequestInit) =>
  Effect.promise(async () => {
    const res = await fetch(url, init)
    return { status: res.status, headers: res.headers, body: await res.text() }
  })

describe("createGuardedServer", () => {
  it.live("answers 503 with Retry-After until a request handler is attached, then steps aside", () =>
    Effect.gen(function*() {
      const server = Server.createGuardedServer()
      yield* Effect.callback<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void)))
      yield* Effect.addFinalizer(() => Effect.callback<void>((resume) => void server.close(() => resume(Effect.void))))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`

      const early = yield* fetchText(url)
      assert.strictEqual(early.status, 503)
      assert.strictEqual(early.headers.get("retry-after"), "1")
      assert.strictEqual(JSON.parse(early.body).detail, "The server is starting. Please retry.")

      server.on("request", (_req, res) => res.end("ready"))
      const late = yield* fetchText(url)
      assert.strictEqual(late.status, 200)
      assert.strictEqual(late.body, "ready")
      assert.strictEqual(server.listenerCount("request"), 1)
    }).pipe(Effect.scoped))
})

describe("serve", () => {
  it.live("serves GET /healthz on a loopback port", () =>
    Effect.gen(function*() {
      const { scope, url } = yield* start(Server.healthRoute)
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/u)
      const res = yield* fetchText(`${url}/healthz`)
      assert.strictEqual(res.status, 200)
      assert.deepStrictEqual(JSON.parse(res.body), { status: "ok" })
      assert.strictEqual((yield* fetchText(`${url}/nope`)).status, 404)
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("shutdown lets in-flight requests finish, then closes the port", () =>
    Effect.gen(function*() {
      const entered = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const slow = HttpRouter.add(
        "GET",
        "/slow",
        Effect.gen(function*() {
          yield* Deferred.succeed(entered, undefined)
          yield* Deferred.await(release)
          return HttpServerResponse.text("done")
        })
      )
      const { scope, url } = yield* start(Layer.mergeAll(slow, Server.healthRoute))
      const inFlight = yield* Effect.forkChild(fetchText(`${url}/slow`))
      yield* Deferred.await(entered)

      const closing = yield* Effect.forkChild(Scope.close(scope, Exit.void))
      // Closing does not finish while a request is in flight...
      yield* Effect.sleep("50 millis")
      assert.isUndefined(closing.pollUnsafe())
      // ...and new connections are already refused.
      const refused = yield* Effect.exit(Effect.tryPromise(() => fetch(`${url}/healthz`)))
      assert.isTrue(Exit.isFailure(refused))

      yield* Deferred.succeed(release, undefined)
      const finished = yield* Fiber.await(inFlight)
      assert.isTrue(Exit.isSuccess(finished))
      assert.deepStrictEqual(Exit.isSuccess(finished) ? [finished.value.status, finished.value.body] : [], [200, "done"])
      yield* Fiber.await(closing)
    }), { timeout: 10_000 })

  // An embedder may provide settings (e.g. CheckoutConfig.Urls) to the routes only, or override a server-wide one
  // there: every request's handler must see the routes' services, the routes' value winning.
  it.live("a request reaches its HttpApi handler with the services provided to the routes, theirs winning", () =>
    Effect.gen(function*() {
      class RoutesOnly extends Context.Service<RoutesOnly, string>()("Server.test/RoutesOnly") {}
      class Both extends Context.Service<Both, string>()("Server.test/Both") {}
      const Report = Schema.Struct({ routesOnly: Schema.String, both: Schema.String })
      class ProbeGroup extends HttpApiGroup.make("probe").add(HttpApiEndpoint.get("probe", "/probe", { success: Report })) {}
      class ProbeApi extends HttpApi.make("probe").add(ProbeGroup) {}
      const probe = HttpApiBuilder.group(ProbeApi, "probe", (handlers) =>
        handlers.handle("probe", () =>
          Effect.sync(() => {
            const context = Fiber.getCurrent()!.context
            return {
              routesOnly: Context.getOrUndefined(context, RoutesOnly) ?? "missing",
              both: Context.getOrUndefined(context, Both) ?? "missing"
            }
          })))
      const routes = HttpApiBuilder.layer(ProbeApi).pipe(
        Layer.provide(probe),
        Layer.provide([Layer.succeed(RoutesOnly, "routes"), Layer.succeed(Both, "routes")])
      )
      const scope = yield* Scope.make()
      const served = Server.serve(routes, { host: "127.0.0.1", port: 0 }).pipe(Layer.provide(Layer.succeed(Both, "server")))
      const url = yield* Server.baseUrl.pipe(Effect.provideContext(yield* Layer.buildWithScope(served, scope)))
      for (let i = 0; i < 3; i++) {
        const res = yield* fetchText(`${url}/probe`)
        assert.strictEqual(res.status, 200)
        assert.deepStrictEqual(JSON.parse(res.body), { routesOnly: "routes", both: "routes" })
      }
      yield* Scope.close(scope, Exit.void)
    }))
})
