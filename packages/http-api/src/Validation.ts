/**
 * Request validation errors in the reference's shape (FastAPI/pydantic, spec §4.4):
 * 422 `{"error": "RequestValidationError", "detail": [{type, loc, msg, input, ctx?}, ...]}`.
 *
 * The contract's `HTTPValidationError` only documents `detail`; the reference server also sends `error`, and the
 * contract allows extra keys, so both are sent. `RequestValidation` is an API-wide middleware whose only job is to
 * turn every decoding failure of path, query or body into that 422; response-encoding failures stay 500.
 *
 * Effect's issue tree is walked into pydantic-like items: `loc` starts with `path`/`query`/`header`/`body`, `type`
 * uses pydantic's names (`missing`, `int_type`, `int_parsing`, `greater_than_equal`, `uuid_parsing`, `enum`,
 * `json_invalid`, …). Checks written for this contract name their type with a `pydanticType` annotation and carry
 * the reference's message. The domain's own validation issues become the same items in DomainIssues.ts.
 */
import { Context, Effect, Option, Schema, SchemaAST, SchemaIssue } from "effect"
import { HttpServerRequest } from "effect/http"
import { HttpApiMiddleware } from "effect/http-api"
import type { HttpApiError } from "effect/http-api"

/** One validation problem. `input` is the offending value (for `missing`, the object that lacks the key). */
export const ValidationErrorItem = Schema.Struct({
  type: Schema.String,
  loc: Schema.Array(Schema.Union([Schema.String, Schema.Int])),
  msg: Schema.String,
  input: Schema.optionalKey(Schema.Unknown),
  ctx: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown))
}).annotate({ identifier: "ValidationError" })
export type ValidationErrorItem = typeof ValidationErrorItem.Type

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

type Loc = Array<string | number>
type Slot = "path" | "query" | "header" | "body"

interface Item {
  readonly type: string
  readonly loc: Loc
  readonly msg: string
  readonly input: unknown
  readonly ctx?: Record<string, unknown>
}

const slotOf = (kind: HttpApiError.HttpApiSchemaError["kind"]): Slot => {
  switch (kind) {
    case "Params":
      return "path"
    case "Query":
      return "query"
    case "Headers":
      return "header"
    default:
      return "body"
  }
}

/** Deeper parts of an echoed input are cut: a hostile body nested thousands deep must not exhaust the stack. */
export const maxEchoDepth = 32

/**
 * JSON-safe copy of an input: `undefined` becomes `null`, non-JSON values become their string form, and anything
 * nested deeper than `maxEchoDepth` becomes the string `"…"`.
 */
export const jsonSafe = (u: unknown, depth = 0): unknown => {
  if (u === undefined) return null
  if (u === null || typeof u === "string" || typeof u === "boolean") return u
  if (typeof u === "number") return Number.isFinite(u) ? u : String(u)
  if (typeof u !== "object") return String(u)
  if (depth >= maxEchoDepth) return "…"
  if (Array.isArray(u)) return u.map((item) => jsonSafe(item, depth + 1))
  if (Object.getPrototypeOf(u) !== Object.prototype && Object.getPrototypeOf(u) !== null) return String(u)
  const out: Record<string, unknown> = {}
  // defineProperty, not assignment: a `__proto__` key (legal JSON) must stay a key, not replace the prototype.
  for (const [k, v] of Object.entries(u)) {
    if (v !== undefined) {
      Object.defineProperty(out, k, { value: jsonSafe(v, depth + 1), enumerable: true, writable: true, configurable: true })
    }
  }
  return out
}

const quote = (v: unknown): string => (typeof v === "string" ? `'${v}'` : String(v))

