/** Address input rules (spec 1.6), billing-address field modes (1.8) and the implicit require rule (4.2). */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as Address from "../src/Address.ts"
import * as BillingAddress from "../src/BillingAddress.ts"
import * as Issue from "../src/Issue.ts"

const LOC = ["customerBillingAddress"] as const
const ok = (input: Address.Input) => Result.getOrThrow(Address.validateInput(input, LOC))
const issues = (input: Address.Input) => {
  const r = Address.validateInput(input, LOC)
  return Result.isFailure(r) ? r.failure : []
}
const address = (a: Partial<Address.Address> & { country: string }): Address.Address => ({
  line1: null, line2: null, postalCode: null, city: null, state: null, ...a
})

describe("Address.validateInput", () => {
  it("uppercases the country, turns empty strings into null and prefixes US/CA states", () => {
    expect(ok({ country: "us", state: "NY", line1: "", city: "New York", postalCode: "10001" })).toEqual({
      line1: null, line2: null, postalCode: "10001", city: "New York", state: "US-NY", country: "US"
    })
    expect(ok({ country: "CA", state: "CA-QC" }).state).toBe("CA-QC")
    expect(ok({ country: "FR", state: "Île-de-France" }).state).toBe("Île-de-France")
    expect(ok({ country: "US", state: "" }).state).toBeNull()
  })

  it("test_invalid_customer_billing_address: US + 'QC' -> 'Invalid US state'", () => {
    expect(issues({ country: "US", state: "QC" })).toEqual([
      Issue.make(LOC, Issue.Reason.InvalidSubdivision({ country: "US" }), { country: "US", state: "QC" })
    ])
    expect(issues({ country: "CA", state: "NY" })[0]?.reason).toEqual(Issue.Reason.InvalidSubdivision({ country: "CA" }))
  })

  it("test_invalid_customer_billing_address: a null or unsupported country -> enum error at country", () => {
    for (const country of [null, "RU", "CU", "IR", "KP", "SY", "XX", ""]) {
      const [issue] = issues({ country })
      expect(issue?.path).toEqual([...LOC, "country"])
      expect(issue?.reason).toEqual(Issue.Reason.UnknownCountry({ countries: Address.supportedCountries }))
    }
    expect(issues({})).toEqual([Issue.make([...LOC, "country"], Issue.Reason.Missing(), {})])
  })

  it("supports 244 countries (ISO 3166-1 minus CU, IR, KP, SY, RU), all 50 states + DC and 13 CA subdivisions", () => {
    expect(Address.supportedCountries).toHaveLength(244)
    expect(Address.usStates.size).toBe(51)
    expect(Address.caSubdivisions.size).toBe(13)
    expect(Address.isSupportedCountry("RU")).toBe(false)
    expect(Address.isSupportedCountry("FR")).toBe(true)
  })

  it("helpers: hasAddress, hasState, unprefixedState", () => {
    expect(Address.hasAddress(address({ country: "FR" }))).toBe(false)
    expect(Address.hasAddress(address({ country: "FR", city: "Paris" }))).toBe(true)
    expect(Address.hasState(address({ country: "US", state: "US-NY" }))).toBe(true)
    expect(Address.unprefixedState(address({ country: "US", state: "US-NY" }))).toBe("NY")
    expect(Address.unprefixedState(address({ country: "FR", state: "IDF" }))).toBe("IDF")
  })
})

describe("BillingAddress", () => {
  it("test_implicit_require_billing_address: None->false; {FR}->false; {FR, city}->true; {CA, CA-QC}->false; {CA, state, city}->true", () => {
    expect(BillingAddress.impliedRequireBillingAddress(false, null)).toBe(false)
    expect(BillingAddress.impliedRequireBillingAddress(false, address({ country: "FR" }))).toBe(false)
    expect(BillingAddress.impliedRequireBillingAddress(false, address({ country: "FR", city: "Paris" }))).toBe(true)
    expect(BillingAddress.impliedRequireBillingAddress(false, address({ country: "CA", state: "CA-QC" }))).toBe(false)
    expect(BillingAddress.impliedRequireBillingAddress(false, address({ country: "CA", state: "CA-QC", city: "Montréal" }))).toBe(true)
    expect(BillingAddress.impliedRequireBillingAddress(false, address({ country: "FR", state: "IDF" }))).toBe(true)
    expect(BillingAddress.impliedRequireBillingAddress(true, null)).toBe(true)
  })

  it("is required when asked, for business customers and for UPI", () => {
    const base = { requireBillingAddress: false, isBusinessCustomer: false, paymentMethodType: null }
    expect(BillingAddress.isRequired(base)).toBe(false)
    expect(BillingAddress.isRequired({ ...base, requireBillingAddress: true })).toBe(true)
    expect(BillingAddress.isRequired({ ...base, isBusinessCustomer: true })).toBe(true)
    expect(BillingAddress.isRequired({ ...base, paymentMethodType: "upi" })).toBe(true)
    expect(BillingAddress.isRequired({ ...base, paymentMethodType: "card" })).toBe(false)
  })

  it("test_payment_method_updates_billing_address_fields: upi -> line1/city/postal_code required; card -> disabled", () => {
    const upi = BillingAddress.fieldModes({ required: true, country: "IN" })
    expect([upi.line1, upi.city, upi.postalCode, upi.line2, upi.state]).toEqual(["required", "required", "required", "optional", "optional"])
    const card = BillingAddress.fieldModes({ required: false, country: "IN" })
    expect([card.line1, card.city, card.postalCode, card.line2, card.state]).toEqual(["disabled", "disabled", "disabled", "disabled", "disabled"])
  })

  it("test_missing_required_field: US needs state and street; CA needs a state only; country always", () => {
    expect(BillingAddress.fieldModes({ required: false, country: "US" })).toEqual({
      country: "required", state: "required", line1: "required", line2: "optional", city: "required", postalCode: "required"
    })
    expect(BillingAddress.fieldModes({ required: false, country: "CA" })).toEqual({
      country: "required", state: "required", line1: "disabled", line2: "disabled", city: "disabled", postalCode: "disabled"
    })
    expect(BillingAddress.fieldModes({ required: false, country: null }).country).toBe("required")
  })

  it("the deprecated boolean map", () => {
    expect(BillingAddress.legacyFields({ required: false, country: "US" })).toEqual({
      country: true, state: true, line1: true, line2: false, city: true, postalCode: true
    })
    expect(BillingAddress.legacyFields({ required: false, country: "FR" })).toEqual({
      country: true, state: false, line1: false, line2: false, city: false, postalCode: false
    })
    expect(BillingAddress.legacyFields({ required: true, country: "CA" }).state).toBe(true)
  })
})
