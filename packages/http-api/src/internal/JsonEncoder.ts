/**
 * The one fast path of the HTTP edge: a JSON writer compiled from a success schema's AST at start-up, for the
 * checkout bodies (the large answers of the hot endpoints). It writes the text `JSON.stringify` gives of what
 * `Schema.encodeSync(Schema.toCodecJson(s))` returns (same keys, same order, same values), without the schema
 * interpreter's per-node effects and without building that intermediate object.
 *
 * How it is derived: the JSON codec's AST is walked once. Nodes whose encoded form is their typed form (strings,
 * numbers, booleans, null, literals, enums, template literals) are written as JSON (`JSON.stringify` only for
 * strings); structs are written in the schema's property order with their `"key":` prefixes precomputed (absent
 * optional keys left out), which covers the wire shapes derived from domain shapes (`wire/Derive.ts`: plain
 * snake_case structs); records and arrays are written element by element; a union picks the first member whose
 * literal properties (or kind) match the value, and is handed to the schema when two members cannot be told apart
 * that way. Every other node (a declaration with an encoding, such as `DateTime.Utc` -> ISO string, or a
 * transformation) is encoded by the schema of that node and its result stringified. Nothing here names a field or a
 * wire shape.
 *
 * What is not re-checked on the way out are the schema's output checks (UUID format, string lengths, integer
 * ranges): the domain holds those invariants. test/JsonEncoder.test.ts checks byte equality with the schema encoder
 * over generated checkout views, for every schema this is used with. Struct writers are generated code (`new
 * Function`) where the runtime allows it, and the same loop as closures where it does not (a strict CSP, Cloudflare
 * Workers); both write the same bytes (tested).
 */
import { Exit, Schema, SchemaAST } from "effect"
import { HttpServerResponse } from "effect/http"

/** Writes one value as JSON text; `undefined` where `JSON.stringify` would leave the value out. */
type Write = (value: unknown) => string | undefined

type Encode = (value: unknown) => unknown

/** The schema's own encoder for one node. */
const encoderOf = (ast: SchemaAST.AST): Encode => Schema.encodeSync(Schema.make(ast) as Schema.Codec<unknown, unknown>)

/** The fallback: the schema encodes the node, `JSON.stringify` writes the result. */
const bySchema = (ast: SchemaAST.AST): Write => {
  const encode = encoderOf(ast)
  return (value) => JSON.stringify(encode(value))
}

/**
 * A string as `JSON.stringify` writes it: quoted as it is when nothing in it needs escaping (no quote, backslash,
 * control character or lone surrogate), else by `JSON.stringify`.
 */
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/u
const quote = (value: string): string => (needsEscape.test(value) ? JSON.stringify(value) : `"${value}"`)

const writeString: Write = (value) => (typeof value === "string" ? quote(value) : JSON.stringify(value))
const writeNumber: Write = (value) => (Number.isFinite(value) ? String(value) : typeof value === "number" ? "null" : JSON.stringify(value))
const writeBoolean: Write = (value) => (value === true ? "true" : value === false ? "false" : JSON.stringify(value))
/** A value the codec leaves as it is: written as `JSON.stringify` writes it. */
const writeCopied: Write = (value) =>
  typeof value === "string" ? quote(value) : value === null ? "null" : JSON.stringify(value)

/** The writer of a node whose encoded form is its typed form. */
const copiedWriter = (ast: SchemaAST.AST): Write => {
  switch (ast._tag) {
    case "String":
    case "TemplateLiteral":
      return writeString
    case "Number":
      return writeNumber
    case "Boolean":
      return writeBoolean
    default:
      return writeCopied
  }
}

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

/** The values a property may hold when they are literals (a literal, or a union of literals), else `undefined`. */
const literalsOf = (ast: SchemaAST.AST): ReadonlyArray<unknown> | undefined => {
  if (ast._tag === "Literal") return [ast.literal]
  if (ast._tag === "Union" && ast.types.every((t) => t._tag === "Literal")) {
    return ast.types.map((t) => (t as SchemaAST.Literal).literal)
  }
  return undefined
}

