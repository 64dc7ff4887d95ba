/**
 * What a resource handler receives and returns, Stripe's error body shapes, and the readers of validated
 * form parameters.
 */
import type * as P from "../ParamSpec.ts"
import type { Address, StripeErrorObject, LoggedRequest } from "./Objects.ts"

export interface Reply {
  readonly status: number
  readonly body: unknown
}

export interface Ctx {
  readonly params: P.TypedObject
  readonly path: ReadonlyArray<string>
  readonly log: LoggedRequest
}

export interface Route {
  readonly method: "GET" | "POST"
  readonly pattern: RegExp
  readonly fields: P.Fields
  readonly expandable: ReadonlyArray<string>
  readonly handle: (ctx: Ctx) => Reply
}

export const returnUrlRequired = (noun: string) =>
  `return_url must be specified because this ${noun} is configured to automatically accept the payment methods ` +
  "enabled in the Dashboard, some of which may require a full page redirect to succeed."

export const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/gu, "-")}`

export const errorReply = (status: number, error: StripeErrorObject): Reply => ({
  status,
  body: { error: error.code === undefined || error.doc_url !== undefined ? error : { ...error, doc_url: docUrl(error.code) } }
})

export const invalid = (message: string, extra?: { readonly code?: string; readonly param?: string }): Reply =>
  errorReply(400, { type: "invalid_request_error", message, ...extra })

export const missing = (kind: string, id: string, param?: string, status = 404): Reply =>
  errorReply(status, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    ...(param === undefined ? {} : { param })
  })

export const ok = (body: unknown): Reply => ({ status: 200, body })

/**
 * A handler of `/v1/<objects>/{id}…`: runs `handle` on the object the path's id names, or answers Stripe's 404
 * `No such <kind>` when there is none.
 */
export const byId = <A>(objects: ReadonlyMap<string, A>, kind: string, handle: (found: A, ctx: Ctx) => Reply) =>
(ctx: Ctx): Reply => {
  const id = ctx.path[0]!
  const found = objects.get(id)
  return found === undefined ? missing(kind, id) : handle(found, ctx)
}

export const str = (v: P.Typed | undefined): string | null => (typeof v === "string" ? v : null)
export const obj = (v: P.Typed | undefined): P.TypedObject | null =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as P.TypedObject) : null
export const strings = (v: P.Typed | undefined): ReadonlyArray<string> =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []

export const toAddress = (v: P.Typed | undefined): Address | null => {
  const a = obj(v)
  if (a === null) return null
  return {
    city: str(a.city),
    country: str(a.country),
    line1: str(a.line1),
    line2: str(a.line2),
    postal_code: str(a.postal_code),
    state: str(a.state)
  }
}

export const toMetadata = (v: P.Typed | undefined, base: Record<string, string> = {}): Record<string, string> => {
  if (v === null) return {}
  const m = obj(v)
  const out = { ...base }
  if (m === null) return out
  for (const [k, value] of Object.entries(m)) {
    if (typeof value === "string") out[k] = value
    else delete out[k]
  }
  return out
}
