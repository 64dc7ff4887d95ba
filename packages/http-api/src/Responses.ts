/**
 * Domain values -> wire responses (spec 1.2-1.9): the org `Checkout`, the buyer's `CheckoutPublic` and
 * `CheckoutPublicConfirmed`, and `CheckoutLink`, with the embedded products, prices, discounts, custom fields and
 * addresses. Pure renaming and reshaping: shapes derived from the domain's (`wire/Derive.ts`) go through their
 * `toWire`, given only their computed keys; the rest (checkouts, links, products) is mapped here. Every business answer
 * (amounts, flags, field modes, URLs) was computed by the domain and is only copied here. The values are the typed
 * wire values the endpoints' success schemas declare, encoded by HttpApi (or, for the checkout bodies, by the
 * encoder compiled from the same schemas, `internal/JsonEncoder`).
 */
import type {
  Address,
  BillingAddress,
  CheckoutLink as DomainLink,
  CustomField,
  Discount,
  Organization,
  Price,
  Product
} from "@checkout-kit/domain"
import { CheckoutView } from "@checkout-kit/domain"
import * as JsonEncoder from "./internal/JsonEncoder.ts"
import * as Wire from "./wire/index.ts"
import { BenefitType } from "./wire/Scalars.ts"

type View = CheckoutView.CheckoutView

/** The reference's `size_readable`: one decimal and a binary unit ("1.5 MB"). */
export const sizeReadable = (size: number): string => {
  let value = size
  for (const unit of ["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB"]) {
    if (Math.abs(value) < 1024) return `${value.toFixed(1)} ${unit}`
    value /= 1024
  }
  return `${value.toFixed(1)} YB`
}

export interface LinkContext {
  /** The link's products that still exist, in link order (raw catalog products). */
  readonly products: ReadonlyArray<Product.Product>
  readonly discount: Discount.Discount | null
  readonly defaultCurrency: string
  /** Public base URL of this API, e.g. `https://pay.example.com`. */
  readonly baseUrl: string
}

/** `{base}/v1/checkout-links/{client_secret}/redirect`: opening it creates a checkout. */
export const linkUrl = (baseUrl: string, clientSecret: string): string =>
  `${baseUrl.endsWith("/") ? baseUrl.slice(0, -1) : baseUrl}/v1/checkout-links/${clientSecret}/redirect`

/** The owner of a `view.prices` entry (its deprecated `type`/`recurring_interval` come from the product). */
const productOf = (view: View, productId: string): Product.Product | null =>
  view.products.find((p) => p.id === productId) ?? (view.product?.id === productId ? view.product : null)

/**
 * `f` remembered per domain value: catalog values (organizations, products, prices, custom fields) are immutable and
 * repeat on every response, so their wire form is built once and registered with the JSON writer, which then
 * remembers its text (`JsonEncoder.immutable`).
 */