/** pydantic's "'a', 'b' or 'c'". */
const expectedList = (values: ReadonlyArray<unknown>): string => {
  const quoted = values.map(quote)
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

const annotationsOf = (ast: SchemaAST.AST): Record<string, unknown> =>
  (ast.annotations ?? {}) as Record<string, unknown>

const hasCheck = (ast: SchemaAST.AST, id: string): boolean =>
  (ast.checks ?? []).some((check) => {
    const annotations = check.annotations as { readonly representation?: { readonly id?: unknown } } | undefined
    return annotations?.representation?.id === id
  })

const literalValues = (ast: SchemaAST.AST): ReadonlyArray<unknown> | undefined => {
  if (ast._tag === "Literal") return [ast.literal]
  if (ast._tag === "Union" && ast.types.every((t) => t._tag === "Literal")) {
    return ast.types.map((t) => (t as SchemaAST.Literal).literal)
  }
  return undefined
}

/** A value of the wrong JSON type for `ast`. */
const typeMismatch = (ast: SchemaAST.AST, loc: Loc, input: unknown, slot: Slot): Item => {
  const literals = literalValues(ast)
  if (literals !== undefined) {
    const explicit = annotationsOf(ast)["pydanticType"]
    const type = typeof explicit === "string" ? explicit : literals.length > 1 ? "enum" : "literal_error"
    const expected = expectedList(literals)
    return { type, loc, msg: `Input should be ${expected}`, input, ctx: { expected } }
  }
  switch (ast._tag) {
    case "String":
      return { type: "string_type", loc, msg: "Input should be a valid string", input }
    case "Number":
      return hasCheck(ast, "effect/schema/isInt")
        ? slot === "body"
          ? { type: "int_type", loc, msg: "Input should be a valid integer", input }
          : { type: "int_parsing", loc, msg: "Input should be a valid integer, unable to parse string as an integer", input }
        : { type: "float_type", loc, msg: "Input should be a valid number", input }
    case "Boolean":
      return { type: "bool_type", loc, msg: "Input should be a valid boolean", input }
    case "Arrays":
      return { type: "list_type", loc, msg: "Input should be a valid list", input }
    case "Objects":
      return ast.propertySignatures.length > 0
        ? { type: "model_attributes_type", loc, msg: "Input should be a valid dictionary or object to extract fields from", input }
        : { type: "dict_type", loc, msg: "Input should be a valid dictionary", input }
    case "Null":
      return { type: "none_required", loc, msg: "Input should be None", input }
    case "Declaration":
      return { type: "datetime_type", loc, msg: "Input should be a valid datetime", input }
    case "Union": {
      const members = ast.types.filter((t) => t._tag !== "Null" && t._tag !== "Undefined")
      const first = members[0]
      return first === undefined
        ? { type: "value_error", loc, msg: "Value error, invalid value", input }
        : typeMismatch(SchemaAST.toEncoded(first), loc, input, slot)
    }
    default:
      return { type: "value_error", loc, msg: "Value error, invalid value", input }
  }
}

interface FilterInfo {
  readonly type: string
  readonly msg: string
  readonly ctx?: Record<string, unknown>
}

/** pydantic's type, message and context for a failed built-in check. */
const builtinFilter = (
  id: unknown,
  payload: Record<string, unknown>,
  input: unknown,
  slot: Slot
): FilterInfo | undefined => {
  const num = (key: string) => Number(payload[key])
  const length = typeof input === "string" || Array.isArray(input) ? input.length : undefined
  switch (id) {
    case "effect/schema/isGreaterThanOrEqualTo":
      return { type: "greater_than_equal", msg: `Input should be greater than or equal to ${num("minimum")}`, ctx: { ge: num("minimum") } }
    case "effect/schema/isGreaterThan":
      return { type: "greater_than", msg: `Input should be greater than ${num("exclusiveMinimum")}`, ctx: { gt: num("exclusiveMinimum") } }
    case "effect/schema/isLessThanOrEqualTo":
      return { type: "less_than_equal", msg: `Input should be less than or equal to ${num("maximum")}`, ctx: { le: num("maximum") } }
    case "effect/schema/isLessThan":
      return { type: "less_than", msg: `Input should be less than ${num("exclusiveMaximum")}`, ctx: { lt: num("exclusiveMaximum") } }
    case "effect/schema/isInt":
    case "effect/schema/isStringFinite":
      if (slot !== "body") {
        return { type: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer" }
      }
      return typeof input === "number" && Number.isInteger(input)
        ? { type: "int_parsing_size", msg: "Unable to parse input string as an integer, exceeded maximum size" }
        : { type: "int_from_float", msg: "Input should be a valid integer, got a number with a fractional part" }
    case "effect/schema/isUUID":
    case "effect/schema/isGUID":
      return { type: "uuid_parsing", msg: "Input should be a valid UUID, invalid character or length" }
    case "effect/schema/isMinLength": {
      const min = num("minLength")
      return typeof input === "string"
        ? { type: "string_too_short", msg: `String should have at least ${plural(min, "character")}`, ctx: { min_length: min } }
        : {
          type: "too_short",
          msg: `List should have at least ${plural(min, "item")} after validation, not ${length ?? 0}`,
          ctx: { field_type: "List", min_length: min, actual_length: length ?? 0 }
        }
    }
    case "effect/schema/isMaxLength": {
      const max = num("maxLength")
      return typeof input === "string"
        ? { type: "string_too_long", msg: `String should have at most ${plural(max, "character")}`, ctx: { max_length: max } }
        : {
          type: "too_long",
          msg: `List should have at most ${plural(max, "item")} after validation, not ${length ?? 0}`,
          ctx: { field_type: "List", max_length: max, actual_length: length ?? 0 }
        }
    }
    case "effect/schema/isMaxProperties": {
      const max = num("maxProperties")
      const actual = typeof input === "object" && input !== null ? Object.keys(input).length : 0
      return {
        type: "too_long",
        msg: `Dictionary should have at most ${plural(max, "item")} after validation, not ${actual}`,
        ctx: { field_type: "Dictionary", max_length: max, actual_length: actual }
      }
    }
    default:
      return undefined
  }
}

const filterInfo = (
  filter: SchemaAST.Filter<unknown>,
  inner: SchemaIssue.Issue,
  input: unknown,
  slot: Slot
): FilterInfo => {
  const annotations = (filter.annotations ?? {}) as Record<string, unknown>
  const representation = annotations["representation"] as
    | { readonly id?: unknown; readonly payload?: Record<string, unknown> | null }
    | undefined
  const builtin = builtinFilter(representation?.id, representation?.payload ?? {}, input, slot)
  const innerMessage = inner._tag === "InvalidValue" ? inner.annotations?.message : undefined
  const message = typeof annotations["message"] === "string"
    ? annotations["message"]
    : typeof innerMessage === "string"
    ? innerMessage
    : undefined
  const type = typeof annotations["pydanticType"] === "string" ? annotations["pydanticType"] : builtin?.type
  // A filter may answer a context of its own with the issue (e.g. the e-mail's reason).
  const innerCtx = inner._tag === "InvalidValue" ? inner.annotations?.["pydanticCtx"] : undefined
  const ctx = (innerCtx as Record<string, unknown> | undefined) ??
    (annotations["pydanticCtx"] as Record<string, unknown> | undefined) ?? builtin?.ctx
  const info: FilterInfo = {
    type: type ?? "value_error",
    msg: message ?? builtin?.msg ?? `Value error, expected ${String(annotations["expected"] ?? "a valid value")}`,
    ...(ctx === undefined ? {} : { ctx })
  }
  return info
}

/** Required keys that a member of a union is missing at its top level. */
const missingKeys = (issue: SchemaIssue.Issue): number => {
  switch (issue._tag) {
    case "Encoding":
    case "Filter":
      return missingKeys(issue.issue)
    case "Composite":
      return issue.issues.reduce((n, i) => n + (i._tag === "Pointer" && isMissing(i.issue) ? 1 : 0), 0)
    default:
      return 0
  }
}

const isMissing = (issue: SchemaIssue.Issue): boolean =>
  issue._tag === "MissingKey" || (issue._tag === "Encoding" && isMissing(issue.issue))

const pathKey = (key: PropertyKey): string | number => (typeof key === "number" ? key : String(key))

interface Walk {
  readonly slot: Slot
  readonly out: Array<Item>
}

interface FilterContext {
  readonly filter: SchemaAST.Filter<unknown>
  readonly input: unknown
}

/**
 * `parent` is the object being decoded (reported as the input of a missing key); `raw` is the value as it came off
 * the wire before any transformation (a query string before it was parsed as an integer), which is what pydantic
 * reports for path and query parameters.
 */
const walk = (
  issue: SchemaIssue.Issue,
  loc: Loc,
  parent: unknown,
  w: Walk,
  filter?: FilterContext,
  raw?: { readonly value: unknown }
): void => {
  switch (issue._tag) {
    case "Pointer":
      return walk(issue.issue, [...loc, ...issue.path.map(pathKey)], parent, w, filter)
    case "Composite":
      for (const child of issue.issues) walk(child, loc, "input" in issue ? issue.input : parent, w, filter, raw)
      return
    case "Encoding":
      return walk(issue.issue, loc, parent, w, filter, raw ?? ("input" in issue ? { value: issue.input } : undefined))
    case "Filter":
      return walk(issue.issue, loc, parent, w, { filter: issue.filter, input: issue.input }, raw)
    case "AnyOf": {
      if (issue.issues.length === 0) {
        if (loc.length === 1 && w.slot === "body" && issue.input === undefined) {
          w.out.push({ type: "missing", loc, msg: "Field required", input: null })
          return
        }
        w.out.push(typeMismatch(issue.ast, loc, issue.input, w.slot))
        return
      }
      // Several members were candidates: report the one that lacks the fewest required keys, which is the variant
      // the client meant (e.g. `products` vs `product_id` vs `product_price_id`); ties go to the first.
      let best = issue.issues[0]!
      for (const candidate of issue.issues) if (missingKeys(candidate) < missingKeys(best)) best = candidate
      return walk(best, loc, parent, w, filter)
    }
    case "MissingKey":
      w.out.push({ type: "missing", loc, msg: "Field required", input: parent ?? null })
      return
    case "UnexpectedKey":
      w.out.push({ type: "extra_forbidden", loc, msg: "Extra inputs are not permitted", input: issue.input })
      return
    case "InvalidType":
      w.out.push(typeMismatch(issue.ast, loc, issue.input, w.slot))
      return
    case "InvalidValue": {
      if (filter !== undefined) {
        const info = filterInfo(filter.filter, issue, filter.input, w.slot)
        const input = w.slot !== "body" && raw !== undefined
          ? raw.value
          : "input" in issue
          ? issue.input
          : filter.input
        w.out.push({ ...info, loc, input })
        return
      }
      const message = issue.annotations?.message
      w.out.push({
        type: "value_error",
        loc,
        msg: typeof message === "string" ? message : "Value error, invalid value",
        input: issue.input
      })
      return
    }
    case "Forbidden":
      w.out.push({ type: "value_error", loc, msg: "Value error, forbidden value", input: issue.input })
      return
    case "OneOf":
      w.out.push({ type: "union_tag_invalid", loc, msg: "Input matches more than one variant", input: issue.input })
      return
  }
}

const finish = (item: Item): ValidationErrorItem => ({
  type: item.type,
  loc: item.loc,
  msg: item.msg,
  input: jsonSafe(item.input),
  ...(item.ctx === undefined ? {} : { ctx: jsonSafe(item.ctx) as Record<string, unknown> })
})

/** The JSON parser's complaint, positioned like FastAPI's `["body", <offset>]`. */
export const jsonInvalidItem = (text: string): ValidationErrorItem => {
  let message = "Expecting value"
  try {
    JSON.parse(text)
  } catch (error) {
    message = error instanceof Error ? error.message : String(error)
  }
  const position = /position (\d+)/u.exec(message)
  return {
    type: "json_invalid",
    loc: ["body", position === null ? text.length : Number(position[1])],
    msg: "JSON decode error",
    input: {},
    ctx: { error: message }
  }
}

const isJsonBodyFailure = (error: HttpApiError.HttpApiSchemaError): boolean =>
  error.kind === "Payload" && error.cause.issue._tag === "InvalidValue" &&
  error.cause.issue.annotations?.message === "Expected a valid JSON body"

/** Items for one request-decoding failure. */
export const toDetail = (error: HttpApiError.HttpApiSchemaError): Array<ValidationErrorItem> => {
  const slot = slotOf(error.kind)
  const w: Walk = { slot, out: [] }
  walk(error.cause.issue, [slot], undefined, w)
  return w.out.map(finish)
}

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
