/**
 * The one place that rounds. Money is integer minor units everywhere else; the only fractional quantities are the
 * reference's percentage discount (a float product) and proportional allocation (an exact ratio), and both are
 * turned back into integers here, with the reference's rules.
 */

/**
 * Rounds to the nearest integer with halves away from zero, exactly as the reference's `polar_round`
 * (`kit/math.py`): for x >= 0, `frac >= 0.5 ? ceil : floor` with `frac = x - trunc(x)`; symmetric below zero.
 * Not `Math.round`, which sends -8.5 to -8. Returns an integer, never -0 (Python ints have no negative zero).
 */
export const polarRound = (x: number): number => {
  // `+ 0` turns -0 (from -0 itself or ceil(-0.3)) into 0.
  if (x >= 0) return (x - Math.trunc(x) >= 0.5 ? Math.ceil(x) : Math.floor(x)) + 0
  return (x - Math.trunc(x) <= -0.5 ? Math.floor(x) : Math.ceil(x)) + 0
}

/**
 * `basisPoints` of `amount`, rounded: `polarRound(amount * (basisPoints / 10000))`, evaluated in IEEE-754 doubles
 * in this exact order, bit for bit like the reference. The order matters: `bp / 10000` is inexact, so the product
 * can land just below a half (2500 at 6 bp gives 1.4999999999999998, so 1, where exact arithmetic says 1.5, so 2).
 * Do not "fix" this into integer arithmetic; see docs/pricing.md for how often the two differ.
 */
export const basisPointsOf = (amount: number, basisPoints: number): number => polarRound(amount * (basisPoints / 10_000))

/**
 * Splits `total` in proportion to `weights` so that the parts always sum to `total` (largest-remainder method):
 * each part is `floor(total * w / sum)` computed exactly on integers, then the units lost to flooring go one each
 * to the largest remainders, ties to the earlier index. All-zero or empty weights give zeros.
 * Expects non-negative safe integers (amounts); the products are computed on BigInt, so they never lose precision.
 */
export const allocateLargestRemainder = (total: number, weights: ReadonlyArray<number>): ReadonlyArray<number> => {
  const sum = weights.reduce((acc, w) => acc + w, 0)
  if (weights.length === 0 || sum <= 0) return weights.map(() => 0)
  const parts: Array<number> = []
  const remainders: Array<bigint> = []
  let allocated = 0
  const bigTotal = BigInt(total)
  const bigSum = BigInt(sum)
  for (const weight of weights) {
    // BigInt keeps total * weight exact for any pair of safe integers.
    const exact = bigTotal * BigInt(weight)
    const part = Number(exact / bigSum)
    parts.push(part)
    remainders.push(exact % bigSum)
    allocated += part
  }
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))
  for (let i = 0; i < total - allocated; i++) {
    const slot = order[i]
    if (slot !== undefined) parts[slot.index] = (parts[slot.index] ?? 0) + 1
  }
  return parts
}
