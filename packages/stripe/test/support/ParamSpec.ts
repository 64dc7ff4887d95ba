/**
 * Per-endpoint parameter allow-lists for the fake Stripe server, in the spirit of stripe-mock: every top-level name
 * an endpoint accepts is listed (taken from the SDK 23.1.0 `*CreateParams` types, i.e. the real API), the parts the
 * adapter sends are modelled down to their leaves, and real but unmodelled objects are accepted as `opaque`. An unknown
 * name fails with Stripe's own `parameter_unknown` error, so a typo or a parameter Stripe dropped shows up in tests.
 */
import * as FormBody from "./FormBody.ts"

export type Spec =
  | { readonly _tag: "String"; readonly oneOf?: ReadonlyArray<string>; readonly required?: boolean }
  | { readonly _tag: "Integer"; readonly min?: number; readonly required?: boolean }
  | { readonly _tag: "Boolean"; readonly required?: boolean }
  | { readonly _tag: "Object"; readonly fields: Fields; readonly required?: boolean }
  | { readonly _tag: "Array"; readonly items: Spec; readonly required?: boolean }
  | { readonly _tag: "Metadata"; readonly required?: boolean }
  | { readonly _tag: "Opaque"; readonly required?: boolean }

export interface Fields {
  readonly [name: string]: Spec
}

export const string = (oneOf?: ReadonlyArray<string>): Spec =>
  oneOf === undefined ? { _tag: "String" } : { _tag: "String", oneOf }
export const integer = (min?: number): Spec => (min === undefined ? { _tag: "Integer" } : { _tag: "Integer", min })
export const boolean: Spec = { _tag: "Boolean" }
export const object = (fields: Fields): Spec => ({ _tag: "Object", fields })
export const array = (items: Spec): Spec => ({ _tag: "Array", items })
export const metadata: Spec = { _tag: "Metadata" }
/** A real Stripe parameter the fake does not model: accepted with any shape, ignored. */
export const opaque: Spec = { _tag: "Opaque" }
export const required = (spec: Spec): Spec => ({ ...spec, required: true })

/** Declares real top-level parameters as opaque in one go (keeps the allow-lists readable). */
export const opaqueAll = (...names: ReadonlyArray<string>): Fields =>
  Object.fromEntries(names.map((name) => [name, opaque]))

/** A decoded parameter value: Stripe's empty string ("unset") decodes to `null`. */
export type Typed = string | number | boolean | null | TypedObject | ReadonlyArray<Typed>
export interface TypedObject {
  readonly [name: string]: Typed
}

/** The parts of Stripe's `invalid_request_error` body a failed validation produces. */
export interface Failure {
  readonly code?: string
  readonly param: string
  readonly message: string
}

type Outcome = { readonly ok: true; readonly value: Typed } | { readonly ok: false; readonly failure: Failure }

const ok = (value: Typed): Outcome => ({ ok: true, value })
const fail = (param: string, message: string, code?: string): Outcome => ({
  ok: false,
  failure: code === undefined ? { param, message } : { code, param, message }
})

const name = (path: ReadonlyArray<string>) => FormBody.paramName(path)

const isObj = (v: FormBody.Value): v is FormBody.Obj => typeof v === "object" && !Array.isArray(v)

const validateFields = (fields: Fields, input: FormBody.Obj, path: ReadonlyArray<string>): Outcome => {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(fields, key)) {
      const p = name([...path, key])
      return fail(p, `Received unknown parameter: ${p}`, "parameter_unknown")
    }
  }
  const out: Record<string, Typed> = {}
  for (const [key, spec] of Object.entries(fields)) {
    const raw = input[key]
    if (raw === undefined || raw === "") {
      if (spec.required === true) {
        const p = name([...path, key])
        return fail(p, `Missing required param: ${p}.`, "parameter_missing")
      }
      if (raw === "") out[key] = null
      continue
    }
    const result = validate(spec, raw, [...path, key])
    if (!result.ok) return result
    out[key] = result.value
  }
  return ok(out)
}

/** Validates and decodes one parsed value against its spec; `path` names it in errors. */
export const validate = (spec: Spec, input: FormBody.Value, path: ReadonlyArray<string>): Outcome => {
  const p = name(path)
  switch (spec._tag) {
    case "String": {
      if (typeof input !== "string") return fail(p, `Invalid string: ${p} must be a string`)
      if (spec.oneOf !== undefined && !spec.oneOf.includes(input)) {
        return fail(p, `Invalid ${p}: must be one of ${spec.oneOf.join(", ")}`)
      }
      return ok(input)
    }
    case "Integer": {
      if (typeof input !== "string" || !/^-?\d+$/u.test(input)) {
        return fail(p, `Invalid integer: ${typeof input === "string" ? input : p}`, "parameter_invalid_integer")
      }
      const n = Number(input)
      if (!Number.isSafeInteger(n)) return fail(p, `Invalid integer: ${input}`, "parameter_invalid_integer")
      if (spec.min !== undefined && n < spec.min) {
        return fail(p, `This value must be greater than or equal to ${spec.min}.`, "parameter_invalid_integer")
      }
      return ok(n)
    }
    case "Boolean": {
      if (input === "true") return ok(true)
      if (input === "false") return ok(false)
      return fail(p, `Invalid boolean: ${typeof input === "string" ? input : p}`)
    }
    case "Object": {
      if (!isObj(input)) return fail(p, `Invalid object: ${p}`)
      return validateFields(spec.fields, input, path)
    }
    case "Array": {
      if (!Array.isArray(input)) return fail(p, `Invalid array: ${p}`)
      const out: Array<Typed> = []
      for (let i = 0; i < input.length; i++) {
        const result = validate(spec.items, input[i]!, [...path, String(i)])
        if (!result.ok) return result
        out.push(result.value)
      }
      return ok(out)
    }
    case "Metadata": {
      if (!isObj(input)) return fail(p, `Invalid object: ${p}`)
      const entries = Object.entries(input)
      if (entries.length > 50) return fail(p, "You can specify up to 50 keys in metadata.")
      const out: Record<string, Typed> = {}
      for (const [key, value] of entries) {
        const kp = name([...path, key])
        if (typeof value !== "string") return fail(kp, `Invalid string: ${kp} must be a string`)
        if (key.length > 40) return fail(kp, "Metadata keys can have up to 40 characters.")
        if (value.length > 500) return fail(kp, "Metadata values can have up to 500 characters.")
        out[key] = value === "" ? null : value
      }
      return ok(out)
    }
    case "Opaque":
      return ok(toTyped(input))
  }
}

const toTyped = (input: FormBody.Value): Typed => {
  if (typeof input === "string") return input
  if (Array.isArray(input)) return input.map(toTyped)
  return Object.fromEntries(Object.entries(input as FormBody.Obj).map(([k, v]) => [k, toTyped(v)]))
}

/** Validates a whole request (the top-level object) against an endpoint's fields. */
export const validateRequest = (
  fields: Fields,
  input: FormBody.Obj
): { readonly ok: true; readonly value: TypedObject } | { readonly ok: false; readonly failure: Failure } => {
  const result = validateFields(fields, input, [])
  return result.ok ? { ok: true, value: result.value as TypedObject } : result
}
