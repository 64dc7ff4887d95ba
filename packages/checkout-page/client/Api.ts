/**
 * The public client endpoints, as the page calls them: same origin, no credentials, JSON in and out. Failures are
 * values (`Failure`) so the form can place 422 items next to their fields.
 */
import type { Checkout, ValidationItem } from "./Wire.ts"

export type Failure =
  | { readonly _tag: "Invalid"; readonly items: ReadonlyArray<ValidationItem> }
  | { readonly _tag: "Rejected"; readonly status: number; readonly error: string; readonly detail: string }
  | { readonly _tag: "Network"; readonly detail: string }

export type Result = { readonly ok: true; readonly checkout: Checkout } | { readonly ok: false; readonly failure: Failure }

const base = (secret: string) => `/v1/checkouts/client/${encodeURIComponent(secret)}`

const call = async (url: string, init: RequestInit): Promise<Result> => {
  let response: Response
  try {
    response = await fetch(url, { ...init, credentials: "omit", cache: "no-store" })
  } catch {
    return { ok: false, failure: { _tag: "Network", detail: "The connection failed. Check your network and try again." } }
  }
  const body: unknown = await response.json().catch(() => null)
  if (response.ok) return { ok: true, checkout: body as Checkout }
  const record = (body ?? {}) as { readonly error?: unknown; readonly detail?: unknown }
  if (response.status === 422 && Array.isArray(record.detail)) {
    return { ok: false, failure: { _tag: "Invalid", items: record.detail as ReadonlyArray<ValidationItem> } }
  }
  return {
    ok: false,
    failure: {
      _tag: "Rejected",
      status: response.status,
      error: typeof record.error === "string" ? record.error : "Error",
      detail: typeof record.detail === "string" ? record.detail : "Something went wrong. Please try again."
    }
  }
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body)
})

export const get = (secret: string) => call(base(secret), { method: "GET" })
export const update = (secret: string, patch: Record<string, unknown>) => call(base(secret), json("PATCH", patch))
export const confirm = (secret: string, body: Record<string, unknown>) =>
  call(`${base(secret)}/confirm`, json("POST", body))
export const streamUrl = (secret: string) => `${base(secret)}/stream`
