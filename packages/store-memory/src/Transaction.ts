/**
 * A transaction of the in-memory database, with PostgreSQL's READ COMMITTED behaviour: writes are buffered in the
 * transaction (invisible to everyone else) and applied in one synchronous step at commit, so a reader sees all of
 * a transaction or none of it. Every row a transaction writes or locks is row-locked until it ends, as an UPDATE
 * or SELECT ... FOR UPDATE would: another writer of that row waits (or, with NOWAIT, fails at once), and a
 * waiting cycle is a deadlock, which PostgreSQL aborts and so do we (as a defect).
 *
 * The current transaction travels in the fiber's context (`CurrentTransactions`), keyed by database so that two
 * stores in one program never share a transaction.
 */
import { Context, Effect } from "effect"
import type { Checkout, CheckoutEvent, CheckoutLink, Customer } from "@checkout-kit/domain"

/** What a transaction did to one checkout's discount redemption (applied at commit). */
export interface RedemptionChange {
  /** The committed redemption of this checkout is deleted at commit. */
  deleteCommitted: boolean
  /** The discount this transaction reserved a redemption of, to be recorded at commit. */
  reserved: string | null
}

let nextTransactionId = 1

export class Transaction {
  readonly id = nextTransactionId++
  status: "active" | "committed" | "rolledBack" = "active"
  /** Buffered rows by key: the row as this transaction last wrote it. */
  readonly checkouts = new Map<string, Checkout.Checkout>()
  readonly checkoutInserts = new Set<string>()
  readonly links = new Map<string, CheckoutLink.CheckoutLink>()
  readonly linkInserts = new Set<string>()
  readonly customers = new Map<string, Customer.Customer>()
  readonly customerInserts = new Set<string>()
  readonly redemptions = new Map<string, RedemptionChange>()
  readonly events: Array<CheckoutEvent> = []
  /** Row locks held, by lock key (`checkout:<id>`...). */
  readonly locks = new Set<string>()
  /** The lock this transaction is waiting for, for deadlock detection. */
  waitingFor: string | null = null

  readonly database: object

  constructor(database: object) {
    this.database = database
  }

  assertActive(): void {
    if (this.status !== "active") {
      throw new Error(`store-memory: transaction ${this.id} is already ${this.status}; a fiber outlived its transaction`)
    }
  }
}

const noTransactions: ReadonlyMap<object, Transaction> = new Map()

/** The open transaction of each database, for the current fiber. */
export const CurrentTransactions = Context.Reference<ReadonlyMap<object, Transaction>>(
  "@checkout-kit/store-memory/CurrentTransactions",
  { defaultValue: () => noTransactions }
)

/** A deadlock between transactions; PostgreSQL aborts one of them with SQLSTATE 40P01. */
export class DeadlockDetected extends Error {
  override readonly name = "DeadlockDetected"
}

/** Row locks with waiting, NOWAIT and deadlock detection. */
export class LockTable {
  private readonly owners = new Map<string, Transaction>()
  private readonly waiters = new Map<string, Array<() => void>>()

  ownerOf(key: string): Transaction | undefined {
    return this.owners.get(key)
  }

  /** Takes the lock if it is free or already ours; false when another transaction holds it (NOWAIT). */
  tryAcquire(tx: Transaction, key: string): boolean {
    const owner = this.owners.get(key)
    if (owner === tx) return true
    if (owner !== undefined) return false
    this.owners.set(key, tx)
    tx.locks.add(key)
    return true
  }

  /** Takes the lock, waiting for its holder to commit or roll back. */
  acquire(tx: Transaction, key: string): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.tryAcquire(tx, key)) return Effect.void
      const deadlock = this.wouldDeadlock(tx, key)
      if (deadlock) return Effect.die(new DeadlockDetected(`deadlock detected: transaction ${tx.id} waits for ${key}`))
      tx.waitingFor = key
      return this.awaitRelease(key).pipe(
        Effect.ensuring(Effect.sync(() => {
          tx.waitingFor = null
        })),
        Effect.andThen(this.acquire(tx, key))
      )
    })
  }

  /** Waits until nobody holds the lock (an autocommit write outside any transaction). */
  awaitFree(key: string): Effect.Effect<void> {
    return Effect.suspend(() =>
      this.owners.has(key) ? Effect.andThen(this.awaitRelease(key), this.awaitFree(key)) : Effect.void
    )
  }

  releaseAll(tx: Transaction): void {
    for (const key of tx.locks) {
      this.owners.delete(key)
      const waiting = this.waiters.get(key)
      if (waiting !== undefined) {
        this.waiters.delete(key)
        for (const wake of waiting) wake()
      }
    }
    tx.locks.clear()
  }

  private wouldDeadlock(tx: Transaction, key: string): boolean {
    let owner = this.owners.get(key)
    for (let hops = 0; owner !== undefined && hops < 10_000; hops++) {
      if (owner === tx) return true
      if (owner.waitingFor === null) return false
      owner = this.owners.get(owner.waitingFor)
    }
    return false
  }

  private awaitRelease(key: string): Effect.Effect<void> {
    return Effect.callback<void>((resume) => {
      const wake = () => resume(Effect.void)
      let waiting = this.waiters.get(key)
      if (waiting === undefined) {
        waiting = []
        this.waiters.set(key, waiting)
      }
      waiting.push(wake)
      return Effect.sync(() => {
        const list = this.waiters.get(key)
        if (list === undefined) return
        const at = list.indexOf(wake)
        if (at >= 0) list.splice(at, 1)
        if (list.length === 0) this.waiters.delete(key)
      })
    })
  }
}
