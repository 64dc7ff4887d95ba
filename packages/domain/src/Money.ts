/**
 * Money: amounts are integer minor units (cents) of one currency, bounded to safe integers. No floats are stored
 * or sent on the wire; the only floating-point step is the reference's percentage-discount expression, which
 * lives in Rounding.
 */
import { Schema } from "effect"

/** A non-negative amount in minor units. */
export const Amount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
export type Amount = typeof Amount.Type

/** A non-negative safe integer: what every amount of the pricing chain must be. */
export const isAmount = (n: unknown): n is Amount => typeof n === "number" && Number.isSafeInteger(n) && n >= 0

/** Sum of amounts in minor units (exact while the result stays a safe integer). */
export const sum = (amounts: ReadonlyArray<number>): number => {
  let total = 0
  for (const amount of amounts) total += amount
  return total
}
