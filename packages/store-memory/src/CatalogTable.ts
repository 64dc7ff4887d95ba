/**
 * The catalog (products with their prices, discounts) and the discount redemptions, the in-memory counterpart of
 * the `products`, `product_prices`, `discounts` and `discount_redemptions` tables. `redemptions_count` moves
 * with redemptions at commit, as the reference's triggers do.
 *
 * A capped discount must never be over-redeemed, even by concurrent confirms. A redemption made inside a
 * transaction is therefore reserved at once (it counts against max_redemptions for everyone) and becomes a
 * redemption at commit, or is returned at rollback. A SQL adapter gets the same guarantee with a conditional
 * `UPDATE discounts SET redemptions_count = redemptions_count + 1 WHERE ... < max_redemptions` (it blocks where
 * this store refuses while the slot is held by an unfinished transaction).
 */
import type { Discount, Price, Product } from "@checkout-kit/domain"
import { uuidKey } from "./SqlOrder.ts"
import type { RedemptionChange, Transaction } from "./Transaction.ts"

interface Reservation {
  readonly discount: string
  readonly tx: Transaction
}

const codeKey = (organizationId: string, code: string): string => `${uuidKey(organizationId)}|${code.toLowerCase()}`

export class CatalogTable {
  readonly products = new Map<string, Product.Product>()
  private readonly prices = new Map<string, { readonly price: Price.Price; readonly product: Product.Product }>()
  readonly discounts = new Map<string, Discount.Discount>()
  private readonly discountsByCode = new Map<string, string>()
  /** Committed redemptions: checkout key -> discount key. */
  private readonly redemptions = new Map<string, string>()
  /** Redemptions held by unfinished transactions: checkout key -> reservation. */
  private readonly reservations = new Map<string, Reservation>()
  private readonly reserved = new Map<string, number>()

  // ---------------------------------------------------------------------------------------------------------------
  // Catalog data (seeded or put by the embedding service)
  // ---------------------------------------------------------------------------------------------------------------

  putProduct(product: Product.Product): void {
    const key = uuidKey(product.id)
    const old = this.products.get(key)
    if (old !== undefined) for (const price of old.prices) this.prices.delete(uuidKey(price.id))
    this.products.set(key, product)
    for (const price of product.prices) this.prices.set(uuidKey(price.id), { price, product })
  }

  getProduct(id: string): Product.Product | undefined {
    return this.products.get(uuidKey(id))
  }

  getPrice(id: string): { readonly price: Price.Price; readonly product: Product.Product } | undefined {
    return this.prices.get(uuidKey(id))
  }

  putDiscount(discount: Discount.Discount): void {
    const key = uuidKey(discount.id)
    const old = this.discounts.get(key)
    if (old !== undefined && old.code !== null && this.discountsByCode.get(codeKey(old.organizationId, old.code)) === key) {
      this.discountsByCode.delete(codeKey(old.organizationId, old.code))
    }
    this.discounts.set(key, discount)
    if (discount.code !== null) this.discountsByCode.set(codeKey(discount.organizationId, discount.code), key)
  }

  /** The discount as `tx` sees it: its redemptions_count includes the transaction's own (uncommitted) changes. */
  getDiscount(tx: Transaction | undefined, id: string): Discount.Discount | undefined {
    const key = uuidKey(id)
    const discount = this.discounts.get(key)
    if (discount === undefined || tx === undefined || tx.redemptions.size === 0) return discount
    const delta = this.ownDelta(tx, key)
    return delta === 0 ? discount : { ...discount, redemptionsCount: Math.max(0, discount.redemptionsCount + delta) }
  }