const perValue = <K extends object, V extends object>(f: (key: K) => V): ((key: K) => V) => {
  const memo = new WeakMap<K, V>()
  return (key) => {
    let value = memo.get(key)
    if (value === undefined) {
      value = JsonEncoder.immutable(f(key))
      memo.set(key, value)
    }
    return value
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small shapes
// ---------------------------------------------------------------------------------------------------------------

// The domain only stores supported ISO codes, which the output enum contains.
export const address = (a: Address.Address): Wire.Address => Wire.Address.toWire(a, { country: a.country as Wire.Country })

const fieldMap = <A>(fields: Readonly<Record<BillingAddress.Field, A>>) => ({
  country: fields.country,
  state: fields.state,
  city: fields.city,
  postal_code: fields.postalCode,
  line1: fields.line1,
  line2: fields.line2
})

export const organization: (o: Organization.Organization) => Wire.CheckoutOrganization = perValue((o) =>
  Wire.CheckoutOrganization.toWire(o)
)

/**
 * `customer_metadata` is typed without floats by the contract (and the official SDK validates it so), while the
 * input accepts them: a non-integer number is sent as its decimal string rather than breaking clients.
 */
const customerMetadata = (
  metadata: Readonly<Record<string, string | number | boolean>>
): Wire.CustomerMetadataOutput => {
  const out: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(metadata)) {
    out[key] = typeof value === "number" && !Number.isInteger(value) ? String(value) : value
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------------------------

/** Prices carry the deprecated `type`/`recurring_interval` of their product. */
const priceOf = (p: Price.Price, product: Product.Product | null): Wire.ProductPrice => {
  const recurringInterval = product?.recurringInterval ?? null
  const deprecated = { type: recurringInterval === null ? "one_time" as const : "recurring" as const, recurring_interval: recurringInterval }
  switch (p.amountType) {
    case "fixed":
      return Wire.ProductPriceFixed.toWire(p, deprecated)
    case "custom":
      return Wire.ProductPriceCustom.toWire(p, deprecated)
    case "seat_based":
      return Wire.ProductPriceSeatBased.toWire(p, { ...deprecated, price_per_seat: p.seatTiers.tiers[0].pricePerSeat })
    case "metered_unit": {
      const meter = { id: p.meter.id, name: p.meter.name, unit: "scalar" as const, custom_label: null, custom_multiplier: null }
      return Wire.ProductPriceMeteredUnit.toWire(p, { ...deprecated, meter })
    }
  }
}

const ownerless = perValue((p: Price.Price) => priceOf(p, null))
const byOwner = new WeakMap<Product.Product, (p: Price.Price) => Wire.ProductPrice>()

/** A price as buyers see it (remembered per price and product). */
export const price = (p: Price.Price, product: Product.Product | null): Wire.ProductPrice => {
  if (product === null) return ownerless(p)
  let of = byOwner.get(product)
  if (of === undefined) {
    of = perValue((x: Price.Price) => priceOf(x, product))
    byOwner.set(product, of)
  }
  return of(p)
}

const benefitTypes: ReadonlySet<string> = new Set(BenefitType.literals)

// Catalog benefit types outside the contract's enum are shown as the generic `custom` kind.
const benefit = (b: Product.Benefit): Wire.BenefitPublic =>
  Wire.BenefitPublic.toWire(b, { type: (benefitTypes.has(b.type) ? b.type : "custom") as Wire.BenefitPublic["type"] })

const media = (m: Product.Media): Wire.ProductMediaFileRead =>
  Wire.ProductMediaFileRead.toWire(m, { service: "product_media", size_readable: sizeReadable(m.size) })

/** A product as buyers see it. Pass a product already reduced by `CheckoutView.displayProduct` (remembered per product). */
export const product: (p: Product.Product) => Wire.CheckoutProduct = perValue((p) => ({
  id: p.id,
  created_at: p.createdAt,
  modified_at: p.modifiedAt,
  trial_interval: p.trialInterval,
  trial_interval_count: p.trialIntervalCount,
  name: p.name,
  description: p.description,
  visibility: p.visibility,
  recurring_interval: p.recurringInterval,
  recurring_interval_count: p.recurringIntervalCount,
  meter_interval: null,
  meter_interval_count: null,
  is_recurring: p.recurringInterval !== null,
  is_archived: p.isArchived,
  organization_id: p.organizationId,
  prices: p.prices.map((x) => price(x, p)),
  benefits: p.benefits.map(benefit),
  medias: p.medias.map(media)
}))

export const linkProduct = (p: Product.Product): Wire.CheckoutLinkProduct => ({ metadata: p.metadata, ...product(p) })

/** The properties the domain holds that the output can carry: blank texts and empty options are left out. */
const shownProperties = (p: CustomField.Properties): CustomField.Properties => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(p)) if (value !== "" && value !== undefined) out[key] = value
  if (p.options !== undefined) out.options = p.options.filter((o) => o.value !== "" && o.label !== "")
  return out as CustomField.Properties
}

const fieldVariants = {
  text: Wire.CustomFieldText,
  number: Wire.CustomFieldNumber,
  date: Wire.CustomFieldDate,
  checkbox: Wire.CustomFieldCheckbox,
  select: Wire.CustomFieldSelect
}

// The reference omits unset property keys: the derived properties leave absent ones out, `select` always has options.
export const customField = (f: CustomField.CustomField): Wire.CustomField => {
  const properties = shownProperties(f.properties)
  const shown = f.type === "select" ? { ...properties, options: properties.options ?? [] } : properties
  return (fieldVariants[f.type].toWire as (v: object) => Wire.CustomField)({ ...f, properties: shown })
}

export const attachedCustomField: (a: CustomField.Attached) => Wire.AttachedCustomField = perValue((a) => ({
  custom_field_id: a.customFieldId,
  custom_field: customField(a.customField),
  order: a.order,
  required: a.required
}))

// ---------------------------------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------------------------------

/**
 * Fixed discounts keep the deprecated single `amount`/`currency`: the organization's default currency, else the
 * first.
 */
const deprecatedAmount = (d: Discount.Fixed, defaultCurrency: string) => {
  const currency = d.amounts[defaultCurrency] !== undefined
    ? defaultCurrency
    : Object.keys(d.amounts)[0] ?? defaultCurrency
  return { amount: d.amounts[currency] ?? 0, currency }
}

const discountOf = <V>(variants: {
  readonly fixed: { readonly toWire: (d: Discount.Fixed, given: { amount: number; currency: string }) => V }
  readonly fixedRepeat: { readonly toWire: (d: Discount.Fixed, given: { amount: number; currency: string; duration_in_months: number }) => V }
  readonly percentage: { readonly toWire: (d: Discount.Percentage) => V }
  readonly percentageRepeat: { readonly toWire: (d: Discount.Percentage, given: { duration_in_months: number }) => V }
}) =>
(d: Discount.Discount, defaultCurrency: string): V => {
  const months = { duration_in_months: d.durationInMonths ?? 1 }
  if (d.type === "percentage") {
    return d.duration === "repeating" ? variants.percentageRepeat.toWire(d, months) : variants.percentage.toWire(d)
  }
  const amount = deprecatedAmount(d, defaultCurrency)
  return d.duration === "repeating"
    ? variants.fixedRepeat.toWire(d, { ...amount, ...months })
    : variants.fixed.toWire(d, amount)
}

export const checkoutDiscount: (d: Discount.Discount, defaultCurrency: string) => Wire.CheckoutDiscount = discountOf<Wire.CheckoutDiscount>({
  fixed: Wire.CheckoutDiscountFixedOnceForeverDuration,
  fixedRepeat: Wire.CheckoutDiscountFixedRepeatDuration,
  percentage: Wire.CheckoutDiscountPercentageOnceForeverDuration,
  percentageRepeat: Wire.CheckoutDiscountPercentageRepeatDuration
})

export const linkDiscount: (d: Discount.Discount, defaultCurrency: string) => Wire.CheckoutLinkDiscount = discountOf<Wire.CheckoutLinkDiscount>({
  fixed: Wire.DiscountFixedOnceForeverDurationBase,
  fixedRepeat: Wire.DiscountFixedRepeatDurationBase,
  percentage: Wire.DiscountPercentageOnceForeverDurationBase,
  percentageRepeat: Wire.DiscountPercentageRepeatDurationBase
})

// ---------------------------------------------------------------------------------------------------------------
// Checkouts
// ---------------------------------------------------------------------------------------------------------------

/**
 * `CheckoutBase`: the keys both representations share. `status` is the checkout's, except in the confirm answer,
 * which says `confirmed` by contract.
 */
const base = <S extends View["checkout"]["status"]>(view: View, status: S) => {
  const c = view.checkout
  return {
    id: c.id,
    created_at: c.createdAt,
    modified_at: c.modifiedAt,
    custom_field_data: { ...c.customFieldData },
    payment_processor: c.paymentProcessor,
    status,
    client_secret: c.clientSecret,
    url: view.url,
    expires_at: c.expiresAt,
    success_url: view.successUrl,
    return_url: c.returnUrl,
    embed_origin: c.embedOrigin,
    amount: c.amount,
    seats: c.seats,
    min_seats: c.minSeats,
    max_seats: c.maxSeats,
    // Unit-based prices are not supported yet: never set.
    units: null,
    min_units: null,
    max_units: null,
    discount_amount: c.discountAmount,
    net_amount: c.netAmount,
    tax_amount: c.taxAmount,
    tax_behavior: c.taxBehavior,
    total_amount: c.totalAmount,
    currency: c.currency,
    allow_trial: c.allowTrial,
    active_trial_interval: view.activeTrialInterval,
    active_trial_interval_count: view.activeTrialIntervalCount,
    trial_end: c.trialEnd,
    organization_id: c.organizationId,
    product_id: c.productId,
    product_price_id: c.productPriceId,
    discount_id: c.discountId,
    allow_discount_codes: c.allowDiscountCodes,
    require_billing_address: c.requireBillingAddress,
    is_discount_applicable: view.flags.isDiscountApplicable,
    is_free_product_price: view.flags.isFreeProductPrice,
    is_payment_required: view.flags.isPaymentRequired,
    is_payment_setup_required: view.flags.isPaymentSetupRequired,
    is_payment_form_required: view.flags.isPaymentFormRequired,
    customer_id: c.customerId,
    is_business_customer: c.isBusinessCustomer,
    customer_name: c.customerName,
    customer_email: c.customerEmail,
    customer_ip_address: c.customerIpAddress,
    customer_billing_name: c.customerBillingName,
    customer_billing_address: c.customerBillingAddress === null ? null : address(c.customerBillingAddress),
    customer_tax_id: c.customerTaxId?.number ?? null,
    locale: c.locale,
    payment_method_type: c.paymentMethodType,
    payment_processor_metadata: { ...c.paymentProcessorMetadata },
    billing_address_fields: fieldMap(view.billingAddressFields),
    customer_billing_address_fields: fieldMap(view.customerBillingAddressFields),
    subtotal_amount: c.netAmount
  }
}

/** The catalog side: products, the selected product and price, the prices map, the discount, the custom fields. */
const catalog = (view: View) => {
  const prices: Record<string, ReadonlyArray<Wire.AnyProductPrice>> = {}
  for (const [productId, list] of Object.entries(view.prices)) {
    const owner = productOf(view, productId)
    prices[productId] = list.map((p) => price(p, owner))
  }
  return {
    products: view.products.map(product),
    product: view.product === null ? null : product(view.product),
    product_price: view.productPrice === null ? null : price(view.productPrice, view.product),
    prices,
    discount: view.discount === null
      ? null
      : checkoutDiscount(view.discount, view.organization.defaultPresentmentCurrency),
    attached_custom_fields: view.attachedCustomFields.map(attachedCustomField)
  }
}

/** Organization-API representation (with metadata and the customer internals). */
export const checkout = (view: View): Wire.Checkout => {
  const c = view.checkout
  return {
    ...base(view, c.status),
    trial_interval: c.trialInterval,
    trial_interval_count: c.trialIntervalCount,
    metadata: { ...c.metadata },
    external_customer_id: c.externalCustomerId,
    customer_external_id: c.externalCustomerId,
    ...catalog(view),
    subscription_id: c.subscriptionId,
    customer_metadata: customerMetadata(c.customerMetadata)
  }
}

/** Client-secret representation: never `metadata`, `customer_metadata` or the external id. */
export const checkoutPublic = (view: View): Wire.CheckoutPublic => ({
  ...base(view, view.checkout.status),
  ...catalog(view),
  organization: organization(view.organization)
})

/** Answer of confirm: the status is `confirmed` by contract, even when a free checkout already completed. */
export const checkoutPublicConfirmed = (view: View): Wire.CheckoutPublicConfirmed => ({
  ...base(view, "confirmed"),
  ...catalog(view),
  organization: organization(view.organization),
  customer_session_token: view.customerSessionToken
})

// ---------------------------------------------------------------------------------------------------------------
// Checkout links
// ---------------------------------------------------------------------------------------------------------------

export const checkoutLink = (link: DomainLink.CheckoutLink, context: LinkContext): Wire.CheckoutLink => {
  const products = context.products.map((p) => linkProduct(CheckoutView.displayProduct(p)))
  const first = products[0] ?? null
  return {
    id: link.id,
    created_at: link.createdAt,
    modified_at: link.modifiedAt,
    trial_interval: link.trialInterval,
    trial_interval_count: link.trialIntervalCount,
    metadata: { ...link.metadata },
    payment_processor: link.paymentProcessor,
    client_secret: link.clientSecret,
    success_url: link.successUrl,
    return_url: link.returnUrl,
    label: link.label,
    allow_discount_codes: link.allowDiscountCodes,
    require_billing_address: link.requireBillingAddress,
    discount_id: link.discountId,
    seats: link.seats,
    units: null,
    organization_id: link.organizationId,
    products,
    discount: context.discount === null ? null : linkDiscount(context.discount, context.defaultCurrency),
    url: linkUrl(context.baseUrl, link.clientSecret),
    product_id: first?.id ?? link.productIds[0],
    product_price_id: first?.prices[0]?.id ?? null,
    product: first,
    product_price: first?.prices[0] ?? null
  }
}
