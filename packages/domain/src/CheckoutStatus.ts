/**
 * Checkout statuses (spec 2). `confirmed` means the buyer pressed pay, not that money moved; `failed` exists in the
 * reference but no path sets it. The transition table lives here so that every status change goes through it.
 */
import { Schema } from "effect"

export const Status = Schema.Literals(["open", "expired", "confirmed", "succeeded", "failed"])
export type Status = typeof Status.Type
