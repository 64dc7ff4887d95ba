/**
 * The in-memory database every port of this package reads and writes: its tables, row locks, event outbox and
 * transactions. Hot paths are plain synchronous code over Maps and sorted arrays; Effect appears only where a
 * caller may wait (row locks) or where the current transaction is read from the fiber.
 *
 * Semantics are PostgreSQL's at READ COMMITTED, so that swapping in a SQL adapter changes nothing observable:
 * - outside a transaction every write commits at once (autocommit);
 * - inside one, writes are buffered and become visible to others all together at commit; a failure, defect or
 *   interruption discards them (and returns any discount redemption the transaction reserved);
 * - a transaction sees its own writes and the latest committed data of others;
 * - writing a row locks it until the transaction ends; another writer of that row waits; `lockForUpdate` is
 *   FOR UPDATE NOWAIT; versioned updates compare the stored version after the lock is taken, so a stale writer
 *   gets VersionConflict, never a lost update;
 * - unique violations (ids, client secrets, customers' email and external id) are defects, as errors raised by
 *   the database are infrastructure failures the domain cannot act on.
 */
import type { Checkout, CheckoutEvent, CheckoutLink, Customer } from "@checkout-kit/domain"
import { Errors } from "@checkout-kit/domain"
import { Context, Effect, Option } from "effect"
import { CatalogTable } from "./CatalogTable.ts"
import { CheckoutTable, compact } from "./CheckoutTable.ts"
import { CustomerTable } from "./CustomerTable.ts"
import { LinkTable } from "./LinkTable.ts"
import { OrganizationTable } from "./OrganizationTable.ts"
import type { Outbox } from "./Outbox.ts"
import { uuidKey } from "./SqlOrder.ts"
import { CurrentTransactions, LockTable, Transaction } from "./Transaction.ts"

/** A constraint the database enforces was violated (a defect, like a SQL integrity error). */
export class ConstraintViolation extends Error {
  override readonly name = "ConstraintViolation"
}

const checkoutLock = (key: string) => `checkout:${key}`
const linkLock = (key: string) => `link:${key}`
const customerLock = (key: string) => `customer:${key}`
/**
 * The unique-index entries a customer occupies, as lock keys, sorted (two callers taking several always take them in
 * the same order, so they cannot deadlock on each other).
 */
const customerUniqueLocks = (customer: Customer.Customer): Array<string> => {
  if (customer.deletedAt !== null) return []
  const org = uuidKey(customer.organizationId)
  const keys: Array<string> = []
  if (customer.email !== null) keys.push(`customer-email:${org}|${customer.email.toLowerCase()}`)
  if (customer.externalId !== null) keys.push(`customer-external:${org}|${customer.externalId}`)
  return keys.sort()
}

export class MemoryDatabase {
  readonly checkouts = new CheckoutTable()
  readonly links = new LinkTable()
  readonly customers = new CustomerTable()
  readonly catalog = new CatalogTable()
  readonly organizations = new OrganizationTable()
  readonly locks = new LockTable()

  readonly outbox: Outbox

  constructor(outbox: Outbox) {
    this.outbox = outbox
  }

  /**
   * Runs `f` with the current fiber's transaction on this database (undefined outside one). `f` runs when the
   * effect runs (inside `withFiberSucceed`, which is lazy like `sync`, and turns a throw into a defect like it), in
   * one step of the fiber: the store's reads are on every request path.
   */
  read<A>(f: (tx: Transaction | undefined) => A): Effect.Effect<A> {
    return Effect.withFiberSucceed((fiber) => {
      const tx = fiber.getRef(CurrentTransactions).get(this)
      tx?.assertActive()
      return f(tx)
    })
  }

