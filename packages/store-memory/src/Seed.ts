/**
 * Seed data: the organizations (with access tokens), custom fields, products, discounts, customers and checkouts
 * (`SeedCheckouts`) a store starts with, as a JSON document in the HTTP API's snake_case vocabulary, with defaults for everything a seed
 * author rarely cares about. A bad seed stops start-up with every problem listed as "file, path inside it, what
 * was expected", because a half-loaded catalog would fail later in confusing ways. Tokens are kept only as
 * SHA-256 digests and never appear in error messages.
 */
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import type { AccessTokenGrant, Scope } from "@checkout-kit/domain"
import { Checkout, CustomField, Customer, Discount, Organization, Price, Product } from "@checkout-kit/domain"
import { Data, DateTime, Effect, Schema, SchemaIssue, SchemaParser } from "effect"
import { tokenDigest } from "./OrganizationTable.ts"
import * as SeedCheckouts from "./SeedCheckouts.ts"
import { uuidKey } from "./SqlOrder.ts"

// -----------------------------------------------------------------------------------------------------------------
// The document
// -----------------------------------------------------------------------------------------------------------------

const defaultTimestamp = "2025-01-01T00:00:00.000Z"

const optional = <S extends Schema.Top>(schema: S, value: S["Encoded"]) =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema)
const nullable = <S extends Schema.Top>(schema: S) => optional(Schema.NullOr(schema), null)

const Uuid = Schema.String.check(Schema.isUUID())
const Timestamp = Schema.DateTimeUtcFromString
const CreatedAt = optional(Timestamp, defaultTimestamp)
const CurrencyCode = Schema.String.check(Schema.isPattern(/^[a-z]{3}$/u, { expected: "a lowercase ISO 4217 code such as \"usd\"" }))
const Amount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
const Positive = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Interval = Schema.Literals(["day", "week", "month", "year"])
const MetadataMap = optional(Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])), {})

export const ScopeName = Schema.Literals(["checkouts:read", "checkouts:write", "checkout_links:read", "checkout_links:write"])

export const AccessToken = Schema.Struct({
  /** The token itself (at least 16 characters); only its SHA-256 digest is kept. */
  token: Schema.optionalKey(Schema.String.check(Schema.isMinLength(16))),
  /** Or the lowercase hex SHA-256 digest of the token, so that a seed file need not hold the secret. */
  token_sha256: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[0-9a-fA-F]{64}$/u, { expected: "64 hex digits" }))),
  scopes: Schema.Array(ScopeName)
})

export const OrganizationSeed = Schema.Struct({
  id: Uuid,
  name: Schema.NonEmptyString,
  /** Default: the name, lowercased, with runs of other characters replaced by "-". */
  slug: Schema.optionalKey(Schema.NonEmptyString),
  avatar_url: nullable(Schema.String),
  created_at: CreatedAt,
  is_blocked: optional(Schema.Boolean, false),
  /** A soft-deleted organization: unusable like a blocked one (client endpoints 403, links 404). */
  deleted_at: nullable(Timestamp),
  can_accept_payments: optional(Schema.Boolean, true),
  default_presentment_currency: optional(CurrencyCode, "usd"),
  default_tax_behavior: optional(Schema.Literals(["location", "inclusive", "exclusive"]), "location"),
  embed_hosts: nullable(Schema.Array(Schema.String)),
  proration_behavior: optional(Schema.Literals(["invoice", "prorate"]), "invoice"),
  allow_customer_updates: optional(Schema.Boolean, true),
  access_tokens: optional(Schema.Array(AccessToken), [])
})

export const CustomFieldSeed = Schema.Struct({
  id: Uuid,
  organization_id: Uuid,
  slug: Schema.NonEmptyString,
  name: Schema.NonEmptyString,
  type: Schema.Literals(["text", "number", "date", "checkbox", "select"]),
  properties: optional(
    Schema.Struct({
      form_label: Schema.optionalKey(Schema.String),
      help_text: Schema.optionalKey(Schema.String),
      placeholder: Schema.optionalKey(Schema.String),
      textarea: Schema.optionalKey(Schema.Boolean),
      min_length: Schema.optionalKey(Schema.Int),
      max_length: Schema.optionalKey(Schema.Int),
      ge: Schema.optionalKey(Schema.Int),
      le: Schema.optionalKey(Schema.Int),
      options: Schema.optionalKey(Schema.Array(Schema.Struct({ value: Schema.String, label: Schema.String })))
    }),
    {}
  ),
  created_at: CreatedAt,
  metadata: MetadataMap
})