/** The literal-valued properties of a struct: what tells its values apart from another struct's. */
const literalProperties = (ast: SchemaAST.Objects) =>
  ast.propertySignatures.flatMap((p) => {
    const values = SchemaAST.isOptional(p.type) ? undefined : literalsOf(p.type)
    return values === undefined ? [] : [{ name: p.name as string, values }]
  })

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
      const literals = literalProperties(ast)
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return false
        for (const { name, values } of literals) if (!values.includes((v as any)[name])) return false
        return true
      }
    }
    default:
      return undefined
  }
}

/** The members of a union, nested unions flattened (literal unions stay one member). */
const flatten = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> =>
  ast._tag === "Union" && literalsOf(ast) === undefined ? ast.types.flatMap(flatten) : [ast]

const primitiveKind = (ast: SchemaAST.AST): string | undefined => {
  switch (ast._tag) {
    case "Null":
      return "null"
    case "String":
      return "string"
    case "Number":
      return "number"
    case "Boolean":
      return "boolean"
    case "Declaration":
      return "declaration"
    default:
      return undefined
  }
}

/**
 * True when a value of the later member `b` cannot pass the guard of the earlier member `a`, nor the reverse for
 * kinds and literal values (false when unsure).
 */
const disjoint = (a: SchemaAST.AST, b: SchemaAST.AST): boolean => {
  const la = literalsOf(a)
  const lb = literalsOf(b)
  const ka = la !== undefined ? "literal" : a._tag === "Objects" ? "object" : a._tag === "Arrays" ? "array" : primitiveKind(a)
  const kb = lb !== undefined ? "literal" : b._tag === "Objects" ? "object" : b._tag === "Arrays" ? "array" : primitiveKind(b)
  if (ka === undefined || kb === undefined) return false
  // A declared value (a `DateTime.Utc`) is an object: told apart from everything but objects and declarations.
  if (ka === "declaration" || kb === "declaration") return ka !== kb && ka !== "object" && kb !== "object"
  if (ka === "literal" && kb === "literal") return la!.every((x) => !lb!.includes(x))
  if (ka === "literal" || kb === "literal") {
    const [values, kind] = ka === "literal" ? [la!, kb] : [lb!, ka]
    return values.every((x) => (x === null ? "null" : typeof x) !== kind)
  }
  if (ka === "object" && kb === "object") {
    // Some property both require, with literal values no value of one can share with the other; or a literal
    // property the earlier member requires and the later one does not have (`legacy: true` before current prices).
    const pb = literalProperties(b as SchemaAST.Objects)
    const keysOfB = new Set((b as SchemaAST.Objects).propertySignatures.map((p) => p.name))
    return literalProperties(a as SchemaAST.Objects).some(({ name, values }) => {
      if (!keysOfB.has(name)) return true
      const other = pb.find((p) => p.name === name)
      return other !== undefined && values.every((x) => !other.values.includes(x))
    })
  }
  return ka !== kb
}

/** True when no value can pass the guards of two members: then the first passing member is the schema's choice. */
const exclusive = (members: ReadonlyArray<SchemaAST.AST>): boolean => {
  const flat = members.flatMap(flatten)
  for (let i = 0; i < flat.length; i++) {
    for (let j = i + 1; j < flat.length; j++) if (!disjoint(flat[i]!, flat[j]!)) return false
  }
  return true
}

const compileUnion = (ast: SchemaAST.Union, compile: (ast: SchemaAST.AST) => Write): Write => {
  const guards = ast.types.map(guardOf)
  if (guards.some((g) => g === undefined) || !exclusive(ast.types)) return bySchema(ast)
  const members = ast.types.map((member, i) => ({ guard: guards[i]!, encode: compile(member) }))
  // `NullOr(X)`: anything but null is the other member's (its type is not re-checked, as everywhere here).
  const nullAt = ast.types.findIndex((t) => t._tag === "Null")
  if (ast.types.length === 2 && nullAt !== -1) {
    const other = members[1 - nullAt]!.encode
    return (value) => (value === null ? "null" : other(value))
  }
  // A value no member's guard accepts is not of this type: the schema reports it.
  let fallback: Write | undefined
  return (value) => {
    for (const member of members) if (member.guard(value)) return member.encode(value)
    return (fallback ??= bySchema(ast))(value)
  }
}


