/**
 * Request validation errors in the reference's shape (FastAPI/pydantic, spec §4.4):
 * 422 `{"error": "RequestValidationError", "detail": [{type, loc, msg, input, ctx?}, ...]}`.
 *
 * The contract's `HTTPValidationError` only documents `detail`; the reference server also sends `error`, and the
 * contract allows extra keys, so both are sent. `RequestValidation` is an API-wide middleware whose only job is to
 * turn every decoding failure of path, query or body into that 422; response-encoding failures stay 500.
 *
 * Effect's issue tree is walked into pydantic-like items by internal/SchemaIssues.ts (the item shape and its
 * JSON-safe input echo are internal/ValidationItem.ts, the texts the one catalogue internal/Messages.ts); the
 * domain's own validation issues become the same items in DomainIssues.ts.
 */
import { Context, Effect, Option, Schema } from "effect"
import { HttpServerRequest } from "effect/http"
import { HttpApiMiddleware } from "effect/http-api"
import type { HttpApiError } from "effect/http-api"
import { jsonSafe, maxEchoDepth, ValidationErrorItem } from "./internal/ValidationItem.ts"
import { jsonInvalidItem, toDetail } from "./internal/SchemaIssues.ts"

export { jsonInvalidItem, jsonSafe, maxEchoDepth, toDetail, ValidationErrorItem }

/** 422 body. `error` defaults to `RequestValidationError`. */
export class HttpValidationError extends Schema.Error<HttpValidationError>("HTTPValidationError")({
  error: Schema.tag("RequestValidationError"),
  detail: Schema.Array(ValidationErrorItem)
}, { httpApiStatus: 422 }) {}

/** API-wide middleware slot that turns request decoding failures into `HttpValidationError`. */
export class RequestValidation extends HttpApiMiddleware.Service<RequestValidation>()(
  "@checkout-kit/http-api/RequestValidation",
  { error: HttpValidationError }
) {}

const isJsonBodyFailure = (error: HttpApiError.HttpApiSchemaError): boolean =>
  error.kind === "Payload" && error.cause.issue._tag === "InvalidValue" &&
  error.cause.issue.annotations?.message === "Expected a valid JSON body"

/** Request decoding failures → 422; response-encoding failures (`Body`, `ResponseHeaders`) stay 500. */
export const layerRequestValidation = HttpApiMiddleware.layerSchemaErrorTransform(
  RequestValidation,
  (error) => {
    if (error.kind === "Body" || error.kind === "ResponseHeaders") return Effect.fail(error)
    if (isJsonBodyFailure(error)) {
      return Effect.flatMap(Effect.context<never>(), (context) => {
        const request = Context.getOption(context, HttpServerRequest.HttpServerRequest)
        const text = Option.isSome(request) ? request.value.text : Effect.succeed("")
        return Effect.flatMap(
          Effect.orElseSucceed(text, () => ""),
          (body) => Effect.fail(new HttpValidationError({ detail: [jsonInvalidItem(body)] }))
        )
      })
    }
    return Effect.fail(new HttpValidationError({ detail: toDetail(error) }))
  }
)
