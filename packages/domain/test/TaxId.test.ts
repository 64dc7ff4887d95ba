/** Tax ids against the billing country (spec 3.5, 6). */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as Issue from "../src/Issue.ts"
import * as TaxId from "../src/TaxId.ts"

describe("TaxId.validate", () => {
  it("test_valid_tax_id: FR address + FR61954506077 -> (FR61954506077, eu_vat)", () => {
    expect(TaxId.validate("FR61954506077", { country: "FR" })).toEqual(Result.succeed({ number: "FR61954506077", format: "eu_vat" }))
    expect(TaxId.validate("fr 61 954 506 077", { country: "FR" })).toEqual(Result.succeed({ number: "FR61954506077", format: "eu_vat" }))
  })

  it("test_invalid_tax_id: '123' without an address -> missing billing address", () => {
    expect(TaxId.validate("123", null)).toEqual(Result.fail(Issue.make(["customerBillingAddress"], Issue.Reason.CountryRequiredForTaxId(), null)))
  })

  it("test_invalid_tax_id: '123' with a FR address -> 'Invalid tax ID.'", () => {
    expect(TaxId.validate("123", { country: "FR" })).toEqual(Result.fail(Issue.make(["customerTaxId"], Issue.Reason.InvalidTaxId(), "123")))
  })

  it("test_invalid_tax_id (update): FR VAT then country US -> 'Invalid tax ID.'", () => {
    expect(Result.isFailure(TaxId.validate("FR61954506077", { country: "US" }))).toBe(true)
  })

  it("checks the French check key", () => {
    expect(Result.isFailure(TaxId.validate("FR62954506077", { country: "FR" }))).toBe(true)
  })

  it("a few other formats: DE (mod 11,10), IT (Luhn), BE (mod 97), GB, US EIN", () => {
    expect(TaxId.validate("DE136695976", { country: "DE" })).toEqual(Result.succeed({ number: "DE136695976", format: "eu_vat" }))
    expect(Result.isFailure(TaxId.validate("DE136695977", { country: "DE" }))).toBe(true)
    expect(TaxId.validate("IT00743110157", { country: "IT" })).toEqual(Result.succeed({ number: "IT00743110157", format: "eu_vat" }))
    expect(TaxId.validate("BE0403019261", { country: "BE" })).toEqual(Result.succeed({ number: "BE0403019261", format: "eu_vat" }))
    expect(TaxId.validate("GB980780684", { country: "GB" })).toEqual(Result.succeed({ number: "980780684", format: "gb_vat" }))
    expect(TaxId.validate("91-1144442", { country: "US" })).toEqual(Result.succeed({ number: "911144442", format: "us_ein" }))
  })

  it("countries without tax ids reject every number", () => {
    expect(Result.isFailure(TaxId.validate("12345678", { country: "AQ" }))).toBe(true)
  })
})
