/**
 * The translation of domain issues into the reference's 422 items: wire locations (body prefix, snake_case, keyed
 * data verbatim, metadata's `[key]`/`str` members) and the exact type/msg/ctx of each reason. The items pinned here
 * are the ones the domain's own tests pinned before the domain reported issues in its own vocabulary.
 */
import { Address, CustomField, Email, Issue, Metadata, Pricing, Seats, TaxId, WebhookEndpoint } from "@checkout-kit/domain"
import { Fixtures } from "@checkout-kit/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { render, snakeCase, toItem, toItems, wireLoc } from "../src/DomainIssues.ts"

const R = Issue.Reason
const failure = <A>(r: Result.Result<A, Issue.Issue>) => {
  if (Result.isSuccess(r)) throw new Error("expected a failure")
  return toItem(r.failure)
}
const failures = <A>(r: Result.Result<A, ReadonlyArray<Issue.Issue>>) => (Result.isFailure(r) ? toItems(r.failure) : [])

describe("wireLoc", () => {
  it("prefixes body and snake_cases field names; list indexes stay numbers", () => {
    expect(wireLoc(["customerBillingAddress", "postalCode"], R.RequiredToConfirm())).toEqual([
      "body",
      "customer_billing_address",
      "postal_code"
    ])
    expect(wireLoc(["products", 3], R.ProductNotFound())).toEqual(["body", "products", 3])
    expect(wireLoc([], R.Missing())).toEqual(["body"])
    expect(snakeCase("confirmationTokenId")).toBe("confirmation_token_id")
  })

  it("keeps custom-field slugs and metadata keys verbatim, and adds pydantic's metadata member", () => {
    expect(wireLoc(["customFieldData", "myField"], R.Missing())).toEqual(["body", "custom_field_data", "myField"])
    expect(wireLoc(["customerMetadata", "someKey"], R.MetadataKeyTooLong({ max: 40 }))).toEqual([
      "body",
      "customer_metadata",
      "someKey",
      "[key]"
    ])
    expect(wireLoc(["metadata", "someKey"], R.StringType())).toEqual(["body", "metadata", "someKey", "str"])
    expect(wireLoc(["metadata"], R.TooManyKeys({ max: 50, actual: 51 }))).toEqual(["body", "metadata"])
  })
})

