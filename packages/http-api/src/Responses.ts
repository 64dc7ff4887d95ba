/**
 * Domain values → wire responses (spec 1.2-1.9): the org `Checkout`, the buyer's `CheckoutPublic` and
 * `CheckoutPublicConfirmed`, and `CheckoutLink`, with the embedded products, prices, discounts, custom fields and
 * addresses. Pure renaming and reshaping (camelCase → snake_case, derived deprecated keys); every business answer
 * (amounts, flags, field modes, URLs) was computed by the domain and is only copied here.
 *
 * Two sets of the same mappings: the typed wire values (timestamps as `DateTime.Utc`, what the schemas encode), and
 * `json`, the same objects with timestamps already as ISO strings, which the handlers send with `JsonResponse`.
 * Keys are built in the schemas' order, because `JsonResponse` sends these objects as they are.
 *
 * The checkout bodies, sent on every hot request, also exist as `text`: the same JSON, with the catalog part (most
 * of the bytes, the same for every checkout over the same catalog) serialised once per immutable catalog object
 * and reused, instead of being rebuilt as objects and stringified on each request.
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
import type { DateTime } from "effect"
import type { Json } from "./JsonResponse.ts"
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

/**
 * The mappings, over one choice of timestamp representation: `DateTime.Utc` for the typed values (what the wire
 * schemas encode), or the ISO string for the JSON bodies that `JsonResponse` writes directly.
 */
