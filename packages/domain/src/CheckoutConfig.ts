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
