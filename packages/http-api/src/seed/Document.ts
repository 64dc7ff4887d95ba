/**
 * The seed document's schema, written in the wire vocabulary: every entry is a wire schema's fields (picked with
 * `Struct.pick` from the output schemas, or the ad-hoc price creates) with defaults where a seed author should not
 * have to write everything, plus the few keys the API never shows (access tokens, blocked/deleted flags, tax
 * settings, a benefit's visibility). Decoded as JSON (`Schema.toCodecJson`), so timestamps are ISO strings.
 */
import { DateTime, Schema, Struct } from "effect"
import * as Wire from "../wire/index.ts"

const { nullByDefault, withDefault } = Wire

/** When `created_at` is left out. */
export const defaultCreatedAt = DateTime.makeUnsafe("2025-01-01T00:00:00.000Z")

const NonEmpty = Schema.String.check(Schema.isMinLength(1))
const Positive = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Amount = Wire.NonNegativeAmount.check(Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
const CreatedAt = withDefault(Wire.Timestamp, defaultCreatedAt)
const Metadata = withDefault(Wire.MetadataOutput, {})
const Currency = Wire.PresentmentCurrency
const isCurrencyKeys = Wire.isEveryKey(
  (key) => (Wire.presentmentCurrencies as ReadonlyArray<string>).includes(key),
  "Expected a lowercase presentment currency such as \"usd\"",
  "enum"
)

// ---- organizations

export const ScopeName = Schema.Literals(["checkouts:read", "checkouts:write", "checkout_links:read", "checkout_links:write", "webhooks:read", "webhooks:write"])

export const AccessToken = Schema.Struct({
  /** The token itself (at least 16 characters); only its SHA-256 digest is kept. */
  token: Schema.optionalKey(Schema.String.check(Schema.isMinLength(16))),
  /** Or the lowercase hex SHA-256 digest of the token, so that a seed file need not hold the secret. */
  token_sha256: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[0-9a-fA-F]{64}$/u, { expected: "64 hex digits" }))),
  scopes: Schema.Array(ScopeName)
})

const organization = Struct.pick(Wire.CheckoutOrganization.fields, ["id", "avatar_url", "allow_customer_updates"])

export const OrganizationSeed = Schema.Struct({
  ...organization,
  name: NonEmpty,
  /** Default: the name, lowercased, with runs of other characters replaced by "-". */
  slug: Schema.optionalKey(NonEmpty),
  avatar_url: withDefault(organization.avatar_url, null),
  created_at: CreatedAt,
  /** The domain's two behaviours (the wire's enum has four). */
  proration_behavior: withDefault(Schema.Literals(["invoice", "prorate"]), "invoice"),
  allow_customer_updates: withDefault(organization.allow_customer_updates, true),
  is_blocked: withDefault(Schema.Boolean, false),
  /** A soft-deleted organization: unusable like a blocked one (client endpoints 403, links 404). */
  deleted_at: nullByDefault(Wire.Timestamp),
  can_accept_payments: withDefault(Schema.Boolean, true),
  default_presentment_currency: withDefault(Currency, "usd"),
  default_tax_behavior: withDefault(Wire.TaxBehaviorOption, "location"),
  embed_hosts: nullByDefault(Schema.Array(Schema.String)),
  access_tokens: withDefault(Schema.Array(AccessToken), [])
})

// ---- custom fields (the output `CustomField` variants, properties defaulting to none)

const customField = <S extends typeof Wire.CustomField.members[number]>(variant: S, properties: "required" | "optional") => {
  const fields: S["fields"] = variant.fields
  return Schema.Struct({
    ...Struct.pick(fields, ["id", "organization_id", "type"]),
    slug: NonEmpty,
    name: NonEmpty,
    properties: properties === "required" ? fields.properties : withDefault(fields.properties, {}),
    created_at: CreatedAt,
    metadata: Metadata
  })
}

export const CustomFieldSeed = Schema.Union([
  customField(Wire.CustomFieldText, "optional"),
  customField(Wire.CustomFieldNumber, "optional"),
  customField(Wire.CustomFieldDate, "optional"),
  customField(Wire.CustomFieldCheckbox, "optional"),
  /** A select field needs its options. */
  customField(Wire.CustomFieldSelect, "required")
])

// ---- prices (the ad-hoc price creates, with an id and catalog settings)

