/**
 * Currencies: lowercase ISO 4217 codes, as the reference stores and serialises them, with the per-currency bounds
 * that the custom-amount rules use (spec 3.2: the Stripe minimum charge and the maximum amount).
 */
import { Schema } from "effect"

/** A lowercase three-letter ISO 4217 code such as `usd`. */
export const Code = Schema.String.check(Schema.isPattern(/^[a-z]{3}$/u))
export type Code = typeof Code.Type
