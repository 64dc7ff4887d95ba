/**
 * The request being served, read from the fiber's context in the same step as the code that needs it. The router's
 * global middlewares run on every request; `Effect.flatMap(Effect.service(HttpServerRequest), f)` costs them two
 * steps of the fiber where this costs one (docs/benchmarks.md, "HTTP server", stage 16: about 1 µs per step in the
 * server). Outside a request (no `HttpServerRequest` in the context) the effect dies, as `Effect.service` does.
 */
import { Context, Effect } from "effect"
import { HttpServerRequest } from "effect/http"

export const withRequest = <A, E, R>(
  f: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withFiber((fiber) => f(Context.getUnsafe(fiber.context, HttpServerRequest.HttpServerRequest)))
