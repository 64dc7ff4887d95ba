/**
 * The expiry sweep (the reference's cron): due open checkouts move to `expired`, in batches, one small unit of work
 * each. Only `open` checkouts expire: a confirm records its attempt and moves the checkout to `confirmed` before the
 * processor is called, so a checkout that may have been paid is never a candidate (CheckoutStatus `Expire` ignores
 * it, and `listExpirable` returns open checkouts only).
 */
import { Effect, Option } from "effect"
import * as UseCase from "../UseCase.ts"
import type * as Checkout from "../../Checkout.ts"
import type { Kit } from "./Kit.ts"
import * as Now from "../Now.ts"

export const make = (kit: Kit) => {
  const { repo, uow } = kit

  const expireOpenCheckouts = UseCase.fn("CheckoutService.expireOpenCheckouts")(function*(
    options?: { readonly limit?: number }
  ) {
    const limit = options?.limit ?? 100
    const expired: Array<Checkout.Checkout> = []
    while (true) {
      const now = yield* Now.now
      const batch = yield* repo.listExpirable(now, limit)
      let progressed = 0
      for (const candidate of batch) {
        const done = yield* uow.transaction(Effect.gen(function*() {
          const locked = yield* repo.lockForUpdate(candidate.id)
          return Option.isNone(locked) ? Option.none<Checkout.Checkout>() : yield* kit.expireNow(locked.value, now)
        })).pipe(
          // A busy checkout is left for the next sweep.
          Effect.catchTag("CheckoutLocked", () => Effect.succeed(Option.none<Checkout.Checkout>()))
        )
        if (Option.isSome(done)) {
          expired.push(done.value)
          progressed += 1
        }
      }
      if (batch.length < limit || progressed === 0) return expired
    }
  })

  return { expireOpenCheckouts }
}
