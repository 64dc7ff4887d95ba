/**
 * Domain values -> wire responses (spec 1.2-1.9): the org `Checkout`, the buyer's `CheckoutPublic` and
 * `CheckoutPublicConfirmed`, and `CheckoutLink`, with the embedded products, prices, discounts, custom fields and
 * addresses. Pure renaming and reshaping (camelCase -> snake_case, derived deprecated keys); every business answer
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
import type * as Wire from "./wire/index.ts"
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

// ---------------------------------------------------------------------------------------------------------------
// Small shapes
// ---------------------------------------------------------------------------------------------------------------

export const address = (a: Address.Address): Wire.Address => ({
  line1: a.line1,
  line2: a.line2,
  postal_code: a.postalCode,
  city: a.city,
  state: a.state,
  // The domain only stores supported ISO codes, which the output enum contains.
  country: a.country as Wire.Country
})

const fieldMap = <A>(fields: Readonly<Record<BillingAddress.Field, A>>) => ({
  country: fields.country,
  state: fields.state,
  city: fields.city,
  postal_code: fields.postalCode,
  line1: fields.line1,
  line2: fields.line2
})

export const organization = (o: Organization.Organization): Wire.CheckoutOrganization => ({
  created_at: o.createdAt,
  modified_at: o.modifiedAt,
  id: o.id,
  name: o.name,
  slug: o.slug,
  avatar_url: o.avatarUrl,
  proration_behavior: o.prorationBehavior,
  allow_customer_updates: o.allowCustomerUpdates
})

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
export const price = (p: Price.Price, product: Product.Product | null): Wire.ProductPrice => {
  const recurringInterval = product?.recurringInterval ?? null
  const common = {
    created_at: p.createdAt,
    modified_at: p.modifiedAt,
    id: p.id,
    source: p.source,
    price_currency: p.priceCurrency,
    tax_behavior: p.taxBehavior,
    is_archived: p.isArchived,
    product_id: p.productId,
    type: recurringInterval === null ? "one_time" as const : "recurring" as const,
    recurring_interval: recurringInterval
  }
  switch (p.amountType) {
    case "fixed":
      return { ...common, amount_type: "fixed", price_amount: p.priceAmount }
    case "custom":
      return {
        ...common,
        amount_type: "custom",
        minimum_amount: p.minimumAmount,
        maximum_amount: p.maximumAmount,
        preset_amount: p.presetAmount
      }
    case "seat_based":
      return {
        ...common,
        amount_type: "seat_based",
        seat_tiers: {
          seat_tier_type: p.seatTiers.seatTierType,
          tiers: p.seatTiers.tiers.map((t) => ({
            min_seats: t.minSeats,
            max_seats: t.maxSeats,
            price_per_seat: t.pricePerSeat
          })),
          minimum_seats: p.seatTiers.minimumSeats,
          maximum_seats: p.seatTiers.maximumSeats
        },
        price_per_seat: p.seatTiers.tiers[0].pricePerSeat
      }
    case "metered_unit":
      return {
        ...common,
        amount_type: "metered_unit",
        unit_amount: p.unitAmount,
        cap_amount: p.capAmount,
        meter_id: p.meterId,
        meter: { id: p.meter.id, name: p.meter.name, unit: "scalar", custom_label: null, custom_multiplier: null }
      }
  }
}

const benefitTypes: ReadonlySet<string> = new Set(BenefitType.literals)

const benefit = (b: Product.Benefit): Wire.BenefitPublic => ({
  id: b.id,
  created_at: b.createdAt,
  modified_at: b.modifiedAt,
  // Catalog benefit types outside the contract's enum are shown as the generic `custom` kind.
  type: (benefitTypes.has(b.type) ? b.type : "custom") as Wire.BenefitPublic["type"],
  description: b.description,
  selectable: b.selectable,
  deletable: b.deletable,
  is_deleted: b.isDeleted,
  organization_id: b.organizationId
})

const media = (m: Product.Media): Wire.ProductMediaFileRead => ({
  id: m.id,
  organization_id: m.organizationId,
  name: m.name,
  path: m.path,
  mime_type: m.mimeType,
  size: m.size,
  storage_version: m.storageVersion,
  checksum_etag: m.checksumEtag,
  checksum_sha256_base64: m.checksumSha256Base64,
  checksum_sha256_hex: m.checksumSha256Hex,
  last_modified_at: m.lastModifiedAt,
  version: m.version,
  service: "product_media",
  is_uploaded: m.isUploaded,
  created_at: m.createdAt,
  size_readable: sizeReadable(m.size),
  public_url: m.publicUrl
})

/** A product as buyers see it. Pass a product already reduced by `CheckoutView.displayProduct`. */
export const product = (p: Product.Product): Wire.CheckoutProduct => ({
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
})

