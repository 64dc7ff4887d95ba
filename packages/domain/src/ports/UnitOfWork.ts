/**
 * Port: a unit of work. Everything a use case writes through the repository ports inside `transaction` commits
 * together or not at all (checkout, customer, discount redemption, events): a failure, a defect or an interruption
 * rolls every write back. Semantics are PostgreSQL's at READ COMMITTED, which the memory store copies:
 * - reads inside a transaction see its own writes and the latest committed data of others; others see none of its
 *   writes until it commits, then all of them at once;
 * - row locks (`CheckoutRepository.lockForUpdate`, and every row the transaction writes) are held until it ends;
 *   `lockForUpdate` is NOWAIT (CheckoutLocked at once), but a second WRITER of a row (update, insert of the same
 *   key) waits for the holder to end, then sees the new version: a stale versioned update then fails
 *   VersionConflict, never a lost update;
 * - a lock-wait cycle between transactions (deadlock) aborts one of them with a defect (memory: DeadlockDetected;
 *   PostgreSQL: SQLSTATE 40P01) and rolls it back; the other proceeds;
 * - nested calls join the outer transaction WITHOUT a savepoint: an inner failure that the outer code catches keeps
 *   the inner's writes, and they commit or roll back with the outer transaction.
 */
import type { Effect } from "effect"
import { Context } from "effect"

export class UnitOfWork extends Context.Service<UnitOfWork, {
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}>()("@checkout-kit/domain/UnitOfWork") {}
