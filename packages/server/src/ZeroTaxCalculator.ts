/**
 * The demo's tax calculator when neither Stripe nor a rate table (TAX_RATES) is configured: every quote is 0, with
 * the behaviour resolved as the real calculators resolve `location` (exclusive in the US, Canada and India,
 * inclusive elsewhere), so totals read the same way they would with tax. It exists so the default start-up does not
 * build a rate table; with an empty table `RateTableTaxCalculator` gives the same quotes (under its own processor
 * name).
 */
import { Tax, TaxCalculator } from "@checkout-kit/domain"
import { Effect, Layer } from "effect"

export const processorName = "none"

export const layer: Layer.Layer<TaxCalculator> = Layer.succeed(
  TaxCalculator,
  TaxCalculator.of({
    calculate: (request) =>
      Effect.succeed({
        amount: 0,
        taxBehavior: Tax.resolveBehavior(request.taxBehaviorOption, request.address.country),
        processor: processorName,
        processorId: null,
        breakdown: []
      })
  })
)
