/**
 * The gates of a write: a locked read of the checkout with the reference's order of refusals (404, 410, 403 for
 * client writes; 404 for another or a blocked organization), lazy expiry of a past-due checkout, the open-status
 * check, and the versioned save and event publishing every write ends with.
 */
import { type DateTime, Effect, Option, Result } from "effect"
import type * as Checkout from "../../Checkout.ts"
import type { Caller } from "../../CheckoutService.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import * as Errors from "../../Errors.ts"
import * as Organization from "../../Organization.ts"
import type { CheckoutEventType } from "../../ports/Events.ts"
import type { Gate, Kit, Ports } from "./Kit.ts"

export const make = (
  { events, repo }: Pick<Ports, "events" | "repo">,
  { load, loadOrganization }: Pick<Kit, "load" | "loadOrganization">
) => {
  const save = (next: Checkout.Checkout, expectedVersion: number) =>
    repo.update(next, expectedVersion).pipe(
      Effect.catchTag("VersionConflict", () => Effect.fail(new Errors.CheckoutLocked({ checkoutId: next.id })))
    )

  const publish = (checkout: Checkout.Checkout, ...types: ReadonlyArray<CheckoutEventType>) =>
    types.length === 1
      ? events.publish({ type: types[0]!, checkout })
      : Effect.forEach(types, (type) => events.publish({ type, checkout }), { discard: true })

  /** Moves a due open checkout to expired and stores it (lazy expiry and the sweep). */
  const expireNow = Effect.fnUntraced(function*(checkout: Checkout.Checkout, now: DateTime.Utc) {
    const t = CheckoutStatus.transition(checkout, { _tag: "Expire" }, now)
    if (Result.isFailure(t) || t.success._tag === "Ignored") return Option.none<Checkout.Checkout>()
    const stored = yield* save(t.success.checkout, checkout.version)
    yield* publish(stored, "checkout.expired")
    return Option.some(stored)
  })

  /**
   * Locks a checkout for a client write and applies the gate order (spec 2.2): 404, 410, 403. `knownId`: the id a
   * read before the transaction found for this client secret (confirm's prepare step), so the lock is the
   * transaction's first statement instead of a second lookup by client secret; the locked row must still carry
   * the secret.
   */
  const gateForWrite = Effect.fnUntraced(function*(clientSecret: string, now: DateTime.Utc, knownId?: string) {
    let id = knownId
    if (id === undefined) {
      const found = yield* repo.findByClientSecret(clientSecret)
      if (Option.isNone(found)) return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
      id = found.value.id
    }
    const locked = yield* repo.lockForUpdate(id)
    if (Option.isNone(locked) || locked.value.clientSecret !== clientSecret) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id: clientSecret })
    }
    const checkout = locked.value
    if (CheckoutStatus.isExpiredByTime(checkout, now)) {
      const expired = yield* expireNow(checkout, now)
      return { _tag: "Expired", checkout: Option.getOrElse(expired, () => checkout) } satisfies Gate as Gate
    }
    const loaded = yield* load(checkout)
    if (!Organization.canAuthenticate(loaded.organization)) return yield* new Errors.NotPermitted({ detail: "Not permitted" })
    return { _tag: "Live", loaded } satisfies Gate as Gate
  })

  /**
   * Locks a checkout of the caller's organization for an org write; lazy expiry as for client writes. A blocked
   * organization's checkouts are not found (reference: readable statements exclude blocked organizations).
   */
  const gateForOrgWrite = Effect.fnUntraced(function*(caller: Caller, id: string, now: DateTime.Utc) {
    const locked = yield* repo.lockForUpdate(id)
    if (Option.isNone(locked) || locked.value.organizationId !== caller.organizationId) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    }
    const checkout = locked.value
    if (!Organization.canAuthenticate(yield* loadOrganization(checkout.organizationId))) {
      return yield* new Errors.ResourceNotFound({ resource: "Checkout", id })
    }
    if (checkout.status === "open" && CheckoutStatus.isExpiredByTime(checkout, now)) {
      const expired = yield* expireNow(checkout, now)
      return { _tag: "Expired", checkout: Option.getOrElse(expired, () => checkout) } satisfies Gate as Gate
    }
    return { _tag: "Live", loaded: yield* load(checkout) } satisfies Gate as Gate
  })

  /**
   * Writes need an open checkout. The gates have already expired a past-due one, so "expired by time" can only
   * surface here as the status it now has.
   */
  const openOrFail = <A>(t: Result.Result<A, Errors.NotOpenCheckout | Errors.ExpiredCheckoutError>, checkout: Checkout.Checkout) =>
    Result.isSuccess(t)
      ? Effect.succeed(t.success)
      : Effect.fail(
        t.failure._tag === "NotOpenCheckout"
          ? t.failure
          : new Errors.NotOpenCheckout({ checkoutId: checkout.id, status: "expired" })
      )

  const requireOpen = (checkout: Checkout.Checkout, now: DateTime.Utc) =>
    Effect.asVoid(openOrFail(CheckoutStatus.transition(checkout, { _tag: "Update" }, now), checkout))

  return { save, publish, expireNow, gateForWrite, gateForOrgWrite, openOrFail, requireOpen }
}