  getDiscountByCode(tx: Transaction | undefined, organizationId: string, code: string): Discount.Discount | undefined {
    const key = this.discountsByCode.get(codeKey(organizationId, code))
    return key === undefined ? undefined : this.getDiscount(tx, key)
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Redemptions
  // ---------------------------------------------------------------------------------------------------------------

  /** The discount key the checkout's redemption (as `tx` sees it) is of, or null. */
  redemptionOf(tx: Transaction | undefined, checkoutId: string): string | null {
    const checkout = uuidKey(checkoutId)
    const change = tx?.redemptions.get(checkout)
    if (change !== undefined) {
      if (change.reserved !== null) return change.reserved
      if (change.deleteCommitted) return null
    }
    return this.redemptions.get(checkout) ?? null
  }

  /**
   * Records (outside a transaction) or reserves (inside) one redemption; false when the discount does not exist,
   * is outside its validity window, has no redemption left, or another unfinished transaction is redeeming for
   * the same checkout. Idempotent per checkout and discount; a checkout redeeming another discount gives up the
   * previous one.
   */
  redeem(tx: Transaction | undefined, discountId: string, checkoutId: string, nowMillis: number): boolean {
    const key = uuidKey(discountId)
    const checkout = uuidKey(checkoutId)
    const discount = this.discounts.get(key)
    if (discount === undefined) return false
    const current = this.redemptionOf(tx, checkout)
    if (current === key) return true
    if (discount.startsAt !== null && discount.startsAt.epochMilliseconds > nowMillis) return false
    if (discount.endsAt !== null && discount.endsAt.epochMilliseconds < nowMillis) return false
    const held = this.reservations.get(checkout)
    if (held !== undefined && held.tx !== tx) return false
    if (discount.maxRedemptions !== null) {
      const used = discount.redemptionsCount + (this.reserved.get(key) ?? 0) - (tx === undefined ? 0 : this.ownPendingDeletes(tx, key))
      if (used >= discount.maxRedemptions) return false
    }
    if (current !== null) this.release(tx, checkout)
    if (tx === undefined) {
      this.redemptions.set(checkout, key)
      this.bump(key, 1)
      return true
    }
    this.reservations.set(checkout, { discount: key, tx })
    this.reserved.set(key, (this.reserved.get(key) ?? 0) + 1)
    this.changeOf(tx, checkout).reserved = key
    return true
  }

  release(tx: Transaction | undefined, checkoutId: string): void {
    const checkout = uuidKey(checkoutId)
    if (tx === undefined) {
      const discount = this.redemptions.get(checkout)
      if (discount !== undefined) {
        this.redemptions.delete(checkout)
        this.bump(discount, -1)
      }
      return
    }
    const change = tx.redemptions.get(checkout)
    if (change !== undefined && change.reserved !== null) {
      this.unreserve(tx, checkout, change.reserved)
      change.reserved = null
    }
    if (this.redemptions.has(checkout)) this.changeOf(tx, checkout).deleteCommitted = true
  }

  commit(tx: Transaction): void {
    for (const [checkout, change] of tx.redemptions) {
      if (change.deleteCommitted) {
        const discount = this.redemptions.get(checkout)
        if (discount !== undefined) {
          this.redemptions.delete(checkout)
          this.bump(discount, -1)
        }
      }
      if (change.reserved !== null) {
        this.unreserve(tx, checkout, change.reserved)
        const previous = this.redemptions.get(checkout)
        if (previous !== undefined) this.bump(previous, -1)
        this.redemptions.set(checkout, change.reserved)
        this.bump(change.reserved, 1)
      }
    }
  }

  rollback(tx: Transaction): void {
    for (const [checkout, change] of tx.redemptions) {
      if (change.reserved !== null) this.unreserve(tx, checkout, change.reserved)
    }
  }

  private changeOf(tx: Transaction, checkout: string): RedemptionChange {
    let change = tx.redemptions.get(checkout)
    if (change === undefined) {
      change = { deleteCommitted: false, reserved: null }
      tx.redemptions.set(checkout, change)
    }
    return change
  }

  private unreserve(tx: Transaction, checkout: string, discount: string): void {
    const held = this.reservations.get(checkout)
    if (held === undefined || held.tx !== tx) return
    this.reservations.delete(checkout)
    const n = (this.reserved.get(discount) ?? 1) - 1
    if (n <= 0) this.reserved.delete(discount)
    else this.reserved.set(discount, n)
  }

  private ownPendingDeletes(tx: Transaction, discount: string): number {
    let n = 0
    for (const [checkout, change] of tx.redemptions) {
      if (change.deleteCommitted && this.redemptions.get(checkout) === discount) n++
    }
    return n
  }

  private ownDelta(tx: Transaction, discount: string): number {
    let n = 0
    for (const [checkout, change] of tx.redemptions) {
      if (change.deleteCommitted && this.redemptions.get(checkout) === discount) n--
      if (change.reserved === discount) n++
    }
    return n
  }

  private bump(discount: string, by: number): void {
    const row = this.discounts.get(discount)
    if (row !== undefined) this.discounts.set(discount, { ...row, redemptionsCount: Math.max(0, row.redemptionsCount + by) })
  }
}
