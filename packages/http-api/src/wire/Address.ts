/**
 * Postal address as the contract carries it (`server/polar/kit/address.py`, spec §1.6). `Address` is the output
 * shape (every key present); `AddressInput` is what clients send: blank lines become `null`, the country is
 * uppercased and must not be a sanctioned one, and US/CA states are normalised to ISO 3166-2 (`NY` → `US-NY`).
 */
import { Address as DomainAddress } from "@checkout-kit/domain"
import { Schema, SchemaTransformation } from "effect"
import { BlankAsNull, withDefault } from "./Input.ts"
import { derive } from "./Scalars.ts"

/** ISO 3166-1 alpha-2 codes of the output `Address` (contract enum, 249 codes). */
export const countries = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
  "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
  "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE",
  "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA",
  "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
  "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP",
  "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
  "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
  "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
  "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS",
  "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
  "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
  "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
  "ZM", "ZW"
] as const

/** Countries the reference refuses on input (sanctions). */
export const excludedCountries: ReadonlySet<string> = new Set(["CU", "IR", "KP", "SY", "RU"])

/** Country codes accepted on input (244 codes). */
export const inputCountries = countries.filter((c) => !excludedCountries.has(c))

const inputCountrySet: ReadonlySet<string> = new Set(inputCountries)

/** The 50 states and DC, as ISO 3166-2 codes. */
export const usStates: ReadonlySet<string> = new Set(
  [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"
  ].map((s) => `US-${s}`)
)

/** The 13 Canadian provinces and territories, as ISO 3166-2 codes. */
export const caSubdivisions: ReadonlySet<string> = new Set(
  ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"].map((s) => `CA-${s}`)
)

export const Country = Schema.Literals(countries)
export type Country = typeof Country.Type

/** Output address: every key present, blank parts as `null`. Derived from the domain's address. */
export const Address = derive(DomainAddress.Address, {
  keys: ["line1", "line2", "postalCode", "city", "state", "country"],
  // The contract's country is the named ISO enum; the domain stores only supported codes.
  overrides: { country: Country },
  identifier: "Address"
})
export type Address = typeof Address.Type

/** A wire address as the domain's (the derivation's keys renamed back). */
export const addressToDomain = (a: Address): DomainAddress.Address => ({
  line1: a.line1,
  line2: a.line2,
  postalCode: a.postal_code,
  city: a.city,
  state: a.state,
  country: a.country
})

const prefixedState = (country: string, state: string): string => {
  const upper = state.trim().toUpperCase()
  return upper.startsWith(`${country}-`) ? upper : `${country}-${upper}`
}

const InputCountry = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String,
    SchemaTransformation.transform({ decode: (s) => s.trim().toUpperCase(), encode: (s) => s })
  )
).check(
  Schema.makeFilter<string>((s) => inputCountrySet.has(s), {
    expected: "a supported ISO 3166-1 alpha-2 country code",
    pydanticType: "enum",
    message: "Input should be a supported ISO 3166-1 alpha-2 country code"
  })
)

const AddressInputFields = Schema.Struct({
  line1: withDefault(BlankAsNull, null),
  line2: withDefault(BlankAsNull, null),
  postal_code: withDefault(BlankAsNull, null),
  city: withDefault(BlankAsNull, null),
  state: withDefault(BlankAsNull, null),
  country: InputCountry
})

const isKnownState = Schema.makeFilter<typeof AddressInputFields.Type>(
  (a) => {
    if (a.state === null) return undefined
    if (a.country === "US" && !usStates.has(prefixedState("US", a.state))) {
      return { path: ["state"], issue: "Value error, Invalid US state" }
    }
    if (a.country === "CA" && !caSubdivisions.has(prefixedState("CA", a.state))) {
      return { path: ["state"], issue: "Value error, Invalid CA subdivision" }
    }
    return undefined
  },
  { expected: "a valid state for the country", pydanticType: "value_error" }
)

const normaliseAddress = (a: typeof AddressInputFields.Type): Address => ({
  line1: a.line1,
  line2: a.line2,
  postal_code: a.postal_code,
  city: a.city,
  state: a.state !== null && (a.country === "US" || a.country === "CA") ? prefixedState(a.country, a.state) : a.state,
  country: a.country as Country
})

/**
 * Address sent by clients. Decodes to the output `Address` shape, normalised; an unknown or excluded country, a
 * `null` country, or an invalid US state / CA subdivision is a 422.
 */
export const AddressInput = AddressInputFields.check(isKnownState).pipe(
  Schema.decodeTo(
    Address,
    SchemaTransformation.transform<Address, typeof AddressInputFields.Type>({
      decode: normaliseAddress,
      encode: (a) => a
    })
  )
).annotate({ identifier: "AddressInput" })
export type AddressInput = typeof AddressInput.Type
