/**
 * The body of `POST /v1/checkouts/`, decoded without walking the whole schema on the common path.
 *
 * A create body names a handful of the 38 fields `CheckoutCreate` knows; decoding it with the schema walks all of
 * them (defaults included) and costs ~13 µs in isolation, ~35 µs per request inside the server, the largest single
 * item of the endpoint after the use case itself (docs/benchmarks.md, "HTTP server"). `sparse` decodes only the keys
 * that are present, each with its own field schema, fills the absent ones with the defaults the schema itself
 * produces (read once, below), then applies the same body rules (`trialPairProblem`, `seatRangeProblem`) and
 * post-processing (`completeCreate`, which the schema's `finishCreate` also applies). It answers only when it is
 * sure to agree with the schema, i.e. when the first union variant (`products`) decodes; anything else (no
 * `products`, a field that fails, a body rule) returns `undefined`, and the caller decodes with the endpoint's own schema, whose failures
 * are the contract's 422s.
 * test/CreateBody.test.ts checks that both agree on generated valid and invalid bodies.
 *
 * `decodeRequest` is what HttpApi does for a JSON payload (content type, empty body, invalid JSON, then decode),
 * written out so that the handler can put `sparse` in front of the schema; the create endpoint is registered raw
 * (`handleRaw`) for that, with its declared payload schema unchanged (OpenAPI, typed client). The body is read with
 * `RequestBody.text` (the platform's `request.text` without its per-request fiber on Node).
 */
import { Context, Effect, Exit, Schema } from "effect"
import type { HttpServerRequest } from "effect/http"
import { HttpServerResponse } from "effect/http"
import { HttpApi, HttpApiError } from "effect/http-api"
import { Api } from "./Api.ts"
import * as RequestBody from "./RequestBody.ts"
import { HttpValidationError, jsonInvalidItem, toDetail } from "./Validation.ts"
import {
  type CheckoutCreate,
  type CheckoutProductsCreate,
  CheckoutProductsCreateFields,
  completeCreate,
  seatRangeProblem,
  trialPairProblem
} from "./wire/CheckoutInput.ts"

type Decoder<A> = (input: unknown) => Exit.Exit<A, Schema.SchemaError>

/** What the schema does with a field that is absent: refuse the body, leave the key out, or put its default. */
type Absent =
  | { readonly _tag: "Required" }
  | { readonly _tag: "Omitted" }
  | { readonly _tag: "Default"; readonly value: string | number | boolean | null }
  | { readonly _tag: "EmptyObject" }

interface Field {
  readonly key: string
  /** A present value, decoded with the field's schema (its checks and transformations). */
  readonly decode: Decoder<unknown>
  readonly absent: Absent
}

const isEmptyPlainObject = (u: unknown): boolean =>
  typeof u === "object" && u !== null && Object.getPrototypeOf(u) === Object.prototype && Object.keys(u).length === 0

/** One field: its value decoder, and what the schema does when the key is absent (asked once, of a one-key struct). */
const fieldOf = (key: string, schema: Schema.Top): Field => {
  const codec = <A>(s: Schema.Top) => Schema.toCodecJson(s) as unknown as Schema.Codec<A, unknown>
  const empty = Schema.decodeUnknownExit(codec<Readonly<Record<string, unknown>>>(Schema.Struct({ [key]: schema })))({})
  let absent: Absent
  if (Exit.isFailure(empty)) absent = { _tag: "Required" }
  else if (!Object.hasOwn(empty.value, key)) absent = { _tag: "Omitted" }
  else {
    const value = empty.value[key]
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      absent = { _tag: "Default", value }
    } else if (isEmptyPlainObject(value)) absent = { _tag: "EmptyObject" }
    // A default that is a non-empty object or an array would be shared between requests: refuse to start.
    else throw new Error(`CreateBody: unsupported default for ${key}: ${JSON.stringify(value)}`)
  }
  return { key, decode: Schema.decodeUnknownExit(codec<unknown>(schema)), absent }
}

const inputFields: ReadonlyArray<Field> = Object.entries(CheckoutProductsCreateFields.input).map(([key, schema]) =>
  fieldOf(key, schema)
)

/** The deprecated alias, the one key the schema leaves out when absent; `completeCreate` folds it in. */
const aliasKey = "customer_external_id"
for (const field of inputFields) {
  if (field.absent._tag === "Omitted" && field.key !== aliasKey) {
    throw new Error(`CreateBody: ${field.key} is optional without a default; sparse assumes only ${aliasKey} is`)
  }
}
const bodyFields = inputFields.filter((field) => field.key !== aliasKey)

