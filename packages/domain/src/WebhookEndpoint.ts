/**
 * Merchant webhook endpoints and the events delivered to them, as the reference models them
 * (`server/polar/webhook/`): an endpoint belongs to an organization, has a URL, a format, a signing secret
 * (`polar_whs_...`, the reference's token format) and the event types it subscribes to. A webhook event is one
 * domain event addressed to one endpoint; its id is the Standard Webhooks `webhook-id`, stable across retries. A
 * delivery is one attempt to send it. Pure: validation of what a merchant may configure, the retry schedule.
 */
import type { DateTime, Redacted } from "effect"
import * as Issue from "./Issue.ts"
import type { Id } from "./Ids.ts"

/**
 * Every event type the reference lets an endpoint subscribe to (the SDK's `WebhookEventType`). Endpoints may
 * subscribe to any of them (a configuration copied from Polar keeps working); checkout-kit emits the checkout ones.
 */
export const eventTypes = [
  "checkout.created", "checkout.updated", "checkout.expired",
  "customer.created", "customer.updated", "customer.deleted", "customer.state_changed",
  "customer_seat.assigned", "customer_seat.claimed", "customer_seat.revoked",
  "member.created", "member.updated", "member.deleted",
  "order.created", "order.updated", "order.paid", "order.refunded",
  "subscription.created", "subscription.updated", "subscription.active", "subscription.canceled",
  "subscription.uncanceled", "subscription.revoked", "subscription.past_due", "subscription.paused",
  "subscription.resumed", "refund.created", "refund.updated", "product.created", "product.updated",
  "benefit.created", "benefit.updated", "benefit_grant.created", "benefit_grant.cycled", "benefit_grant.updated",
  "benefit_grant.revoked", "organization.updated"
] as const
export type EventType = typeof eventTypes[number]

/** The domain events that become webhooks (`checkout.succeeded` is in-process only: the reference has no such webhook). */
export const deliveredEventTypes = ["checkout.created", "checkout.updated", "checkout.expired"] as const
export type DeliveredEventType = typeof deliveredEventTypes[number]

export const isDeliveredEventType = (type: string): type is DeliveredEventType =>
  (deliveredEventTypes as ReadonlyArray<string>).includes(type)

/** `raw`: the JSON payload as is. `discord`/`slack` reshape it for chat apps; not built here (422 on create/update). */
export const formats = ["raw", "discord", "slack"] as const
export type Format = typeof formats[number]
export const supportedFormats: ReadonlyArray<Format> = ["raw"]

export interface WebhookEndpoint {
  readonly id: Id
  readonly organizationId: Id
  readonly url: string
  readonly name: string | null
  readonly format: Format
  /** The Standard Webhooks signing secret as the merchant sees it (`polar_whs_` + 43 characters). */
  readonly secret: Redacted.Redacted<string>
  readonly events: ReadonlyArray<EventType>
  /** False after `disableAfterFailures` consecutive failed attempts (or when the merchant disables it). */
  readonly enabled: boolean
  /** Failed attempts since the last successful one; reset by a success and by re-enabling. */
  readonly consecutiveFailures: number
  readonly createdAt: DateTime.Utc
  readonly modifiedAt: DateTime.Utc | null
}

/** The state of a webhook event (one domain event for one endpoint). */
export type EventStatus = "pending" | "delivered" | "failed"

export interface WebhookEvent {
  /** The `webhook-id` header: the same for every attempt and every redelivery. */
  readonly id: Id
  readonly endpointId: Id
  readonly organizationId: Id
  readonly type: DeliveredEventType
  readonly checkoutId: Id
  /** When the domain event was committed: the payload's `timestamp`. */
  readonly timestamp: DateTime.Utc
  /** The body sent, fixed at the first attempt so that every retry sends the same bytes; null before. */
  readonly payload: string | null
  readonly status: EventStatus
  readonly lastHttpCode: number | null
  readonly createdAt: DateTime.Utc
  readonly modifiedAt: DateTime.Utc | null
}

