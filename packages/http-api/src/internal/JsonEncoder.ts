/**
 * The one fast path of the HTTP edge: a JSON encoder compiled from a success schema's AST at start-up, for the
 * checkout bodies (the large answers of the hot endpoints). It writes what `Schema.encodeSync(Schema.toCodecJson(s))`
 * writes (same keys, same order, same values) without the schema interpreter's per-node effects.
 *
 * How it is derived: the JSON codec's AST is walked once. Nodes whose encoded form is their typed form (strings,
 * numbers, booleans, null, literals, enums, template literals) are copied; structs are rebuilt in the schema's
 * property order (absent optional keys left out); records and arrays are mapped; a union picks the first member
 * whose literal properties (or kind) match the value, and is handed to the schema when two members cannot be told
 * apart that way. Every other node (a declaration with an encoding, such as `DateTime.Utc` -> ISO string, or a
 * transformation) is encoded by the schema of that node. Nothing here names a field or a wire shape.
 *
 * What is not re-checked on the way out are the schema's output checks (UUID format, string lengths, integer
 * ranges): the domain holds those invariants. test/JsonEncoder.test.ts checks byte equality with the schema encoder
 * over generated checkout views, for every schema this is used with.
 */
import { Exit, Schema, SchemaAST } from "effect"
import { HttpServerResponse } from "effect/http"

type Encode = (value: unknown) => unknown

const identity: Encode = (value) => value

/** The schema's own encoder for one node (the fallback). */
const bySchema = (ast: SchemaAST.AST): Encode => Schema.encodeSync(Schema.make(ast) as Schema.Codec<unknown, unknown>)

const isCopied = (ast: SchemaAST.AST): boolean => {
  if (ast.encoding !== undefined) return false
  switch (ast._tag) {
    case "String":
    case "Number":
    case "Boolean":
    case "Null":
    case "Literal":
    case "Enum":
    case "TemplateLiteral":
      return true
    case "Union":
      return ast.types.every(isCopied)
    default:
      return false
  }
}

/** A cheap test telling union members apart, or `undefined` when a member has none. */
const guardOf = (ast: SchemaAST.AST): ((value: unknown) => boolean) | undefined => {
  switch (ast._tag) {
    case "Null":
      return (v) => v === null
    case "Literal": {
      const literal = ast.literal
      return (v) => v === literal
    }
    case "String":
      return (v) => typeof v === "string"
    case "Number":
      return (v) => typeof v === "number"
    case "Boolean":
      return (v) => typeof v === "boolean"
    case "Declaration": {
      const is = Schema.is(Schema.make(SchemaAST.toType(ast)))
      return (v) => is(v)
    }
    case "Arrays":
      return (v) => Array.isArray(v)
    case "Union": {
      const guards = ast.types.map(guardOf)
      if (guards.some((g) => g === undefined)) return undefined
      return (v) => guards.some((g) => g!(v))
    }
    case "Objects": {
      const literals = ast.propertySignatures.filter((p) => p.type._tag === "Literal")
      if (literals.length === 0) return (v) => typeof v === "object" && v !== null && !Array.isArray(v)
      const names = literals.map((p) => p.name)
      const values = literals.map((p) => (p.type as SchemaAST.Literal).literal)
      return (v) => {
        if (typeof v !== "object" || v === null) return false
        for (let i = 0; i < names.length; i++) if ((v as any)[names[i]!] !== values[i]) return false
        return true
      }
    }
    default:
      return undefined
  }
}

/** The kinds of value a member accepts, as far as the guards above see them. */
const kinds = (ast: SchemaAST.AST): ReadonlyArray<string> => {
  switch (ast._tag) {
    case "Null":
      return ["null"]
    case "String":
      return ["string"]
    case "Number":
      return ["number"]
    case "Boolean":
      return ["boolean"]
    case "Literal":
      return [`${typeof ast.literal}:${String(ast.literal)}`]
    case "Arrays":
      return ["array"]
    case "Declaration":
      return ["declaration"]
    case "Objects": {
      const literals = ast.propertySignatures.filter((p) => p.type._tag === "Literal")
      return literals.length === 0 ? ["object"] : [
        `object:${JSON.stringify(literals.map((p) => [p.name, (p.type as SchemaAST.Literal).literal]))}`
      ]
    }
    case "Union":
      return ast.types.flatMap(kinds)
    default:
      return ["?"]
  }
}

/** True when no value can pass the guards of two members: then the first passing member is the schema's choice. */
const exclusive = (members: ReadonlyArray<SchemaAST.AST>): boolean => {
  const seen: Array<string> = []
  const clash = (a: string, b: string) =>
    a === b || a === "?" || b === "?" ||
    (a === "object" && b.startsWith("object")) || (b === "object" && a.startsWith("object")) ||
    (a === "string" && b.startsWith("string:")) || (b === "string" && a.startsWith("string:")) ||
    (a === "number" && b.startsWith("number:")) || (b === "number" && a.startsWith("number:")) ||
    (a === "boolean" && b.startsWith("boolean:")) || (b === "boolean" && a.startsWith("boolean:"))
  for (const member of members) {
    const own = kinds(member)
    if (own.some((k) => seen.some((s) => clash(k, s)))) return false
    seen.push(...own)
  }
  return true
}

