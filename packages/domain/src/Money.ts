/**
 * Money: amounts are integer minor units (cents) of one currency, bounded to safe integers. No floats are stored
 * or sent on the wire; the only floating-point step is the reference's percentage-discount expression, which
 * lives in Rounding.
 */
import { Schema } from "effect"

/** A non-negative amount in minor units. */
export const Amount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
export type Amount = typeof Amount.Type