  /** Like `read`, for operations that may wait or fail. */
  withTransaction<A, E>(f: (tx: Transaction | undefined) => Effect.Effect<A, E>): Effect.Effect<A, E> {
    return Effect.withFiber((fiber) => {
      const tx = fiber.getRef(CurrentTransactions).get(this)
      tx?.assertActive()
      return f(tx)
    })
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Unit of work
  // ---------------------------------------------------------------------------------------------------------------

  transaction<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.withFiber((fiber) => {
      const open = fiber.getRef(CurrentTransactions)
      if (open.has(this)) return effect
      // Made here, before the uninterruptible region: an interruption in between leaves an unused transaction that
      // holds nothing; every lock and write happens inside `effect`, and the region always commits or rolls back.
      const tx = new Transaction(this)
      const next = new Map(open)
      next.set(this, tx)
      // One frame around the work (`matchCauseEffect`): every write of every use case passes here.
      return Effect.uninterruptibleMask((restore) =>
        Effect.matchCauseEffect(restore(Effect.provideService(effect, CurrentTransactions, next)), {
          onSuccess: (value) => {
            const violation = this.commit(tx)
            return violation === undefined ? Effect.succeed(value) : Effect.die(violation)
          },
          onFailure: (cause) => {
            this.rollback(tx)
            return Effect.failCause(cause)
          }
        })
      )
    })
  }

  /** Applies the transaction atomically, or rolls it back and returns the constraint it would violate. */
  private commit(tx: Transaction): ConstraintViolation | undefined {
    const violation = this.validate(tx)
    if (violation !== undefined) {
      this.rollback(tx)
      return new ConstraintViolation(violation)
    }
    for (const row of tx.checkouts.values()) this.checkouts.put(row)
    for (const row of tx.links.values()) this.links.put(row)
    for (const row of tx.customers.values()) this.customers.put(row)
    this.catalog.commit(tx)
    if (tx.events.length > 0) this.outbox.append(tx.events)
    tx.status = "committed"
    this.locks.releaseAll(tx)
    return undefined
  }

  private rollback(tx: Transaction): void {
    this.catalog.rollback(tx)
    tx.status = "rolledBack"
    this.locks.releaseAll(tx)
  }

