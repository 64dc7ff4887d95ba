/**
 * Decoded wire requests → domain inputs (snake_case → camelCase). The contract already decoded and normalised the
 * body (defaults applied, blanks as null, addresses upper-cased); this module only renames, keeps the reference's
 * "absent = untouched, explicit null = clear" rule, and drops `null` where the domain field is not nullable (the
 * reference reads those as "not given").
 *
 * A few contract fields belong to features this library does not have yet (unit-based prices, ad-hoc prices,
 * subscriptions). A non-null value for one of them is refused with a 422 at its location instead of being ignored,
 * so that a client never believes it was applied.
 */
import type { CheckoutLinkService, CheckoutService } from "@checkout-kit/domain"
import { Errors, Issue as IssueModule } from "@checkout-kit/domain"
import { Effect } from "effect"
import * as Wire from "./wire/index.ts"

type Issue = IssueModule.Issue

/** Drops the key when its value is `undefined` (absent); keeps `null`. */
const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/** Drops the key when its value is absent or `null` (for domain fields that cannot be cleared). */
const given = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V }

const addressPatch = (a: Wire.Address | null | undefined) =>
  a === undefined ? {} : { customerBillingAddress: a === null ? null : Wire.addressToDomain(a) }

const unsupported = (field: string, value: unknown, reason: IssueModule.Reason): Issue =>
  IssueModule.make([field], reason, value)

const UNITS = IssueModule.Reason.UnitsNotSupported()

/** `input`, or a failure with every unsupported field that carries a value. */
const refuse = <A>(issues: ReadonlyArray<Issue | undefined>, input: A): Effect.Effect<A, Errors.RequestValidationError> => {
  const found = issues.filter((i): i is Issue => i !== undefined)
  return found.length === 0 ? Effect.succeed(input) : Effect.fail(new Errors.RequestValidationError({ issues: found }))
}

const unitsIssues = (body: {
  readonly units?: number | null
  readonly min_units?: number | null
  readonly max_units?: number | null
}) => [
  body.units == null ? undefined : unsupported("units", body.units, UNITS),
  body.min_units == null ? undefined : unsupported("minUnits", body.min_units, UNITS),
  body.max_units == null ? undefined : unsupported("maxUnits", body.max_units, UNITS)
]

// ---------------------------------------------------------------------------------------------------------------
// Checkouts
// ---------------------------------------------------------------------------------------------------------------

/** `POST /v1/checkouts/` (all three variants). */
export const checkoutCreate = (
  body: Wire.CheckoutCreate
): Effect.Effect<CheckoutService.CreateInput, Errors.RequestValidationError> => {
  const prices = "prices" in body ? body.prices : null
  return refuse(
    [
      ...unitsIssues(body),
      body.subscription_id === null ? undefined : unsupported("subscriptionId", body.subscription_id, IssueModule.Reason.SubscriptionNotFound()),
      prices === null ? undefined : unsupported("prices", prices, IssueModule.Reason.AdHocPricesNotSupported())
    ],
    {
      ...("products" in body
        ? { products: body.products, currency: body.currency }
        : "product_id" in body
        ? { productId: body.product_id, currency: body.currency }
        : { productPriceId: body.product_price_id }),
      metadata: body.metadata,
      customFieldData: body.custom_field_data,
      trialInterval: body.trial_interval,
      trialIntervalCount: body.trial_interval_count,
      discountId: body.discount_id,
      allowDiscountCodes: body.allow_discount_codes,
      requireBillingAddress: body.require_billing_address,
      amount: body.amount,
      seats: body.seats,
      minSeats: body.min_seats,
      maxSeats: body.max_seats,
      allowTrial: body.allow_trial,
      customerId: body.customer_id,
      isBusinessCustomer: body.is_business_customer,
      externalCustomerId: body.external_customer_id,
      customerName: body.customer_name,
      customerEmail: body.customer_email,
      customerIpAddress: body.customer_ip_address,
      customerBillingName: body.customer_billing_name,
      customerBillingAddress: body.customer_billing_address === null ? null : Wire.addressToDomain(body.customer_billing_address),
      customerTaxId: body.customer_tax_id,
      customerMetadata: body.customer_metadata,
      successUrl: body.success_url,
      returnUrl: body.return_url,
      embedOrigin: body.embed_origin,
      locale: body.locale
    }
  )
}

/** The fields the org update, the client update and confirm share (`CheckoutUpdateBase`). */
const updateBase = (body: Wire.CheckoutUpdatePublic | Wire.CheckoutUpdate) => ({
  ...given("productId", body.product_id),
  ...given("productPriceId", body.product_price_id),
  ...opt("amount", body.amount),
  ...opt("seats", body.seats),
  ...given("isBusinessCustomer", body.is_business_customer),
  ...opt("customerName", body.customer_name),
  ...opt("customerEmail", body.customer_email),
  ...opt("customerBillingName", body.customer_billing_name),
  ...addressPatch(body.customer_billing_address),
  ...opt("customerTaxId", body.customer_tax_id),
  ...opt("locale", body.locale),
  ...opt("customFieldData", body.custom_field_data)
})

