import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import * as ServerConfig from "../src/Config.ts"

const load = (env: Record<string, string>) => ServerConfig.load(ConfigProvider.fromEnv({ env }))

const failureMessage = (env: Record<string, string>) =>
  load(env).pipe(Effect.flip, Effect.map((error) => error.message))

describe("Config", () => {
  it.effect("defaults give the offline demo", () =>
    Effect.gen(function*() {
      const cfg = yield* load({})
      assert.strictEqual(cfg.port, 8000)
      assert.strictEqual(cfg.host, "127.0.0.1")
      assert.isTrue(Option.isNone(cfg.seedFile))
      assert.strictEqual(cfg.checkoutTtlSeconds, 86400)
      assert.strictEqual(cfg.expirySweepIntervalSeconds, 60)
      assert.isTrue(Option.isNone(cfg.stripe))
      assert.isTrue(Option.isNone(cfg.publicBaseUrl))
      assert.strictEqual(cfg.logLevel, "Info")
      assert.isTrue(Option.isNone(cfg.apiDocsPath))
      assert.deepStrictEqual(cfg.store, { _tag: "embedded", dataDir: ServerConfig.defaultDataDir, poolSize: 10 })
      assert.match(ServerConfig.defaultDataDir, /\/\.data\/postgres$/)
    }))

  it.effect("store: DATABASE_URL selects your PostgreSQL (password never shown), CHECKOUT_STORE=memory the memory store", () =>
    Effect.gen(function*() {
      const pg = yield* load({ DATABASE_URL: "postgres://shop:s3cret@db.internal:5433/checkout", DATABASE_POOL_SIZE: "20" })
      assert.strictEqual(pg.store._tag, "postgres")
      assert.strictEqual(pg.store._tag === "postgres" ? pg.store.poolSize : 0, 20)
      const described = JSON.stringify(ServerConfig.describe(pg))
      assert.include(described, "PostgreSQL at postgres://shop@db.internal:5433/checkout")
      assert.notInclude(described + String(pg.store._tag === "postgres" ? pg.store.url : ""), "s3cret")
      const memory = yield* load({ CHECKOUT_STORE: "memory", DATABASE_URL: "postgres://x@y/z" })
      assert.deepStrictEqual(memory.store, { _tag: "memory" })
      const dir = yield* load({ CHECKOUT_DATA_DIR: "/var/lib/checkout-kit" })
      assert.deepStrictEqual(dir.store, { _tag: "embedded", dataDir: "/var/lib/checkout-kit", poolSize: 10 })
      const bad = yield* failureMessage({ DATABASE_URL: "mysql://root:hunter2@localhost/db" })
      assert.include(bad, "Invalid DATABASE_URL: expected a PostgreSQL URL")
      assert.notInclude(bad, "hunter2")
      assert.include(yield* failureMessage({ CHECKOUT_STORE: "sqlite" }), "Invalid CHECKOUT_STORE: expected postgres or memory")
    }))

  it.effect("reads every variable", () =>
    Effect.gen(function*() {
      const cfg = yield* load({
        PORT: "0",
        HOST: "0.0.0.0",
        CHECKOUT_SEED_FILE: "/tmp/seed.json",
        CHECKOUT_TTL_SECONDS: "2",
        EXPIRY_SWEEP_INTERVAL_SECONDS: "1",
        RECONCILE_INTERVAL_SECONDS: "7",
        STRIPE_SECRET_KEY: "sk_test_abc",
        STRIPE_WEBHOOK_SECRET: "whsec_xyz",
        STRIPE_API_BASE: "http://127.0.0.1:12111",
        PUBLIC_BASE_URL: "https://pay.example.com/",
        LOG_LEVEL: "debug",
        API_DOCS_PATH: "/docs"
      })
      assert.strictEqual(cfg.port, 0)
      assert.strictEqual(cfg.host, "0.0.0.0")
      assert.deepStrictEqual(cfg.seedFile, Option.some("/tmp/seed.json"))
      assert.strictEqual(cfg.checkoutTtlSeconds, 2)
      assert.strictEqual(cfg.expirySweepIntervalSeconds, 1)
      assert.strictEqual(cfg.reconcileIntervalSeconds, 7)
      assert.strictEqual(cfg.publicBaseUrl.pipe(Option.getOrNull), "https://pay.example.com")
      assert.strictEqual(cfg.logLevel, "Debug")
      assert.deepStrictEqual(cfg.apiDocsPath, Option.some("/docs"))
      const stripe = Option.getOrThrow(cfg.stripe)
      assert.strictEqual(Redacted.value(stripe.secretKey), "sk_test_abc")
      assert.strictEqual(Redacted.value(Option.getOrThrow(stripe.webhookSecret)), "whsec_xyz")
      assert.strictEqual(Option.getOrThrow(stripe.apiBase).port, "12111")
    }))

  it.effect("secrets never show in strings, JSON or the description", () =>
    Effect.gen(function*() {
      const cfg = yield* load({ STRIPE_SECRET_KEY: "sk_test_SECRET1", STRIPE_WEBHOOK_SECRET: "whsec_SECRET2" })
      const rendered = [String(cfg.stripe), JSON.stringify(cfg), JSON.stringify(ServerConfig.describe(cfg))].join("\n")
      assert.notInclude(rendered, "SECRET1")
      assert.notInclude(rendered, "SECRET2")
      assert.strictEqual(ServerConfig.describe(cfg).paymentProcessor, "stripe")
      assert.strictEqual(ServerConfig.describe(cfg).stripeWebhook, "on")
    }))

  it.effect("a webhook secret without a secret key leaves Stripe off", () =>
    Effect.gen(function*() {
      const cfg = yield* load({ STRIPE_WEBHOOK_SECRET: "whsec_xyz" })
      assert.isTrue(Option.isNone(cfg.stripe))
      assert.strictEqual(ServerConfig.describe(cfg).paymentProcessor, "local-test-mode")
    }))

  it.effect("an invalid PORT is a clear error naming the variable", () =>
    Effect.gen(function*() {
      for (const port of ["abc", "70000", "-1", "80.5"]) {
        const message = yield* failureMessage({ PORT: port })
        assert.strictEqual(message, `Invalid PORT: expected a TCP port number between 0 and 65535 (got "${port}")`)
      }
      const error = yield* Effect.flip(load({ PORT: "http" }))
      assert.strictEqual(error._tag, "InvalidConfig")
      assert.strictEqual(error.variable, "PORT")
    }))

  it.effect("other invalid values are rejected", () =>
    Effect.gen(function*() {
      assert.include(yield* failureMessage({ CHECKOUT_TTL_SECONDS: "0" }), "CHECKOUT_TTL_SECONDS")
      assert.include(yield* failureMessage({ EXPIRY_SWEEP_INTERVAL_SECONDS: "soon" }), "EXPIRY_SWEEP_INTERVAL_SECONDS")
      assert.include(yield* failureMessage({ LOG_LEVEL: "loud" }), "LOG_LEVEL")
      const secret = yield* failureMessage({ STRIPE_SECRET_KEY: "pk_test_oops" })
      assert.include(secret, "Invalid STRIPE_SECRET_KEY: expected a Stripe secret key")
      assert.notInclude(secret, "oops")
      assert.include(yield* failureMessage({ PUBLIC_BASE_URL: "pay.example.com" }), "PUBLIC_BASE_URL")
      assert.include(yield* failureMessage({ API_DOCS_PATH: "docs" }), "Invalid API_DOCS_PATH")
    }))
})