/**
 * Every key of a decoded body, in the schema's order, holding its default (`null` for the required and the
 * empty-object ones, which are always overwritten, the latter with a fresh `{}` per body). Copied per body with a
 * spread: one object of an already known shape, instead of ~30 single-key additions and `finishCreate`'s two copies
 * (parse + sparse 3.9 -> 2.7 µs in isolation).
 */
const template: Readonly<Record<string, unknown>> = Object.fromEntries(
  bodyFields.map((field) => [field.key, field.absent._tag === "Default" ? field.absent.value : null])
)

/**
 * The body decoded like `CheckoutCreate` would decode it, or `undefined` when this shortcut cannot tell (the
 * caller then decodes with the schema). Never fails and never throws for JSON input.
 */
export const sparse = (body: unknown): CheckoutProductsCreate | undefined => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined
  const source = body as Readonly<Record<string, unknown>>
  if (!Object.hasOwn(source, "products")) return undefined
  const decoded: Record<string, unknown> = { ...template }
  let alias: string | null | undefined
  for (const field of inputFields) {
    if (Object.hasOwn(source, field.key)) {
      const exit = field.decode(source[field.key])
      if (Exit.isFailure(exit)) return undefined
      if (field.key === aliasKey) alias = exit.value as string | null
      else decoded[field.key] = exit.value
    } else if (field.absent._tag === "Required") return undefined
    else if (field.absent._tag === "EmptyObject") decoded[field.key] = {}
  }
  if (trialPairProblem(decoded) !== undefined || seatRangeProblem(decoded) !== undefined) return undefined
  // `decoded` has the body's keys in the schema's order; `completeCreate` sets one of them in place, as
  // `finishCreate` (the schema's post-processing) does on its copy.
  return completeCreate(decoded as unknown as CheckoutProductsCreate, alias)
}

const group = Api.groups.checkouts
const endpoint = group.endpoints.create
const jsonPayload = endpoint.payload.get("application/json")
if (jsonPayload === undefined) throw new Error("CreateBody: the create endpoint has no JSON payload")

/** The decoder HttpApi builds for this endpoint's JSON payload (same schemas, same parse options). */
const annotations = Context.merge(Context.merge(Api.annotations, group.annotations), endpoint.annotations)
const schemaDecode = Schema.decodeUnknownEffect(
  Schema.Union(jsonPayload.schemas) as unknown as Schema.Codec<CheckoutCreate, unknown>,
  Context.getOrUndefined(annotations, HttpApi.PayloadParseOptions) ?? Context.getOrUndefined(annotations, HttpApi.ParseOptions)
)

/** `effect/http-api`'s media-type normalisation: lower case, parameters dropped. */
const mediaType = (contentType: string): string => {
  const normalized = contentType.toLowerCase().trim()
  const index = normalized.indexOf(";")
  return index === -1 ? normalized : normalized.slice(0, index).trim()
}

/** A schema failure as the validation middleware renders HttpApi's payload errors (`Validation.toDetail`). */
const decodeWithSchema = (json: unknown) =>
  Effect.mapErrorEager(schemaDecode(json), (cause) =>
    new HttpValidationError({ detail: toDetail(new HttpApiError.HttpApiSchemaError({ kind: "Payload", cause })) }))

/**
 * The request's body as the create handler's payload, or the response HttpApi gives to a body it does not read
 * (415, which the edge turns into FastAPI's 422). Failures are the 422s the validation middleware makes of HttpApi's
 * payload errors (same functions: `jsonInvalidItem`, `toDetail`); a body over the size limit is a defect, as in
 * HttpApi (the edge answers 413).
 */
export const decodeRequest = (
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<CheckoutCreate | HttpServerResponse.HttpServerResponse, HttpValidationError> => {
  const contentType = mediaType(request.headers["content-type"] ?? "application/json")
  if (contentType !== "application/json") {
    return Effect.succeed(HttpServerResponse.text(`Unsupported content-type: ${contentType}`, { status: 415 }))
  }
  return Effect.flatMap(Effect.orDie(RequestBody.text(request)), (text): Effect.Effect<CheckoutCreate, HttpValidationError> => {
    if (text === "") return decodeWithSchema(undefined)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return Effect.fail(new HttpValidationError({ detail: [jsonInvalidItem(text)] }))
    }
    const fast = sparse(json)
    return fast === undefined ? decodeWithSchema(json) : Effect.succeed(fast)
  })
}
