/**
 * The catalog part of a decoded seed document as domain values: organizations with their access tokens (kept as
 * SHA-256 digests), custom fields and products with their prices, benefits and media files. Cross-references and
 * rules the schema cannot express (a product's organization, a trial's interval and count set together, a custom
 * price's bounds, seat tiers) are checked here and reported as issues.
 */
import type { AccessTokenGrant, CustomField, Organization, Price, Product, Scope } from "@checkout-kit/domain"
import { createHash } from "node:crypto"
import type { Document } from "./Document.ts"
import { type Issues, key } from "./Issues.ts"

export interface TokenGrant {
  /** Lowercase hex SHA-256 of the token. */
  readonly digest: string
  readonly grant: AccessTokenGrant
}

/** The catalog read so far, keyed by `Issues.key(id)`, for the later converters' cross-references. */
export interface Catalog {
  readonly organizations: ReadonlyMap<string, Organization.Organization>
  readonly tokens: ReadonlyArray<TokenGrant>
  readonly products: ReadonlyMap<string, Product.Product>
  /** Reports a missing organization at `path`. */
  readonly organizationAt: (id: string, path: string) => Organization.Organization | undefined
}

export const tokenDigest = (token: string): string => createHash("sha256").update(token).digest("hex")

const slugOf = (name: string): string =>
  name.toLowerCase().replace(/[^a-z0-9]+/gu, "-").replace(/^-+|-+$/gu, "") || "organization"

export const convert = (doc: Document, issues: Issues): Catalog => {
  const { problem, unique } = issues
  const organizations = new Map<string, Organization.Organization>()
  const tokens: Array<TokenGrant> = []
  const digests = new Set<string>()
  doc.organizations.forEach((o, i) => {
    const at = `organizations[${i}]`
    unique(o.id, `${at}.id`)
    organizations.set(key(o.id), {
      id: key(o.id),
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
      tokens.push({ digest, grant: { organizationId: key(o.id), scopes: new Set<Scope>(t.scopes) } })
    })
  })

  const organizationAt = (id: string, path: string): Organization.Organization | undefined => {
    const org = organizations.get(key(id))
    if (org === undefined) problem(path, `Expected the id of an organization of this seed, got ${id}`)
    return org
  }

  const customFields = new Map<string, CustomField.CustomField>()
  doc.custom_fields.forEach((f, i) => {
    const at = `custom_fields[${i}]`
    unique(f.id, `${at}.id`)
    organizationAt(f.organization_id, `${at}.organization_id`)
    customFields.set(key(f.id), {
      id: key(f.id),
      createdAt: f.created_at,
      modifiedAt: null,
      organizationId: key(f.organization_id),
      slug: f.slug,
      name: f.name,
      type: f.type,
      properties: properties(f.properties),
      metadata: f.metadata
    })
  })

  const products = new Map<string, Product.Product>()
  doc.products.forEach((p, i) => {
    const at = `products[${i}]`
    unique(p.id, `${at}.id`)
    const org = organizationAt(p.organization_id, `${at}.organization_id`)
    const productId = key(p.id)
    const organizationId = key(p.organization_id)
    if ((p.trial_interval === null) !== (p.trial_interval_count === null)) {
      problem(`${at}.trial_interval_count`, "Expected trial_interval and trial_interval_count to be set together")
    }
    const prices = p.prices.map((price, j) => {
      unique(price.id, `${at}.prices[${j}].id`)
      return convertPrice(price, `${at}.prices[${j}]`, {
        id: key(price.id),
        createdAt: price.created_at ?? p.created_at,
        modifiedAt: null,
        source: "catalog" as const,
        priceCurrency: price.price_currency ?? org?.defaultPresentmentCurrency ?? "usd",
        taxBehavior: price.tax_behavior,
        isArchived: price.is_archived || p.is_archived,
        productId
      }, problem)
    })
    const attachedCustomFields = p.attached_custom_fields.flatMap((a, j): Array<CustomField.Attached> => {
      const field = customFields.get(key(a.custom_field_id))
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
        id: key(b.id),
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
        id: key(m.id),
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

  return { organizations, tokens, products, organizationAt }
}

type FieldProperties = Document["custom_fields"][number]["properties"]

/** The wire's per-type properties (`form_help_text`, ...) as the domain's one properties record. */
const properties = (p: FieldProperties): CustomField.Properties => {
  const all: Partial<Record<"form_label" | "form_help_text" | "form_placeholder", string>> &
    Partial<Record<"textarea", boolean>> &
    Partial<Record<"min_length" | "max_length" | "ge" | "le", number>> & {
      readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string }>
    } = p
  return {
    ...(all.form_label !== undefined ? { formLabel: all.form_label } : {}),
    ...(all.form_help_text !== undefined ? { helpText: all.form_help_text } : {}),
    ...(all.form_placeholder !== undefined ? { placeholder: all.form_placeholder } : {}),
    ...(all.textarea !== undefined ? { textarea: all.textarea } : {}),
    ...(all.min_length !== undefined ? { minLength: all.min_length } : {}),
    ...(all.max_length !== undefined ? { maxLength: all.max_length } : {}),
    ...(all.ge !== undefined ? { ge: all.ge } : {}),
    ...(all.le !== undefined ? { le: all.le } : {}),
    ...(all.options !== undefined ? { options: all.options.map((o) => ({ value: o.value, label: o.label })) } : {})
  }
}

type PriceEntry = Document["products"][number]["prices"][number]
type Common = Omit<Price.Fixed, "amountType" | "priceAmount">

const convertPrice = (price: PriceEntry, at: string, common: Common, problem: Issues["problem"]): Price.Price => {
  switch (price.amount_type) {
    case "fixed":
      return { ...common, amountType: "fixed", priceAmount: price.price_amount }
    case "free":
      return { ...common, amountType: "fixed", priceAmount: 0 }
    case "custom": {
      if (price.maximum_amount !== null && price.maximum_amount < price.minimum_amount) {
        problem(`${at}.maximum_amount`, "Expected maximum_amount >= minimum_amount")
      }
      if (price.preset_amount !== null && price.preset_amount !== 0 && price.preset_amount < price.minimum_amount) {
        problem(`${at}.preset_amount`, "Expected preset_amount >= minimum_amount")
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
          problem(`${at}.seat_tiers.tiers[${k}].max_seats`, "Expected max_seats >= min_seats")
        }
      })
      const tiers = t.tiers.map((tier) => ({ minSeats: tier.min_seats, maxSeats: tier.max_seats, pricePerSeat: tier.price_per_seat }))
      return {
        ...common,
        amountType: "seat_based",
        seatTiers: {
          seatTierType: t.seat_tier_type,
          tiers: [tiers[0]!, ...tiers.slice(1)],
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
        meterId: key(price.meter.id),
        meter: { id: key(price.meter.id), name: price.meter.name }
      }
  }
}
