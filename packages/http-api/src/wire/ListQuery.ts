/**
 * Query strings of the list endpoints (spec §4.2/§4.3). Filters accept one value or a repeated key
 * (`?status=open&status=expired`); `limit` above 100 is clamped rather than rejected; an unknown `sorting`
 * criterion is a 422 at `["query","sorting"]` with type `enum`, as in the reference.
 */
import type { LinkSortField, Sort, SortField } from "@checkout-kit/domain"
import { Schema, SchemaTransformation } from "effect"
import { withDefault } from "./Input.ts"
import { CheckoutStatus, Uuid } from "./Scalars.ts"

export const checkoutSortProperties = [
  "created_at",
  "-created_at",
  "expires_at",
  "-expires_at",
  "status",
  "-status"
] as const
export type CheckoutSortProperty = typeof checkoutSortProperties[number]

export const checkoutLinkSortProperties = [
  "created_at",
  "-created_at",
  "label",
  "-label",
  "success_url",
  "-success_url",
  "allow_discount_codes",
  "-allow_discount_codes"
] as const
export type CheckoutLinkSortProperty = typeof checkoutLinkSortProperties[number]

/** The wire's sort properties (snake_case) and the port's camelCase fields they name, one table per list. */
const checkoutSortFields = { created_at: "createdAt", expires_at: "expiresAt", status: "status" } as const satisfies Record<
  string,
  SortField
>
const checkoutLinkSortFields = {
  created_at: "createdAt",
  label: "label",
  success_url: "successUrl",
  allow_discount_codes: "allowDiscountCodes"
} as const satisfies Record<string, LinkSortField>

/** `-name` is descending `name`; the field is the port's name for the wire's property. */
const toSort = <W extends string, F extends string>(fields: Readonly<Record<W, F>>) => (property: W | `-${W}`): Sort<F> =>
  property.startsWith("-")
    ? { field: fields[property.slice(1) as W], descending: true }
    : { field: fields[property as W], descending: false }

/** Decoded `sorting` of `GET /v1/checkouts/` as the repository's criteria. */
export const checkoutSorting: (properties: ReadonlyArray<CheckoutSortProperty>) => ReadonlyArray<Sort<SortField>> = (
  properties
) => properties.map(toSort(checkoutSortFields))

/** Decoded `sorting` of `GET /v1/checkout-links/` as the repository's criteria. */
export const checkoutLinkSorting: (
  properties: ReadonlyArray<CheckoutLinkSortProperty>
) => ReadonlyArray<Sort<LinkSortField>> = (properties) => properties.map(toSort(checkoutLinkSortFields))

/** Page number, from 1. */
export const Page = withDefault(Schema.Int.check(Schema.isGreaterThan(0)), 1)

/** Maximum page size; larger requested sizes are clamped to it. */
export const maxLimit = 100

/** Page size: > 0, default 10, clamped to 100. */
export const Limit = withDefault(
  Schema.Int.check(Schema.isGreaterThan(0)).pipe(
    Schema.decodeTo(
      Schema.Int,
      SchemaTransformation.transform({ decode: (n) => Math.min(n, maxLimit), encode: (n) => n })
    )
  ),
  10
)

/**
 * Repeatable `sorting` criteria. The check is on the whole list, so a bad criterion is reported at
 * `["query","sorting"]` (no index), with the reference's message.
 */
const sorting = <const Allowed extends ReadonlyArray<string>>(allowed: Allowed, byDefault: Allowed[number]) => {
  const set: ReadonlySet<string> = new Set(allowed)
  const criteria = Schema.Array(Schema.String).check(
    Schema.makeFilter<ReadonlyArray<string>>(
      (criteria) => criteria.every((c) => set.has(c)) ? undefined : "Invalid sorting criterion.",
      { expected: `sorting criteria among ${allowed.join(", ")}`, pydanticType: "enum" }
    )
  ).pipe(
    Schema.decodeTo(
      Schema.Array(Schema.Literals(allowed)),
      SchemaTransformation.transform({
        decode: (criteria) => criteria as ReadonlyArray<Allowed[number]>,
        encode: (criteria) => criteria
      })
    )
  )
  return withDefault(criteria, [byDefault])
}

/** A filter given once or repeated. */
const many = <S extends Schema.Top>(item: S) => Schema.optionalKey(Schema.Array(item))

/** `GET /v1/checkouts/` query. */
export const CheckoutListQuery = {
  organization_id: many(Uuid),
  product_id: many(Uuid),
  customer_id: many(Uuid),
  external_customer_id: many(Schema.String),
  status: many(CheckoutStatus),
  /** Case-insensitive substring of `customer_email`. */
  query: Schema.optionalKey(Schema.String),
  page: Page,
  limit: Limit,
  /** Default `-created_at`. */
  sorting: sorting(checkoutSortProperties, "-created_at")
}
export const CheckoutListQuerySchema = Schema.Struct(CheckoutListQuery)
export type CheckoutListQuery = typeof CheckoutListQuerySchema.Type

/** `GET /v1/checkout-links/` query. */
export const CheckoutLinkListQuery = {
  organization_id: many(Uuid),
  /** Links that contain this product. */
  product_id: many(Uuid),
  page: Page,
  limit: Limit,
  /** Default `created_at` ascending. */
  sorting: sorting(checkoutLinkSortProperties, "created_at")
}
export const CheckoutLinkListQuerySchema = Schema.Struct(CheckoutLinkListQuery)
export type CheckoutLinkListQuery = typeof CheckoutLinkListQuerySchema.Type

/**
 * Query of the link redirect: every parameter as sent. The handler reads the prefill keys (`product_id`, `amount`,
 * `customer_email`, `customer_name`, `discount_code`, `locale`, `custom_field_data.<slug>`, `embed_origin`, the
 * utm/reference keys) and forwards the rest to the checkout URL; invalid prefills are dropped, never rejected.
 */
export const CheckoutLinkRedirectQuery = Schema.Record(
  Schema.String,
  Schema.Union([Schema.String, Schema.Array(Schema.String)])
)
export type CheckoutLinkRedirectQuery = typeof CheckoutLinkRedirectQuery.Type
