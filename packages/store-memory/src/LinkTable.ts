/**
 * The committed checkout links, the in-memory counterpart of the `checkout_links` table. Soft-deleted links stay
 * stored (as rows with deleted_at) but no read returns them, and they leave the per-organization index that
 * listing reads in (created_at, id) order.
 */
import type { CheckoutLink, LinkListQuery, LinkSortField, Page } from "@checkout-kit/domain"
import { SortedIndex } from "./SortedIndex.ts"
import type { Compare, Criterion } from "./SqlOrder.ts"
import { compareBoolean, compareNumber, compareText, nullsLast, orderBy, uuidKey } from "./SqlOrder.ts"
import type { Transaction } from "./Transaction.ts"

type Row = CheckoutLink.CheckoutLink

const defaultSorting: ReadonlyArray<Criterion<LinkSortField>> = [{ field: "createdAt", descending: false }]

const nullableText = nullsLast(compareText)

const columns: { readonly [K in LinkSortField]: Compare<Row> } = {
  createdAt: (a, b) => compareNumber(a.createdAt.epochMilliseconds, b.createdAt.epochMilliseconds),
  label: (a, b) => nullableText(a.label, b.label),
  successUrl: (a, b) => nullableText(a.successUrl, b.successUrl),
  allowDiscountCodes: (a, b) => compareBoolean(a.allowDiscountCodes, b.allowDiscountCodes)
}

const isLive = (row: Row | undefined): row is Row => row !== undefined && row.deletedAt === null

export class LinkTable {
  readonly rows = new Map<string, Row>()
  private readonly bySecret = new Map<string, string>()
  private readonly byOrganization = new Map<string, SortedIndex<Row>>()

  /** The row this transaction sees, deleted or not (for version checks). */
  findAny(tx: Transaction | undefined, id: string): Row | undefined {
    const key = uuidKey(id)
    if (tx !== undefined) {
      const own = tx.links.get(key)
      if (own !== undefined) return own
    }
    return this.rows.get(key)
  }

  findById(tx: Transaction | undefined, id: string): Row | undefined {
    const row = this.findAny(tx, id)
    return isLive(row) ? row : undefined
  }

  findByClientSecret(tx: Transaction | undefined, clientSecret: string): Row | undefined {
    if (tx !== undefined && tx.links.size > 0) {
      for (const row of tx.links.values()) if (row.clientSecret === clientSecret) return isLive(row) ? row : undefined
      const key = this.bySecret.get(clientSecret)
      if (key === undefined || tx.links.has(key)) return undefined
      const row = this.rows.get(key)
      return isLive(row) ? row : undefined
    }
    const key = this.bySecret.get(clientSecret)
    const row = key === undefined ? undefined : this.rows.get(key)
    return isLive(row) ? row : undefined
  }

  secretOwner(clientSecret: string): string | undefined {
    return this.bySecret.get(clientSecret)
  }

  list(tx: Transaction | undefined, query: LinkListQuery): Page<Row> {
    const sorting = query.sorting.length > 0 ? query.sorting : defaultSorting
    const offset = (Math.max(1, Math.floor(query.page)) - 1) * query.limit
    const limit = query.limit
    const organizations = Array.from(new Set(query.organizationIds.map(uuidKey)))
    const products = query.productIds === undefined ? undefined : new Set(query.productIds.map(uuidKey))
    const hasProduct = (row: Row): boolean => {
      if (products === undefined) return true
      for (const p of row.productIds) if (products.has(uuidKey(p))) return true
      return false
    }
    const dirty = tx !== undefined && tx.links.size > 0
    const single = sorting.length === 1 && sorting[0]!.field === "createdAt" ? sorting[0]! : undefined
    const buckets = organizations.flatMap((org) => {
      const bucket = this.byOrganization.get(org)
      return bucket === undefined ? [] : [bucket]
    })

    if (!dirty && single !== undefined && products === undefined && buckets.length <= 1) {
      const bucket = buckets[0]
      if (bucket === undefined) return { items: [], totalCount: 0 }
      const n = bucket.size
      if (!single.descending) return { items: bucket.rows.slice(offset, offset + limit), totalCount: n }
      const items: Array<Row> = []
      for (let i = n - 1 - offset; i >= 0 && items.length < limit; i--) items.push(bucket.rows[i]!)
      return { items, totalCount: n }
    }

    const orgSet = new Set(organizations)
    const candidates: Array<Row> = []
    for (const bucket of buckets) {
      for (let i = 0; i < bucket.size; i++) {
        if (dirty && tx!.links.has(bucket.keys[i]!)) continue
        const row = bucket.rows[i]!
        if (hasProduct(row)) candidates.push(row)
      }
    }
    if (dirty) {
      for (const row of tx!.links.values()) {
        if (isLive(row) && orgSet.has(uuidKey(row.organizationId)) && hasProduct(row)) candidates.push(row)
      }
    }
    candidates.sort(orderBy(sorting, columns, (r) => r.id))
    return { items: candidates.slice(offset, offset + limit), totalCount: candidates.length }
  }

  put(row: Row): void {
    const key = uuidKey(row.id)
    const old = this.rows.get(key)
    this.rows.set(key, row)
    if (old !== undefined && old.clientSecret !== row.clientSecret && this.bySecret.get(old.clientSecret) === key) {
      this.bySecret.delete(old.clientSecret)
    }
    this.bySecret.set(row.clientSecret, key)
    if (isLive(old)) this.byOrganization.get(uuidKey(old.organizationId))?.remove(old.createdAt.epochMilliseconds, key)
    if (isLive(row)) {
      const org = uuidKey(row.organizationId)
      let bucket = this.byOrganization.get(org)
      if (bucket === undefined) {
        bucket = new SortedIndex<Row>()
        this.byOrganization.set(org, bucket)
      }
      bucket.insert(row.createdAt.epochMilliseconds, key, row)
    }
  }
}