const compileUnion = (ast: SchemaAST.Union, compile: (ast: SchemaAST.AST) => Encode): Encode => {
  const guards = ast.types.map(guardOf)
  if (guards.some((g) => g === undefined) || !exclusive(ast.types)) return bySchema(ast)
  const members = ast.types.map((member, i) => ({ guard: guards[i]!, encode: compile(member) }))
  // A value no member's guard accepts is not of this type: the schema reports it.
  let fallback: Encode | undefined
  return (value) => {
    for (const member of members) if (member.guard(value)) return member.encode(value)
    return (fallback ??= bySchema(ast))(value)
  }
}

const compileObjects = (ast: SchemaAST.Objects, compile: (ast: SchemaAST.AST) => Encode): Encode => {
  const { indexSignatures, propertySignatures } = ast
  if (propertySignatures.length > 0 && indexSignatures.length === 0) {
    const fields = propertySignatures.map((p) => ({
      name: p.name as string,
      optional: SchemaAST.isOptional(p.type),
      encode: compile(p.type)
    }))
    if (propertySignatures.some((p) => typeof p.name !== "string")) return bySchema(ast)
    return (value) => {
      const input = value as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const field of fields) {
        const v = input[field.name]
        if (v === undefined && field.optional) continue
        out[field.name] = field.encode(v)
      }
      return out
    }
  }
  if (propertySignatures.length === 0 && indexSignatures.length === 1) {
    const [index] = indexSignatures
    if (index!.parameter.encoding !== undefined || index!.parameter._tag !== "String") return bySchema(ast)
    const encode = compile(index!.type)
    if (encode === identity) return (value) => ({ ...(value as object) })
    return (value) => {
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(value as object)) out[key] = encode((value as Record<string, unknown>)[key])
      return out
    }
  }
  return bySchema(ast)
}

/**
 * A declaration whose JSON encoding is one link to a copied leaf (`DateTime.Utc` -> string): the link's own encode
 * function, called directly when it answers synchronously (an `Exit`), else the schema. What is skipped are the
 * declaration's checks, as everywhere here.
 */
const byTransformation = (ast: SchemaAST.AST): Encode | undefined => {
  if (ast.encoding === undefined || ast.encoding.length !== 1) return undefined
  const [link] = ast.encoding
  if (!isCopied(link.to)) return undefined
  const getter = link.transformation.encode as unknown as
    | { readonly _tag: "Transform"; readonly transform: (value: unknown) => unknown }
    | { readonly _tag: "TransformEffect"; readonly transform: (value: unknown, options: object) => unknown }
    | { readonly _tag: string }
  const fallback = bySchema(ast)
  switch (getter._tag) {
    case "Transform":
      return (getter as { readonly transform: (value: unknown) => unknown }).transform
    case "TransformEffect": {
      const transform = (getter as { readonly transform: (value: unknown, options: object) => unknown }).transform
      const options = {}
      return (value) => {
        const result = transform(value, options)
        return Exit.isExit(result) && Exit.isSuccess(result) ? result.value : fallback(value)
      }
    }
    default:
      return undefined
  }
}

/**
 * A declaration's encoding by its schema, remembered per value: declared values are immutable objects (a
 * `DateTime.Utc`), and the catalog's repeat on every response.
 */
const remembered = (ast: SchemaAST.AST): Encode => {
  const encode = byTransformation(ast) ?? bySchema(ast)
  const texts = new WeakMap<object, unknown>()
  return (value) => {
    if (typeof value !== "object" || value === null) return encode(value)
    let out = texts.get(value)
    if (out === undefined) {
      out = encode(value)
      texts.set(value, out)
    }
    return out
  }
}

const compileNode = (ast: SchemaAST.AST): Encode => {
  if (isCopied(ast)) return identity
  if (ast._tag === "Declaration" && ast.typeParameters.length === 0) return remembered(ast)
  if (ast.encoding !== undefined) return bySchema(ast)
  switch (ast._tag) {
    case "Objects":
      return compileObjects(ast, compileNode)
    case "Arrays": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return bySchema(ast)
      const encode = compileNode(ast.rest[0]!)
      return encode === identity ? (value) => (value as ReadonlyArray<unknown>).slice() : (value) =>
        (value as ReadonlyArray<unknown>).map((item) => encode(item))
    }
    case "Union":
      return compileUnion(ast, compileNode)
    case "Suspend": {
      let encode: Encode | undefined
      return (value) => (encode ??= compileNode(ast.thunk()))(value)
    }
    default:
      return bySchema(ast)
  }
}

/** The JSON value `Schema.encodeSync(Schema.toCodecJson(schema))` gives, without the schema interpreter. */
export const compile = <S extends Schema.Top>(schema: S): (value: S["Type"]) => unknown =>
  compileNode(Schema.toCodecJson(schema).ast)

/**
 * A JSON response of a value of `schema`, as HttpApi sends an encoded success (status, content type, body), for a
 * handler to return. The endpoint keeps `schema` as its declared success (OpenAPI, typed client).
 */
export const response = <S extends Schema.Top>(schema: S, status = 200) => {
  const encode = compile(schema)
  return (value: S["Type"]): HttpServerResponse.HttpServerResponse =>
    HttpServerResponse.text(JSON.stringify(encode(value)), { status, contentType: "application/json" })
}