const priceCommon = {
  id: Wire.Uuid,
  /** Default: the organization's default presentment currency. */
  price_currency: Schema.optionalKey(Currency),
  is_archived: withDefault(Schema.Boolean, false),
  /** Default: the product's created_at. */
  created_at: Schema.optionalKey(Wire.Timestamp)
}

const seatTiers = Wire.ProductPriceSeatTiersInput.fields

export const PriceSeed = Schema.Union([
  Schema.Struct({ ...Wire.ProductPriceFixedCreate.fields, ...priceCommon, price_amount: Amount }),
  /** The reference's legacy "free" type: a fixed price of 0. */
  Schema.Struct({ ...Struct.pick(Wire.ProductPriceFixedCreate.fields, ["tax_behavior"]), ...priceCommon, amount_type: Schema.Literal("free") }),
  Schema.Struct({ ...Wire.ProductPriceCustomCreate.fields, ...priceCommon }),
  Schema.Struct({
    ...Wire.ProductPriceSeatBasedCreate.fields,
    ...priceCommon,
    seat_tiers: Schema.Struct({
      ...seatTiers,
      minimum_seats: withDefault(Positive, 1),
      maximum_seats: nullByDefault(Positive)
    })
  }),
  Schema.Struct({
    ...Struct.omit(Wire.ProductPriceMeteredUnitCreate.fields, ["meter_id"]),
    ...priceCommon,
    cap_amount: nullByDefault(Amount),
    meter: Schema.Struct(Struct.pick(Wire.ProductPriceMeter.fields, ["id", "name"]))
  })
])

// ---- products (the output `CheckoutLinkProduct`, its benefits and media files)

const product = Wire.CheckoutLinkProduct.fields
const benefit = Wire.BenefitPublic.fields
const media = Wire.ProductMediaFileRead.fields

export const ProductSeed = Schema.Struct({
  ...Struct.pick(product, ["id", "organization_id"]),
  name: NonEmpty,
  description: withDefault(product.description, null),
  visibility: withDefault(product.visibility, "public"),
  recurring_interval: nullByDefault(Wire.RecurringInterval),
  /** Default: 1 when recurring_interval is set. */
  recurring_interval_count: nullByDefault(Positive),
  trial_interval: nullByDefault(Wire.TrialInterval),
  trial_interval_count: nullByDefault(Positive),
  is_archived: withDefault(product.is_archived, false),
  is_tax_applicable: withDefault(Schema.Boolean, true),
  tax_code: nullByDefault(Schema.String),
  created_at: CreatedAt,
  prices: Schema.NonEmptyArray(PriceSeed),
  benefits: withDefault(
    Schema.Array(Schema.Struct({
      ...Struct.pick(benefit, ["id", "type", "description"]),
      /** Private benefits are never listed (the API shows public ones only). */
      visibility: withDefault(Schema.Literals(["public", "private"]), "public"),
      selectable: withDefault(benefit.selectable, false),
      deletable: withDefault(benefit.deletable, false),
      created_at: CreatedAt
    })),
    []
  ),
  medias: withDefault(
    Schema.Array(Schema.Struct({
      ...Struct.pick(media, ["id", "path", "mime_type", "public_url"]),
      name: NonEmpty,
      size: Amount,
      created_at: CreatedAt
    })),
    []
  ),
  /** In display order. */
  attached_custom_fields: withDefault(
    Schema.Array(Schema.Struct({
      custom_field_id: Wire.AttachedCustomField.fields.custom_field_id,
      required: withDefault(Wire.AttachedCustomField.fields.required, false)
    })),
    []
  ),
  metadata: Metadata
})

// ---- discounts (the output `Discount*Base` fields; `duration_in_months` exactly when repeating)

const discount = Wire.DiscountFixedRepeatDurationBase.fields
const percentage = Wire.DiscountPercentageRepeatDurationBase.fields