const priceCommon = {
  id: Uuid,
  /** Default: the organization's default presentment currency. */
  price_currency: Schema.optionalKey(CurrencyCode),
  tax_behavior: nullable(Schema.Literals(["location", "inclusive", "exclusive"])),
  is_archived: optional(Schema.Boolean, false),
  /** Default: the product's created_at. */
  created_at: Schema.optionalKey(Timestamp)
}

export const PriceSeed = Schema.Union([
  Schema.Struct({ ...priceCommon, amount_type: Schema.Literal("fixed"), price_amount: Amount }),
  /** The reference's legacy "free" type: a fixed price of 0. */
  Schema.Struct({ ...priceCommon, amount_type: Schema.Literal("free") }),
  Schema.Struct({
    ...priceCommon,
    amount_type: Schema.Literal("custom"),
    minimum_amount: optional(Amount, 50),
    maximum_amount: nullable(Amount),
    preset_amount: nullable(Amount)
  }),
  Schema.Struct({
    ...priceCommon,
    amount_type: Schema.Literal("seat_based"),
    seat_tiers: Schema.Struct({
      seat_tier_type: optional(Schema.Literals(["volume", "graduated"]), "volume"),
      tiers: Schema.NonEmptyArray(Schema.Struct({ min_seats: Positive, max_seats: nullable(Positive), price_per_seat: Amount })),
      minimum_seats: optional(Positive, 1),
      maximum_seats: nullable(Positive)
    })
  }),
  Schema.Struct({
    ...priceCommon,
    amount_type: Schema.Literal("metered_unit"),
    unit_amount: Schema.String.check(Schema.isPattern(/^\d+(\.\d{1,12})?$/u, { expected: "a decimal string of cents, e.g. \"0.5\"" })),
    cap_amount: nullable(Amount),
    meter: Schema.Struct({ id: Uuid, name: Schema.NonEmptyString })
  })
])

export const ProductSeed = Schema.Struct({
  id: Uuid,
  organization_id: Uuid,
  name: Schema.NonEmptyString,
  description: nullable(Schema.String),
  visibility: optional(Schema.Literals(["draft", "private", "public"]), "public"),
  recurring_interval: nullable(Interval),
  /** Default: 1 when recurring_interval is set. */
  recurring_interval_count: nullable(Positive),
  trial_interval: nullable(Interval),
  trial_interval_count: nullable(Positive),
  is_archived: optional(Schema.Boolean, false),
  is_tax_applicable: optional(Schema.Boolean, true),
  tax_code: nullable(Schema.String),
  created_at: CreatedAt,
  prices: Schema.NonEmptyArray(PriceSeed),
  benefits: optional(
    Schema.Array(Schema.Struct({
      id: Uuid,
      type: Schema.NonEmptyString,
      description: Schema.String,
      visibility: optional(Schema.Literals(["public", "private"]), "public"),
      selectable: optional(Schema.Boolean, false),
      deletable: optional(Schema.Boolean, false),
      created_at: CreatedAt
    })),
    []
  ),
  medias: optional(
    Schema.Array(Schema.Struct({
      id: Uuid,
      name: Schema.NonEmptyString,
      path: Schema.String,
      mime_type: Schema.String,
      size: Amount,
      public_url: Schema.String,
      created_at: CreatedAt
    })),
    []
  ),
  /** In display order. */
  attached_custom_fields: optional(Schema.Array(Schema.Struct({ custom_field_id: Uuid, required: optional(Schema.Boolean, false) })), []),
  metadata: MetadataMap
})

