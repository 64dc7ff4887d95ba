/**
 * A table-driven tax calculator for tests: a rate per billing country (basis points), optional logical or technical
 * errors per country, and the processor's own behaviour resolution (`location` is exclusive in US, CA and IN,
 * inclusive elsewhere). Exclusive tax is `round(net * rate)`; inclusive tax is the part of `net` that is tax.
 * Rounding is the processor's business, not the domain's, so plain Math.round is used here on purpose.
 */
import { Context, Effect, Layer } from "effect"
import { TaxCalculationLogicalError, TaxCalculationTechnicalError } from "../Errors.ts"
import { TaxCalculator, type TaxQuote, type TaxRequest } from "../ports/TaxCalculator.ts"

export interface TaxTable {
  /** Basis points by uppercase country code; countries not listed are taxed at `defaultRate`. */
  readonly rates?: Readonly<Record<string, number>>
  /** Default 0. */
  readonly defaultRate?: number
  readonly logicalErrors?: Readonly<Record<string, string>>
  readonly technicalErrors?: Readonly<Record<string, string>>
}

export class FakeTaxCalculator extends Context.Service<FakeTaxCalculator, {
  readonly requests: Effect.Effect<ReadonlyArray<TaxRequest>>
}>()("@checkout-kit/domain/testing/FakeTaxCalculator") {
  static readonly layer = (table: TaxTable = {}): Layer.Layer<TaxCalculator | FakeTaxCalculator> =>
    Layer.effectContext(Effect.sync(() => {
      const requests: Array<TaxRequest> = []
      const calculator = TaxCalculator.of({
        calculate: (request) =>
          Effect.suspend((): Effect.Effect<TaxQuote, TaxCalculationLogicalError | TaxCalculationTechnicalError> => {
            requests.push(request)
            const country = request.address.country
            const technical = table.technicalErrors?.[country]
            if (technical !== undefined) return Effect.fail(new TaxCalculationTechnicalError({ message: technical }))
            const logical = table.logicalErrors?.[country]
            if (logical !== undefined) return Effect.fail(new TaxCalculationLogicalError({ message: logical }))
            const rate = table.rates?.[country] ?? table.defaultRate ?? 0
            const behavior = request.taxBehaviorOption === "location"
              ? (["US", "CA", "IN"].includes(country) ? "exclusive" : "inclusive")
              : request.taxBehaviorOption
            const amount = behavior === "exclusive"
              ? Math.round(request.netAmount * rate / 10_000)
              : request.netAmount - Math.round(request.netAmount * 10_000 / (10_000 + rate))
            return Effect.succeed({
              amount,
              taxBehavior: behavior,
              processor: "fake",
              processorId: `taxcalc_fake_${requests.length}`,
              breakdown: amount === 0 ? [] : [{
                rateType: "percentage" as const,
                rate: rate / 10_000,
                displayName: "VAT",
                country,
                state: request.address.state,
                subdivision: null,
                amount,
                taxabilityReason: "standard_rated"
              }]
            })
          })
      })
      const recorder = FakeTaxCalculator.of({ requests: Effect.sync(() => [...requests]) })
      return Context.make(TaxCalculator, calculator).pipe(Context.add(FakeTaxCalculator, recorder))
    }))
}

/** `FakeTaxCalculator.layer(table)` through the namespace import of the testing entry point. */
export const layer = FakeTaxCalculator.layer
