/**
 * The discounts and customers of a decoded seed document as domain values, with the rules the schema cannot
 * express: codes unique in an organization (case-insensitively), `duration_in_months` exactly for repeating
 * discounts, a product restriction within the organization, live customers' e-mails and external ids unique.
 */
import type { Customer, Discount } from "@checkout-kit/domain"
import { DateTime } from "effect"
import * as Wire from "../wire/index.ts"
import type { Catalog } from "./Catalog.ts"
import type { Document } from "./Document.ts"
import { type Issues, key } from "./Issues.ts"

export const discounts = (doc: Document, catalog: Catalog, { problem, unique }: Issues): Array<Discount.Discount> => {
  const codes = new Map<string, string>()
  return doc.discounts.map((d, i): Discount.Discount => {
    const at = `discounts[${i}]`
    unique(d.id, `${at}.id`)
    catalog.organizationAt(d.organization_id, `${at}.organization_id`)
    const organizationId = key(d.organization_id)
    if (d.code !== null) {
      const codeKey = `${organizationId}|${d.code.toLowerCase()}`
      const first = codes.get(codeKey)
      if (first !== undefined) problem(`${at}.code`, `Expected a code unique in the organization (case-insensitively), ${d.code} is already used at ${first}`)
      else codes.set(codeKey, `${at}.code`)
    }
    if ((d.duration === "repeating") !== (d.duration_in_months !== null)) {
      problem(`${at}.duration_in_months`, "Expected duration_in_months exactly when duration is \"repeating\"")
    }
    if (d.starts_at !== null && d.ends_at !== null && DateTime.toEpochMillis(d.starts_at) >= DateTime.toEpochMillis(d.ends_at)) {
      problem(`${at}.ends_at`, "Expected ends_at after starts_at")
    }
    if (d.type === "fixed" && Object.keys(d.amounts).length === 0) problem(`${at}.amounts`, "Expected at least one currency")
    d.products.forEach((id, j) => {
      const product = catalog.products.get(key(id))
      if (product === undefined || product.organizationId !== organizationId) {
        problem(`${at}.products[${j}]`, `Expected the id of a product of the discount's organization, got ${id}`)
      }
    })
    const common = {
      id: key(d.id),
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
      productIds: d.products.map(key),
      metadata: d.metadata
    }
    return d.type === "fixed"
      ? { ...common, type: "fixed", amounts: d.amounts }
      : { ...common, type: "percentage", basisPoints: d.basis_points }
  })
}

export const customers = (doc: Document, catalog: Catalog, { problem, unique }: Issues): Array<Customer.Customer> => {
  const emails = new Map<string, string>()
  const externals = new Map<string, string>()
  return doc.customers.map((c, i): Customer.Customer => {
    const at = `customers[${i}]`
    unique(c.id, `${at}.id`)
    catalog.organizationAt(c.organization_id, `${at}.organization_id`)
    const organizationId = key(c.organization_id)
    if (c.deleted_at === null && c.email !== null) {
      const emailKey = `${organizationId}|${c.email.toLowerCase()}`
      const first = emails.get(emailKey)
      if (first !== undefined) problem(`${at}.email`, `Expected an email unique in the organization, already used at ${first}`)
      else emails.set(emailKey, `${at}.email`)
    }
    if (c.deleted_at === null && c.external_id !== null) {
      const externalKey = `${organizationId}|${c.external_id}`
      const first = externals.get(externalKey)
      if (first !== undefined) problem(`${at}.external_id`, `Expected an external_id unique in the organization, already used at ${first}`)
      else externals.set(externalKey, `${at}.external_id`)
    }
    return {
      id: key(c.id),
      createdAt: c.created_at,
      modifiedAt: null,
      deletedAt: c.deleted_at,
      organizationId,
      type: c.type,
      email: c.email,
      name: c.name,
      billingName: c.billing_name,
      billingAddress: address(c.billing_address),
      taxId: c.tax_id,
      externalId: c.external_id,
      locale: c.locale,
      metadata: c.metadata,
      processorCustomerId: c.processor_customer_id,
      ownerEmail: c.owner_email
    }
  })
}

/** The wire's address as the domain's. */
export const address = (a: Document["customers"][number]["billing_address"]) =>
  a === null ? null : Wire.addressToDomain(a)