/** One attempt to send a webhook event. */
export interface WebhookDelivery {
  readonly id: Id
  readonly eventId: Id
  readonly endpointId: Id
  readonly succeeded: boolean
  /** The receiver's status code; null when no response came (refused, timed out, unsafe target). */
  readonly httpCode: number | null
  /** The start of the response body (capped) or what went wrong. */
  readonly response: string | null
  readonly durationMs: number
  readonly createdAt: DateTime.Utc
}

// --- validation -------------------------------------------------------------------------------------------------

/** The longest URL accepted (pydantic's `HttpUrl`). */
export const MAX_URL_LENGTH = 2083

/** scheme, userinfo (with its "@"), host[:port]; parsed by hand: the domain compiles without DOM or Node typings. */
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#@]*@)?([^/?#]*)(?:[/?#].*)?$/u
const HOSTNAME = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$/u
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/u

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/u

/**
 * True for addresses a webhook must not reach unless private targets are allowed: loopback, private (RFC 1918,
 * unique local), link-local (cloud metadata), unspecified, CGNAT, and `localhost` names.
 */
export const isPrivateHost = (host: string): boolean => {
  const h = host.toLowerCase().replace(/^\[|\]$/gu, "")
  if (h === "localhost" || h.endsWith(".localhost")) return true
  const m = ipv4.exec(h)
  if (m !== null) {
    const [a, b] = [Number(m[1]), Number(m[2])]
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)
  }
  if (h.includes(":")) {
    if (h === "::" || h === "::1") return true
    if (h.startsWith("::ffff:")) return isPrivateHost(h.slice(7))
    return /^f[cd]/u.test(h) || /^fe[89ab]/u.test(h)
  }
  return false
}

/**
 * The URL rule: https, or http when private targets are allowed (local development, tests). A literal private
 * address is refused unless allowed; hostnames are checked again at send time, after DNS resolution.
 */
export const validateUrl = (
  url: unknown,
  path: Issue.Path,
  allowPrivateTargets: boolean
): ReadonlyArray<Issue.Issue> => {
  if (typeof url !== "string") return [Issue.make(path, Issue.Reason.UrlType(), url)]
  const m = URL_PARTS.exec(url)
  const host = m === null ? "" : (m[3] ?? "").replace(/:[0-9]*$/u, "")
  if (m === null || host === "" || !(HOSTNAME.test(host.toLowerCase()) || IPV6.test(host))) {
    return [Issue.make(path, Issue.Reason.UrlRelative(), url)]
  }
  if (url.length > MAX_URL_LENGTH) {
    return [Issue.make(path, Issue.Reason.UrlTooLong({ max: MAX_URL_LENGTH }), url)]
  }
  const scheme = m[1]!.toLowerCase()
  if (scheme !== "https" && !(allowPrivateTargets && scheme === "http")) {
    return [Issue.make(path, Issue.Reason.UrlScheme(), url)]
  }
  if (m[2] !== undefined) {
    return [Issue.make(path, Issue.Reason.UrlCredentials(), url)]
  }
  if (!allowPrivateTargets && isPrivateHost(host)) {
    return [Issue.make(path, Issue.Reason.UrlPrivateAddress(), url)]
  }
  return []
}

export const validateFormat = (format: Format, path: Issue.Path): ReadonlyArray<Issue.Issue> =>
  supportedFormats.includes(format)
    ? []
    : [Issue.make(path, Issue.Reason.FormatNotSupported({ format }), format)]

// --- retries ----------------------------------------------------------------------------------------------------

export interface RetryPolicy {
  /** Attempts in total before the event is given up (status `failed`). */
  readonly maxAttempts: number
  /** Delay before the second attempt; doubled for each further attempt. */
  readonly baseDelayMs: number
  /** Upper bound of a delay. */
  readonly maxDelayMs: number
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 5_000, maxDelayMs: 3_600_000 }

/**
 * Delay before attempt `attempt + 1` after attempt number `attempt` (1-based) failed, or null when the event is
 * given up. Exponential with "equal jitter": half the exponential delay, plus a random part of the other half, so
 * retries of many events after an outage spread out but never come sooner than half the schedule. `random` in [0, 1).
 */
export const retryDelay = (policy: RetryPolicy, attempt: number, random: number): number | null => {
  if (attempt >= policy.maxAttempts) return null
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 40))
  return Math.floor(exp / 2 + random * (exp / 2))
}
