/**
 * Checkout statuses (spec 2) and the one function that changes them. `confirmed` means the buyer pressed pay, not
 * that money moved; `failed` exists in the reference but no path sets it, so it is only treated as terminal.
 *
 * `transition` is pure and exhaustive over status x event (no default branch: adding a status or an event is a
 * compile error until every cell is decided). Services call it for every status change and persist what it returns;
 * the repository never changes a status by itself. Besides the status it keeps the bookkeeping that belongs to a
 * status change: the pending attempt recorded on confirm, the current processor intent when the attempt's answer is
 * recorded, the payment attempt counter and the intent keys of `paymentProcessorMetadata` on failure.
 */
import { DateTime, Result } from "effect"
import { type Checkout, type PendingPayment, Status } from "./Checkout.ts"
import { ExpiredCheckoutError, NotConfirmedCheckout, NotOpenCheckout } from "./Errors.ts"

export { Status }

export const statuses: ReadonlyArray<Status> = Status.literals

/**
 * What can happen to a checkout. `intentId` identifies the processor intent a notification is about (null for
 * checkouts confirmed without a payment form); a notification about another intent than the current one is stale.
 */
export type Event =
  | { readonly _tag: "Update" }
  /**
   * The buyer pressed pay. `pending`: the attempt about to be sent to the processor (recorded before the call, so
   * nothing that may be paid is ever lost); null when nothing is sent (no payment form), then `intentId` is null too.
   */
  | { readonly _tag: "Confirm"; readonly intentId: string | null; readonly pending?: PendingPayment | null }
  /** The processor's answer to the pending attempt number `attempt` (confirm's second transaction, reconciliation). */
  | { readonly _tag: "AttemptAnswered"; readonly attempt: number; readonly answer: Answer }
  | { readonly _tag: "PaymentSucceeded"; readonly intentId: string | null }
  | { readonly _tag: "PaymentFailed"; readonly intentId: string | null }
  | { readonly _tag: "Expire" }
export type EventTag = Event["_tag"]

export const eventTags: ReadonlyArray<EventTag> = [
  "Update",
  "Confirm",
  "AttemptAnswered",
  "PaymentSucceeded",
  "PaymentFailed",
  "Expire"
]

/**
 * What the processor said about an attempt: it took it (the intent, and the processor metadata to show the buyer),
 * refused it, or nothing definite (the attempt stays pending, `unknown`, for a retry or the reconciliation).
 */
export type Answer =
  | { readonly _tag: "Accepted"; readonly intentId: string; readonly metadata: Readonly<Record<string, string>> }
  | { readonly _tag: "Declined" }
  /** No definite answer; `intentId` when the adapter learnt which intent the attempt created. */
  | { readonly _tag: "Unknown"; readonly intentId?: string | null }

/** Why an event left the checkout untouched. Notifications are idempotent, so these are answers, not errors. */
export type IgnoreReason =
  | "already_open" // a failure notification for a checkout that is open again
  | "already_succeeded" // a duplicate success notification
  | "terminal" // expired / succeeded / failed do not move any more
  | "superseded_intent" // a notification about an intent of an earlier attempt
  | "not_due" // expiry asked before expires_at
  | "not_open" // expiry asked for a confirmed checkout (only open checkouts expire)
  | "settled" // an answer about an attempt that is not pending any more (recorded by someone else first)

export type Transition =
  | { readonly _tag: "Moved"; readonly checkout: Checkout }
  | { readonly _tag: "Ignored"; readonly checkout: Checkout; readonly reason: IgnoreReason }

export type TransitionError = NotOpenCheckout | ExpiredCheckoutError | NotConfirmedCheckout

/** The errors each event can produce: writes need an open, live checkout; notifications only fail when early. */
export type ErrorOf<E extends Event> = E extends { readonly _tag: "Update" | "Confirm" } ? NotOpenCheckout | ExpiredCheckoutError
  : E extends { readonly _tag: "PaymentSucceeded" } ? NotConfirmedCheckout
  : never

/** The checkout's lifetime is [createdAt, expiresAt): the sweep and lazy expiry use the same bound. */
export const isExpiredByTime = (checkout: Checkout, now: DateTime.Utc): boolean =>
  DateTime.isLessThanOrEqualTo(checkout.expiresAt, now)

const INTENT_KEYS = new Set(["intent_client_secret", "intent_status"])

const moved = (checkout: Checkout, now: DateTime.Utc, patch: Partial<Checkout>): Result.Result<Transition, never> =>
  Result.succeed({ _tag: "Moved", checkout: { ...checkout, ...patch, modifiedAt: now } })

const ignored = (checkout: Checkout, reason: IgnoreReason): Result.Result<Transition, never> =>
  Result.succeed({ _tag: "Ignored", checkout, reason })

const notOpen = (checkout: Checkout) =>
  Result.fail(new NotOpenCheckout({ checkoutId: checkout.id, status: checkout.status }))

const absurd = (value: never): never => value

/** A write (update or confirm) on an open checkout; a past-due one must be expired first (lazy expiry). */
const write = (checkout: Checkout, now: DateTime.Utc, patch: Partial<Checkout>) => {
  switch (checkout.status) {
    case "open":
      return isExpiredByTime(checkout, now)
        ? Result.fail(new ExpiredCheckoutError({ checkoutId: checkout.id }))
        : moved(checkout, now, patch)
    case "expired":
    case "confirmed":
    case "succeeded":
    case "failed":
      return notOpen(checkout)
  }
}

