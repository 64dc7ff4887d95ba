/**
 * The one translation of the domain's `Issue`s into the reference's 422 items (`type`, `loc`, `msg`, `input`,
 * `ctx`). The domain reports a path of its own camelCase field names and a tagged reason; this module adds the
 * request slot (`body`), renames fields to the wire's snake_case (keys of keyed data such as metadata keys and
 * custom-field slugs stay verbatim), adds pydantic's union-member segments for metadata (`[key]`, `str`), and writes
 * the reference's exact type, message and context for each reason (pydantic's own texts from the one catalogue,
 * internal/Messages.ts; the texts only a domain reason produces here). Effect's schema issues are translated into
 * the same item shape by Validation.ts.
 */
import { Currency, type Issue } from "@checkout-kit/domain"
import * as M from "./internal/Messages.ts"
import { jsonSafe, type ValidationErrorItem } from "./internal/ValidationItem.ts"

type Reason = Issue.Reason
type Loc = Array<string | number>

/** Fields whose children are keys of user data, not field names: their keys are kept verbatim. */
const keyedFields: ReadonlySet<string> = new Set(["metadata", "customerMetadata", "customFieldData"])
const metadataFields: ReadonlySet<string> = new Set(["metadata", "customerMetadata"])

/** camelCase -> snake_case, e.g. `customerBillingAddress` -> `customer_billing_address`. */
export const snakeCase = (name: string): string => name.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`)

/** The wire location of a domain path: `body` first, field names in snake_case, keyed-data keys verbatim. */
export const wireLoc = (path: Issue.Path, reason: Reason): Loc => {
  const loc: Loc = ["body"]
  path.forEach((segment, i) => {
    const parent = i > 0 ? path[i - 1] : undefined
    loc.push(typeof segment === "number" || (typeof parent === "string" && keyedFields.has(parent)) ? segment : snakeCase(segment))
  })
  // pydantic reports a metadata entry under the failing member of its key/value validators.
  const parent = path.length >= 2 ? path[path.length - 2] : undefined
  if (typeof parent === "string" && metadataFields.has(parent)) {
    loc.push(reason._tag === "MetadataKeyTooShort" || reason._tag === "MetadataKeyTooLong" ? "[key]" : "str")
  }
  return loc
}

type Rendered = M.Message

/** pydantic's "'a', 'b' or 'c'" (a literal `True` is not quoted). */
const expectedList = (values: ReadonlyArray<string>): string => M.expectedList(values.map((v) => (v === "True" ? v : `'${v}'`)))

const value = (msg: string): Rendered => ({ type: "value_error", msg })
const valueWithError = (msg: string): Rendered => ({ ...M.valueError(msg), ctx: { error: {} } })

const UNITS = "Units can only be set on products with unit-based pricing, which this server does not support."

const combinationText: Record<Extract<Reason, { readonly _tag: "PriceCombination" }>["rule"], string> = {
  oneFixed: "Only one fixed or free price is allowed.",
  oneSeatBased: "Only one seat-based price is allowed.",
  oneCustom: "Only one custom price is allowed.",
  customAlone: "A custom price cannot be combined with a fixed or seat-based price.",
  oneMeterPrice: "Each meter can only be used by one price.",
  oneTaxBehavior: "All prices of a currency must share the same tax behavior."
}

/** The reference's type, message and context for a reason; `loc` is the issue's wire location. */
export const render = (reason: Reason, loc: Loc): Rendered => {
  switch (reason._tag) {
    case "Missing":
      return M.missing
    case "StringType":
      return M.stringType
    case "StringTooShort":
    case "MetadataKeyTooShort":
      return M.stringTooShort(reason.min)
    case "StringTooLong":
    case "MetadataKeyTooLong":
      return M.stringTooLong(reason.max)
    case "FiniteNumber":
      return M.finiteNumber
    case "IntFromFloat":
      return M.intFromFloat
    case "IntParsing":
      return M.intParsing
    case "IntType":
      return M.intType
    case "GreaterThanEqual":
      return M.greaterThanEqual(reason.ge)
    case "LessThanEqual":
      return M.lessThanEqual(reason.le)
    case "DatetimeFromDateParsing":
      return M.datetimeFromDateParsing
    case "DatetimeType":
      return M.datetimeType
    case "MustBeChecked":
      return M.literal(expectedList(["True"]))
    case "BoolParsing":
      return M.boolParsing
    case "BoolType":
      return M.boolType
    case "NotAnOption":
      return M.literal(expectedList(reason.options))
    case "DictType":
      return M.dictType
    case "NulCharacter":
      return M.valueError("NUL character not allowed")
    case "TooManyKeys":
      return M.dictionaryTooLong(reason.max, reason.actual)
    case "ListTooShort": {
      // The reference's list check reports no context.
      const { msg, type } = M.listTooShort(reason.min, reason.actual)
      return { type, msg }
    }
    case "ProductNotFound":
      return value("Product does not exist.")
    case "ProductArchived":
      return value("Product is archived.")
    case "ProductDraft":
      return value("Product is a draft.")
    case "PriceNotFound":
      return value("Price does not exist.")
    case "PriceArchived":
      return value("Price is archived.")
    case "ProductNotInCheckout":
      return value("Product is not available in this checkout.")
    case "PriceNotInCheckout":
      return value("Price is not available in this checkout.")
    case "NotAvailableInCurrency":
      return value("Product is not available in the specified currency.")
    case "NoValidProducts":
      return value("No valid products.")
    case "ProductsOfOtherOrganization":
      return value("Products don't belong to the checkout link's organization.")
    case "ProductsOfSeveralOrganizations":
      return value("Products must all belong to the same organization.")
    case "NoProducts":
      return value("Products must not be empty.")
    case "PriceCombination":
      return value(combinationText[reason.rule])
    case "AmountNegative":
      return { type: "greater_than_equal", msg: "Amount must be at least 0.", ctx: { ge: 0 } }
    case "AmountBelowMinimum":
      return { type: "greater_than_equal", msg: "Amount is below minimum.", ctx: { ge: reason.minimum } }
    case "AmountBelowCurrencyMinimum":
      return {
        type: "invalid_amount",
        msg: `Amount must be 0 or at least ${Currency.format(reason.minimum, reason.currency)}.`,
        ctx: { allowed: [0], ge: reason.minimum }
      }
    case "AmountAboveMaximum":
      return { type: "less_than_equal", msg: "Amount is above maximum.", ctx: { le: reason.maximum } }
    case "AmountAboveCurrencyMaximum":
      return {
        type: "less_than_equal",
        msg: `Amount must be at most ${Currency.format(reason.maximum, reason.currency)}.`,
        ctx: { le: reason.maximum }
      }
    case "SeatsNotSeatBased": {
      const field = loc[loc.length - 1]
      return value(`${field === "seats" ? "Seats" : String(field)} can only be set for seat-based pricing.`)
    }
    case "SeatsBelowMinimum":
      return { type: "greater_than_equal", msg: `Minimum ${reason.minimum} seats required.`, ctx: { ge: reason.minimum } }
    case "SeatsAboveMaximum":
      return { type: "less_than_equal", msg: `Maximum ${reason.maximum} seats allowed.`, ctx: { le: reason.maximum } }
    case "SeatLockNotSeatBased":
      return value("Seats can only be preconfigured when all products use seat-based pricing.")
    case "SeatLockOutOfRange":
      return value(`Product '${reason.productName}' allows between ${reason.min} and ${reason.max ?? "unlimited"} seats.`)
    case "CustomerNotFound":
      return value("Customer does not exist.")
    case "DiscountNotApplicableToProduct":
      return value("Discounts are not applicable to this product.")
    case "DiscountNotFound":
      return value("Discount does not exist.")
    case "DiscountNotRedeemable":
      return value("Discount is no longer redeemable.")
    case "LinkDiscountNotApplicable":
      return value("Discount does not exist or is not applicable to this product.")
    case "InvalidEmail":
      return M.invalidEmail(reason.reason)
    case "UnknownCountry":
      return M.literal(expectedList(reason.countries), "enum")
    case "InvalidSubdivision": {
      const error = reason.country === "US" ? "Invalid US state" : "Invalid CA subdivision"
      return { ...M.valueError(error), ctx: { error } }
    }
    case "CountryRequiredForTaxId":
      return { type: "missing", msg: "Country is required to validate tax ID." }
    case "InvalidTaxId":
      return value("Invalid tax ID.")
    case "RequiredToConfirm":
      return { type: "missing", msg: "Field is required." }
    case "FullBillingAddressRequired":
      return value("Full billing address is required.")
    case "ConfirmationTokenRequired":
      return { type: "missing", msg: "Confirmation token is required." }
    case "TaxRejected":
      return value(reason.message)
    case "UrlType":
      return M.urlType
    case "UrlRelative":
      return M.urlRelative
    case "UrlTooLong":
      return M.urlTooLong(reason.max)
    case "UrlScheme":
      return { type: "url_scheme", msg: "URL scheme should be 'https'", ctx: { expected_schemes: "'https'" } }
    case "UrlCredentials":
      return valueWithError("URL must not contain credentials")
    case "UrlPrivateAddress":
      return valueWithError("URL must not point to a private or loopback address")
    case "FormatNotSupported":
      return valueWithError(`format '${reason.format}' is not supported by this server; use 'raw'`)
    case "OrganizationSetByOrganizationToken":
      return { type: "organization_token", msg: "Setting organization_id is disallowed when using an organization token." }
    case "UnitsNotSupported":
      return value(UNITS)
    case "LinkUnitsNotSupported":
      return value("Units can only be preconfigured when all products use unit-based pricing.")
    case "SubscriptionNotFound":
      return value("Subscription does not exist.")
    case "AdHocPricesNotSupported":
      return value("Ad-hoc prices are not supported by this server.")
  }
}

/** One domain issue as the reference's 422 item. */
export const toItem = (issue: Issue.Issue): ValidationErrorItem => {
  const loc = wireLoc(issue.path, issue.reason)
  const { ctx, msg, type } = render(issue.reason, loc)
  return {
    type,
    loc,
    msg,
    input: jsonSafe(issue.input),
    ...(ctx === undefined ? {} : { ctx: jsonSafe(ctx) as Record<string, unknown> })
  }
}

/** Every issue of a domain validation failure, in order. */
export const toItems = (issues: ReadonlyArray<Issue.Issue>): Array<ValidationErrorItem> => issues.map(toItem)
