/**
 * The update use cases: the organization's `PATCH /v1/checkouts/{id}` and the buyer's
 * `PATCH /v1/checkouts/client/{secret}`. Gate (lock, lazy expiry), load the discount the body names, apply
 * the body (the pure `CheckoutPatch.apply`), reprice (a tax error is not an
 * error here), reset the payment-form fields, save with the version read, publish `checkout.updated`.
 */
import { DateTime, Effect, Result } from "effect"
import type { Caller, ClientUpdateInput, UpdateInput } from "../../CheckoutService.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import * as Errors from "../../Errors.ts"
import * as UseCase from "../UseCase.ts"
import * as CheckoutPatch from "./CheckoutPatch.ts"
import type { Gate, Kit, Loaded, Mode, Patch } from "./Kit.ts"
import { flagsOf, invalid, resetPaymentFormFields } from "./Rules.ts"
import * as Now from "../Now.ts"

export const make = (kit: Kit) => {
  const { findDiscount, gateForOrgWrite, gateForWrite, openOrFail, publish, reprice, requireOpen, save, selectionOf, uow, viewOf } = kit

  /** Validated update: apply, fail on issues, reprice (tax errors swallowed), reset form fields, store. */
  const writeUpdate = Effect.fnUntraced(function*(loaded: Loaded, patch: Patch, mode: Mode, now: DateTime.Utc) {
    // A payment attempt without a recorded answer: the checkout may go back to open (a decline), so the write is
    // "being processed, try again" rather than a final "not open".
    if (loaded.checkout.status === "confirmed" && loaded.checkout.pendingPayment !== null) {
      return yield* new Errors.CheckoutLocked({ checkoutId: loaded.checkout.id })
    }
    yield* requireOpen(loaded.checkout, now)
    // Load what the body names, decide without effects, then persist.
    const foundDiscount = yield* findDiscount(loaded.organization.id, CheckoutPatch.discountRef(loaded.checkout, patch, mode))
    const applied = CheckoutPatch.apply({ loaded, current: selectionOf(loaded), patch, mode, now, foundDiscount })
    if (Result.isFailure(applied)) return yield* invalid(applied.failure)
    const { draft, selection } = applied.success
    const priced = yield* reprice(draft, selection, loaded.organization)
    const flags = flagsOf(priced.checkout, selection)
    const next = resetPaymentFormFields(priced.checkout, flags)
    const t = yield* openOrFail(CheckoutStatus.transition(next, { _tag: "Update" }, now), next)
    const stored = yield* save(t.checkout, loaded.checkout.version)
    yield* publish(stored, "checkout.updated")
    return { ...loaded, checkout: stored, discount: selection.discount } satisfies Loaded
  })

  const update = UseCase.fn("CheckoutService.update")(function*(caller: Caller, id: string, patch: UpdateInput) {
    const now = yield* Now.now
    const result = yield* uow.transaction(Effect.gen(function*() {
      const gate = yield* gateForOrgWrite(caller, id, now)
      if (gate._tag === "Expired") return gate
      return { _tag: "Live", loaded: yield* writeUpdate(gate.loaded, patch, "org", now) } satisfies Gate as Gate
    }))
    if (result._tag === "Expired") {
      return yield* new Errors.NotOpenCheckout({ checkoutId: result.checkout.id, status: result.checkout.status })
    }
    return yield* viewOf(result.loaded)
  })

  const clientUpdate = UseCase.fn("CheckoutService.clientUpdate")(function*(clientSecret: string, patch: ClientUpdateInput) {
    const now = yield* Now.now
    const result = yield* uow.transaction(Effect.gen(function*() {
      const gate = yield* gateForWrite(clientSecret, now)
      if (gate._tag === "Expired") return gate
      return { _tag: "Live", loaded: yield* writeUpdate(gate.loaded, patch, "client", now) } satisfies Gate as Gate
    }))
    if (result._tag === "Expired") return yield* new Errors.ExpiredCheckoutError({ checkoutId: result.checkout.id })
    return yield* viewOf(result.loaded)
  })

  return { update, clientUpdate }
}
