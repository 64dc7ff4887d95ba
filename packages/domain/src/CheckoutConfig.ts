/**
 * Settings of the checkout use cases that have a sensible default: the session lifetime and the base URL of the
 * checkout pages. They are `Context.Reference`s so an embedding service overrides them with `Effect.provideService`
 * or a layer, and tests need nothing at all.
 */
import { Context, Duration } from "effect"

/** How long a checkout stays open after creation (reference CHECKOUT_TTL_SECONDS, 24 h since 2026-03). */
export const Ttl = Context.Reference<Duration.Duration>("@checkout-kit/domain/CheckoutConfig/Ttl", {
  defaultValue: () => Duration.hours(24)
})

export interface UrlSettings {
  /** Where the checkout pages live: `{frontendBaseUrl}/checkout/{client_secret}` and its `/confirmation` page. */
  readonly frontendBaseUrl: string
}

export const Urls = Context.Reference<UrlSettings>("@checkout-kit/domain/CheckoutConfig/Urls", {
  defaultValue: () => ({ frontendBaseUrl: "http://localhost:3000" })
})

/**
 * How long one payment call (the processor's confirm, or a replay of it) may take before its outcome counts as
 * unknown. Bounds the background work a confirm leaves behind (and so a graceful shutdown), and tells a retry or the
 * reconciliation job when a `sending` attempt is stale (its process died mid-call). Stripe's SDK times out at 80 s.
 */
export const PaymentCallTimeout = Context.Reference<Duration.Duration>("@checkout-kit/domain/CheckoutConfig/PaymentCallTimeout", {
  defaultValue: () => Duration.seconds(90)
})
