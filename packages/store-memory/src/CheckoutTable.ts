/**
 * The committed checkouts and their secondary indexes, the in-memory counterpart of the `checkouts` table:
 * by id, by client secret (unique), by organization and by (organization, selected product), each ordered by
 * (created_at, id) so that the common listing (an organization's checkouts, maybe of one product, newest first)
 * reads one page without touching the others; and the checkouts that were open, by (expires_at, id), for the
 * expiry sweep (entries of checkouts no longer open are dropped lazily by the sweep). Reads take the caller's
 * transaction so that it sees its own buffered writes, as a SQL session does.
 */
import type { Checkout, CheckoutStatus, ListQuery, Page, SortField } from "@checkout-kit/domain"
import { SortedIndex } from "./SortedIndex.ts"
import type { Compare, Criterion } from "./SqlOrder.ts"
import { compareNumber, compareText, orderBy, uuidKey } from "./SqlOrder.ts"
import type { Transaction } from "./Transaction.ts"

type Row = Checkout.Checkout

const defaultSorting: ReadonlyArray<Criterion<SortField>> = [{ field: "createdAt", descending: true }]

const columns: { readonly [K in SortField]: Compare<Row> } = {
  createdAt: (a, b) => compareNumber(a.createdAt.epochMilliseconds, b.createdAt.epochMilliseconds),
  expiresAt: (a, b) => compareNumber(a.expiresAt.epochMilliseconds, b.expiresAt.epochMilliseconds),
  // Stored as text in the reference (a string enum), so it sorts alphabetically, not in lifecycle order.
  status: (a, b) => compareText(a.status, b.status)
}

const emptyRecord: Readonly<Record<string, never>> = Object.freeze({})

const isEmpty = (record: object): boolean => {
  for (const _ in record) return false
  return true
}

/**
 * The row as stored, with `version` set: empty maps are replaced by one shared frozen object, which saves about
 * 60 bytes per map and per row (most checkouts have empty metadata, custom field data and customer metadata).
 * Rows are immutable values, so sharing is safe; one copy at most is made.
 */
export const compact = (row: Row, version: number = row.version): Row => {
  const m = row.metadata !== emptyRecord && isEmpty(row.metadata)
  const cm = row.customerMetadata !== emptyRecord && isEmpty(row.customerMetadata)
  const cf = row.customFieldData !== emptyRecord && isEmpty(row.customFieldData)
  const pm = row.paymentProcessorMetadata !== emptyRecord && isEmpty(row.paymentProcessorMetadata)
  if (!m && !cm && !cf && !pm && version === row.version) return row
  return {
    ...row,
    version,
    metadata: m ? emptyRecord : row.metadata,
    customerMetadata: cm ? emptyRecord : row.customerMetadata,
    customFieldData: cf ? emptyRecord : row.customFieldData,
    paymentProcessorMetadata: pm ? emptyRecord : row.paymentProcessorMetadata
  }
}

/** How a listing reads customers' external ids (the external_customer_id filter also matches through them). */
export type ExternalIdOf = (customerKey: string) => string | null | undefined

export class CheckoutTable {
  readonly rows = new Map<string, Row>()
  private readonly bySecret = new Map<string, string>()
  private readonly byOrganization = new Map<string, SortedIndex<Row>>()
  private readonly byOrganizationProduct = new Map<string, SortedIndex<Row>>()
  private readonly openByExpiry = new SortedIndex<Row>()

