/**
 * The rate-table tax calculator: table cases (behaviour resolution, subdivision over country, rounding halves away
 * from zero, exemption, unknown jurisdiction) and properties of the inclusive and exclusive formulas.
 */
import { type TaxRequest, TaxCalculator } from "@checkout-kit/domain"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Schema } from "effect"
import * as RateTableTaxCalculator from "../src/RateTableTaxCalculator.ts"

const table: RateTableTaxCalculator.RateTable = {
  rates: { FR: 2000, DE: 1900, "US-CA": 725, "US-NY": 400, IN: 1800 }
}

const request = (overrides: Partial<TaxRequest> & { readonly country: string; readonly state?: string | null }): TaxRequest => {
  const { country, state, ...rest } = overrides
  return {
    checkoutId: "co_1",
    currency: "eur",
    netAmount: 1000,
    taxBehaviorOption: "location",
    taxCode: "general_electronically_supplied_services",
    address: { line1: null, line2: null, postalCode: null, city: null, state: state ?? null, country },
    taxIds: [],
    customerExempt: false,
    ...rest
  }
}

describe("RateTableTaxCalculator.quote", () => {
  const cases: ReadonlyArray<{
    readonly name: string
    readonly request: TaxRequest
    readonly amount: number
    readonly behavior: "inclusive" | "exclusive"
  }> = [
    { name: "FR location → inclusive: 1000 − round(1000 / 1.2)", request: request({ country: "FR" }), amount: 167, behavior: "inclusive" },
    { name: "DE location → inclusive: 1190 at 19 % holds 190", request: request({ country: "DE", netAmount: 1190 }), amount: 190, behavior: "inclusive" },
    { name: "FR forced exclusive: 20 % on top", request: request({ country: "FR", taxBehaviorOption: "exclusive" }), amount: 200, behavior: "exclusive" },
    { name: "US-CA location → exclusive: 72.5 rounds half away to 73", request: request({ country: "US", state: "US-CA" }), amount: 73, behavior: "exclusive" },
    { name: "US-NY subdivision rate", request: request({ country: "US", state: "US-NY", netAmount: 2500 }), amount: 100, behavior: "exclusive" },
    { name: "US state without a rate and no national rate → 0", request: request({ country: "US", state: "US-TX" }), amount: 0, behavior: "exclusive" },
    { name: "IN location → exclusive", request: request({ country: "IN" }), amount: 180, behavior: "exclusive" },
    { name: "country without a rate → 0", request: request({ country: "JP" }), amount: 0, behavior: "inclusive" },
    { name: "exempt customer → 0", request: request({ country: "FR", customerExempt: true }), amount: 0, behavior: "inclusive" },
    { name: "zero net → 0", request: request({ country: "FR", netAmount: 0 }), amount: 0, behavior: "inclusive" }
  ]
  for (const c of cases) {
    it(c.name, () => {
      const quote = RateTableTaxCalculator.quote(table, c.request)
      expect([quote.amount, quote.taxBehavior]).toEqual([c.amount, c.behavior])
      expect(quote.processor).toBe("rate_table")
    })
  }

  it("describes the applied rate in the breakdown, and leaves it empty when nothing applies", () => {
    const quote = RateTableTaxCalculator.quote(table, request({ country: "US", state: "US-CA" }))
    expect(quote.breakdown).toEqual([{
      rateType: "percentage",
      rate: 0.0725,
      displayName: "Tax",
      country: "US",
      state: "CA",
      subdivision: null,
      amount: 73,
      taxabilityReason: "standard_rated"
    }])
    expect(RateTableTaxCalculator.quote(table, request({ country: "JP" })).breakdown).toEqual([])
  })

  it("rounds halves away from zero on both sides", () => {
    expect(RateTableTaxCalculator.exclusiveTax(1000, 725)).toBe(73)
    expect(RateTableTaxCalculator.exclusiveTax(-1000, 725)).toBe(-73)
    expect(RateTableTaxCalculator.exclusiveTax(1001, 725)).toBe(73) // 72.5725
    expect(RateTableTaxCalculator.exclusiveTax(1006, 725)).toBe(73) // 72.935 → 73
    expect(RateTableTaxCalculator.exclusiveTax(1014, 725)).toBe(74) // 73.515 → 74
  })
})

const Amount = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000_000 }))
const BasisPoints = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 10_000 }))

describe("RateTableTaxCalculator properties", () => {
  it.prop(
    "inclusive: tax + net-of-tax = gross, and re-taxing the net-of-tax gives the tax back within a unit",
    [Amount, BasisPoints],
    ([gross, bps]) => {
      const tax = RateTableTaxCalculator.inclusiveTax(gross, bps)
      const net = gross - tax
      expect(tax + net).toBe(gross)
      expect(tax).toBeGreaterThanOrEqual(0)
      expect(tax).toBeLessThanOrEqual(gross)
      expect(Math.abs(RateTableTaxCalculator.exclusiveTax(net, bps) - tax)).toBeLessThanOrEqual(1)
    },
    { arbitrary: { runs: 200, seed: 7 } }
  )

  it.prop(
    "exclusive: within half a unit of the exact product",
    [Amount, BasisPoints],
    ([net, bps]) => {
      const tax = RateTableTaxCalculator.exclusiveTax(net, bps)
      expect(Math.abs(tax - (net * bps) / 10_000)).toBeLessThanOrEqual(0.5)
    },
    { arbitrary: { runs: 200, seed: 11 } }
  )
})

describe("RateTableTaxCalculator layers", () => {
  it.effect("layerConfig reads TAX_RATES (basis points) and serves the TaxCalculator port", () =>
    Effect.gen(function*() {
      const calculator = yield* TaxCalculator
      const fr = yield* calculator.calculate(request({ country: "FR" }))
      const ca = yield* calculator.calculate(request({ country: "US", state: "US-CA" }))
      expect([fr.amount, ca.amount]).toEqual([167, 73])
    }).pipe(
      Effect.provide(RateTableTaxCalculator.layerConfig.pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ TAX_RATES: "FR=2000, us-ca=725" })))
      ))
    ))

  it.effect("layerConfig rejects a rate that is not basis points", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Layer.build(RateTableTaxCalculator.layerConfig.pipe(
        Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ TAX_RATES: "FR=20.5" })))
      )).pipe(Effect.scoped))
      expect(error._tag).toBe("ConfigError")
    }))
})
