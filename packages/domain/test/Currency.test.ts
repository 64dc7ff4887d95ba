import { describe, expect, it } from "@effect/vitest"
import * as Currency from "../src/Currency.ts"

describe("Currency", () => {
  it.each([
    ["usd", 50],
    ["eur", 50],
    ["cad", 70],
    ["aud", 70],
    ["gbp", 40],
    ["jpy", 80],
    ["inr", 6000],
    ["USD", 50],
    ["xyz", 50]
  ])("minimumAmount(%s) = %d", (code, expected) => {
    expect(Currency.minimumAmount(code)).toBe(expected)
  })

  it.each([
    ["usd", 99_999_999],
    ["eur", 99_999_999],
    ["xyz", 99_999_999],
    ["ars", 140_000_000],
    ["idr", 1_600_000_000],
    ["uzs", 1_250_000_000],
    ["ugx", 370_000_000]
  ])("maximumAmount(%s) = %d", (code, expected) => {
    expect(Currency.maximumAmount(code)).toBe(expected)
  })

  it.each([
    [50, "usd", "$0.50"],
    [50, "eur", "€0.50"],
    [70, "cad", "CA$0.70"],
    [70, "aud", "A$0.70"],
    [80, "jpy", "¥80"],
    [99_999_999, "usd", "$999,999.99"],
    [200_000, "ugx", "UGX2,000"],
    [99_999_999, "isk", "ISK1,000,000"]
  ])("format(%d, %s) = %s", (amount, code, expected) => {
    expect(Currency.format(amount, code)).toBe(expected)
  })

  it("supports the 126 presentment currencies of the contract, lowercase", () => {
    expect(Currency.presentmentCurrencies).toHaveLength(126)
    expect(Currency.isPresentmentCurrency("usd")).toBe(true)
    expect(Currency.isPresentmentCurrency("sek")).toBe(true)
    expect(Currency.isPresentmentCurrency("USD")).toBe(false)
    expect(Currency.isPresentmentCurrency("rub")).toBe(false)
  })

  it("zero-decimal currencies have factor 1", () => {
    expect(Currency.decimalFactor("jpy")).toBe(1)
    expect(Currency.decimalFactor("krw")).toBe(1)
    expect(Currency.decimalFactor("usd")).toBe(100)
  })
})