  get size(): number {
    return this.rows.size
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reads (see the transaction's own writes)
  // ---------------------------------------------------------------------------------------------------------------

  findById(tx: Transaction | undefined, id: string): Row | undefined {
    const key = uuidKey(id)
    if (tx !== undefined) {
      const own = tx.checkouts.get(key)
      if (own !== undefined) return own
    }
    return this.rows.get(key)
  }

  findByClientSecret(tx: Transaction | undefined, clientSecret: string): Row | undefined {
    if (tx !== undefined && tx.checkouts.size > 0) {
      for (const row of tx.checkouts.values()) if (row.clientSecret === clientSecret) return row
      const key = this.bySecret.get(clientSecret)
      // A committed row this transaction has rewritten is only visible in its new form (checked above).
      return key === undefined || tx.checkouts.has(key) ? undefined : this.rows.get(key)
    }
    const key = this.bySecret.get(clientSecret)
    return key === undefined ? undefined : this.rows.get(key)
  }

  /** The committed owner of a client secret, for the unique constraint. */
  secretOwner(clientSecret: string): string | undefined {
    return this.bySecret.get(clientSecret)
  }

  list(tx: Transaction | undefined, query: ListQuery, externalIdOf: ExternalIdOf): Page<Row> {
    const sorting = query.sorting.length > 0 ? query.sorting : defaultSorting
    const offset = (Math.max(1, Math.floor(query.page)) - 1) * query.limit
    const limit = query.limit
    const organizations = unique(query.organizationIds.map(uuidKey))
    const products = query.productIds === undefined ? undefined : unique(query.productIds.map(uuidKey))
    const buckets: Array<SortedIndex<Row>> = []
    for (const org of organizations) {
      if (products === undefined) {
        const bucket = this.byOrganization.get(org)
        if (bucket !== undefined) buckets.push(bucket)
      } else {
        for (const product of products) {
          const bucket = this.byOrganizationProduct.get(bucketKey(org, product))
          if (bucket !== undefined) buckets.push(bucket)
        }
      }
    }
    const dirty = tx !== undefined && tx.checkouts.size > 0
    const rest = residualFilter(query, externalIdOf)
    const single = sorting.length === 1 && sorting[0]!.field === "createdAt" ? sorting[0]! : undefined

    if (!dirty && single !== undefined) {
      // Index order is (created_at, id): forwards for ascending, backwards for descending, which is exactly the
      // order `ORDER BY created_at [DESC], id [DESC]` asks for. Buckets are disjoint (one organization and one
      // selected product per row), so their sizes add up to the total when no other filter applies.
      const items: Array<Row> = []
      let total = 0
      if (rest === undefined) {
        for (const b of buckets) total += b.size
        if (buckets.length === 1) return { items: sliceOne(buckets[0]!, single.descending, offset, limit), totalCount: total }
        scan(buckets, single.descending, (row, position) => {
          if (position >= offset) items.push(row)
          return items.length < limit
        })
        return { items, totalCount: total }
      }
      scan(buckets, single.descending, (row) => {
        if (rest(row)) {
          if (total >= offset && items.length < limit) items.push(row)
          total++
        }
        return true
      })
      return { items, totalCount: total }
    }

    // Unusual orders, or a transaction with buffered writes: collect the candidates the indexes allow, filter,
    // sort and cut the page.
    const candidates: Array<Row> = []
    for (const bucket of buckets) {
      const keys = bucket.keys
      const rows = bucket.rows
      for (let i = 0; i < rows.length; i++) {
        if (dirty && tx!.checkouts.has(keys[i]!)) continue
        const row = rows[i]!
        if (rest === undefined || rest(row)) candidates.push(row)
      }
    }
    if (dirty) {
      const orgSet = new Set(organizations)
      const productSet = products === undefined ? undefined : new Set(products)
      for (const row of tx!.checkouts.values()) {
        if (
          orgSet.has(uuidKey(row.organizationId)) &&
          (productSet === undefined || (row.productId !== null && productSet.has(uuidKey(row.productId)))) &&
          (rest === undefined || rest(row))
        ) candidates.push(row)
      }
    }
    candidates.sort(orderBy(sorting, columns, (r) => r.id))
    return { items: candidates.slice(offset, offset + limit), totalCount: candidates.length }
  }

  /**
   * Open checkouts with expires_at <= now, by (expires_at, id), at most `limit`. The expiry index drops entries
   * lazily (see `put`): an entry counts only while its row is still open with that expires_at, and the stale
   * entries met on the way are cleared in one splice.
   */
  listExpirable(tx: Transaction | undefined, nowMillis: number, limit: number): Array<Row> {
    const out: Array<Row> = []
    const index = this.openByExpiry
    const end = index.upperBoundValue(nowMillis)
    const dirty = tx !== undefined && tx.checkouts.size > 0
    let stale = 0
    let i = 0
    for (; i < end && out.length < limit; i++) {
      const key = index.keys[i]!
      const row = this.rows.get(key)
      if (row === undefined || row.status !== "open" || row.expiresAt.epochMilliseconds !== index.values[i]) {
        stale++
        continue
      }
      if (dirty && tx!.checkouts.has(key)) continue
      out.push(row)
    }
    if (stale > 0) this.dropStaleExpiries(i)
    if (!dirty) return out
    for (const row of tx!.checkouts.values()) {
      if (row.status === "open" && row.expiresAt.epochMilliseconds <= nowMillis) out.push(row)
    }
    out.sort(orderBy([{ field: "expiresAt", descending: false }], columns, (r) => r.id))
    return out.slice(0, limit)
  }

  /**
   * Confirmed checkouts last changed at or before `beforeMillis`, by (last change, id), at most `limit`. A plain scan:
   * the reconciliation job runs it once a minute, not per request.
   */
  listConfirmed(tx: Transaction | undefined, beforeMillis: number, limit: number): Array<Row> {
    const changed = (r: Row) => (r.modifiedAt ?? r.createdAt).epochMilliseconds
    const out: Array<Row> = []
    const dirty = tx !== undefined && tx.checkouts.size > 0
    for (const [key, stored] of this.rows) {
      const row = dirty ? tx!.checkouts.get(key) ?? stored : stored
      if (row.status === "confirmed" && changed(row) <= beforeMillis) out.push(row)
    }
    if (dirty) {
      for (const [key, row] of tx!.checkouts) {
        if (!this.rows.has(key) && row.status === "confirmed" && changed(row) <= beforeMillis) out.push(row)
      }
    }
    out.sort((a, b) => changed(a) - changed(b) || compareText(uuidKey(a.id), uuidKey(b.id)))
    return out.slice(0, limit)
  }

  private dropStaleExpiries(upTo: number): void {
    this.openByExpiry.retainPrefix(upTo, (key, value) => {
      const row = this.rows.get(key)
      return row !== undefined && row.status === "open" && row.expiresAt.epochMilliseconds === value ? row : undefined
    })
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Writes (commit time; the caller has checked constraints)
  // ---------------------------------------------------------------------------------------------------------------

  put(row: Row): void {
    const key = uuidKey(row.id)
    const old = this.rows.get(key)
    this.rows.set(key, row)
    if (old === undefined) {
      this.bySecret.set(row.clientSecret, key)
      this.indexForList(key, row)
      if (row.status === "open") this.openByExpiry.insert(row.expiresAt.epochMilliseconds, key, row)
      return
    }
    if (old.clientSecret !== row.clientSecret) {
      if (this.bySecret.get(old.clientSecret) === key) this.bySecret.delete(old.clientSecret)
      this.bySecret.set(row.clientSecret, key)
    }
    if (
      old.createdAt.epochMilliseconds !== row.createdAt.epochMilliseconds ||
      uuidKey(old.organizationId) !== uuidKey(row.organizationId) ||
      (old.productId === null ? null : uuidKey(old.productId)) !== (row.productId === null ? null : uuidKey(row.productId))
    ) {
      this.unindexForList(key, old)
      this.indexForList(key, row)
    } else {
      const created = row.createdAt.epochMilliseconds
      const org = uuidKey(row.organizationId)
      this.byOrganization.get(org)?.replace(created, key, row)
      if (row.productId !== null) this.byOrganizationProduct.get(bucketKey(org, uuidKey(row.productId)))?.replace(created, key, row)
    }
    // A checkout that stops being open keeps its expiry entry until the sweep passes it (listExpirable drops it):
    // removing it now would splice the middle of an index of every open checkout on each confirm.
    if (row.status === "open") this.openByExpiry.insert(row.expiresAt.epochMilliseconds, key, row)
  }

  private indexForList(key: string, row: Row): void {
    const created = row.createdAt.epochMilliseconds
    const org = uuidKey(row.organizationId)
    getOrCreate(this.byOrganization, org).insert(created, key, row)
    if (row.productId !== null) getOrCreate(this.byOrganizationProduct, bucketKey(org, uuidKey(row.productId))).insert(created, key, row)
  }

  private unindexForList(key: string, row: Row): void {
    const created = row.createdAt.epochMilliseconds
    const org = uuidKey(row.organizationId)
    this.byOrganization.get(org)?.remove(created, key)
    if (row.productId !== null) this.byOrganizationProduct.get(bucketKey(org, uuidKey(row.productId)))?.remove(created, key)
  }
}

const bucketKey = (organization: string, product: string): string => `${organization}|${product}`

const getOrCreate = (map: Map<string, SortedIndex<Row>>, key: string): SortedIndex<Row> => {
  let index = map.get(key)
  if (index === undefined) {
    index = new SortedIndex<Row>()
    map.set(key, index)
  }
  return index
}

const unique = (keys: ReadonlyArray<string>): Array<string> => Array.from(new Set(keys))

/**
 * The filters the indexes do not answer. Each present filter must match (AND), any of its values (OR); an empty
 * list matches nothing, as `IN ()` would. `query` is ILIKE '%q%' on customer_email taken literally (no
 * wildcards), so a NULL email never matches. external_customer_id matches the checkout's own external id or the
 * external id of its linked customer (the reference joins the customer).
 */
const residualFilter = (query: ListQuery, externalIdOf: ExternalIdOf): ((row: Row) => boolean) | undefined => {
  const tests: Array<(row: Row) => boolean> = []
  if (query.customerIds !== undefined) {
    const set = new Set(query.customerIds.map(uuidKey))
    tests.push((row) => row.customerId !== null && set.has(uuidKey(row.customerId)))
  }
  if (query.externalCustomerIds !== undefined) {
    const set = new Set(query.externalCustomerIds)
    tests.push((row) => {
      if (row.externalCustomerId !== null && set.has(row.externalCustomerId)) return true
      if (row.customerId === null) return false
      const external = externalIdOf(uuidKey(row.customerId))
      return external !== null && external !== undefined && set.has(external)
    })
  }
  if (query.statuses !== undefined) {
    const set = new Set<CheckoutStatus.Status>(query.statuses)
    tests.push((row) => set.has(row.status))
  }
  if (query.query !== undefined) {
    const needle = query.query.toLowerCase()
    tests.push((row) => row.customerEmail !== null && row.customerEmail.toLowerCase().includes(needle))
  }
  if (tests.length === 0) return undefined
  if (tests.length === 1) return tests[0]!
  return (row) => {
    for (const t of tests) if (!t(row)) return false
    return true
  }
}

/** One page of a single index, read from either end. */
const sliceOne = (index: SortedIndex<Row>, descending: boolean, offset: number, limit: number): Array<Row> => {
  if (!descending) return index.rows.slice(offset, offset + limit)
  const out: Array<Row> = []
  for (let i = index.size - 1 - offset; i >= 0 && out.length < limit; i--) out.push(index.rows[i]!)
  return out
}

/**
 * Visits the rows of disjoint indexes in merged (value, key) order, ascending or descending, until `visit`
 * returns false. `position` counts visited rows from 0.
 */
const scan = (
  indexes: ReadonlyArray<SortedIndex<Row>>,
  descending: boolean,
  visit: (row: Row, position: number) => boolean
): void => {
  if (indexes.length === 1) {
    const rows = indexes[0]!.rows
    if (descending) {
      for (let i = rows.length - 1, p = 0; i >= 0; i--, p++) if (!visit(rows[i]!, p)) return
    } else {
      for (let i = 0; i < rows.length; i++) if (!visit(rows[i]!, i)) return
    }
    return
  }
  const heads = indexes.map((index) => (descending ? index.size - 1 : 0))
  for (let position = 0;; position++) {
    let best = -1
    for (let j = 0; j < indexes.length; j++) {
      const index = indexes[j]!
      const h = heads[j]!
      if (h < 0 || h >= index.size) continue
      if (best === -1) {
        best = j
        continue
      }
      const b = indexes[best]!
      const hb = heads[best]!
      const v = index.values[h]!
      const vb = b.values[hb]!
      const before = v < vb || (v === vb && index.keys[h]! < b.keys[hb]!)
      if (descending ? !before : before) best = j
    }
    if (best === -1) return
    const index = indexes[best]!
    const h = heads[best]!
    heads[best] = h + (descending ? -1 : 1)
    if (!visit(index.rows[h]!, position)) return
  }
}
