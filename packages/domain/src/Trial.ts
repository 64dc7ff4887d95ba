/**
 * Trials (spec 3.6, `kit/trial.py`): a recurring product may start with a free period. The checkout's own trial
 * settings override the product's; one-time products and `allowTrial: false` have no trial. The end is
 * `now + count x interval`, month and year steps clamping to the end of the month as dateutil's relativedelta does.
 */
import { DateTime } from "effect"
import type * as Product from "./Product.ts"

export interface ActiveTrial {
  readonly interval: Product.Interval
  readonly count: number
}

export interface TrialSettings {
  readonly allowTrial: boolean | null
  readonly trialInterval: Product.Interval | null
  readonly trialIntervalCount: number | null
  readonly product: Pick<Product.Product, "recurringInterval" | "trialInterval" | "trialIntervalCount"> | null
}

/**
 * The trial in force (`active_trial_interval(_count)`): null when trials are not allowed, there is no product or
 * it is not recurring, or neither the checkout nor the product defines one; each of interval and count falls back
 * from the checkout to the product.
 */
export const activeTrial = (settings: TrialSettings): ActiveTrial | null => {
  const product = settings.product
  if (settings.allowTrial !== true || product === null || product.recurringInterval === null) return null
  const interval = settings.trialInterval ?? product.trialInterval
  const count = settings.trialIntervalCount ?? product.trialIntervalCount
  return interval === null || count === null ? null : { interval, count }
}

const dayMillis = 86_400_000

/**
 * When the trial ends: `now + count x interval`, or null without a trial. Days and weeks are exact multiples of
 * 24 h in UTC (no daylight saving, and JavaScript time has no leap seconds), so they are added to the instant
 * directly: the same result as `DateTime.add` (test/Trial.test.ts), without its two Date round trips.
 */
export const trialEnd = (now: DateTime.Utc, trial: ActiveTrial | null): DateTime.Utc | null => {
  if (trial === null) return null
  switch (trial.interval) {
    case "day":
      return DateTime.makeUnsafe(now.epochMilliseconds + trial.count * dayMillis)
    case "week":
      return DateTime.makeUnsafe(now.epochMilliseconds + trial.count * 7 * dayMillis)
    case "month":
      return DateTime.add(now, { months: trial.count })
    case "year":
      return DateTime.add(now, { years: trial.count })
  }
}
