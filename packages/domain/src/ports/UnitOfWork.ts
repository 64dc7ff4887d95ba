/**
 * Port: a unit of work. Everything a use case writes through the repository ports inside `transaction` commits
 * together or not at all (checkout, customer, discount redemption, events). Row locks taken with
 * `CheckoutRepository.lockForUpdate` are held until the transaction ends. Nested calls join the outer transaction.
 */
import type { Effect } from "effect"
import { Context } from "effect"

export class UnitOfWork extends Context.Service<UnitOfWork, {
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}>()("@checkout-kit/domain/UnitOfWork") {}
