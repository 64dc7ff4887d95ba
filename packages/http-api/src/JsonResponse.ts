/**
 * Success bodies written without the schema encoder, for the large responses on the hot paths (checkouts, the
 * buyer's checkout, links and their lists). Encoding a ~4.4 KB checkout with its wire schema costs about ten times
 * `JSON.stringify` of the same object (docs/benchmarks.md, "HTTP server"), and a handler may answer with a ready
 * `HttpServerResponse`, which HttpApi then sends as is. The endpoints still declare their success schemas: OpenAPI
 * and the typed client read them, and the bytes are the same.
 *
 * Why `JSON.stringify` of a `Responses.json` value is the wire body: `Responses` builds plain objects whose keys
 * are exactly the schema's, in the schema's order (the types reject missing and unknown keys), and `Responses.json`
 * writes each timestamp as the ISO string the schema's JSON codec writes; everything else already is a JSON value.
 * test/JsonResponse.test.ts checks byte equality with `Schema.encodeSync(Schema.toCodecJson(schema))` of the typed
 * `Responses` value, over generated checkouts and links.
 *
 * `fromText` sends a body that is already that text: `Responses.text` builds the checkout bodies from per-object
 * cached fragments, and test/JsonResponse.test.ts checks they equal the schema encoder's bytes as well.
 *
 * What is not re-checked here are the schema's output checks (UUID format, timestamp range, non-empty select
 * options): the domain holds those invariants; a value breaking one would have been a 500 before, and is now sent.
 */
import type { DateTime, Schema } from "effect"
import { HttpServerResponse } from "effect/http"

/** A wire value as `JSON.parse` would give it back: every `DateTime.Utc` is its ISO string. */
export type Json<A> = A extends DateTime.Utc ? string
  : A extends ReadonlyArray<infer E> ? ReadonlyArray<Json<E>>
  : A extends object ? { readonly [K in keyof A]: Json<A[K]> }
  : A

/**
 * A JSON response with the body `JSON.stringify(value)`, sent exactly as HttpApi sends an encoded success (same
 * status, content type and body). `schema` names the wire schema whose JSON form `value` is (see the header).
 */
export const make = <S extends Schema.Top>(
  schema: S,
  value: Json<S["Type"]>,
  status: number = 200
): HttpServerResponse.HttpServerResponse => fromText(schema, JSON.stringify(value), status)

/**
 * The same response for a body that is already JSON text, `JSON.stringify` of a `Json<S["Type"]>` value (for
 * `Responses.text`, which composes the checkout bodies from cached fragments).
 */
export const fromText = <S extends Schema.Top>(
  _schema: S,
  text: string,
  status: number = 200
): HttpServerResponse.HttpServerResponse => HttpServerResponse.text(text, { status, contentType: "application/json" })
