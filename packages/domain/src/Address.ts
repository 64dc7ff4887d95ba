/**
 * Postal addresses (spec 1.6, `kit/address.py`). `country` is an uppercase ISO alpha-2 code; for US and CA the
 * state is stored prefixed (`US-NY`). Input rules: empty strings become null, the country is uppercased and must be
 * a supported country (ISO 3166-1 minus the embargoed CU, IR, KP, SY, RU), and a US state or CA subdivision must be
 * a real one. Errors are the pydantic items the reference's 422 carries.
 */
import { Result, Schema } from "effect"
import * as Issue from "./Issue.ts"

export const Address = Schema.Struct({
  line1: Schema.NullOr(Schema.String),
  line2: Schema.NullOr(Schema.String),
  postalCode: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  country: Schema.String
})
export type Address = typeof Address.Type

/** A tax id as stored by the reference: the number and its detected format (e.g. `eu_vat`). */
export const TaxId = Schema.Struct({ number: Schema.String, format: Schema.String })
export type TaxId = typeof TaxId.Type

/** Countries accepted in input (the contract's `CountryAlpha2Input`: 249 ISO codes minus CU, IR, KP, SY, RU). */
export const supportedCountries: ReadonlyArray<string> = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
  "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
  "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ",
  "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB",
  "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
  "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG",
  "KH", "KI", "KM", "KN", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
  "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV",
  "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE",
  "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RW", "SA", "SB",
  "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SZ", "TC",
  "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US",
  "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"
]

const supportedSet: ReadonlySet<string> = new Set(supportedCountries)

export const isSupportedCountry = (country: string): boolean => supportedSet.has(country)

/** The 50 states and DC, prefixed as stored. */
export const usStates: ReadonlySet<string> = new Set([
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
  "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
  "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC"
].map((s) => `US-${s}`))

/** The 13 provinces and territories, prefixed as stored. */
export const caSubdivisions: ReadonlySet<string> = new Set(
  ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"].map((s) => `CA-${s}`)
)

/** An address as a request carries it (camelCase); any field may be absent or null. */
export interface Input {
  readonly line1?: string | null | undefined
  readonly line2?: string | null | undefined
  readonly postalCode?: string | null | undefined
  readonly city?: string | null | undefined
  readonly state?: string | null | undefined
  readonly country?: unknown
}

const emptyToNull = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === "" ? null : value

/**
 * Normalises and validates an input address (the reference's `AddressInput`) found at `path`, e.g.
 * ["customerBillingAddress"]. No country -> `Missing` at [...path, "country"]; an unsupported one -> `UnknownCountry`
 * (with the supported list) at [...path, "country"]; a bad US state or CA subdivision -> `InvalidSubdivision` at `path`.
 */
export const validateInput = (input: Input, path: Issue.Path): Result.Result<Address, ReadonlyArray<Issue.Issue>> => {
  if (input.country === undefined) {
    return Result.fail([Issue.make([...path, "country"], Issue.Reason.Missing(), input)])
  }
  const country = typeof input.country === "string" ? input.country.toUpperCase() : input.country
  if (typeof country !== "string" || !supportedSet.has(country)) {
    return Result.fail([Issue.make([...path, "country"], Issue.Reason.UnknownCountry({ countries: supportedCountries }), country)])
  }
  let state = emptyToNull(input.state)
  if (state !== null && (country === "US" || country === "CA")) {
    if (!state.startsWith(`${country}-`)) state = `${country}-${state}`
    const valid = country === "US" ? usStates.has(state) : caSubdivisions.has(state)
    if (!valid) {
      return Result.fail([Issue.make(path, Issue.Reason.InvalidSubdivision({ country }), input)])
    }
  }
  return Result.succeed({
    line1: emptyToNull(input.line1),
    line2: emptyToNull(input.line2),
    postalCode: emptyToNull(input.postalCode),
    city: emptyToNull(input.city),
    state,
    country
  })
}

/** Street-level data present: any of line1, line2, city or postal code. */
export const hasAddress = (address: Address): boolean =>
  address.line1 !== null || address.line2 !== null || address.city !== null || address.postalCode !== null

export const hasState = (address: Address): boolean => address.state !== null

/** The state without the country prefix (`US-NY` -> `NY`), as processors want it. */
export const unprefixedState = (address: Address): string | null => {
  if (address.state === null) return null
  if (address.country === "US" || address.country === "CA") return address.state.split("-")[1] ?? address.state
  return address.state
}