export const linkProduct = (p: Product.Product): Wire.CheckoutLinkProduct => ({ metadata: p.metadata, ...product(p) })

// The output properties only allow non-empty strings; blank ones are left out, as the reference omits unset keys.
const text = (key: string, value: string | undefined) =>
  value === undefined || value === "" ? {} : { [key]: value }
const int = (key: string, value: number | undefined) => (value === undefined ? {} : { [key]: value })

const customFieldProperties = (type: CustomField.Type, p: CustomField.Properties) => {
  const form = {
    ...text("form_label", p.formLabel),
    ...text("form_help_text", p.helpText),
    ...text("form_placeholder", p.placeholder)
  }
  switch (type) {
    case "text":
      return {
        ...form,
        ...(p.textarea === undefined ? {} : { textarea: p.textarea }),
        ...int("min_length", p.minLength),
        ...int("max_length", p.maxLength)
      }
    case "number":
    case "date":
      return { ...form, ...int("ge", p.ge), ...int("le", p.le) }
    case "checkbox":
      return form
    case "select":
      return {
        ...form,
        options: (p.options ?? []).filter((o) => o.value !== "" && o.label !== "").map((o) => ({
          value: o.value,
          label: o.label
        }))
      }
  }
}

export const customField = (f: CustomField.CustomField): Wire.CustomField =>
  ({
    created_at: f.createdAt,
    modified_at: f.modifiedAt,
    id: f.id,
    metadata: f.metadata,
    slug: f.slug,
    name: f.name,
    organization_id: f.organizationId,
    type: f.type,
    properties: customFieldProperties(f.type, f.properties)
  }) as Wire.CustomField

export const attachedCustomField = (a: CustomField.Attached): Wire.AttachedCustomField => ({
  custom_field_id: a.customFieldId,
  custom_field: customField(a.customField),
  order: a.order,
  required: a.required
})

// ---------------------------------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------------------------------

/**
 * Fixed discounts keep the deprecated single `amount`/`currency`: the organization's default currency, else the
 * first.
 */
const discountAmounts = (d: Discount.Discount, defaultCurrency: string) => {
  if (d.type === "percentage") return { type: "percentage" as const, basis_points: d.basisPoints }
  const currency = d.amounts[defaultCurrency] !== undefined
    ? defaultCurrency
    : Object.keys(d.amounts)[0] ?? defaultCurrency
  return { type: "fixed" as const, amount: d.amounts[currency] ?? 0, currency, amounts: { ...d.amounts } }
}

const discountDuration = (d: Discount.Discount) =>
  d.duration === "repeating"
    ? { duration: "repeating" as const, duration_in_months: d.durationInMonths ?? 1 }
    : { duration: d.duration }

export const checkoutDiscount = (d: Discount.Discount, defaultCurrency: string): Wire.CheckoutDiscount =>
  ({
    ...discountDuration(d),
    ...discountAmounts(d, defaultCurrency),
    id: d.id,
    name: d.name,
    code: d.code
  }) as Wire.CheckoutDiscount

export const linkDiscount = (d: Discount.Discount, defaultCurrency: string): Wire.CheckoutLinkDiscount =>
  ({
    ...discountDuration(d),
    ...discountAmounts(d, defaultCurrency),
    created_at: d.createdAt,
    modified_at: d.modifiedAt,
    id: d.id,
    metadata: d.metadata,
    name: d.name,
    code: d.code,
    starts_at: d.startsAt,
    ends_at: d.endsAt,
    max_redemptions: d.maxRedemptions,
    max_redemptions_per_customer: d.maxRedemptionsPerCustomer,
    redemptions_count: d.redemptionsCount,
    organization_id: d.organizationId
  }) as Wire.CheckoutLinkDiscount

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
