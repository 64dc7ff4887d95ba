/**
 * Currency.ts against the reference's table (test/data/polar-currency-table.json, see the README there): every
 * presentment currency's decimal factor, minimum, maximum and formatted bounds, and property tests that the
 * custom-amount rules enforce exactly those bounds.
 */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { readFileSync } from "node:fs"
import * as Currency from "../src/Currency.ts"
import * as Issue from "../src/Issue.ts"
import * as Pricing from "../src/Pricing.ts"

interface Entry {
  readonly decimal_factor: number
  readonly minimum: number
  readonly maximum: number
  readonly format_minimum: string
  readonly format_maximum: string
}

const table: {
  readonly currencies: Record<string, Entry>
  readonly format_samples: ReadonlyArray<readonly [number, string, string]>
} = JSON.parse(readFileSync(new URL("./data/polar-currency-table.json", import.meta.url), "utf8"))

const codes = Object.keys(table.currencies)

describe("Currency vs the reference table", () => {
  it("covers exactly the 126 presentment currencies", () => {
    expect(codes).toHaveLength(126)
    expect([...codes].sort()).toEqual([...Currency.presentmentCurrencies].sort())
  })

  it.each(codes)("%s: decimals, minimum, maximum and formatted bounds", (code) => {
    const ref = table.currencies[code]!
    expect({
      decimal_factor: Currency.decimalFactor(code),
      minimum: Currency.minimumAmount(code),
      maximum: Currency.maximumAmount(code),
      format_minimum: Currency.format(Currency.minimumAmount(code), code),
      format_maximum: Currency.format(Currency.maximumAmount(code), code)
    }).toEqual(ref)
  })

  it.each(table.format_samples)("format(%d, %s) = %s", (amount, code, expected) => {
    expect(Currency.format(amount, code)).toBe(expected)
  })

  it("UGX is two-decimal since 2026-05: 200 000 .. 370 000 000 minor units", () => {
    expect(Currency.isZeroDecimal("ugx")).toBe(false)
    expect(Currency.minimumAmount("UGX")).toBe(200_000)
    expect(Currency.maximumAmount("ugx")).toBe(370_000_000)
  })
})

const price = { minimumAmount: 0, maximumAmount: null }
const entries = fc.constantFrom(...codes.map((code) => [code, table.currencies[code]!] as const))

describe("currency bounds (property)", () => {
  it("any amount from the reference minimum to its maximum is accepted, in every currency", () => {
    fc.assert(
      fc.property(entries, fc.double({ min: 0, max: 1, noNaN: true }), ([code, ref], t) => {
        const amount = Math.round(ref.minimum + t * (ref.maximum - ref.minimum))
        expect(Pricing.validateCustomAmount(price, amount, code)).toEqual(Result.succeed(amount))
      }),
      { numRuns: 500 }
    )
  })

  it("0 is accepted, 1 .. minimum-1 refused with the formatted minimum, above the maximum refused with the formatted maximum", () => {
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 2_000_000_000 }), ([code, ref], n) => {
        expect(Result.isSuccess(Pricing.validateCustomAmount(price, 0, code))).toBe(true)
        const below = 1 + (n % (ref.minimum - 1))
        const low = Pricing.validateCustomAmount(price, below, code)
        expect(Result.isFailure(low) && low.failure).toMatchObject({
          reason: Issue.Reason.AmountBelowCurrencyMinimum({ currency: code, minimum: ref.minimum })
        })
        // The message the HTTP adapter writes from the reason: "Amount must be 0 or at least <formatted minimum>."
        expect(Currency.format(ref.minimum, code)).toBe(ref.format_minimum)
        const above = ref.maximum + n
        const high = Pricing.validateCustomAmount(price, above, code)
        expect(Result.isFailure(high) && high.failure).toMatchObject({
          reason: Issue.Reason.AmountAboveCurrencyMaximum({ currency: code, maximum: ref.maximum })
        })
        expect(Currency.format(ref.maximum, code)).toBe(ref.format_maximum)
      }),
      { numRuns: 500 }
    )
  })

  it("the exact boundaries: minimum and maximum pass, minimum-1 and maximum+1 do not", () => {
    for (const code of codes) {
      const ref = table.currencies[code]!
      expect(Result.isSuccess(Pricing.validateCustomAmount(price, ref.minimum, code))).toBe(true)
      expect(Result.isSuccess(Pricing.validateCustomAmount(price, ref.maximum, code))).toBe(true)
      expect(Result.isFailure(Pricing.validateCustomAmount(price, ref.minimum - 1, code))).toBe(true)
      expect(Result.isFailure(Pricing.validateCustomAmount(price, ref.maximum + 1, code))).toBe(true)
    }
  })
})
