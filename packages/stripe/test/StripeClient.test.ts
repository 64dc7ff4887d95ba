/** The SDK client service: configuration from Config (secret kept redacted) and error capture. */
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import Stripe from "stripe"
import * as StripeClient from "../src/StripeClient.ts"
import { FakeStripe } from "./support/index.ts"

const fakeKey = Redacted.make("sk_test_fake")

describe("StripeClient", () => {
  it.effect("layerConfig reads the key and the test host/port/protocol, pinned version, telemetry off", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const client = yield* Effect.gen(function*() {
        return yield* StripeClient.StripeClient
      }).pipe(
        Effect.provide(StripeClient.StripeClient.layerConfig.pipe(Layer.provide(ConfigProvider.layer(
          ConfigProvider.fromUnknown({
            STRIPE_SECRET_KEY: "sk_test_fromconfig",
            STRIPE_PUBLISHABLE_KEY: "pk_test_fromconfig",
            STRIPE_API_HOST: "127.0.0.1",
            STRIPE_API_PORT: String(fake.port),
            STRIPE_API_PROTOCOL: "http",
            STRIPE_MAX_NETWORK_RETRIES: "0"
          })
        ))))
      )
      const customer = yield* client.call((sdk) => sdk.customers.create({ email: "c@d.test" }))
      expect(customer.id).toMatch(/^cus_/u)
      expect(client.publishableKey).toBe("pk_test_fromconfig")
      expect(client.sdk.getMaxNetworkRetries()).toBe(0)
      expect(client.sdk.getTelemetryEnabled()).toBe(false)
      const [request] = fake.requests()
      expect([request!.apiKey, request!.stripeVersion]).toEqual(["sk_test_fromconfig", Stripe.API_VERSION])
    }).pipe(Effect.scoped))

  it.effect("layerConfig fails without STRIPE_SECRET_KEY", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Layer.build(StripeClient.StripeClient.layerConfig.pipe(
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({})))
        )).pipe(Effect.scoped)
      )
      expect(error._tag).toBe("ConfigError")
    }))

  it.effect("call turns SDK errors into StripeFailure with the SDK error intact", () =>
    Effect.gen(function*() {
      const fake = yield* FakeStripe.make()
      const client = StripeClient.make({
        apiKey: fakeKey,
        host: "127.0.0.1",
        port: fake.port,
        protocol: "http",
        maxNetworkRetries: 0
      })
      const failure = yield* Effect.flip(client.call((sdk) => sdk.customers.update("cus_missing", { name: "x" })))
      expect(failure._tag).toBe("StripeFailure")
      expect(failure.error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
      expect(failure.error.code).toBe("resource_missing")
    }).pipe(Effect.scoped))

  it.effect("call turns a non-Stripe throw into a defect", () =>
    Effect.gen(function*() {
      const client = StripeClient.make({ apiKey: fakeKey })
      const exit = yield* Effect.exit(client.call(() => Promise.reject(new TypeError("bug"))))
      expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
    }))
})
