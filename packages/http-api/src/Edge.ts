/**
 * Guards at the edge of the router, around every route (a global `HttpRouter` middleware), so that malformed
 * requests get the contract's bodies instead of Effect's bare defaults:
 *
 * - a body larger than the limit gets 413 `{"error":"PayloadTooLarge","detail":...}` (checked on
 *   `Content-Length`, and on the bytes actually read) instead of a 500;
 * - a body with a content type the endpoint does not read gets FastAPI's 422 (`model_attributes_type` at
 *   `["body"]`) instead of a text 415: FastAPI only parses JSON and validates anything else as a non-object;
 * - an unknown route gets 404 `{"detail":"Not Found"}`, as Starlette answers;
 * - an unexpected failure (a defect) gets 500 `{"error":"InternalServerError","detail":"Internal Server Error"}`
 *   instead of an empty body; its cause is logged here, since the answer no longer carries it;
 * - a defect that says it is transient (`isRetryable: true`, as effect's SqlError does when the database connection
 *   is lost or refused, on a deadlock or a lock timeout) gets 503 `{"error":"ServiceUnavailable",...}` with
 *   `Retry-After: 1`: the request did nothing durable and may be retried once the database is back;
 * - every answer, including the ones above, gets the security headers of `ResponseHeaders` (nosniff, no-store).
 */
import { ByteSize, type Cause, Effect, Layer } from "effect"
import { HttpIncomingMessage, HttpRouter, HttpServerError, HttpServerRequest, HttpServerResponse } from "effect/http"
import * as M from "./internal/Messages.ts"
import * as ResponseHeaders from "./ResponseHeaders.ts"
import { withRequest } from "./internal/CurrentRequest.ts"

/** Default request-body limit: 1 MiB, far above any checkout body. */
export const defaultMaxBodyBytes = 1024 * 1024

const tooLarge = (maxBytes: number) =>
  HttpServerResponse.jsonUnsafe(
    { error: "PayloadTooLarge", detail: `Request body exceeds ${maxBytes} bytes.` },
    { status: 413, headers: { connection: "close" } }
  )

const notFound = HttpServerResponse.jsonUnsafe({ detail: "Not Found" }, { status: 404 })

const internalError = HttpServerResponse.jsonUnsafe(
  { error: "InternalServerError", detail: "Internal Server Error" },
  { status: 500 }
)

const unavailable = HttpServerResponse.jsonUnsafe(
  { error: "ServiceUnavailable", detail: "The service is temporarily unavailable. Please retry." },
  { status: 503, headers: { "retry-after": "1" } }
)

const isTransient = (u: unknown): boolean =>
  typeof u === "object" && u !== null && (u as { readonly isRetryable?: unknown }).isRetryable === true

/**
 * The answer the server would give to `cause`; an empty 500 (an unexpected failure) becomes the JSON 500 and the
 * cause is logged. Anything else (declared errors, client aborts) is left to the server, which logs it.
 */
const unexpected = <E>(cause: Cause.Cause<E>): Effect.Effect<HttpServerResponse.HttpServerResponse, E> =>
  Effect.flatMap(HttpServerError.causeResponse(cause), ([response]) =>
    response.status === 500 && response.body._tag === "Empty"
      ? cause.reasons.some((r) => r._tag === "Die" && isTransient(r.defect))
        ? Effect.as(Effect.logWarning("Service unavailable (transient failure)", cause), unavailable)
        : Effect.as(Effect.logError("Unhandled failure", cause), internalError)
      : Effect.failCause(cause))

const isBodyTooLarge = (u: unknown): boolean =>
  HttpServerError.isHttpServerError(u) && u.reason._tag === "RequestParseError" && u.reason.reason === "BodyTooLarge"

const isRouteNotFound = (u: unknown): boolean =>
  HttpServerError.isHttpServerError(u) && u.reason._tag === "RouteNotFound"

/** The endpoint answered 415 because it reads JSON only; answer as FastAPI does for a non-JSON body. */
const unsupportedBody = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.map(Effect.orElseSucceed(request.text, () => ""), (text) =>
    HttpServerResponse.jsonUnsafe({
      error: "RequestValidationError",
      detail: [{
        type: M.modelAttributesType.type,
        loc: ["body"],
        msg: M.modelAttributesType.msg,
        input: text
      }]
    }, { status: 422 }))

/**
 * The edge middleware as a layer to merge next to the API routes (`Layer.mergeAll(HttpApiBuilder.layer(Api), …,
 * layerEdge())`). It applies to every route of the router, the API's and any other.
 */
export const layerEdge = (options?: { readonly maxBodyBytes?: number | undefined }): Layer.Layer<
  never,
  never,
  HttpRouter.HttpRouter
> => {
  const maxBytes = options?.maxBodyBytes ?? defaultMaxBodyBytes
  const limit = ByteSize.bytes(maxBytes)
  /** The answer to a request that failed: the contract's 413 and 404, or the edge's 500/503 (`unexpected`). */
  const recover = <E>(cause: Cause.Cause<E>): Effect.Effect<HttpServerResponse.HttpServerResponse, E> => {
    for (const reason of cause.reasons) {
      const value = reason._tag === "Fail" ? reason.error : reason._tag === "Die" ? reason.defect : undefined
      if (isBodyTooLarge(value)) return Effect.succeed(tooLarge(maxBytes))
      if (isRouteNotFound(value)) return Effect.succeed(notFound)
    }
    return unexpected(cause)
  }
  // Plain combinators rather than a generator, and one frame (`matchCauseEffect`) around the route rather than a
  // `catchCause` and a `flatMap`: this runs around every request.
  return HttpRouter.middleware((httpEffect) => {
    return withRequest((request) => {
      const declared = request.headers["content-length"]
      const length = declared !== undefined && /^\d+$/u.test(declared) ? Number(declared) : undefined
      if (length !== undefined && length > maxBytes) {
        return Effect.succeed(ResponseHeaders.apply(request, tooLarge(maxBytes)))
      }
      // A body of a declared length within the limit cannot outgrow it (the HTTP parser reads exactly that many
      // bytes), so only the other requests (chunked, or no length) count the bytes they read. Skipping the provide
      // saves a context update on every POST that declares its length.
      const bounded = length !== undefined && request.headers["transfer-encoding"] === undefined
        ? httpEffect
        : Effect.provideService(httpEffect, HttpIncomingMessage.MaxBodySize, limit)
      const finish = (response: HttpServerResponse.HttpServerResponse) =>
        response.status === 415 && request.headers["content-encoding"] === undefined
          ? unsupportedBody(request).pipe(
            Effect.provideService(HttpIncomingMessage.MaxBodySize, limit),
            Effect.catchDefect(() => Effect.succeed(tooLarge(maxBytes))),
            Effect.map((answer) => ResponseHeaders.apply(request, answer))
          )
          : Effect.succeed(ResponseHeaders.apply(request, response))
      return Effect.matchCauseEffect(bounded, {
        onFailure: (cause) => Effect.flatMap(recover(cause), finish),
        onSuccess: finish
      })
    })
  }, { global: true })
}