type Field = { readonly name: string; readonly optional: boolean; readonly write: Write }

/**
 * A struct's writer as one function generated at start-up from its property list: each property read with a
 * constant key (so V8 sees one object shape per struct, not every shape through one shared keyed read) and its
 * writer called directly. The keys are the schema's own names, written as JSON string literals. `undefined` where
 * the runtime forbids generating code (`new Function` under a strict Content-Security-Policy, or on a platform such
 * as Cloudflare Workers): then `closureStruct` writes the same text.
 */
const generatedStruct = (fields: ReadonlyArray<Field>): Write | undefined => {
  const body = fields.map((field, i) => {
    const key = JSON.stringify(field.name)
    const read = `t = v[${JSON.stringify(field.name)}];`
    const skip = field.optional ? "if (t !== undefined) " : ""
    return `${read} ${skip}{ s = w${i}(t); if (s !== undefined) out += (out === "" ? ${JSON.stringify(`{${key}:`)} : ${
      JSON.stringify(`,${key}:`)
    }) + s }`
  })
  let make: (...writers: ReadonlyArray<Write>) => Write
  try {
    make = new Function(
      ...fields.map((_, i) => `w${i}`),
      `return function write(v) { let out = "", t, s; ${body.join("\n")}\n return out === "" ? "{}" : out + "}" }`
    ) as (...writers: ReadonlyArray<Write>) => Write
  } catch {
    return undefined
  }
  return make(...fields.map((f) => f.write))
}

/** The same writer as `generatedStruct`, as a loop over the fields: for runtimes that cannot generate code. */
const closureStruct = (fields: ReadonlyArray<Field>): Write => {
  const opening = fields.map((f) => `{${JSON.stringify(f.name)}:`)
  const next = fields.map((f) => `,${JSON.stringify(f.name)}:`)
  return (value) => {
    const v = value as Record<string, unknown>
    let out = ""
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!
      const t = v[field.name]
      if (field.optional && t === undefined) continue
      const s = field.write(t)
      if (s !== undefined) out += (out === "" ? opening[i]! : next[i]!) + s
    }
    return out === "" ? "{}" : out + "}"
  }
}

/** A struct's writer (generated, or the closure where that is not possible), with the immutable values' text cache. */
const structWriter = (fields: ReadonlyArray<Field>): Write => {
  const write = generatedStruct(fields) ?? closureStruct(fields)
  // The text of a value registered as immutable is written once per struct schema.
  const texts = new WeakMap<object, string | undefined>()
  return (value) => {
    if (!immutables.has(value as object)) return write(value)
    if (texts.has(value as object)) return texts.get(value as object)
    const text = write(value)
    texts.set(value as object, text)
    return text
  }
}

/** Values registered by `immutable`: their JSON text is remembered by the struct writers. */
const immutables = new WeakSet<object>()

const isPlain = (value: unknown): value is object =>
  typeof value === "object" && value !== null &&
  (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)

const freezePlain = (value: object): void => {
  if (Object.isFrozen(value)) return
  Object.freeze(value)
  for (const item of Object.values(value)) if (isPlain(item)) freezePlain(item)
}

/**
 * Registers a wire value that is shared between responses (e.g. the wire form of a catalog product, remembered per
 * domain product by `Responses`): it and its plain objects and arrays are frozen, and the struct writers remember its
 * JSON text instead of writing it again for every response that carries it.
 */
export const immutable = <A extends object>(value: A): A => {
  freezePlain(value)
  immutables.add(value)
  return value
}

