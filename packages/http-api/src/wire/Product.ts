/**
 * Products as embedded in checkouts (`CheckoutProduct`) and checkout links (`CheckoutLinkProduct`, which adds
 * `metadata`), with their public benefits and media files (spec §1.4). The catalog itself lives outside this
 * library; these are read-only projections.
 */
import { Schema } from "effect"
import { MetadataOutput } from "./Metadata.ts"
import { AnyProductPrice } from "./Price.ts"
import { BenefitType, ProductVisibility, RecurringInterval, Timestamp, TrialInterval, Uuid } from "./Scalars.ts"

/** Benefit granted by a product; only `public` benefits are ever listed. */
export const BenefitPublic = Schema.Struct({
  id: Uuid,
  created_at: Timestamp,
  modified_at: Schema.NullOr(Timestamp),
  type: BenefitType,
  description: Schema.String,
  selectable: Schema.Boolean,
  deletable: Schema.Boolean,
  is_deleted: Schema.Boolean,
  organization_id: Uuid
}).annotate({ identifier: "BenefitPublic" })
export type BenefitPublic = typeof BenefitPublic.Type

export const ProductMediaFileRead = Schema.Struct({
  id: Uuid,
  organization_id: Uuid,
  name: Schema.String,
  path: Schema.String,
  mime_type: Schema.String,
  size: Schema.Int,
  storage_version: Schema.NullOr(Schema.String),
  checksum_etag: Schema.NullOr(Schema.String),
  checksum_sha256_base64: Schema.NullOr(Schema.String),
  checksum_sha256_hex: Schema.NullOr(Schema.String),
  last_modified_at: Schema.NullOr(Timestamp),
  version: Schema.NullOr(Schema.String),
  service: Schema.tag("product_media"),
  is_uploaded: Schema.Boolean,
  created_at: Timestamp,
  size_readable: Schema.String,
  public_url: Schema.String
}).annotate({ identifier: "ProductMediaFileRead" })
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