const discountCommon = {
  id: Uuid,
  organization_id: Uuid,
  name: Schema.NonEmptyString,
  code: nullable(Schema.String.check(Schema.isPattern(/^[A-Za-z0-9]{3,256}$/u, { expected: "3 to 256 letters or digits" }))),
  duration: optional(Schema.Literals(["once", "forever", "repeating"]), "once"),
  duration_in_months: nullable(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 999 }))),
  starts_at: nullable(Timestamp),
  ends_at: nullable(Timestamp),
  max_redemptions: nullable(Positive),
  max_redemptions_per_customer: nullable(Positive),
  redemptions_count: optional(Amount, 0),
  /** Product restriction; empty: every product of the organization. */
  products: optional(Schema.Array(Uuid), []),
  created_at: CreatedAt,
  metadata: MetadataMap
}

export const DiscountSeed = Schema.Union([
  Schema.Struct({ ...discountCommon, type: Schema.Literal("fixed"), amounts: Schema.Record(CurrencyCode, Amount) }),
  Schema.Struct({ ...discountCommon, type: Schema.Literal("percentage"), basis_points: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 })) })
])

const AddressSeed = Schema.Struct({
  line1: nullable(Schema.String),
  line2: nullable(Schema.String),
  postal_code: nullable(Schema.String),
  city: nullable(Schema.String),
  state: nullable(Schema.String),
  country: Schema.String.check(Schema.isPattern(/^[A-Z]{2}$/u, { expected: "an uppercase ISO 3166 alpha-2 code" }))
})

export const CustomerSeed = Schema.Struct({
  id: Uuid,
  organization_id: Uuid,
  type: optional(Schema.Literals(["individual", "team"]), "individual"),
  email: nullable(Schema.String.check(Schema.isPattern(/^[^@\s]+@[^@\s]+$/u, { expected: "an email address" }))),
  name: nullable(Schema.String),
  billing_name: nullable(Schema.String),
  billing_address: nullable(AddressSeed),
  tax_id: nullable(Schema.Struct({ number: Schema.String, format: Schema.String })),
  external_id: nullable(Schema.String),
  locale: nullable(Schema.String),
  processor_customer_id: nullable(Schema.String),
  /** A team's owner member's e-mail: a checkout for a team without an e-mail of its own is prefilled with it. */
  owner_email: nullable(Schema.String.check(Schema.isPattern(/^[^@\s]+@[^@\s]+$/u, { expected: "an email address" }))),
  created_at: CreatedAt,
  deleted_at: nullable(Timestamp),
  metadata: MetadataMap
})

/** The seed document. Unknown keys are errors (a misspelt key would otherwise be silently ignored). */
export const SeedDocument = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String),
  description: Schema.optionalKey(Schema.String),
  organizations: optional(Schema.Array(OrganizationSeed), []),
  custom_fields: optional(Schema.Array(CustomFieldSeed), []),
  products: optional(Schema.Array(ProductSeed), []),
  discounts: optional(Schema.Array(DiscountSeed), []),
  customers: optional(Schema.Array(CustomerSeed), []),
  /** Checkouts in any status, of this seed's products (see SeedCheckouts). */
  checkouts: optional(Schema.Array(SeedCheckouts.CheckoutSeed), [])
})

/** A seed as written in JSON (every defaulted key may be left out). */
export type Input = typeof SeedDocument.Encoded

export const empty: Input = {}

// -----------------------------------------------------------------------------------------------------------------
// The loaded seed
// -----------------------------------------------------------------------------------------------------------------

export interface TokenGrant {
  /** Lowercase hex SHA-256 of the token. */
  readonly digest: string
  readonly grant: AccessTokenGrant
}

/** A seed turned into domain values, ready to be put into a store. */
export interface Seed {
  readonly organizations: ReadonlyArray<Organization.Organization>
  readonly tokens: ReadonlyArray<TokenGrant>
  readonly products: ReadonlyArray<Product.Product>
  readonly discounts: ReadonlyArray<Discount.Discount>
  readonly customers: ReadonlyArray<Customer.Customer>
  readonly checkouts: ReadonlyArray<Checkout.Checkout>
}

export interface SeedIssue {
  /** Where in the document, e.g. `products[2].prices[0].price_amount`. */
  readonly path: string
  readonly message: string
}