const compileObjects = (ast: SchemaAST.Objects, compile: (ast: SchemaAST.AST) => Write): Write => {
  const { indexSignatures, propertySignatures } = ast
  if (propertySignatures.length > 0 && indexSignatures.length === 0) {
    if (propertySignatures.some((p) => typeof p.name !== "string")) return bySchema(ast)
    return structWriter(propertySignatures.map((p) => ({
      name: p.name as string,
      optional: SchemaAST.isOptional(p.type),
      write: compile(p.type)
    })))
  }
  if (propertySignatures.length === 0 && indexSignatures.length === 1) {
    const [index] = indexSignatures
    if (index!.parameter.encoding !== undefined || index!.parameter._tag !== "String") return bySchema(ast)
    if (isCopied(index!.type)) return writeCopied
    const write = compile(index!.type)
    return (value) => {
      const input = value as Record<string, unknown>
      let out = ""
      for (const key of Object.keys(input)) {
        const text = write(input[key])
        if (text === undefined) continue
        out += `${out === "" ? "{" : ","}${JSON.stringify(key)}:${text}`
      }
      return out === "" ? "{}" : `${out}}`
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
  const fallback = encoderOf(ast)
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
 * A declaration's encoding by its schema, as JSON text remembered per value: declared values are immutable objects
 * (a `DateTime.Utc`), and the catalog's repeat on every response.
 */
const remembered = (ast: SchemaAST.AST): Write => {
  const encode = byTransformation(ast) ?? encoderOf(ast)
  const texts = new WeakMap<object, string | undefined>()
  return (value) => {
    if (typeof value !== "object" || value === null) return JSON.stringify(encode(value))
    let out = texts.get(value)
    if (out === undefined) {
      out = JSON.stringify(encode(value))
      texts.set(value, out)
    }
    return out
  }
}

const compileNode = (ast: SchemaAST.AST): Write => {
  if (isCopied(ast)) return copiedWriter(ast)
  if (ast._tag === "Declaration" && ast.typeParameters.length === 0) return remembered(ast)
  if (ast.encoding !== undefined) return bySchema(ast)
  switch (ast._tag) {
    case "Objects":
      return compileObjects(ast, compileNode)
    case "Arrays": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return bySchema(ast)
      if (isCopied(ast.rest[0]!)) return writeCopied
      const write = compileNode(ast.rest[0]!)
      return (value) => {
        const items = value as ReadonlyArray<unknown>
        if (items.length === 0) return "[]"
        // As JSON.stringify writes array items: one left out is written as `null`.
        let out = `[${write(items[0]) ?? "null"}`
        for (let i = 1; i < items.length; i++) out += `,${write(items[i]) ?? "null"}`
        return `${out}]`
      }
    }
    case "Union":
      return compileUnion(ast, compileNode)
    case "Suspend": {
      let write: Write | undefined
      return (value) => (write ??= compileNode(ast.thunk()))(value)
    }
    default:
      return bySchema(ast)
  }
}

/** The JSON text of `JSON.stringify(Schema.encodeSync(Schema.toCodecJson(schema))(value))`, without the interpreter. */
export const compile = <S extends Schema.Top>(schema: S): (value: S["Type"]) => string => {
  const write = compileNode(Schema.toCodecJson(schema).ast)
  return (value) => write(value) ?? "null"
}

/**
 * A JSON response of a value of `schema`, as HttpApi sends an encoded success (status, content type, body), for a
 * handler to return. The endpoint keeps `schema` as its declared success (OpenAPI, typed client).
 */
export const response = <S extends Schema.Top>(schema: S, status = 200) => {
  const write = compile(schema)
  return (value: S["Type"]): HttpServerResponse.HttpServerResponse =>
    HttpServerResponse.text(write(value), { status, contentType: "application/json" })
}

/**
 * `answer` (a response made from an immutable source value, e.g. a domain `CheckoutView`), kept per source object
 * from the second time that source is answered, while the source lives (a WeakMap): a source answered again (the
 * domain gives the same view for an unchanged checkout) is neither mapped, written nor measured again. A source
 * answered once keeps nothing but a WeakSet mark: a read that is not repeated does not hold its body for the garbage
 * collector to age. Responses are immutable values: headers added later make a new one.
 */
export const rememberedAnswers = <Source extends object>(
  answer: (source: Source) => HttpServerResponse.HttpServerResponse
) => {
  const answers = new WeakMap<Source, HttpServerResponse.HttpServerResponse>()
  const answeredOnce = new WeakSet<Source>()
  return (source: Source): HttpServerResponse.HttpServerResponse => {
    let kept = answers.get(source)
    if (kept === undefined) {
      kept = answer(source)
      if (answeredOnce.has(source)) answers.set(source, kept)
      else answeredOnce.add(source)
    }
    return kept
  }
}
