/**
 * What every port of this package shares: the SQL client, "am I inside a unit of work", and the rule that a
 * database failure is a defect (an infrastructure error the domain cannot act on; the HTTP layer answers 5xx).
 * `UnitOfWork.transaction` is `BEGIN ... COMMIT` on one pooled connection; nested calls join the outer transaction
 * without a savepoint, as the port requires.
 */
import { UnitOfWork } from "@checkout-kit/domain"
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { isSqlError } from "effect/sql/SqlError"

/** Whether the current fiber runs inside a transaction of this client. */
export const inTransaction = (sql: SqlClient): Effect.Effect<boolean> =>
  Effect.map(Effect.serviceOption(sql.transactionService), Option.isSome)

/** Runs `effect` in a transaction: the enclosing one if any, else a new one. SQL errors become defects. */
export const transactional = <A, E, R>(sql: SqlClient, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(inTransaction(sql), (inside) =>
    inside
      ? effect
      : sql.withTransaction(effect).pipe(Effect.catchIf(isSqlError, (e) => Effect.die(e))) as Effect.Effect<A, E, R>)

export const layerUnitOfWork: Layer.Layer<UnitOfWork, never, SqlClient> = Layer.effect(
  UnitOfWork,
  Effect.gen(function*() {
    const sql = yield* SqlClient
    return UnitOfWork.of({ transaction: (effect) => transactional(sql, effect) })
  })
)