  /** Constraints re-checked against what others committed meanwhile (row locks already exclude the rest). */
  private validate(tx: Transaction): string | undefined {
    for (const [key, row] of tx.checkouts) {
      if (tx.checkoutInserts.has(key) && this.checkouts.rows.has(key)) return `duplicate key checkouts (id) = (${row.id})`
      const owner = this.checkouts.secretOwner(row.clientSecret)
      const rewritten = owner === undefined ? undefined : tx.checkouts.get(owner)
      if (owner !== undefined && owner !== key && (rewritten === undefined || rewritten.clientSecret === row.clientSecret)) {
        return "duplicate key checkouts (client_secret)"
      }
    }
    for (const [key, row] of tx.links) {
      if (tx.linkInserts.has(key) && this.links.rows.has(key)) return `duplicate key checkout_links (id) = (${row.id})`
      const owner = this.links.secretOwner(row.clientSecret)
      const rewritten = owner === undefined ? undefined : tx.links.get(owner)
      if (owner !== undefined && owner !== key && (rewritten === undefined || rewritten.clientSecret === row.clientSecret)) {
        return "duplicate key checkout_links (client_secret)"
      }
    }
    for (const [key, row] of tx.customers) {
      if (tx.customerInserts.has(key) && this.customers.rows.has(key)) return `duplicate key customers (id) = (${row.id})`
      const violation = this.customers.violation(tx, row)
      if (violation !== undefined) return `duplicate key ${violation}`
    }
    return undefined
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Checkouts
  // ---------------------------------------------------------------------------------------------------------------

  insertCheckout(checkout: Checkout.Checkout): Effect.Effect<void> {
    const key = uuidKey(checkout.id)
    return this.write(checkoutLock(key), (tx) => {
      if (checkout.version !== 1) return Effect.die(new ConstraintViolation(`checkout ${checkout.id} inserted with version ${checkout.version}, expected 1`))
      if (this.checkouts.findById(tx, key) !== undefined) return Effect.die(new ConstraintViolation(`duplicate key checkouts (id) = (${checkout.id})`))
      const owner = this.checkouts.findByClientSecret(tx, checkout.clientSecret)
      if (owner !== undefined) return Effect.die(new ConstraintViolation("duplicate key checkouts (client_secret)"))
      const row = compact(checkout)
      if (tx === undefined) this.checkouts.put(row)
      else {
        tx.checkouts.set(key, row)
        tx.checkoutInserts.add(key)
      }
      return Effect.void
    })
  }

  updateCheckout(checkout: Checkout.Checkout, expectedVersion: number): Effect.Effect<Checkout.Checkout, Errors.VersionConflict> {
    const key = uuidKey(checkout.id)
    return this.write(checkoutLock(key), (tx) => {
      const current = this.checkouts.findById(tx, key)
      if (current === undefined || current.version !== expectedVersion) {
        return Effect.fail(new Errors.VersionConflict({ entity: "Checkout", id: checkout.id, expectedVersion }))
      }
      if (current.clientSecret !== checkout.clientSecret && this.checkouts.findByClientSecret(tx, checkout.clientSecret) !== undefined) {
        return Effect.die(new ConstraintViolation("duplicate key checkouts (client_secret)"))
      }
      const row = compact(checkout, expectedVersion + 1)
      if (tx === undefined) this.checkouts.put(row)
      else tx.checkouts.set(key, row)
      return Effect.succeed(row)
    })
  }

  lockCheckout(id: string): Effect.Effect<Option.Option<Checkout.Checkout>, Errors.CheckoutLocked> {
    return this.withTransaction((tx) => {
      if (tx === undefined) return Effect.die(new Error("CheckoutRepository.lockForUpdate called outside UnitOfWork.transaction"))
      const row = this.checkouts.findById(tx, id)
      if (row === undefined) return Effect.succeedNone
      if (!this.locks.tryAcquire(tx, checkoutLock(uuidKey(id)))) return Effect.fail(new Errors.CheckoutLocked({ checkoutId: row.id }))
      return Effect.succeedSome(row)
    })
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Checkout links
  // ---------------------------------------------------------------------------------------------------------------

  insertLink(link: CheckoutLink.CheckoutLink): Effect.Effect<void> {
    const key = uuidKey(link.id)
    return this.write(linkLock(key), (tx) => {
      if (this.links.findAny(tx, key) !== undefined) return Effect.die(new ConstraintViolation(`duplicate key checkout_links (id) = (${link.id})`))
      if (this.linkSecretTaken(tx, link.clientSecret, key)) return Effect.die(new ConstraintViolation("duplicate key checkout_links (client_secret)"))
      if (tx === undefined) this.links.put(link)
      else {
        tx.links.set(key, link)
        tx.linkInserts.add(key)
      }
      return Effect.void
    })
  }

  updateLink(link: CheckoutLink.CheckoutLink, expectedVersion: number): Effect.Effect<CheckoutLink.CheckoutLink, Errors.VersionConflict> {
    const key = uuidKey(link.id)
    return this.write(linkLock(key), (tx) => {
      const current = this.links.findById(tx, key)
      if (current === undefined || current.version !== expectedVersion) {
        return Effect.fail(new Errors.VersionConflict({ entity: "CheckoutLink", id: link.id, expectedVersion }))
      }
      if (this.linkSecretTaken(tx, link.clientSecret, key)) return Effect.die(new ConstraintViolation("duplicate key checkout_links (client_secret)"))
      const row = { ...link, version: expectedVersion + 1 }
      if (tx === undefined) this.links.put(row)
      else tx.links.set(key, row)
      return Effect.succeed(row)
    })
  }

  private linkSecretTaken(tx: Transaction | undefined, clientSecret: string, key: string): boolean {
    if (tx !== undefined) {
      for (const [k, row] of tx.links) if (k !== key && row.clientSecret === clientSecret) return true
    }
    const owner = this.links.secretOwner(clientSecret)
    if (owner === undefined || owner === key) return false
    const seen = tx?.links.get(owner)
    return seen === undefined || seen.clientSecret === clientSecret
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Customers
  // ---------------------------------------------------------------------------------------------------------------

  insertCustomer(customer: Customer.Customer): Effect.Effect<void> {
    const key = uuidKey(customer.id)
    return this.write(customerLock(key), (tx) => {
      if (this.customers.findById(tx, key) !== undefined) return Effect.die(new ConstraintViolation(`duplicate key customers (id) = (${customer.id})`))
      const violation = this.customers.violation(tx, customer)
      if (violation !== undefined) return Effect.die(new ConstraintViolation(`duplicate key ${violation}`))
      if (tx === undefined) this.customers.put(customer)
      else {
        tx.customers.set(key, customer)
        tx.customerInserts.add(key)
      }
      return Effect.void
    })
  }

  /**
   * `Customers.insertOrGet`: PostgreSQL's `INSERT ... ON CONFLICT DO NOTHING` + `SELECT`. An insert of a unique key
   * that an unfinished transaction is inserting waits for that transaction to end; here a lock per unique-index entry
   * (taken by every insertOrGet, held until the transaction ends) makes a second caller wait for the first, then see
   * its committed customer. A plain `insert` does not take these locks: a race between a plain insert and another
   * write of the same email still ends in a unique violation at commit, as with plain INSERTs in SQL.
   */
  insertOrGetCustomer(customer: Customer.Customer): Effect.Effect<Customer.Customer> {
    const keys = customerUniqueLocks(customer)
    const existing = (tx: Transaction | undefined): Customer.Customer | undefined => {
      const byId = this.customers.findById(tx, customer.id)
      if (byId !== undefined || customer.deletedAt !== null) return byId
      return (customer.email === null ? undefined : this.customers.findByEmail(tx, customer.organizationId, customer.email)) ??
        (customer.externalId === null
          ? undefined
          : this.customers.findByExternalId(tx, customer.organizationId, customer.externalId))
    }
    const insertOrGet = (tx: Transaction | undefined): Effect.Effect<Customer.Customer> =>
      Effect.suspend(() => {
        tx?.assertActive()
        const found = existing(tx)
        return found !== undefined ? Effect.succeed(found) : Effect.as(this.insertCustomer(customer), customer)
      })
    return this.withTransaction((tx) => {
      if (tx !== undefined) {
        return Effect.andThen(Effect.forEach(keys, (key) => this.locks.acquire(tx, key), { discard: true }), insertOrGet(tx))
      }
      // Autocommit: wait until no transaction holds any of the entries, then apply at once.
      const attempt: Effect.Effect<Customer.Customer> = Effect.suspend(() => {
        const busy = keys.find((key) => this.locks.ownerOf(key) !== undefined)
        return busy === undefined ? insertOrGet(undefined) : Effect.andThen(this.locks.awaitFree(busy), attempt)
      })
      return attempt
    })
  }

  updateCustomer(customer: Customer.Customer): Effect.Effect<void> {
    const key = uuidKey(customer.id)
    return this.write(customerLock(key), (tx) => {
      if (this.customers.findById(tx, key) === undefined) return Effect.die(new ConstraintViolation(`customer ${customer.id} does not exist`))
      const violation = this.customers.violation(tx, customer)
      if (violation !== undefined) return Effect.die(new ConstraintViolation(`duplicate key ${violation}`))
      if (tx === undefined) this.customers.put(customer)
      else tx.customers.set(key, customer)
      return Effect.void
    })
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Events
  // ---------------------------------------------------------------------------------------------------------------

  publish(event: CheckoutEvent): Effect.Effect<void> {
    return this.read((tx) => {
      if (tx === undefined) this.outbox.append([event])
      else tx.events.push(event)
    })
  }

  /**
   * A write of one row: inside a transaction, take the row lock (waiting for its holder) and buffer; outside,
   * wait until no transaction holds the row, then apply at once. `apply` runs synchronously right after the lock
   * check, so no other fiber can slip in between.
   */
  private write<A, E>(lock: string, apply: (tx: Transaction | undefined) => Effect.Effect<A, E>): Effect.Effect<A, E> {
    return this.withTransaction((tx) => {
      if (tx !== undefined) {
        // A free lock (the usual case) is taken and the row written in this same step; only a held one waits.
        if (this.locks.tryAcquire(tx, lock)) return apply(tx)
        return Effect.andThen(this.locks.acquire(tx, lock), Effect.suspend(() => {
          tx.assertActive()
          return apply(tx)
        }))
      }
      // Checked now (this runs inside the fiber step), and again after each wait.
      const attempt = (): Effect.Effect<A, E> =>
        this.locks.ownerOf(lock) === undefined
          ? apply(undefined)
          : Effect.andThen(this.locks.awaitFree(lock), Effect.suspend(attempt))
      return attempt()
    })
  }
}

/** The database shared by every port layer of one store. */
export class Database extends Context.Service<Database, MemoryDatabase>()("@checkout-kit/store-memory/Database") {}
