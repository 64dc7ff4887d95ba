/**
 * Wire shapes derived from domain shapes. Where Polar's object has the domain's fields under snake_case names, the
 * wire schema is built from the domain `Schema.Struct`: its keys, in the wire's order, renamed camelCase ->
 * snake_case, each field's schema replaced by its wire scalar (`DateTime.Utc` -> `Timestamp`, `Id` -> `Uuid`, an
 * amount -> `Amount`, a domain enum -> the contract's named enum), and explicit overrides only where Polar's wire
 * type differs. Keys Polar adds (deprecated or computed ones) are declared as `extra` fields, placed by name in
 * `keys`. The same derivation gives `toWire`: the domain value -> wire value mapping of that shape (renaming, nested
 * derived shapes mapped, extras and overridden values supplied by the caller), so no response maps such a shape
 * field by field.
 */
import { Schema, SchemaAST } from "effect"

/** `postalCode` -> `postal_code`, `checksumSha256Hex` -> `checksum_sha256_hex`. */
export const snakeCase = (key: string): string => key.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`)

type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S

type Fields = Schema.Struct.Fields

/** A wire scalar standing for a domain schema of the same decoded type. */
export interface Scalar {
  readonly domain: Schema.Top
  readonly wire: Schema.Top
}

/** Pairs a domain schema with the wire schema that carries the same values. */
export const scalar = <D extends Schema.Top, W extends Schema.Top>(
  domain: D,
  wire: W & ([D["Type"]] extends [W["Type"]] ? [W["Type"]] extends [D["Type"]] ? unknown : never : never)
): Scalar => ({ domain, wire })

type WireKey<K extends string, R> = K extends keyof R ? R[K] & string : Snake<K>

type WireFields<F extends Fields, K extends string, R, O extends Fields, E extends Fields> = {
  readonly [P in K as P extends keyof E ? P : WireKey<P, R>]: P extends keyof E ? E[P]
    : P extends keyof O ? O[P]
    : P extends keyof F ? F[P]
    : never
}

export interface Spec<F extends Fields, K extends string, R, O extends Fields, E extends Fields> {
  /** Wire order: domain keys (renamed) and `extra` keys (as they are). Domain keys not listed are not on the wire. */
  readonly keys: ReadonlyArray<K>
  /** Names that are not the plain snake_case of the domain key. */
  readonly rename?: R & { readonly [P in keyof R]: P extends keyof F ? string : never }
  /** Where Polar's wire type differs from the domain field's (a named enum, an added format, a nested shape). */
  readonly overrides?: O & { readonly [P in keyof O]: P extends keyof F ? Schema.Top : never }
  /** Keys Polar has and the domain shape has not (deprecated or computed ones); their values come from the caller. */
  readonly extra?: E
  readonly identifier?: string
}

type WireType<F extends Fields, K extends string, R, O extends Fields, E extends Fields> = Schema.Struct.Type<
  WireFields<F, K, R, O, E>
>

/** A derived wire schema, with its domain -> wire mapping. */
export type Derived<F extends Fields, K extends string, R, O extends Fields, E extends Fields> =
  & Schema.Struct<WireFields<F, K, R, O, E>>
  & {
    /**
     * The wire value of a domain value: renamed keys in wire order, nested derived shapes mapped; `given` supplies
     * the extra keys and replaces any domain value whose wire form is computed.
     */
    readonly toWire: (
      value: { readonly [P in Extract<K, keyof F>]: unknown },
      ...given: keyof E extends never ? [given?: Partial<WireType<F, K, R, O, E>>]
        : [given: Pick<WireType<F, K, R, O, E>, Extract<keyof E, keyof WireType<F, K, R, O, E>>> & Partial<
          WireType<F, K, R, O, E>
        >]
    ) => WireType<F, K, R, O, E>
  }

type Convert = (value: unknown) => unknown

/** `toWire` of every derived schema by its AST, for nested shapes (a derived field, an array of them, or `null`). */
const converters = new WeakMap<SchemaAST.AST, Convert>()

const converterOf = (ast: SchemaAST.AST): Convert | undefined => {
  const own = converters.get(ast)
  if (own !== undefined) return own
  if (ast._tag === "Arrays" && ast.elements.length === 0 && ast.rest.length === 1) {
    const item = converterOf(ast.rest[0]!)
    return item === undefined ? undefined : (value) => (value as ReadonlyArray<unknown>).map(item)
  }
  if (ast._tag === "Union" && ast.types.length === 2 && ast.types[1]!._tag === "Null") {
    const member = converterOf(ast.types[0]!)
    return member === undefined ? undefined : (value) => (value === null ? null : member(value))
  }
  return undefined
}

interface Step {
  readonly from: string | undefined
  readonly to: string
  readonly convert: Convert | undefined
}

/**
 * For shapes without optional keys, `toWire` as one object literal in wire order, generated once from the plan
 * (the generic loop below builds each value key by key, through megamorphic keyed loads and stores: about five
 * times slower on a checkout body's catalog).
 */
const compileToWire = (plan: ReadonlyArray<Step>, hasOptional: boolean) => {
  if (hasOptional) return undefined
  const entries = plan.map((step, i) => {
    const to = JSON.stringify(step.to)
    const own = step.from === undefined
      ? "undefined"
      : step.convert === undefined
      ? `v[${JSON.stringify(step.from)}]`
      : `c[${i}](v[${JSON.stringify(step.from)}])`
    return `${to}: g !== undefined && g[${to}] !== undefined ? g[${to}] : ${own}`
  })
  const make = new Function("c", `return (v, g) => ({ ${entries.join(", ")} })`) as (
    c: ReadonlyArray<Convert | undefined>
  ) => (value: Record<string, unknown>, given?: Record<string, unknown>) => Record<string, unknown>
  return make(plan.map((step) => step.convert))
}

/** The wire scalar of a domain field schema (through `NullOr`), or the schema itself. */
const wireOf = (schema: Schema.Top, scalars: ReadonlyArray<Scalar>): Schema.Top => {
  const found = scalars.find((s) => s.domain === schema)
  if (found !== undefined) return found.wire
  const members = (schema as { readonly members?: ReadonlyArray<Schema.Top> }).members
  if (members !== undefined && members.length === 2 && members[1] === Schema.Null) {
    const inner = wireOf(members[0]!, scalars)
    return inner === members[0] ? schema : Schema.NullOr(inner)
  }
  return schema
}

/** A deriver bound to a table of wire scalars (`wire/Scalars.ts` gives the contract's one). */
export const make = (scalars: ReadonlyArray<Scalar>) =>
<
  F extends Fields,
  const K extends string,
  const R extends { readonly [k: string]: string } = {},
  const O extends Fields = {},
  const E extends Fields = {}
>(domain: Schema.Struct<F>, spec: Spec<F, K, R, O, E>): Derived<F, K, R, O, E> => {
  const rename = (spec.rename ?? {}) as Record<string, string>
  const overrides = (spec.overrides ?? {}) as Record<string, Schema.Top>
  const extra = (spec.extra ?? {}) as Record<string, Schema.Top>
  const fields: Record<string, Schema.Top> = {}
  const plan: Array<Step> = []
  for (const key of spec.keys) {
    if (Object.hasOwn(extra, key)) {
      fields[key] = extra[key]!
      plan.push({ from: undefined, to: key, convert: undefined })
      continue
    }
    const field = domain.fields[key] as Schema.Top | undefined
    if (field === undefined) throw new Error(`Derive: ${key} is neither a domain key nor an extra key`)
    const to = rename[key] ?? snakeCase(key)
    const wire = overrides[key] ?? wireOf(field, scalars)
    fields[to] = wire
    plan.push({ from: key, to, convert: converterOf(wire.ast) })
  }
  const struct = Schema.Struct(fields)
  const schema = spec.identifier === undefined ? struct : struct.annotate({ identifier: spec.identifier })
  const hasOptional = Object.values(fields).some((f) => SchemaAST.isOptional(f.ast))
  const toWire = compileToWire(plan, hasOptional) ?? ((value: Record<string, unknown>, given?: Record<string, unknown>) => {
    const out: Record<string, unknown> = {}
    for (const step of plan) {
      if (given !== undefined && Object.hasOwn(given, step.to)) out[step.to] = given[step.to]
      else if (step.from !== undefined) {
        const v = value[step.from]
        if (v !== undefined) out[step.to] = step.convert === undefined ? v : step.convert(v)
      }
    }
    return out
  })
  converters.set(schema.ast, toWire as Convert)
  return Object.assign(schema, { toWire }) as unknown as Derived<F, K, R, O, E>
}
