/**
 * The demo's tax calculator when neither Stripe nor a rate table (TAX_RATES) is configured: every quote is 0, with
 * the behaviour resolved as the real calculators resolve `location` (exclusive in the US, Canada and India,
 * inclusive elsewhere), so totals read the same way they would with tax. It exists so the default start-up does not
 * load the `stripe` SDK (about 16 MiB of RSS) just for the stripe package's rate-table calculator; with an empty
 * table that calculator gives the same quotes.
 */
import { TaxCalculator } from "@checkout-kit/domain"
import type { TaxRequest } from "@checkout-kit/domain"
import { Effect, Layer } from "effect"

export const processorName = "none"

const exclusiveCountries: ReadonlySet<string> = new Set(["US", "CA", "IN"])

export const resolveBehavior = (option: TaxRequest["taxBehaviorOption"], country: string): "inclusive" | "exclusive" =>
  option === "location" ? (exclusiveCountries.has(country.toUpperCase()) ? "exclusive" : "inclusive") : option

export const layer: Layer.Layer<TaxCalculator> = Layer.succeed(
  TaxCalculator,
  TaxCalculator.of({
    calculate: (request) =>
      Effect.succeed({
        amount: 0,
        taxBehavior: resolveBehavior(request.taxBehaviorOption, request.address.country),
        processor: processorName,
        processorId: null,
        breakdown: []
      })
  })
)