const discountCommon = {
  ...Struct.pick(discount, ["id", "organization_id"]),
  name: NonEmpty,
  code: nullByDefault(Schema.String.check(Schema.isPattern(/^[A-Za-z0-9]{3,256}$/u, { expected: "3 to 256 letters or digits" }))),
  duration: withDefault(Wire.DiscountDuration, "once"),
  duration_in_months: nullByDefault(discount.duration_in_months.check(Schema.isBetween({ minimum: 1, maximum: 999 }))),
  starts_at: withDefault(discount.starts_at, null),
  ends_at: withDefault(discount.ends_at, null),
  max_redemptions: nullByDefault(Positive),
  max_redemptions_per_customer: nullByDefault(Positive),
  redemptions_count: withDefault(Amount, 0),
  /** Product restriction; empty: every product of the organization. */
  products: withDefault(Schema.Array(Wire.Uuid), []),
  created_at: CreatedAt,
  metadata: Metadata
}

export const DiscountSeed = Schema.Union([
  Schema.Struct({ ...discountCommon, type: discount.type, amounts: discount.amounts.check(isCurrencyKeys) }),
  Schema.Struct({
    ...discountCommon,
    type: percentage.type,
    basis_points: percentage.basis_points.check(Schema.isBetween({ minimum: 1, maximum: 10_000 }))
  })
])

// ---- customers (the request shapes of a buyer: e-mail, address as a client sends it)

export const CustomerSeed = Schema.Struct({
  id: Wire.Uuid,
  organization_id: Wire.Uuid,
  type: withDefault(Schema.Literals(["individual", "team"]), "individual"),
  email: nullByDefault(Wire.Email),
  name: nullByDefault(Schema.String),
  billing_name: nullByDefault(Schema.String),
  billing_address: nullByDefault(Wire.AddressInput),
  tax_id: nullByDefault(Schema.Struct({ number: Schema.String, format: Schema.String })),
  external_id: nullByDefault(Schema.String),
  locale: nullByDefault(Schema.String),
  processor_customer_id: nullByDefault(Schema.String),
  /** A team's owner member's e-mail: a checkout for a team without an e-mail of its own is prefilled with it. */
  owner_email: nullByDefault(Wire.Email),
  created_at: CreatedAt,
  deleted_at: nullByDefault(Wire.Timestamp),
  metadata: Metadata
})

// ---- checkouts (the output `Checkout`'s fields)

const checkout = Wire.Checkout.fields

/** When an unexpired checkout's `expires_at` is left out: far enough that it stays open through any test run. */
export const defaultOpenExpiry = DateTime.makeUnsafe("2100-01-01T00:00:00.000Z")

export const CheckoutSeed = Schema.Struct({
  id: checkout.id,
  /** The checkout's product; its organization owns the checkout. */
  product_id: Wire.Uuid,
  /** Default: the organization's, when the product has a price in it; else the product's first price currency. */
  currency: Schema.optionalKey(Currency),
  /** Default: the first static price of the product in the currency. */
  product_price_id: Schema.optionalKey(Wire.Uuid),
  status: withDefault(checkout.status, "open"),
  /** Default: a new random secret (`polar_c_…`, the reference's format, checksum included). */
  client_secret: Schema.optionalKey(checkout.client_secret),
  created_at: CreatedAt,
  /** Must be in the past for `expired` and in the future for `open`. Default: created_at + 1 h when expired, else 2100. */
  expires_at: Schema.optionalKey(checkout.expires_at),
  /** A custom price's amount (validated like a request's); default: its preset, else its minimum. */
  amount: nullByDefault(Amount),
  /** A seat-based price's seat count; default: the tiers' minimum. */
  seats: nullByDefault(Schema.Int),
  tax_amount: nullByDefault(Amount),
  customer_email: nullByDefault(Wire.Email),
  customer_name: withDefault(checkout.customer_name, null),
  customer_billing_name: withDefault(checkout.customer_billing_name, null),
  customer_billing_address: nullByDefault(Wire.AddressInput),
  success_url: nullByDefault(checkout.success_url),
  metadata: Metadata
})

/** The seed document. Unknown keys are errors (a misspelt key would otherwise be silently ignored). */
export const SeedDocument = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String),
  description: Schema.optionalKey(Schema.String),
  organizations: withDefault(Schema.Array(OrganizationSeed), []),
  custom_fields: withDefault(Schema.Array(CustomFieldSeed), []),
  products: withDefault(Schema.Array(ProductSeed), []),
  discounts: withDefault(Schema.Array(DiscountSeed), []),
  customers: withDefault(Schema.Array(CustomerSeed), []),
  /** Checkouts in any status, of this seed's products. */
  checkouts: withDefault(Schema.Array(CheckoutSeed), [])
})

export type Document = typeof SeedDocument.Type