/** `PATCH /v1/checkouts/{id}`. */
export const checkoutUpdate = (
  body: Wire.CheckoutUpdate
): Effect.Effect<CheckoutService.UpdateInput, Errors.RequestValidationError> =>
  refuse(unitsIssues(body), {
    ...updateBase(body),
    ...given("currency", body.currency),
    ...opt("metadata", body.metadata),
    ...given("customerMetadata", body.customer_metadata),
    ...opt("trialInterval", body.trial_interval),
    ...opt("trialIntervalCount", body.trial_interval_count),
    ...opt("discountId", body.discount_id),
    ...given("allowDiscountCodes", body.allow_discount_codes),
    ...given("requireBillingAddress", body.require_billing_address),
    ...given("allowTrial", body.allow_trial),
    ...opt("customerIpAddress", body.customer_ip_address),
    ...opt("successUrl", body.success_url),
    ...opt("returnUrl", body.return_url),
    ...opt("embedOrigin", body.embed_origin)
  })

const publicFields = (body: Wire.CheckoutUpdatePublic | Wire.CheckoutConfirmStripe) => ({
  ...updateBase(body),
  ...opt("paymentMethodType", body.payment_method_type),
  ...opt("discountCode", body.discount_code),
  ...opt("allowTrial", body.allow_trial)
})

/** `PATCH /v1/checkouts/client/{client_secret}`. */
export const checkoutClientUpdate = (
  body: Wire.CheckoutUpdatePublic
): Effect.Effect<CheckoutService.ClientUpdateInput, Errors.RequestValidationError> =>
  refuse(unitsIssues(body), publicFields(body))

/** `POST /v1/checkouts/client/{client_secret}/confirm`. */
export const checkoutConfirm = (
  body: Wire.CheckoutConfirmStripe
): Effect.Effect<CheckoutService.ConfirmInput, Errors.RequestValidationError> =>
  refuse(unitsIssues(body), {
    ...publicFields(body),
    ...opt("confirmationTokenId", body.confirmation_token_id)
  })

/** `GET /v1/checkouts/` query. */
export const checkoutList = (query: Wire.CheckoutListQuery): CheckoutService.ListInput => ({
  page: query.page,
  limit: query.limit,
  ...opt("organizationIds", query.organization_id),
  ...opt("productIds", query.product_id),
  ...opt("customerIds", query.customer_id),
  ...opt("externalCustomerIds", query.external_customer_id),
  ...opt("statuses", query.status),
  ...opt("query", query.query),
  sorting: Wire.checkoutSorting(query.sorting)
})

// ---------------------------------------------------------------------------------------------------------------
// Checkout links
// ---------------------------------------------------------------------------------------------------------------

const LINK_UNITS = IssueModule.Reason.LinkUnitsNotSupported()

/** `POST /v1/checkout-links/` (all three variants). */
export const linkCreate = (
  body: Wire.CheckoutLinkCreate
): Effect.Effect<CheckoutLinkService.CreateInput, Errors.RequestValidationError> => {
  const settings: CheckoutLinkService.CreateSettings = {
    paymentProcessor: body.payment_processor,
    label: body.label,
    allowDiscountCodes: body.allow_discount_codes,
    requireBillingAddress: body.require_billing_address,
    discountId: body.discount_id,
    seats: body.seats,
    successUrl: body.success_url,
    returnUrl: body.return_url,
    metadata: body.metadata,
    trialInterval: body.trial_interval,
    trialIntervalCount: body.trial_interval_count
  }
  const input: CheckoutLinkService.CreateInput = "products" in body
    ? { ...settings, products: nonEmpty(body.products) }
    : "product_id" in body
    ? { ...settings, productId: body.product_id }
    : { ...settings, productPriceId: body.product_price_id }
  return refuse([body.units === null ? undefined : unsupported("units", body.units, LINK_UNITS)], input)
}

/** The contract checks `min 1`; this only restores the tuple type. */
const nonEmpty = <A>(items: ReadonlyArray<A>): readonly [A, ...Array<A>] => items as readonly [A, ...Array<A>]

/** `PATCH /v1/checkout-links/{id}`. */
export const linkUpdate = (
  body: Wire.CheckoutLinkUpdate
): Effect.Effect<CheckoutLinkService.UpdateInput, Errors.RequestValidationError> =>
  refuse(
    [body.units == null ? undefined : unsupported("units", body.units, LINK_UNITS)],
    {
      ...(body.products === undefined || body.products === null ? {} : { products: nonEmpty(body.products) }),
      ...opt("label", body.label),
      ...given("allowDiscountCodes", body.allow_discount_codes),
      ...given("requireBillingAddress", body.require_billing_address),
      ...opt("discountId", body.discount_id),
      ...opt("seats", body.seats),
      ...opt("successUrl", body.success_url),
      ...opt("returnUrl", body.return_url),
      ...opt("metadata", body.metadata),
      ...opt("trialInterval", body.trial_interval),
      ...opt("trialIntervalCount", body.trial_interval_count)
    }
  )

/** `GET /v1/checkout-links/` query. */
export const linkList = (query: Wire.CheckoutLinkListQuery): CheckoutLinkService.ListInput => ({
  page: query.page,
  limit: query.limit,
  ...opt("organizationIds", query.organization_id),
  ...opt("productIds", query.product_id),
  sorting: Wire.checkoutLinkSorting(query.sorting)
})