describe("reference items of the domain's rules", () => {
  it("addresses: invalid US state / CA subdivision, unsupported or missing country", () => {
    const at = ["customerBillingAddress"]
    expect(failures(Address.validateInput({ country: "US", state: "QC" }, at))).toEqual([{
      type: "value_error",
      loc: ["body", "customer_billing_address"],
      msg: "Value error, Invalid US state",
      input: { country: "US", state: "QC" },
      ctx: { error: "Invalid US state" }
    }])
    expect(failures(Address.validateInput({ country: "CA", state: "NY" }, at))[0]?.msg).toBe("Value error, Invalid CA subdivision")
    const [unknown] = failures(Address.validateInput({ country: "XX" }, at))
    expect(unknown?.type).toBe("enum")
    expect(unknown?.loc).toEqual(["body", "customer_billing_address", "country"])
    expect(unknown?.msg.startsWith("Input should be 'AD', 'AE'")).toBe(true)
    expect(unknown?.msg.endsWith("or 'ZW'")).toBe(true)
    expect(unknown?.ctx).toEqual({ expected: unknown?.msg.slice("Input should be ".length) })
    expect(failures(Address.validateInput({}, at))).toEqual([
      { type: "missing", loc: ["body", "customer_billing_address", "country"], msg: "Field required", input: {} }
    ])
  })

  it("custom-field data", () => {
    const at = { enforceRequired: true }
    const field = (slug: string, type: CustomField.Type, properties: CustomField.Properties) => Fixtures.attachedField(slug, type, properties, true)
    const select = field("select", "select", { options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] })
    expect(failures(CustomField.validateData([select], { select: "c" }, at))).toEqual([{
      type: "literal_error",
      loc: ["body", "custom_field_data", "select"],
      msg: "Input should be 'a' or 'b'",
      input: "c",
      ctx: { expected: "'a' or 'b'" }
    }])
    expect(failures(CustomField.validateData([select], {}, at))).toEqual([
      { type: "missing", loc: ["body", "custom_field_data", "select"], msg: "Field required", input: {} }
    ])
    const checkbox = field("checkbox", "checkbox", {})
    expect(failures(CustomField.validateData([checkbox], { checkbox: false }, at))).toEqual([{
      type: "literal_error",
      loc: ["body", "custom_field_data", "checkbox"],
      msg: "Input should be True",
      input: false,
      ctx: { expected: "True" }
    }])
    const text = field("text", "text", { minLength: 2, maxLength: 5 })
    expect(failures(CustomField.validateData([text], { text: "a" }, at))[0]).toMatchObject({
      type: "string_too_short",
      msg: "String should have at least 2 characters",
      ctx: { min_length: 2 }
    })
    const number = field("number", "number", { ge: 0, le: 10 })
    expect(failures(CustomField.validateData([number], { number: 11 }, at))[0]).toMatchObject({
      type: "less_than_equal",
      msg: "Input should be less than or equal to 10",
      ctx: { le: 10 }
    })
    const date = field("date", "date", { ge: 1_704_067_200 })
    expect(failures(CustomField.validateData([date], { date: "2023-12-31" }, at))[0]).toMatchObject({
      type: "greater_than_equal",
      msg: "Input should be greater than or equal to 2024-01-01"
    })
  })

  it("metadata", () => {
    const fifty = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))
    expect(toItems(Metadata.validate(fifty, ["metadata"]))).toEqual([{
      type: "too_long",
      loc: ["body", "metadata"],
      msg: "Dictionary should have at most 50 items after validation, not 51",
      input: fifty,
      ctx: { field_type: "Dictionary", max_length: 50, actual_length: 51 }
    }])
    expect(toItems(Metadata.validate({ ["k".repeat(41)]: "v" }, ["metadata"]))).toEqual([{
      type: "string_too_long",
      loc: ["body", "metadata", "k".repeat(41), "[key]"],
      msg: "String should have at most 40 characters",
      input: "k".repeat(41),
      ctx: { max_length: 40 }
    }])
    expect(toItems(Metadata.validate({ "": "v" }, ["customerMetadata"]))[0]).toMatchObject({
      type: "string_too_short",
      loc: ["body", "customer_metadata", "", "[key]"],
      msg: "String should have at least 1 character",
      ctx: { min_length: 1 }
    })
    expect(toItems(Metadata.validate({ k: "a\u0000b", n: null }, ["metadata"]))).toEqual([
      { type: "value_error", loc: ["body", "metadata", "k", "str"], msg: "Value error, NUL character not allowed", input: "a\u0000b" },
      { type: "string_type", loc: ["body", "metadata", "n", "str"], msg: "Input should be a valid string", input: null }
    ])
    expect(toItems(Metadata.validate([1], ["metadata"]))).toEqual([
      { type: "dict_type", loc: ["body", "metadata"], msg: "Input should be a valid dictionary", input: [1] }
    ])
  })

  it("custom amounts", () => {
    const pwyw = { minimumAmount: 1000, maximumAmount: 5000 }
    expect(failure(Pricing.validateCustomAmount(pwyw, 500, "usd"))).toEqual({
      type: "greater_than_equal",
      loc: ["body", "amount"],
      msg: "Amount is below minimum.",
      input: 500,
      ctx: { ge: 1000 }
    })
    expect(failure(Pricing.validateCustomAmount(pwyw, 10_000, "usd"))).toEqual({
      type: "less_than_equal",
      loc: ["body", "amount"],
      msg: "Amount is above maximum.",
      input: 10_000,
      ctx: { le: 5000 }
    })
    const free = { minimumAmount: 0, maximumAmount: null }
    expect(failure(Pricing.validateCustomAmount(free, 49, "usd"))).toEqual({
      type: "invalid_amount",
      loc: ["body", "amount"],
      msg: "Amount must be 0 or at least $0.50.",
      input: 49,
      ctx: { allowed: [0], ge: 50 }
    })
    expect(failure(Pricing.validateCustomAmount(free, 60, "cad"))).toMatchObject({
      msg: "Amount must be 0 or at least CA$0.70.",
      ctx: { allowed: [0], ge: 70 }
    })
    expect(failure(Pricing.validateCustomAmount(free, -1, "usd"))).toEqual({
      type: "greater_than_equal",
      loc: ["body", "amount"],
      msg: "Amount must be at least 0.",
      input: -1,
      ctx: { ge: 0 }
    })
    expect(failure(Pricing.validateCustomAmount(free, 100_000_000, "usd"))).toEqual({
      type: "less_than_equal",
      loc: ["body", "amount"],
      msg: "Amount must be at most $999,999.99.",
      input: 100_000_000,
      ctx: { le: 99_999_999 }
    })
  })

  it("seats", () => {
    const tiers = (min: number, max: number | null) => ({
      seatTierType: "volume" as const,
      tiers: [{ minSeats: min, maxSeats: max, pricePerSeat: 100 }] as const,
      minimumSeats: min,
      maximumSeats: max
    })
    expect(failure(Seats.validateSeats(tiers(3, 10), 2, null, null))).toEqual({
      type: "greater_than_equal",
      loc: ["body", "seats"],
      msg: "Minimum 3 seats required.",
      input: 2,
      ctx: { ge: 3 }
    })
    expect(failure(Seats.validateSeats(tiers(3, 10), 15, null, null))).toEqual({
      type: "less_than_equal",
      loc: ["body", "seats"],
      msg: "Maximum 10 seats allowed.",
      input: 15,
      ctx: { le: 10 }
    })
    expect(toItems(Seats.validateFields(tiers(2, 20), { seats: null, minSeats: 1, maxSeats: 50 }))).toEqual([
      { type: "greater_than_equal", loc: ["body", "min_seats"], msg: "Input should be greater than or equal to 2", input: 1, ctx: { ge: 2 } },
      { type: "less_than_equal", loc: ["body", "max_seats"], msg: "Input should be less than or equal to 20", input: 50, ctx: { le: 20 } }
    ])
    expect(toItems(Seats.validateFields(null, { seats: 5, minSeats: 2, maxSeats: 9 })).map((i) => [i.loc, i.msg])).toEqual([
      [["body", "seats"], "Seats can only be set for seat-based pricing."],
      [["body", "min_seats"], "min_seats can only be set for seat-based pricing."],
      [["body", "max_seats"], "max_seats can only be set for seat-based pricing."]
    ])
  })

  it("tax ids and e-mail addresses", () => {
    expect(failure(TaxId.validate("123", null))).toEqual({
      type: "missing",
      loc: ["body", "customer_billing_address"],
      msg: "Country is required to validate tax ID.",
      input: null
    })
    expect(failure(TaxId.validate("123", { country: "FR" }))).toEqual({
      type: "value_error",
      loc: ["body", "customer_tax_id"],
      msg: "Invalid tax ID.",
      input: "123"
    })
    const long = `${"a".repeat(65)}@example.com`
    expect(failure(Email.validate(long, ["customerEmail"]))).toEqual({
      type: "value_error",
      loc: ["body", "customer_email"],
      msg: "value is not a valid email address: The email address is too long before the @-sign (1 character too many).",
      input: long,
      ctx: { reason: "The email address is too long before the @-sign (1 character too many)." }
    })
  })

  it("webhook URLs and formats", () => {
    const url = (u: unknown, allow = false) => toItems(WebhookEndpoint.validateUrl(u, ["url"], allow))
    expect(url(42)).toEqual([{ type: "url_type", loc: ["body", "url"], msg: "URL input should be a string or URL", input: 42 }])
    expect(url("nope")[0]).toMatchObject({
      type: "url_parsing",
      msg: "Input should be a valid URL, relative URL without a base",
      ctx: { error: "relative URL without a base" }
    })
    expect(url("http://hooks.example.com/")[0]).toMatchObject({
      type: "url_scheme",
      msg: "URL scheme should be 'https'",
      ctx: { expected_schemes: "'https'" }
    })
    expect(url(`https://example.com/${"x".repeat(2100)}`)[0]).toMatchObject({
      type: "url_too_long",
      msg: "URL should have at most 2083 characters",
      ctx: { max_length: 2083 }
    })
    expect(url("https://user:pw@example.com/")[0]).toMatchObject({
      type: "value_error",
      msg: "Value error, URL must not contain credentials",
      ctx: { error: {} }
    })
    expect(url("https://127.0.0.1/")[0]).toMatchObject({
      msg: "Value error, URL must not point to a private or loopback address"
    })
    expect(toItems(WebhookEndpoint.validateFormat("slack", ["format"]))).toEqual([{
      type: "value_error",
      loc: ["body", "format"],
      msg: "Value error, format 'slack' is not supported by this server; use 'raw'",
      input: "slack",
      ctx: { error: {} }
    }])
  })

  it("catalog, link and checkout reasons carry the reference's messages", () => {
    const cases: ReadonlyArray<readonly [Issue.Reason, string, string]> = [
      [R.ProductNotFound(), "value_error", "Product does not exist."],
      [R.ProductArchived(), "value_error", "Product is archived."],
      [R.ProductDraft(), "value_error", "Product is a draft."],
      [R.PriceNotFound(), "value_error", "Price does not exist."],
      [R.PriceArchived(), "value_error", "Price is archived."],
      [R.ProductNotInCheckout(), "value_error", "Product is not available in this checkout."],
      [R.PriceNotInCheckout(), "value_error", "Price is not available in this checkout."],
      [R.NotAvailableInCurrency(), "value_error", "Product is not available in the specified currency."],
      [R.NoValidProducts(), "value_error", "No valid products."],
      [R.ProductsOfOtherOrganization(), "value_error", "Products don't belong to the checkout link's organization."],
      [R.ProductsOfSeveralOrganizations(), "value_error", "Products must all belong to the same organization."],
      [R.NoProducts(), "value_error", "Products must not be empty."],
      [R.PriceCombination({ rule: "oneFixed" }), "value_error", "Only one fixed or free price is allowed."],
      [R.PriceCombination({ rule: "oneTaxBehavior" }), "value_error", "All prices of a currency must share the same tax behavior."],
      [R.ListTooShort({ min: 1, actual: 0 }), "too_short", "List should have at least 1 item after validation, not 0"],
      [R.SeatLockNotSeatBased(), "value_error", "Seats can only be preconfigured when all products use seat-based pricing."],
      [R.SeatLockOutOfRange({ productName: "Team", min: 2, max: 20 }), "value_error", "Product 'Team' allows between 2 and 20 seats."],
      [R.SeatLockOutOfRange({ productName: "Open", min: 3, max: null }), "value_error", "Product 'Open' allows between 3 and unlimited seats."],
      [R.CustomerNotFound(), "value_error", "Customer does not exist."],
      [R.DiscountNotApplicableToProduct(), "value_error", "Discounts are not applicable to this product."],
      [R.DiscountNotFound(), "value_error", "Discount does not exist."],
      [R.DiscountNotRedeemable(), "value_error", "Discount is no longer redeemable."],
      [R.LinkDiscountNotApplicable(), "value_error", "Discount does not exist or is not applicable to this product."],
      [R.RequiredToConfirm(), "missing", "Field is required."],
      [R.FullBillingAddressRequired(), "value_error", "Full billing address is required."],
      [R.ConfirmationTokenRequired(), "missing", "Confirmation token is required."],
      [R.TaxRejected({ message: "Tax could not be computed." }), "value_error", "Tax could not be computed."],
      [R.OrganizationSetByOrganizationToken(), "organization_token", "Setting organization_id is disallowed when using an organization token."],
      [R.UnitsNotSupported(), "value_error", "Units can only be set on products with unit-based pricing, which this server does not support."],
      [R.LinkUnitsNotSupported(), "value_error", "Units can only be preconfigured when all products use unit-based pricing."],
      [R.SubscriptionNotFound(), "value_error", "Subscription does not exist."],
      [R.AdHocPricesNotSupported(), "value_error", "Ad-hoc prices are not supported by this server."]
    ]
    for (const [reason, type, msg] of cases) {
      expect(render(reason, ["body", "x"]), reason._tag).toEqual({ type, msg })
    }
  })
})
