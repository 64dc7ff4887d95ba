/**
 * Products as embedded in checkouts (`CheckoutProduct`) and checkout links (`CheckoutLinkProduct`, which adds
 * `metadata`), with their public benefits and media files (spec §1.4). The catalog itself lives outside this
 * library; these are read-only projections.
 */
import { Product } from "@checkout-kit/domain"
import { Schema } from "effect"
import { MetadataOutput } from "./Metadata.ts"
import { AnyProductPrice } from "./Price.ts"
import { BenefitType, derive, ProductVisibility, RecurringInterval, Timestamp, TrialInterval, Uuid } from "./Scalars.ts"

/** Benefit granted by a product; only `public` benefits are ever listed. Derived from the domain's benefit. */
export const BenefitPublic = derive(Product.Benefit, {
  keys: ["id", "createdAt", "modifiedAt", "type", "description", "selectable", "deletable", "isDeleted", "organizationId"],
  // The contract's type is a closed enum; the catalog's is open text (the response maps unknown kinds).
  overrides: { type: BenefitType },
  identifier: "BenefitPublic"
})
export type BenefitPublic = typeof BenefitPublic.Type

/** Derived from the domain's media file. */
export const ProductMediaFileRead = derive(Product.Media, {
  keys: [
    "id", "organizationId", "name", "path", "mimeType", "size", "storageVersion", "checksumEtag",
    "checksumSha256Base64", "checksumSha256Hex", "lastModifiedAt", "version", "service", "isUploaded", "createdAt",
    "size_readable", "publicUrl"
  ],
  // Computed by the reference from the file, not stored: the storage service and the human-readable size.
  extra: { service: Schema.tag("product_media"), size_readable: Schema.String },
  identifier: "ProductMediaFileRead"
})
export type ProductMediaFileRead = typeof ProductMediaFileRead.Type

const productFields = {
  id: Uuid,
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  trial_interval: Schema.NullOr(TrialInterval),
  trial_interval_count: Schema.NullOr(Schema.Int),
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  visibility: ProductVisibility,
  recurring_interval: Schema.NullOr(RecurringInterval),
  recurring_interval_count: Schema.NullOr(Schema.Int),
  meter_interval: Schema.NullOr(RecurringInterval),
  meter_interval_count: Schema.NullOr(Schema.Int),
  is_recurring: Schema.Boolean,
  is_archived: Schema.Boolean,
  organization_id: Uuid,
  /** Catalog prices that are not archived: fixed/custom first, then metered. */
  prices: Schema.Array(AnyProductPrice),
  benefits: Schema.Array(BenefitPublic),
  medias: Schema.Array(ProductMediaFileRead)
}

export const CheckoutProduct = Schema.Struct(productFields).annotate({ identifier: "CheckoutProduct" })
export type CheckoutProduct = typeof CheckoutProduct.Type

export const CheckoutLinkProduct = Schema.Struct({
  metadata: MetadataOutput,
  ...productFields
}).annotate({ identifier: "CheckoutLinkProduct" })
export type CheckoutLinkProduct = typeof CheckoutLinkProduct.Type
