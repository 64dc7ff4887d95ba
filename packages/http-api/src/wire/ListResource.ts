/**
 * Paginated list envelope (`server/polar/kit/pagination.py`): `{ items, pagination: { total_count, max_page } }`,
 * with `max_page = ceil(total_count / limit)`.
 */
import { Schema } from "effect"

export const Pagination = Schema.Struct({
  total_count: Schema.Int,
  max_page: Schema.Int
}).annotate({ identifier: "Pagination" })
export type Pagination = typeof Pagination.Type

/** `ListResource[Item]`; `name` gives the component name (`ListResource_Checkout_`). */
export const ListResource = <S extends Schema.Top>(item: S, name: string) =>
  Schema.Struct({
    items: Schema.Array(item),
    pagination: Pagination
  }).annotate({ identifier: `ListResource_${name}_` })

/** Builds the pagination block for a page of size `limit` out of `totalCount` results. */
export const makePagination = (totalCount: number, limit: number): Pagination => ({
  total_count: totalCount,
  max_page: limit > 0 ? Math.ceil(totalCount / limit) : 0
})
