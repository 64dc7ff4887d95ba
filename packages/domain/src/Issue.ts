/**
 * The domain's vocabulary for invalid input. An `Issue` says where (a `Path` of the domain's own camelCase field
 * names, list indexes, and verbatim keys of keyed data such as metadata keys or custom-field slugs), why (a tagged
 * `Reason` carrying the data a message needs) and what was given (`input`). No HTTP location, pydantic type or
 * message text lives here: the HTTP adapter translates issues into the reference's 422 items.
 */
import { Data, Schema } from "effect"

/** Where an issue sits in the use case's input, e.g. ["products", 0], ["customerBillingAddress", "country"]. */
export type Path = ReadonlyArray<string | number>

/** Why an input was refused; each variant carries what its message needs. */
export type Reason = Data.TaggedEnum<{
  // Shape of a value (custom-field data, metadata, addresses).
  Missing: {}
  StringType: {}
  StringTooShort: { readonly min: number }
  StringTooLong: { readonly max: number }
  FiniteNumber: {}
  IntFromFloat: {}
  IntParsing: {}
  IntType: {}
  GreaterThanEqual: { readonly ge: number | string }
  LessThanEqual: { readonly le: number | string }
  DatetimeFromDateParsing: {}
  DatetimeType: {}
  MustBeChecked: {}
  BoolParsing: {}
  BoolType: {}
  NotAnOption: { readonly options: ReadonlyArray<string> }
  DictType: {}
  NulCharacter: {}
  TooManyKeys: { readonly max: number; readonly actual: number }
  MetadataKeyTooShort: { readonly min: number }
  MetadataKeyTooLong: { readonly max: number }
  ListTooShort: { readonly min: number; readonly actual: number }
  // Catalog: exists, archived, draft, in this checkout, in currency.
  ProductNotFound: {}
  ProductArchived: {}
  ProductDraft: {}
  PriceNotFound: {}
  PriceArchived: {}
  ProductNotInCheckout: {}
  PriceNotInCheckout: {}
  NotAvailableInCurrency: {}
  NoValidProducts: {}
  ProductsOfOtherOrganization: {}
  ProductsOfSeveralOrganizations: {}
  NoProducts: {}
  PriceCombination: {
    readonly rule: "oneFixed" | "oneSeatBased" | "oneCustom" | "customAlone" | "oneMeterPrice" | "oneTaxBehavior"
  }
  // Amounts of custom prices.
  AmountNegative: {}
  AmountBelowMinimum: { readonly minimum: number }
  AmountBelowCurrencyMinimum: { readonly currency: string; readonly minimum: number }
  AmountAboveMaximum: { readonly maximum: number }
  AmountAboveCurrencyMaximum: { readonly currency: string; readonly maximum: number }
  // Seats.
  SeatsNotSeatBased: {}
  SeatsBelowMinimum: { readonly minimum: number }
  SeatsAboveMaximum: { readonly maximum: number }
  SeatLockNotSeatBased: {}
  SeatLockOutOfRange: { readonly productName: string; readonly min: number; readonly max: number | null }
  // Customers, discounts.
  CustomerNotFound: {}
  DiscountNotApplicableToProduct: {}
  DiscountNotFound: {}
  DiscountNotRedeemable: {}
  LinkDiscountNotApplicable: {}
  // Contact and billing.
  InvalidEmail: { readonly reason: string }
  UnknownCountry: { readonly countries: ReadonlyArray<string> }
  InvalidSubdivision: { readonly country: "US" | "CA" }
  CountryRequiredForTaxId: {}
  InvalidTaxId: {}
  RequiredToConfirm: {}
  FullBillingAddressRequired: {}
  ConfirmationTokenRequired: {}
  TaxRejected: { readonly message: string }
  // Webhook endpoints.
  UrlType: {}
  UrlRelative: {}
  UrlTooLong: { readonly max: number }
  UrlScheme: {}
  UrlCredentials: {}
  UrlPrivateAddress: {}
  FormatNotSupported: { readonly format: string }
  OrganizationSetByOrganizationToken: {}
  // Features this library does not have.
  UnitsNotSupported: {}
  LinkUnitsNotSupported: {}
  SubscriptionNotFound: {}
  AdHocPricesNotSupported: {}
}>

/** Constructors and matchers of `Reason`, e.g. `Reason.ProductNotFound()`, `Reason.StringTooLong({ max: 40 })`. */
export const Reason = Data.taggedEnum<Reason>()

export interface Issue {
  readonly path: Path
  readonly reason: Reason
  /** The refused value (for `Missing`, the object that lacks the key). */
  readonly input: unknown
}

export const make = (path: Path, reason: Reason, input: unknown = null): Issue => ({ path, reason, input })

/** The same issue one level deeper, e.g. an address issue under ["customerBillingAddress"]. */
export const prefix = (path: Path, issue: Issue): Issue => ({ ...issue, path: [...path, ...issue.path] })

const isIssue = (u: unknown): u is Issue =>
  typeof u === "object" && u !== null && "path" in u && Array.isArray(u.path) && "reason" in u &&
  typeof u.reason === "object" && u.reason !== null && "_tag" in u.reason && typeof u.reason._tag === "string"

/** Schema of an issue (checked by shape: the reason union is a TypeScript type). */
export const IssueSchema = Schema.declare(isIssue, { identifier: "Issue" })
