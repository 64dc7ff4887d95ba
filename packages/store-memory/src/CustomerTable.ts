/**
 * The committed customers, the in-memory counterpart of the `customers` table with its two partial unique
 * indexes: (organization, lower(email)) and (organization, external_id), both among non-deleted customers.
 * A write that would break one is a unique violation, which is a defect here as it is an error in SQL.
 */
import type { Customer } from "@checkout-kit/domain"
import { uuidKey } from "./SqlOrder.ts"
import type { Transaction } from "./Transaction.ts"

type Row = Customer.Customer

const isLive = (row: Row | undefined): row is Row => row !== undefined && row.deletedAt === null

const emailKey = (organizationId: string, email: string): string => `${uuidKey(organizationId)}|${email.toLowerCase()}`
const externalKey = (organizationId: string, externalId: string): string => `${uuidKey(organizationId)}|${externalId}`

export class CustomerTable {
  readonly rows = new Map<string, Row>()
  private readonly byEmail = new Map<string, string>()
  private readonly byExternalId = new Map<string, string>()

  findById(tx: Transaction | undefined, id: string): Row | undefined {
    const key = uuidKey(id)
    if (tx !== undefined) {
      const own = tx.customers.get(key)
      if (own !== undefined) return own
    }
    return this.rows.get(key)
  }

  findByEmail(tx: Transaction | undefined, organizationId: string, email: string): Row | undefined {
    const wanted = emailKey(organizationId, email)
    return this.findByUnique(tx, this.byEmail.get(wanted), (row) => row.email !== null && emailKey(row.organizationId, row.email) === wanted)
  }

  findByExternalId(tx: Transaction | undefined, organizationId: string, externalId: string): Row | undefined {
    const wanted = externalKey(organizationId, externalId)
    return this.findByUnique(
      tx,
      this.byExternalId.get(wanted),
      (row) => row.externalId !== null && externalKey(row.organizationId, row.externalId) === wanted
    )
  }

  /** The unique index `row` would violate among the rows `tx` sees (its own buffered rows and the committed ones). */
  violation(tx: Transaction | undefined, row: Row): string | undefined {
    if (!isLive(row)) return undefined
    const self = uuidKey(row.id)
    const clashes = (index: Map<string, string>, key: string, same: (other: Row) => boolean): boolean => {
      if (tx !== undefined) {
        for (const [k, other] of tx.customers) if (k !== self && isLive(other) && same(other)) return true
      }
      const committed = index.get(key)
      return committed !== undefined && committed !== self && (tx === undefined || !tx.customers.has(committed))
    }
    if (row.email !== null) {
      const key = emailKey(row.organizationId, row.email)
      if (clashes(this.byEmail, key, (o) => o.email !== null && emailKey(o.organizationId, o.email) === key)) {
        return `customers (organization_id, lower(email)) = (${row.organizationId}, ${row.email.toLowerCase()})`
      }
    }
    if (row.externalId !== null) {
      const key = externalKey(row.organizationId, row.externalId)
      if (clashes(this.byExternalId, key, (o) => o.externalId !== null && externalKey(o.organizationId, o.externalId) === key)) {
        return `customers (organization_id, external_id) = (${row.organizationId}, ${row.externalId})`
      }
    }
    return undefined
  }

  put(row: Row): void {
    const key = uuidKey(row.id)
    const old = this.rows.get(key)
    if (isLive(old)) {
      if (old.email !== null) this.byEmail.delete(emailKey(old.organizationId, old.email))
      if (old.externalId !== null) this.byExternalId.delete(externalKey(old.organizationId, old.externalId))
    }
    this.rows.set(key, row)
    if (isLive(row)) {
      if (row.email !== null) this.byEmail.set(emailKey(row.organizationId, row.email), key)
      if (row.externalId !== null) this.byExternalId.set(externalKey(row.organizationId, row.externalId), key)
    }
  }

  private findByUnique(tx: Transaction | undefined, committedKey: string | undefined, matches: (row: Row) => boolean): Row | undefined {
    if (tx !== undefined && tx.customers.size > 0) {
      for (const row of tx.customers.values()) if (isLive(row) && matches(row)) return row
      if (committedKey === undefined || tx.customers.has(committedKey)) return undefined
    }
    return committedKey === undefined ? undefined : this.rows.get(committedKey)
  }
}
