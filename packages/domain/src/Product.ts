/**
 * Products as the checkout reads them (spec 1.4): recurring or one-time, archived, visibility, trial settings,
 * tax applicability, prices in one or more currencies, public benefits, media and attached custom fields.
 */
import { Schema } from "effect"
import * as CustomField from "./CustomField.ts"
import { Id } from "./Ids.ts"
import * as Metadata from "./Metadata.ts"
import * as Price from "./Price.ts"

export const Interval = Schema.Literals(["day", "week", "month", "year"])
export type Interval = typeof Interval.Type

export const Visibility = Schema.Literals(["draft", "private", "public"])
export type Visibility = typeof Visibility.Type

export const Benefit = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  type: Schema.String,
  description: Schema.String,
  selectable: Schema.Boolean,
  deletable: Schema.Boolean,
  isDeleted: Schema.Boolean,
  organizationId: Id,
  /** Only `public` benefits are shown in checkouts and links. */
  visibility: Schema.Literals(["public", "private"])
})
export type Benefit = typeof Benefit.Type

export const Media = Schema.Struct({
  id: Id,
  organizationId: Id,
  name: Schema.String,
  path: Schema.String,
  mimeType: Schema.String,
  size: Schema.Int,
  storageVersion: Schema.NullOr(Schema.String),
  checksumEtag: Schema.NullOr(Schema.String),
  checksumSha256Base64: Schema.NullOr(Schema.String),
  checksumSha256Hex: Schema.NullOr(Schema.String),
  lastModifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  version: Schema.NullOr(Schema.String),
  isUploaded: Schema.Boolean,
  createdAt: Schema.DateTimeUtc,
  publicUrl: Schema.String
})
export type Media = typeof Media.Type

export const Product = Schema.Struct({
  id: Id,
  createdAt: Schema.DateTimeUtc,
  modifiedAt: Schema.NullOr(Schema.DateTimeUtc),
  organizationId: Id,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  visibility: Visibility,
  recurringInterval: Schema.NullOr(Interval),
  recurringIntervalCount: Schema.NullOr(Schema.Int),
  trialInterval: Schema.NullOr(Interval),
  trialIntervalCount: Schema.NullOr(Schema.Int),
  isArchived: Schema.Boolean,
  /** Tax applies unless the product says otherwise (reference default true). */
  isTaxApplicable: Schema.Boolean,
  /** Tax code; null means the reference default (general electronically supplied services). */
  taxCode: Schema.NullOr(Schema.String),
  /** Every price of the product in every currency, archived ones included (flagged), in catalog order. */
  prices: Schema.Array(Price.Price),
  benefits: Schema.Array(Benefit),
  medias: Schema.Array(Media),
  attachedCustomFields: Schema.Array(CustomField.Attached),
  metadata: Metadata.Metadata
})
export type Product = typeof Product.Type

/** Recurring products start subscriptions (trials, payment-method setup); one-time products do not. */
export const isRecurring = (product: Product): boolean => product.recurringInterval !== null

/** The reference's `product.prices`: non-archived catalog prices, static first, then metered. */
export const catalogPrices = (product: Product): ReadonlyArray<Price.Price> => Price.catalogPrices(product.prices)
