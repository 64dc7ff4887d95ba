/**
 * Effect's schema issue tree walked into the reference's 422 items: `loc` starts with `path`/`query`/`header`/`body`,
 * `type` uses pydantic's names (`missing`, `int_type`, `int_parsing`, `greater_than_equal`, `uuid_parsing`, `enum`,
 * `json_invalid`, ...), with the texts of the one catalogue (Messages.ts). Checks written for this contract name their
 * type with a `pydanticType` annotation and carry the reference's message.
 */
import { Cause, Exit, Option, Schema, SchemaAST, type SchemaIssue, SchemaParser } from "effect"
import type { HttpApiError } from "effect/http-api"
import * as M from "./Messages.ts"
import { jsonSafe, type ValidationErrorItem } from "./ValidationItem.ts"

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


const quote = (v: unknown): string => (typeof v === "string" ? `'${v}'` : String(v))

/** pydantic's "'a', 'b' or 'c'". */
const expectedList = (values: ReadonlyArray<unknown>): string => M.expectedList(values.map(quote))

/** A catalogue message at `loc` for `input`. */
const at = (message: M.Message, loc: Loc, input: unknown): Item => ({ ...message, loc, input })

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
    return at(M.literal(expectedList(literals), type), loc, input)
  }
  switch (ast._tag) {
    case "String":
      return at(M.stringType, loc, input)
    case "Number":
      return at(hasCheck(ast, "effect/schema/isInt") ? slot === "body" ? M.intType : M.intParsing : M.floatType, loc, input)
    case "Boolean":
      return at(M.boolType, loc, input)
    case "Arrays":
      return at(M.listType, loc, input)
    case "Objects":
      return at(ast.propertySignatures.length > 0 ? M.modelAttributesType : M.dictType, loc, input)
    case "Null":
      return at(M.noneRequired, loc, input)
    case "Declaration":
      return at(M.datetimeType, loc, input)
    case "Union": {
      const members = ast.types.filter((t) => t._tag !== "Null" && t._tag !== "Undefined")
      const first = members[0]
      return first === undefined ? at(M.invalidValue, loc, input) : typeMismatch(SchemaAST.toEncoded(first), loc, input, slot)
    }
    default:
      return at(M.invalidValue, loc, input)
  }
}

type FilterInfo = M.Message

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
      return M.greaterThanEqual(num("minimum"))
    case "effect/schema/isGreaterThan":
      return M.greaterThan(num("exclusiveMinimum"))
    case "effect/schema/isLessThanOrEqualTo":
      return M.lessThanEqual(num("maximum"))
    case "effect/schema/isLessThan":
      return M.lessThan(num("exclusiveMaximum"))
    case "effect/schema/isInt":
    case "effect/schema/isStringFinite":
      if (slot !== "body") return M.intParsing
      return typeof input === "number" && Number.isInteger(input) ? M.intParsingSize : M.intFromFloat
    case "effect/schema/isUUID":
    case "effect/schema/isGUID":
      return M.uuidParsing
    case "effect/schema/isMinLength": {
      const min = num("minLength")
      return typeof input === "string" ? M.stringTooShort(min) : M.listTooShort(min, length ?? 0)
    }
    case "effect/schema/isMaxLength": {
      const max = num("maxLength")
      return typeof input === "string" ? M.stringTooLong(max) : M.listTooLong(max, length ?? 0)
    }
    case "effect/schema/isMaxProperties": {
      const actual = typeof input === "object" && input !== null ? Object.keys(input).length : 0
      return M.dictionaryTooLong(num("maxProperties"), actual)
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
    msg: message ?? builtin?.msg ?? M.valueError(`expected ${String(annotations["expected"] ?? "a valid value")}`).msg,
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
          w.out.push(at(M.missing, loc, null))
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
      w.out.push(at(M.missing, loc, parent ?? null))
      return
    case "UnexpectedKey":
      w.out.push(at(M.extraForbidden, loc, issue.input))
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
      w.out.push(at(typeof message === "string" ? { type: "value_error", msg: message } : M.invalidValue, loc, issue.input))
      return
    }
    case "Forbidden":
      w.out.push(at(M.forbiddenValue, loc, issue.input))
      return
    case "OneOf":
      w.out.push(at(M.unionTagInvalid, loc, issue.input))
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
  const { msg, type } = M.jsonInvalid
  return { type, loc: ["body", position === null ? text.length : Number(position[1])], msg, input: {}, ctx: { error: message } }
}

/** All-issues decoders of the request schemas (body, path, query) that have failed once, by their AST. */
const allIssuesDecoders = new WeakMap<SchemaAST.AST, (input: unknown) => Exit.Exit<unknown, SchemaIssue.Issue>>()

/**
 * Every issue of a failed request. Bodies, path parameters and queries are decoded in Effect's default first-issue
 * mode (its struct parser's fast path; `errors: "all"` runs every struct through the generic, effectful one), so a
 * failure stops at its first issue. HttpApi decodes a body through a union of its schemas, which fails with an
 * `AnyOf` carrying that union and the input (`reportInput`); path and query are structs, which fail with a
 * `Composite` carrying the struct and the input. Decoding the same input with the same schema in all-issues mode
 * gives what the reference lists, every issue of the request part. Anything else is reported as it came.
 */
const everyIssue = (error: HttpApiError.HttpApiSchemaError): SchemaIssue.Issue => {
  const issue = error.cause.issue
  if ((issue._tag !== "AnyOf" && issue._tag !== "Composite") || !("input" in issue)) return issue
  const whole = issue._tag === "AnyOf" ? error.kind === "Payload" : error.kind === "Params" || error.kind === "Query"
  if (!whole) return issue
  let decode = allIssuesDecoders.get(issue.ast)
  if (decode === undefined) {
    decode = SchemaParser.decodeUnknownExit(Schema.make<Schema.Codec<unknown>>(issue.ast), { errors: "all", reportInput: true })
    allIssuesDecoders.set(issue.ast, decode)
  }
  const exit = decode(issue.input)
  if (Exit.isSuccess(exit)) return issue
  return Option.getOrElse(Cause.findErrorOption(exit.cause), () => issue)
}

/** Items for one request-decoding failure. */
export const toDetail = (error: HttpApiError.HttpApiSchemaError): Array<ValidationErrorItem> => {
  const slot = slotOf(error.kind)
  const w: Walk = { slot, out: [] }
  walk(everyIssue(error), [slot], undefined, w)
  return w.out.map(finish)
}

