/**
 * One item of a 422 body in the reference's shape (pydantic's `{type, loc, msg, input, ctx?}`), and the JSON-safe
 * echo of the refused input it carries. Shared by the two translations into items: Effect's schema issues
 * (internal/SchemaIssues.ts) and the domain's issues (DomainIssues.ts).
 */
import { Schema } from "effect"

/** One validation problem. `input` is the offending value (for `missing`, the object that lacks the key). */
export const ValidationErrorItem = Schema.Struct({
  type: Schema.String,
  loc: Schema.Array(Schema.Union([Schema.String, Schema.Int])),
  msg: Schema.String,
  input: Schema.optionalKey(Schema.Unknown),
  ctx: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown))
}).annotate({ identifier: "ValidationError" })
export type ValidationErrorItem = typeof ValidationErrorItem.Type

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