const make = (time: (dt: DateTime.Utc) => DateTime.Utc) => {
  const timeOrNull = (dt: DateTime.Utc | null) => (dt === null ? null : time(dt))

  // ---------------------------------------------------------------------------------------------------------------
  // Small shapes
  // ---------------------------------------------------------------------------------------------------------------

  const address = (a: Address.Address): Wire.Address => ({
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

  const organization = (o: Organization.Organization): Wire.CheckoutOrganization => ({
    created_at: time(o.createdAt),
    modified_at: timeOrNull(o.modifiedAt),
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
  const price = (p: Price.Price, product: Product.Product | null): Wire.ProductPrice => {
    const recurringInterval = product?.recurringInterval ?? null
    const common = {
      created_at: time(p.createdAt),
      modified_at: timeOrNull(p.modifiedAt),
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
    created_at: time(b.createdAt),
    modified_at: timeOrNull(b.modifiedAt),
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
    last_modified_at: timeOrNull(m.lastModifiedAt),
    version: m.version,
    service: "product_media",
    is_uploaded: m.isUploaded,
    created_at: time(m.createdAt),
    size_readable: sizeReadable(m.size),
    public_url: m.publicUrl
  })

  /** A product as buyers see it. Pass a product already reduced by `CheckoutView.displayProduct`. */
  const product = (p: Product.Product): Wire.CheckoutProduct => ({
    id: p.id,
    created_at: time(p.createdAt),
    modified_at: timeOrNull(p.modifiedAt),
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

  const linkProduct = (p: Product.Product): Wire.CheckoutLinkProduct => ({ metadata: p.metadata, ...product(p) })

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

  const customField = (f: CustomField.CustomField): Wire.CustomField =>
    ({
      created_at: time(f.createdAt),
      modified_at: timeOrNull(f.modifiedAt),
      id: f.id,
      metadata: f.metadata,
      slug: f.slug,
      name: f.name,
      organization_id: f.organizationId,
      type: f.type,
      properties: customFieldProperties(f.type, f.properties)
    }) as Wire.CustomField

  const attachedCustomField = (a: CustomField.Attached): Wire.AttachedCustomField => ({
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

  // Keys in the schemas' order (duration, amounts, then the rest): `JsonResponse` sends these objects as they are.
  const checkoutDiscount = (d: Discount.Discount, defaultCurrency: string): Wire.CheckoutDiscount =>
    ({
      ...discountDuration(d),
      ...discountAmounts(d, defaultCurrency),
      id: d.id,
      name: d.name,
      code: d.code
    }) as Wire.CheckoutDiscount

  const linkDiscount = (d: Discount.Discount, defaultCurrency: string): Wire.CheckoutLinkDiscount =>
    ({
      ...discountDuration(d),
      ...discountAmounts(d, defaultCurrency),
      created_at: time(d.createdAt),
      modified_at: timeOrNull(d.modifiedAt),
      id: d.id,
      metadata: d.metadata,
      name: d.name,
      code: d.code,
      starts_at: timeOrNull(d.startsAt),
      ends_at: timeOrNull(d.endsAt),
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
      created_at: time(c.createdAt),
      modified_at: timeOrNull(c.modifiedAt),
      custom_field_data: { ...c.customFieldData },
      payment_processor: c.paymentProcessor,
      status,
      client_secret: c.clientSecret,
      url: view.url,
      expires_at: time(c.expiresAt),
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
      trial_end: timeOrNull(c.trialEnd),
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

  // The organization representation's own keys, split around the catalog part so that `text` can put the
  // catalog's cached JSON between them.
  const checkoutMiddle = (view: View) => {
    const c = view.checkout
    return {
      trial_interval: c.trialInterval,
      trial_interval_count: c.trialIntervalCount,
      metadata: { ...c.metadata },
      external_customer_id: c.externalCustomerId,
      customer_external_id: c.externalCustomerId
    }
  }

  const checkoutEnd = (view: View) => ({
    subscription_id: view.checkout.subscriptionId,
    customer_metadata: customerMetadata(view.checkout.customerMetadata)
  })

  /** Organization-API representation (with metadata and the customer internals). */
  const checkout = (view: View): Wire.Checkout => ({
    ...base(view, view.checkout.status),
    ...checkoutMiddle(view),
    ...catalog(view),
    ...checkoutEnd(view)
  })

  /** Client-secret representation: never `metadata`, `customer_metadata` or the external id. */
  const checkoutPublic = (view: View): Wire.CheckoutPublic => ({
    ...base(view, view.checkout.status),
    ...catalog(view),
    organization: organization(view.organization)
  })

  /** Answer of confirm: the status is `confirmed` by contract, even when a free checkout already completed. */
  const checkoutPublicConfirmed = (view: View): Wire.CheckoutPublicConfirmed => ({
    ...base(view, "confirmed"),
    ...catalog(view),
    organization: organization(view.organization),
    customer_session_token: view.customerSessionToken
  })

  // ---------------------------------------------------------------------------------------------------------------
  // Checkout links
  // ---------------------------------------------------------------------------------------------------------------

  const checkoutLink = (link: DomainLink.CheckoutLink, context: LinkContext): Wire.CheckoutLink => {
    const products = context.products.map((p) => linkProduct(CheckoutView.displayProduct(p)))
    const first = products[0] ?? null
    return {
      id: link.id,
      created_at: time(link.createdAt),
      modified_at: timeOrNull(link.modifiedAt),
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

  return {
    address,
    organization,
    price,
    product,
    linkProduct,
    customField,
    attachedCustomField,
    checkoutDiscount,
    linkDiscount,
    base,
    checkoutMiddle,
    checkoutEnd,
    checkout,
    checkoutPublic,
    checkoutPublicConfirmed,
    checkoutLink
  }
}

/** Typed wire values (timestamps as `DateTime.Utc`), as the success schemas declare them. */
export const {
  address,
  organization,
  price,
  product,
  linkProduct,
  customField,
  attachedCustomField,
  checkoutDiscount,
  linkDiscount,
  checkout,
  checkoutPublic,
  checkoutPublicConfirmed,
  checkoutLink
} = make((dt) => dt)

/**
 * ISO-8601 text of a timestamp, as the schemas' JSON codec writes it (`Date#toISOString`). Catalog and organization
 * timestamps repeat on every response, so texts are remembered (a bounded table, emptied when full).
 */
const isoTexts = new Map<number, string>()
const iso = (dt: DateTime.Utc): string => {
  const millis = dt.epochMilliseconds
  let text = isoTexts.get(millis)
  if (text === undefined) {
    text = new Date(millis).toISOString()
    if (isoTexts.size >= 10_000) isoTexts.clear()
    isoTexts.set(millis, text)
  }
  return text
}

type JsonMappings<M> = {
  readonly [K in keyof M]: M[K] extends (...args: infer P) => infer R ? (...args: P) => Json<R> : never
}

/**
 * The same mappings with every timestamp already in its ISO form: plain JSON values, which `JSON.stringify`
 * writes without calling `toJSON` on each `DateTime` (about 0.8 µs per timestamp, ten or more per checkout).
 */
export const json: JsonMappings<ReturnType<typeof make>> =
  // The one place where the types are told apart from the values: `make` is written against `DateTime.Utc`.
  make(iso as unknown as (dt: DateTime.Utc) => DateTime.Utc) as never

// -----------------------------------------------------------------------------------------------------------------
// Checkout bodies as JSON text, with the catalog part cached
// -----------------------------------------------------------------------------------------------------------------

/*
 * About two thirds of a checkout body is its catalog part (products, the selected product and price, the prices
 * map, the discount, the custom fields, the organization), and building those objects and stringifying them again
 * on every request was most of the cost of the response. They only depend on catalog objects, which are immutable
 * by contract (a change is a new object: the stores replace, never mutate, and `CheckoutView.displayProduct` gives
 * the same display product for the same catalog product), so their JSON text is kept per object in WeakMaps and
 * spliced between the `JSON.stringify` of the checkout's own keys, in the schemas' key order.
 *
 * Weak keys bound the caches by what is alive anyway: an object the store dropped takes its text with it, and a
 * store that returns fresh objects on every read only misses. Where a text depends on a second value (a price on
 * its owner product, a discount on the default currency), the entry remembers that value and is replaced when a
 * different one comes. test/JsonResponse.test.ts checks the bytes against the schema encoder's and against
 * `JSON.stringify(json.X(view))`, on first calls, cache hits, shared catalog objects and updated ones.
 */

/** One text per object. */
const textOf = <K extends object>(f: (key: K) => string) => {
  const texts = new WeakMap<K, string>()
  return (key: K): string => {
    let text = texts.get(key)
    if (text === undefined) {
      text = f(key)
      texts.set(key, text)
    }
    return text
  }
}

/** The last text per object, with the second input it was made with. */
const textWith = <K extends object, W>(f: (key: K, with_: W) => string) => {
  const texts = new WeakMap<K, { readonly with_: W; readonly text: string }>()
  return (key: K, with_: W): string => {
    const hit = texts.get(key)
    if (hit !== undefined && hit.with_ === with_) return hit.text
    const text = f(key, with_)
    texts.set(key, { with_, text })
    return text
  }
}

/** Keyed by display products: `view.products`, `view.product`. */
const productText = textOf((p: Product.Product) => JSON.stringify(json.product(p)))

const priceText = textWith((p: Price.Price, owner: Product.Product | null) => JSON.stringify(json.price(p, owner)))

/** The texts of `items`, comma-separated (the inside of a JSON array). */
const joined = <A>(items: ReadonlyArray<A>, textOfItem: (item: A) => string): string => {
  let text = ""
  for (let i = 0; i < items.length; i++) text += (i === 0 ? "" : ",") + textOfItem(items[i]!)
  return text
}

/** A `prices` entry's list: a display product's `prices` array, with that product as owner. */
const priceListText = textWith((list: ReadonlyArray<Price.Price>, owner: Product.Product | null) =>
  `[${joined(list, (p) => priceText(p, owner))}]`
)

const discountText = textWith((d: Discount.Discount, defaultCurrency: string) =>
  JSON.stringify(json.checkoutDiscount(d, defaultCurrency))
)

/** Keyed by the selected catalog product's `attachedCustomFields` array. */
const attachedFieldsText = textOf((fields: ReadonlyArray<CustomField.Attached>) =>
  JSON.stringify(fields.map(json.attachedCustomField))
)

const organizationText = textOf((o: Organization.Organization) => JSON.stringify(json.organization(o)))

/**
 * The keys of `catalog(view)`, in its order, without the braces: `"products":[...],...,"attached_custom_fields":[...]`.
 */
const catalogText = (view: View): string => {
  const products = joined(view.products, productText)
  // Same key order as the object `catalog` builds: it inserts in `Object.entries(view.prices)` order.
  let prices = ""
  for (const productId of Object.keys(view.prices)) {
    const list = view.prices[productId]!
    prices += (prices === "" ? "" : ",") + JSON.stringify(productId) + ":" +
      priceListText(list, productOf(view, productId))
  }
  const fields = view.attachedCustomFields
  return `"products":[${products}],"product":${view.product === null ? "null" : productText(view.product)}` +
    `,"product_price":${view.productPrice === null ? "null" : priceText(view.productPrice, view.product)}` +
    `,"prices":{${prices}},"discount":${
      view.discount === null
        ? "null"
        : discountText(view.discount, view.organization.defaultPresentmentCurrency)
    }` +
    `,"attached_custom_fields":${fields.length === 0 ? "[]" : attachedFieldsText(fields)}`
}

/** `JSON.stringify` of an object with at least one key, without its closing brace. */
const open = (value: object): string => JSON.stringify(value).slice(0, -1)

/**
 * One flat string from `parts`. `join` copies the parts into one sequential string, where `+` and template literals
 * would leave a rope: each reader of a rope (effect's HttpBody.text and Node's write both measure the body with
 * `Buffer.byteLength`, then the socket write encodes it) flattens or walks it, and the fast paths only take flat
 * strings. Measured on a checkout body: 1.4 µs to join and measure twice, 3.0 µs to measure the rope twice.
 */
const flat = (parts: Array<string>): string => parts.join("")

/**
 * The JSON text of the checkout bodies: byte for byte `JSON.stringify(json.X(view))`, with the catalog part taken
 * from the caches above.
 */
export const text = {
  checkout: (view: View): string =>
    flat([
      open(json.base(view, view.checkout.status)),
      ",",
      JSON.stringify(json.checkoutMiddle(view)).slice(1, -1),
      ",",
      catalogText(view),
      ",",
      JSON.stringify(json.checkoutEnd(view)).slice(1)
    ]),
  checkoutPublic: (view: View): string =>
    flat([
      open(json.base(view, view.checkout.status)),
      ",",
      catalogText(view),
      ",\"organization\":",
      organizationText(view.organization),
      "}"
    ]),
  checkoutPublicConfirmed: (view: View): string =>
    flat([
      open(json.base(view, "confirmed")),
      ",",
      catalogText(view),
      ",\"organization\":",
      organizationText(view.organization),
      ",\"customer_session_token\":",
      JSON.stringify(view.customerSessionToken),
      "}"
    ])
}