/** The seed could not be read or is invalid; `message` names the source, each path and what was expected. */
export class SeedError extends Data.TaggedError("SeedError")<{
  readonly source: string
  readonly issues: ReadonlyArray<SeedIssue>
}> {
  override get message(): string {
    const lines = this.issues.map((i) => `  at ${i.path}: ${i.message}`)
    return `Invalid seed ${this.source}:\n${lines.join("\n")}`
  }
}

export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/u.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out === "" ? "(root)" : out
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const decodeDocument = SchemaParser.decodeUnknownEffect(SeedDocument, { errors: "all", onExcessProperty: "error" })

/** Validates a seed document (already parsed JSON) and converts it to domain values. */
export const decode = (input: unknown, source = "(inline seed)"): Effect.Effect<Seed, SeedError> =>
  decodeDocument(input).pipe(
    Effect.mapError((issue) =>
      new SeedError({
        source,
        issues: formatter(issue).issues.map((i) => {
          const path = (i.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? (p as { key: PropertyKey }).key : p)) as ReadonlyArray<PropertyKey>
          // Never echo a token back (the formatter quotes the rejected input).
          const secret = path[path.length - 1] === "token"
          return { path: formatPath(path), message: secret ? "Expected a string of at least 16 characters" : i.message }
        })
      })
    ),
    Effect.flatMap((document) => Effect.map(DateTime.now, (now) => [document, now] as const)),
    Effect.flatMap(([document, now]) => {
      const result = convert(document, now)
      return result.issues.length > 0 ? Effect.fail(new SeedError({ source, issues: result.issues })) : Effect.succeed(result.seed)
    })
  )

/** Reads, parses and validates a seed file. */
export const readFileSeed = (path: string): Effect.Effect<Seed, SeedError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (error) => new SeedError({ source: `file ${path}`, issues: [{ path: "(file)", message: `cannot be read: ${String((error as Error).message ?? error)}` }] })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (error) => new SeedError({ source: `file ${path}`, issues: [{ path: "(root)", message: `is not valid JSON: ${(error as Error).message}` }] })
      })
    ),
    Effect.flatMap((json) => decode(json, `file ${path}`))
  )

/** The demo seed shipped with this package (`seed/demo.json`): local use only, its tokens are public. */
export const demoSeedPath: string = fileURLToPath(new URL("../seed/demo.json", import.meta.url))

// -----------------------------------------------------------------------------------------------------------------
// Conversion and cross-reference checks
// -----------------------------------------------------------------------------------------------------------------

type Document = typeof SeedDocument.Type

const slugOf = (name: string): string =>
  name.toLowerCase().replace(/[^a-z0-9]+/gu, "-").replace(/^-+|-+$/gu, "") || "organization"