const paymentSucceeded = (checkout: Checkout, now: DateTime.Utc, intentId: string | null) => {
  switch (checkout.status) {
    case "confirmed":
      // The attempt's answer is not recorded yet, so its intent is unknown: the caller retries later (a notification
      // about the pending attempt itself is matched by the use case first, see Checkout.isAboutPendingPayment).
      if (checkout.pendingPayment !== null) {
        return Result.fail(new NotConfirmedCheckout({ checkoutId: checkout.id, status: checkout.status }))
      }
      if (checkout.currentIntentId !== intentId) return ignored(checkout, "superseded_intent")
      return moved(checkout, now, {
        status: "succeeded",
        paymentProcessorMetadata: checkout.currentIntentId === null
          ? checkout.paymentProcessorMetadata
          : { ...checkout.paymentProcessorMetadata, intent_status: "succeeded" }
      })
    case "open":
      // The notification can overtake the confirm's commit (reference PR #4791): the caller retries later.
      return Result.fail(new NotConfirmedCheckout({ checkoutId: checkout.id, status: checkout.status }))
    case "succeeded":
      return ignored(checkout, "already_succeeded")
    case "expired":
    case "failed":
      return ignored(checkout, "terminal")
  }
}

const paymentFailed = (checkout: Checkout, now: DateTime.Utc, intentId: string | null) => {
  switch (checkout.status) {
    case "confirmed":
      if (checkout.pendingPayment !== null || checkout.currentIntentId !== intentId) {
        return ignored(checkout, "superseded_intent")
      }
      return moved(checkout, now, {
        status: "open",
        // A definite outcome: the next confirm is a new charge, so it gets a new idempotency key.
        paymentAttempt: checkout.paymentAttempt + 1,
        pendingPayment: null,
        paymentProcessorMetadata: withoutIntentKeys(checkout.paymentProcessorMetadata)
      })
    case "open":
      return ignored(checkout, "already_open")
    case "expired":
    case "succeeded":
    case "failed":
      return ignored(checkout, "terminal")
  }
}

const withoutIntentKeys = (metadata: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(metadata).filter(([k]) => !INTENT_KEYS.has(k)))

const attemptAnswered = (checkout: Checkout, now: DateTime.Utc, attempt: number, answer: Answer) => {
  switch (checkout.status) {
    case "confirmed": {
      const pending = checkout.pendingPayment
      if (pending === null || pending.attempt !== attempt) return ignored(checkout, "settled")
      switch (answer._tag) {
        case "Accepted":
          return moved(checkout, now, {
            currentIntentId: answer.intentId,
            pendingPayment: null,
            paymentProcessorMetadata: { ...checkout.paymentProcessorMetadata, ...answer.metadata }
          })
        case "Declined":
          // A definite refusal: open again, and the next confirm is a new charge under a new key.
          return moved(checkout, now, {
            status: "open",
            paymentAttempt: checkout.paymentAttempt + 1,
            pendingPayment: null,
            currentIntentId: null,
            paymentProcessorMetadata: withoutIntentKeys(checkout.paymentProcessorMetadata)
          })
        case "Unknown": {
          const intentId = pending.intentId ?? answer.intentId ?? null
          return pending.state === "unknown" && intentId === pending.intentId
            ? ignored(checkout, "settled")
            : moved(checkout, now, { pendingPayment: { ...pending, state: "unknown", intentId } })
        }
      }
      return absurd(answer)
    }
    case "open":
      return ignored(checkout, "already_open")
    case "expired":
    case "succeeded":
    case "failed":
      return ignored(checkout, "terminal")
  }
}

const expire = (checkout: Checkout, now: DateTime.Utc) => {
  switch (checkout.status) {
    case "open":
      return isExpiredByTime(checkout, now) ? moved(checkout, now, { status: "expired" }) : ignored(checkout, "not_due")
    case "confirmed":
      return ignored(checkout, "not_open")
    case "expired":
    case "succeeded":
    case "failed":
      return ignored(checkout, "terminal")
  }
}

/**
 * The status machine. `Moved` carries the next checkout (not yet stored); `Ignored` means the event is a no-op for
 * this checkout (idempotent notifications); a failure is the domain error the caller reports.
 */
export const transition = <E extends Event>(
  checkout: Checkout,
  event: E,
  now: DateTime.Utc
): Result.Result<Transition, ErrorOf<E>> => step(checkout, event, now) as Result.Result<Transition, ErrorOf<E>>

const step = (checkout: Checkout, event: Event, now: DateTime.Utc): Result.Result<Transition, TransitionError> => {
  switch (event._tag) {
    case "Update":
      return write(checkout, now, {})
    case "Confirm":
      return write(checkout, now, {
        status: "confirmed",
        currentIntentId: event.intentId,
        pendingPayment: event.pending ?? null
      })
    case "AttemptAnswered":
      return attemptAnswered(checkout, now, event.attempt, event.answer)
    case "PaymentSucceeded":
      return paymentSucceeded(checkout, now, event.intentId)
    case "PaymentFailed":
      return paymentFailed(checkout, now, event.intentId)
    case "Expire":
      return expire(checkout, now)
  }
  return absurd(event)
}

/** Client-facing mutations are only possible on open checkouts. */
export const isOpen = (status: Status): boolean => status === "open"

/** Statuses no event moves any more. */
export const isTerminal = (status: Status): boolean =>
  status === "expired" || status === "succeeded" || status === "failed"
