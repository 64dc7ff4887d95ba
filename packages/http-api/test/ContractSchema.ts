/**
 * The reference contract (`test/data/polar-openapi-checkout.json`, committed test data; see the README beside it)
 * as a test oracle: a small structural JSON Schema checker (refs, anyOf/oneOf, const/enum, types, required keys,
 * maps, arrays, bounds, the formats the contract uses) and a generator of contract-conformant request samples. Written for this contract only, not a
 * general validator: `oneOf` is read as `anyOf` because the contract's discriminated unions overlap structurally
 * (a legacy price also satisfies the plain price shape), as pydantic's discriminators resolve them.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export type JsonSchema = { readonly [key: string]: any }

const contractPath = fileURLToPath(new URL("./data/polar-openapi-checkout.json", import.meta.url))

export const contract: JsonSchema = JSON.parse(readFileSync(contractPath, "utf8"))

export const component = (name: string): JsonSchema => {
  const schema = contract["components"]["schemas"][name]
  if (schema === undefined) throw new Error(`no component ${name}`)
  return schema
}

const resolve = (schema: JsonSchema): JsonSchema =>
  typeof schema["$ref"] === "string" ? resolve(component(schema["$ref"].split("/").pop()!)) : schema

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/u
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/u

const checkFormat = (format: string, value: string): boolean => {
  switch (format) {
    case "uuid4":
    case "uuid":
      return uuidPattern.test(value)
    case "date-time":
      return rfc3339.test(value) && !Number.isNaN(Date.parse(value))
    case "email":
      return /^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(value)
    case "uri":
      return URL.canParse(value)
    default:
      return true
  }
}

const typeOf = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : typeof value === "number"
    ? Number.isInteger(value) ? "integer" : "number"
    : typeof value

/** Problems found in `value` against `schema`, as `path: message`; empty when it conforms. */
export const check = (schema: JsonSchema, value: unknown, path = "$"): Array<string> => {
  const s = resolve(schema)
  const branches: ReadonlyArray<JsonSchema> | undefined = s["anyOf"] ?? s["oneOf"]
  if (branches !== undefined) {
    const results = branches.map((b) => check(b, value, path))
    if (results.some((r) => r.length === 0)) return []
    return [`${path}: matches no branch (${results.map((r) => r[0]).join(" | ")})`]
  }
  if ("const" in s) return value === s["const"] ? [] : [`${path}: expected const ${JSON.stringify(s["const"])}`]
  if (Array.isArray(s["enum"]) && !s["enum"].includes(value)) {
    return [`${path}: ${JSON.stringify(value)} not in enum`]
  }
  const type: string | undefined = s["type"]
  const actual = typeOf(value)
  if (type !== undefined && !(type === actual || (type === "number" && actual === "integer"))) {
    return [`${path}: expected ${type}, got ${actual}`]
  }
  const errors: Array<string> = []
  if (typeof value === "string") {
    if (typeof s["format"] === "string" && !checkFormat(s["format"], value)) errors.push(`${path}: bad ${s["format"]}`)
    if (typeof s["minLength"] === "number" && value.length < s["minLength"]) errors.push(`${path}: too short`)
    if (typeof s["maxLength"] === "number" && value.length > s["maxLength"]) errors.push(`${path}: too long`)
    if (typeof s["pattern"] === "string" && !new RegExp(s["pattern"]).test(value)) errors.push(`${path}: pattern`)
  }
  if (typeof value === "number") {
    if (typeof s["minimum"] === "number" && value < s["minimum"]) errors.push(`${path}: below minimum`)
    if (typeof s["maximum"] === "number" && value > s["maximum"]) errors.push(`${path}: above maximum`)
    if (typeof s["exclusiveMinimum"] === "number" && value <= s["exclusiveMinimum"]) errors.push(`${path}: not above`)
  }
  if (Array.isArray(value)) {
    if (typeof s["minItems"] === "number" && value.length < s["minItems"]) errors.push(`${path}: too few items`)
    if (s["items"] !== undefined) value.forEach((v, i) => errors.push(...check(s["items"], v, `${path}[${i}]`)))
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>
    for (const key of s["required"] ?? []) if (!(key in object)) errors.push(`${path}: missing required ${key}`)
    const properties: Record<string, JsonSchema> = s["properties"] ?? {}
    for (const [key, v] of Object.entries(object)) {
      if (key in properties) errors.push(...check(properties[key]!, v, `${path}.${key}`))
      else if (typeof s["additionalProperties"] === "object") {
        errors.push(...check(s["additionalProperties"], v, `${path}.${key}`))
        if (s["propertyNames"]?.format !== undefined && !checkFormat(s["propertyNames"].format, key)) {
          errors.push(`${path}: bad key ${key}`)
        }
      }
    }
  }
  return errors
}

/** Keys of the component's `properties`. */
export const propertyNames = (name: string): Array<string> => Object.keys(component(name)["properties"] ?? {})

const sampleString = (s: JsonSchema): string => {
  switch (s["format"]) {
    case "uuid4":
    case "uuid":
      return "3f0f8a5c-6f6e-4b8a-9d6b-2a7f3c1e9b10"
    case "email":
      return "buyer@example.com"
    case "uri":
      return "https://example.com/success?checkout_id={CHECKOUT_ID}"
    case "ipvanyaddress":
      return "203.0.113.7"
    case "date-time":
      return "2026-01-02T03:04:05Z"
    default:
      if (typeof s["pattern"] === "string") return "12.5"
      return "x".repeat(Math.max(1, s["minLength"] ?? 1))
  }
}

/**
 * A value the contract accepts for `schema`. `nulls: true` picks `null` wherever the contract allows it (to check
 * that explicit nulls are accepted); otherwise the first non-null branch. Objects get every property, required or
 * not.
 */
export const sample = (schema: JsonSchema, nulls: boolean): unknown => {
  const s = resolve(schema)
  const branches: ReadonlyArray<JsonSchema> | undefined = s["anyOf"] ?? s["oneOf"]
  if (branches !== undefined) {
    const isNull = (b: JsonSchema) => resolve(b)["type"] === "null"
    if (nulls && branches.some(isNull)) return null
    return sample(branches.find((b) => !isNull(b))!, nulls)
  }
  if ("const" in s) return s["const"]
  if (Array.isArray(s["enum"])) return s["enum"][0]
  switch (s["type"]) {
    case "string":
      return sampleString(s)
    case "integer":
      return typeof s["minimum"] === "number" ? Math.max(1, s["minimum"]) : 1
    case "number":
      return 1.5
    case "boolean":
      return true
    case "array":
      return [sample(s["items"] ?? { type: "string" }, nulls)]
    case "object": {
      if (s["properties"] === undefined) {
        const key = s["propertyNames"]?.format === "uuid4" ? sampleString({ format: "uuid4" }) : "key"
        return { [key]: sample(s["additionalProperties"] ?? { type: "string" }, nulls) }
      }
      const out: Record<string, unknown> = {}
      for (const [key, v] of Object.entries<JsonSchema>(s["properties"])) out[key] = sample(v, nulls)
      return out
    }
    default:
      return null
  }
}