const convert = (doc: Document, now: DateTime.Utc): { readonly seed: Seed; readonly issues: ReadonlyArray<SeedIssue> } => {
  const issues: Array<SeedIssue> = []
  const problem = (path: string, message: string) => issues.push({ path, message })
  const seen = new Map<string, string>()
  const unique = (id: string, path: string) => {
    const key = uuidKey(id)
    const first = seen.get(key)
    if (first !== undefined) problem(path, `Expected a unique id, ${id} is already used at ${first}`)
    else seen.set(key, path)
  }

  const organizations = new Map<string, Organization.Organization>()
  const tokens: Array<TokenGrant> = []
  const digests = new Set<string>()
  doc.organizations.forEach((o, i) => {
    const at = `organizations[${i}]`
    unique(o.id, `${at}.id`)
    organizations.set(uuidKey(o.id), {
      id: uuidKey(o.id),
      createdAt: o.created_at,
      modifiedAt: null,
      name: o.name,
      slug: o.slug ?? slugOf(o.name),
      avatarUrl: o.avatar_url,
      isBlocked: o.is_blocked,
      canAcceptPayments: o.can_accept_payments,
      defaultPresentmentCurrency: o.default_presentment_currency,
      defaultTaxBehavior: o.default_tax_behavior,
      embedHosts: o.embed_hosts,
      prorationBehavior: o.proration_behavior,
      allowCustomerUpdates: o.allow_customer_updates,
      deletedAt: o.deleted_at
    })
    o.access_tokens.forEach((t, j) => {
      const tokenAt = `${at}.access_tokens[${j}]`
      if ((t.token === undefined) === (t.token_sha256 === undefined)) {
        problem(tokenAt, "Expected exactly one of \"token\" or \"token_sha256\"")
        return
      }
      const digest = t.token !== undefined ? tokenDigest(t.token) : t.token_sha256!.toLowerCase()
      if (digests.has(digest)) problem(tokenAt, "Expected a unique token, the same token is listed twice")
      digests.add(digest)
      tokens.push({ digest, grant: { organizationId: uuidKey(o.id), scopes: new Set<Scope>(t.scopes) } })
    })
  })

  const organizationAt = (id: string, path: string): Organization.Organization | undefined => {
    const org = organizations.get(uuidKey(id))
    if (org === undefined) problem(path, `Expected the id of an organization of this seed, got ${id}`)
    return org
  }

  const customFields = new Map<string, CustomField.CustomField>()
  doc.custom_fields.forEach((f, i) => {
    const at = `custom_fields[${i}]`
    unique(f.id, `${at}.id`)
    organizationAt(f.organization_id, `${at}.organization_id`)
    if (f.type === "select" && (f.properties.options === undefined || f.properties.options.length === 0)) {
      problem(`${at}.properties.options`, "Expected at least one option for a select field")
    }
    const p = f.properties
    customFields.set(uuidKey(f.id), {
      id: uuidKey(f.id),
      createdAt: f.created_at,
      modifiedAt: null,
      organizationId: uuidKey(f.organization_id),
      slug: f.slug,
      name: f.name,
      type: f.type,
      properties: {
        ...(p.form_label !== undefined ? { formLabel: p.form_label } : {}),
        ...(p.help_text !== undefined ? { helpText: p.help_text } : {}),
        ...(p.placeholder !== undefined ? { placeholder: p.placeholder } : {}),
        ...(p.textarea !== undefined ? { textarea: p.textarea } : {}),
        ...(p.min_length !== undefined ? { minLength: p.min_length } : {}),
        ...(p.max_length !== undefined ? { maxLength: p.max_length } : {}),
        ...(p.ge !== undefined ? { ge: p.ge } : {}),
        ...(p.le !== undefined ? { le: p.le } : {}),
        ...(p.options !== undefined ? { options: p.options } : {})
      },
      metadata: f.metadata
    })
  })

  const products = new Map<string, Product.Product>()
  doc.products.forEach((p, i) => {
    const at = `products[${i}]`
    unique(p.id, `${at}.id`)
    const org = organizationAt(p.organization_id, `${at}.organization_id`)
    const productId = uuidKey(p.id)
    const organizationId = uuidKey(p.organization_id)
    if ((p.trial_interval === null) !== (p.trial_interval_count === null)) {
      problem(`${at}.trial_interval_count`, "Expected trial_interval and trial_interval_count to be set together")
    }
    const prices = p.prices.map((price, j): Price.Price => {
      const priceAt = `${at}.prices[${j}]`
      unique(price.id, `${priceAt}.id`)
      const common = {
        id: uuidKey(price.id),
        createdAt: price.created_at ?? p.created_at,
        modifiedAt: null,
        source: "catalog" as const,
        priceCurrency: price.price_currency ?? org?.defaultPresentmentCurrency ?? "usd",
        taxBehavior: price.tax_behavior,
        isArchived: price.is_archived || p.is_archived,
        productId
      }
      switch (price.amount_type) {
        case "fixed":
          return { ...common, amountType: "fixed", priceAmount: price.price_amount }
        case "free":
          return { ...common, amountType: "fixed", priceAmount: 0 }
        case "custom": {
          if (price.maximum_amount !== null && price.maximum_amount < price.minimum_amount) {
            problem(`${priceAt}.maximum_amount`, "Expected maximum_amount >= minimum_amount")
          }
          if (price.preset_amount !== null && price.preset_amount !== 0 && price.preset_amount < price.minimum_amount) {
            problem(`${priceAt}.preset_amount`, "Expected preset_amount >= minimum_amount")
          }
          return {
            ...common,
            amountType: "custom",
            minimumAmount: price.minimum_amount,
            maximumAmount: price.maximum_amount,
            presetAmount: price.preset_amount
          }
        }
        case "seat_based": {
          const t = price.seat_tiers
          t.tiers.forEach((tier, k) => {
            if (tier.max_seats !== null && tier.max_seats < tier.min_seats) {
              problem(`${priceAt}.seat_tiers.tiers[${k}].max_seats`, "Expected max_seats >= min_seats")
            }
          })
          const [first, ...rest] = t.tiers
          return {
            ...common,
            amountType: "seat_based",
            seatTiers: {
              seatTierType: t.seat_tier_type,
              tiers: [
                { minSeats: first.min_seats, maxSeats: first.max_seats, pricePerSeat: first.price_per_seat },
                ...rest.map((tier) => ({ minSeats: tier.min_seats, maxSeats: tier.max_seats, pricePerSeat: tier.price_per_seat }))
              ],
              minimumSeats: t.minimum_seats,
              maximumSeats: t.maximum_seats
            }
          }
        }
        case "metered_unit":
          return {
            ...common,
            amountType: "metered_unit",
            unitAmount: price.unit_amount,
            capAmount: price.cap_amount,
            meterId: uuidKey(price.meter.id),
            meter: { id: uuidKey(price.meter.id), name: price.meter.name }
          }
      }
    })
    const attachedCustomFields = p.attached_custom_fields.flatMap((a, j): Array<CustomField.Attached> => {
      const field = customFields.get(uuidKey(a.custom_field_id))
      if (field === undefined || field.organizationId !== organizationId) {
        problem(`${at}.attached_custom_fields[${j}].custom_field_id`, `Expected the id of a custom field of the product's organization, got ${a.custom_field_id}`)
        return []
      }
      return [{ customFieldId: field.id, customField: field, order: j, required: a.required }]
    })
    products.set(productId, {
      id: productId,
      createdAt: p.created_at,
      modifiedAt: null,
      organizationId,
      name: p.name,
      description: p.description,
      visibility: p.visibility,
      recurringInterval: p.recurring_interval,
      recurringIntervalCount: p.recurring_interval === null ? null : (p.recurring_interval_count ?? 1),
      trialInterval: p.trial_interval,
      trialIntervalCount: p.trial_interval_count,
      isArchived: p.is_archived,
      isTaxApplicable: p.is_tax_applicable,
      taxCode: p.tax_code,
      prices,
      benefits: p.benefits.map((b) => ({
        id: uuidKey(b.id),
        createdAt: b.created_at,
        modifiedAt: null,
        type: b.type,
        description: b.description,
        selectable: b.selectable,
        deletable: b.deletable,
        isDeleted: false,
        organizationId,
        visibility: b.visibility
      })),
      medias: p.medias.map((m) => ({
        id: uuidKey(m.id),
        organizationId,
        name: m.name,
        path: m.path,
        mimeType: m.mime_type,
        size: m.size,
        storageVersion: null,
        checksumEtag: null,
        checksumSha256Base64: null,
        checksumSha256Hex: null,
        lastModifiedAt: null,
        version: null,
        isUploaded: true,
        createdAt: m.created_at,
        publicUrl: m.public_url
      })),
      attachedCustomFields,
      metadata: p.metadata
    })
  })

  const codes = new Map<string, string>()
  const discounts = doc.discounts.map((d, i): Discount.Discount => {
    const at = `discounts[${i}]`
    unique(d.id, `${at}.id`)
    organizationAt(d.organization_id, `${at}.organization_id`)
    const organizationId = uuidKey(d.organization_id)
    if (d.code !== null) {
      const key = `${organizationId}|${d.code.toLowerCase()}`
      const first = codes.get(key)
      if (first !== undefined) problem(`${at}.code`, `Expected a code unique in the organization (case-insensitively), ${d.code} is already used at ${first}`)
      else codes.set(key, `${at}.code`)
    }
    if ((d.duration === "repeating") !== (d.duration_in_months !== null)) {
      problem(`${at}.duration_in_months`, "Expected duration_in_months exactly when duration is \"repeating\"")
    }
    if (d.starts_at !== null && d.ends_at !== null && DateTime.toEpochMillis(d.starts_at) >= DateTime.toEpochMillis(d.ends_at)) {
      problem(`${at}.ends_at`, "Expected ends_at after starts_at")
    }
    if (d.type === "fixed" && Object.keys(d.amounts).length === 0) problem(`${at}.amounts`, "Expected at least one currency")
    d.products.forEach((id, j) => {
      const product = products.get(uuidKey(id))
      if (product === undefined || product.organizationId !== organizationId) {
        problem(`${at}.products[${j}]`, `Expected the id of a product of the discount's organization, got ${id}`)
      }
    })
    const common = {
      id: uuidKey(d.id),
      createdAt: d.created_at,
      modifiedAt: null,
      organizationId,
      name: d.name,
      code: d.code,
      duration: d.duration,
      durationInMonths: d.duration_in_months,
      startsAt: d.starts_at,
      endsAt: d.ends_at,
      maxRedemptions: d.max_redemptions,
      maxRedemptionsPerCustomer: d.max_redemptions_per_customer,
      redemptionsCount: d.redemptions_count,
      productIds: d.products.map(uuidKey),
      metadata: d.metadata
    }
    return d.type === "fixed"
      ? { ...common, type: "fixed", amounts: d.amounts }
      : { ...common, type: "percentage", basisPoints: d.basis_points }
  })

  const emails = new Map<string, string>()
  const externals = new Map<string, string>()
  const customers = doc.customers.map((c, i): Customer.Customer => {
    const at = `customers[${i}]`
    unique(c.id, `${at}.id`)
    organizationAt(c.organization_id, `${at}.organization_id`)
    const organizationId = uuidKey(c.organization_id)
    if (c.deleted_at === null && c.email !== null) {
      const key = `${organizationId}|${c.email.toLowerCase()}`
      const first = emails.get(key)
      if (first !== undefined) problem(`${at}.email`, `Expected an email unique in the organization, already used at ${first}`)
      else emails.set(key, `${at}.email`)
    }
    if (c.deleted_at === null && c.external_id !== null) {
      const key = `${organizationId}|${c.external_id}`
      const first = externals.get(key)
      if (first !== undefined) problem(`${at}.external_id`, `Expected an external_id unique in the organization, already used at ${first}`)
      else externals.set(key, `${at}.external_id`)
    }
    return {
      id: uuidKey(c.id),
      createdAt: c.created_at,
      modifiedAt: null,
      deletedAt: c.deleted_at,
      organizationId,
      type: c.type,
      email: c.email,
      name: c.name,
      billingName: c.billing_name,
      billingAddress: c.billing_address === null ? null : {
        line1: c.billing_address.line1,
        line2: c.billing_address.line2,
        postalCode: c.billing_address.postal_code,
        city: c.billing_address.city,
        state: c.billing_address.state,
        country: c.billing_address.country
      },
      taxId: c.tax_id,
      externalId: c.external_id,
      locale: c.locale,
      metadata: c.metadata,
      processorCustomerId: c.processor_customer_id,
      ownerEmail: c.owner_email
    }
  })

  const checkouts = SeedCheckouts.convert(doc.checkouts, { now, organizations, products, unique, problem })

  return {
    seed: {
      organizations: Array.from(organizations.values()),
      tokens,
      products: Array.from(products.values()),
      discounts,
      customers,
      checkouts
    },
    issues
  }
}

/** Re-checks the converted values against the domain schemas (a guard against this module drifting from them). */
export const assertDomainShapes = (seed: Seed): Effect.Effect<void, Schema.SchemaError> =>
  Effect.gen(function*() {
    for (const o of seed.organizations) yield* Schema.decodeUnknownEffect(Schema.toType(Organization.Organization))(o)
    for (const p of seed.products) yield* Schema.decodeUnknownEffect(Schema.toType(Product.Product))(p)
    for (const d of seed.discounts) yield* Schema.decodeUnknownEffect(Schema.toType(Discount.Discount))(d)
    for (const c of seed.customers) yield* Schema.decodeUnknownEffect(Schema.toType(Customer.Customer))(c)
    for (const c of seed.checkouts) yield* Schema.decodeUnknownEffect(Schema.toType(Checkout.Checkout))(c)
  })
