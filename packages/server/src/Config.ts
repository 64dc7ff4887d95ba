/**
 * The server's settings, read from the environment once at start-up. Everything has a default that gives the
 * offline demo (an embedded PostgreSQL under .data/, demo seed, local test-mode processor), so `node dist/main.js`
 * needs no setup.
 * Stripe keys are `Redacted` from the moment they are read: they never reach a log line or the banner.
 *
 * | variable                        | default                          | meaning                                      |
 * | ------------------------------- | -------------------------------- | -------------------------------------------- |
 * | PORT                            | 8000                             | 0 picks a free port                          |
 * | HOST                            | 127.0.0.1                        | interface to listen on                       |
 * | CHECKOUT_SEED_FILE              | the http-api demo seed           | JSON seed (catalog, organizations, tokens)   |
 * | CHECKOUT_STORE                  | postgres                         | `memory`: in-memory store, lost on restart   |
 * | DATABASE_URL                    | (none: embedded PostgreSQL)      | postgres://user:pass@host:port/db            |
 * | CHECKOUT_DATA_DIR               | <repo>/.data/postgres            | the embedded PostgreSQL's data directory     |
 * | DATABASE_POOL_SIZE              | 10                               | connections per server process               |
 * | CHECKOUT_TTL_SECONDS            | 86400                            | lifetime of a new checkout                   |
 * | EXPIRY_SWEEP_INTERVAL_SECONDS   | 60                               | how often open checkouts past expiry expire  |
 * | RECONCILE_INTERVAL_SECONDS      | 60                               | how often unknown payment outcomes are asked |
 * | PAYMENT_CALL_TIMEOUT_SECONDS    | 90                               | one processor call's limit; after it a call  |
 * |                                 |                                  | of a dead process counts as stale (replayed) |
 * | STRIPE_SECRET_KEY               | (none: local test mode)          | turns the Stripe adapter on                  |
 * | STRIPE_PUBLISHABLE_KEY          | (none)                           | pk_..., handed to Stripe.js                  |
 * | STRIPE_WEBHOOK_SECRET           | (none: webhook endpoint off)     | `whsec_...`, verifies Stripe webhooks        |
 * | STRIPE_API_BASE                 | (none: api.stripe.com)           | e.g. a fake Stripe server in tests           |
 * | PUBLIC_BASE_URL                 | http://HOST:PORT                 | base of checkout URLs handed to buyers       |
 * | API_DOCS_PATH                   | (none: no docs page)             | e.g. /docs: offline API reference (~10 MiB)  |
 * | LOG_LEVEL                       | Info                             | All, Trace, Debug, Info, Warn, Error, None   |
 * Abuse limits and trusted proxies: RATE_LIMITS, RATE_LIMIT_*, TRUSTED_PROXIES (see Limits.ts); OpenTelemetry:
 * OTEL_EXPORTER_OTLP_* and friends (see Telemetry.ts); all of it in docs/operations.md.
 */
import { Config, ConfigProvider, Data, Effect, LogLevel, Option, Redacted, Schema, SchemaIssue } from "effect"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as Limits from "./Limits.ts"
import * as Telemetry from "./Telemetry.ts"

export interface StripeSettings {
  readonly secretKey: Redacted.Redacted<string>
  /** Handed to the browser (Stripe.js) in the checkout's payment_processor_metadata. */
  readonly publishableKey: Option.Option<string>
  readonly webhookSecret: Option.Option<Redacted.Redacted<string>>
  readonly apiBase: Option.Option<URL>
}

/** Where checkouts live: PostgreSQL (yours, or an embedded one with data kept under the project), or memory. */
export type StoreSettings =
  | { readonly _tag: "memory" }
  | { readonly _tag: "postgres"; readonly url: Redacted.Redacted<string>; readonly poolSize: number }
  | { readonly _tag: "embedded"; readonly dataDir: string; readonly poolSize: number }

/** The embedded PostgreSQL's default data directory: `.data/postgres` at the repository root (git-ignored). */
export const defaultDataDir: string = fileURLToPath(new URL("../../../.data/postgres", import.meta.url))

export interface ServerConfig {
  readonly port: number
  readonly host: string
  /** None: the http-api package's built-in demo seed (docs/seed.md). */
  readonly seedFile: Option.Option<string>
  readonly store: StoreSettings
  readonly checkoutTtlSeconds: number
  readonly expirySweepIntervalSeconds: number
  /** How often the reconciliation job asks the processor about attempts without a recorded outcome. */
  readonly reconcileIntervalSeconds: number
  /** CheckoutConfig.PaymentCallTimeout: how long one processor call may take; also when a `sending` attempt is stale. */
  readonly paymentCallTimeoutSeconds: number
  /** None: local test mode (no Stripe). */
  readonly stripe: Option.Option<StripeSettings>
  /** None: derived from the address the server actually listens on. */
  readonly publicBaseUrl: Option.Option<string>
  readonly logLevel: LogLevel.LogLevel
  /** Where to serve the API reference page (Scalar); None: not served (it costs about 10 MiB of RSS). */
  readonly apiDocsPath: Option.Option<`/${string}`>
  /** Abuse limits and trusted proxies. */
  readonly limits: Limits.LimitSettings
  /** OpenTelemetry export (None: off; see Telemetry.ts for the OTEL_* variables). */
  readonly telemetry: Option.Option<Telemetry.TelemetrySettings>
  readonly webhooks: WebhookSettings
}

/** Merchant webhook delivery (docs/webhooks.md). */
export interface WebhookSettings {
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: http URLs and loopback/private addresses (local development, tests). */
  readonly allowPrivateTargets: boolean
  /** WEBHOOKS_MAX_ATTEMPTS: attempts per event before it is given up. */
  readonly maxAttempts: number
  /** WEBHOOKS_RETRY_BASE_MS: delay before the second attempt (doubled each time, with jitter). */
  readonly retryBaseMs: number
  /** WEBHOOKS_RETRY_MAX_MS: longest delay between two attempts. */
  readonly retryMaxMs: number
  /** WEBHOOKS_TIMEOUT_MS: deadline of one attempt. */
  readonly timeoutMs: number
  /** WEBHOOKS_DISABLE_AFTER_FAILURES: consecutive failed attempts that disable an endpoint. */
  readonly disableAfterFailures: number
  /** WEBHOOKS_CONCURRENCY: sends in flight at once per server process (the worker's slots). */
  readonly concurrency: number
  /** WEBHOOKS_SHUTDOWN_GRACE_MS: at shutdown, how long sends in flight may finish before their claims are released. */
  readonly shutdownGraceMs: number
}

const Port = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 })).annotate({
  description: "a TCP port number between 0 and 65535"
})
const PositiveSeconds = Schema.Int.check(Schema.isGreaterThan(0)).annotate({
  description: "a whole number of seconds greater than 0"
})
const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))
const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const Flag = Schema.Literals(["true", "false", "1", "0"])
const DocsPath = Schema.String.check(Schema.isPattern(/^\/[\w\-/]*$/u))
const Host = Schema.String.check(Schema.isMinLength(1))
const SecretKey = Schema.String.check(Schema.isPattern(/^(sk|rk)_(test|live)_\S+$/u)).annotate({
  description: "a Stripe secret key (sk_test_..., sk_live_..., rk_...)"
})
const PublishableKey = Schema.String.check(Schema.isPattern(/^pk_(test|live)_\S+$/u))
const WebhookSecret = Schema.String.check(Schema.isPattern(/^whsec_\S+$/u)).annotate({
  description: "a Stripe webhook signing secret (whsec_...)"
})
const BaseUrl = Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s/]+(\/\S*)?$/u)).annotate({
  description: "an absolute http(s) URL"
})

/** Effect's LogLevel names, accepted in any case (`info`, `INFO`, `Info`). */
const LogLevelName = Schema.Literals(
  LogLevel.values.flatMap((level) => [level, level.toLowerCase(), level.toUpperCase()])
)
const toLogLevel = (name: string): LogLevel.LogLevel =>
  LogLevel.values.find((level) => level.toLowerCase() === name.toLowerCase()) ?? "Info"

const redacted = <S extends Schema.Codec<string, string>>(schema: S, name: string) =>
  Config.schema(schema, name).pipe(Config.map((value) => Redacted.make(value, { label: name })))

const stripe: Config.Config<Option.Option<StripeSettings>> = Config.all({
  secretKey: Config.option(redacted(SecretKey, "STRIPE_SECRET_KEY")),
  publishableKey: Config.option(Config.schema(PublishableKey, "STRIPE_PUBLISHABLE_KEY")),
  webhookSecret: Config.option(redacted(WebhookSecret, "STRIPE_WEBHOOK_SECRET")),
  apiBase: Config.option(Config.schema(BaseUrl, "STRIPE_API_BASE"))
}).pipe(Config.map(({ apiBase, publishableKey, secretKey, webhookSecret }) =>
  Option.map(secretKey, (key): StripeSettings => ({
    secretKey: key,
    publishableKey,
    webhookSecret,
    apiBase: Option.map(apiBase, (url) => new URL(url))
  }))
))

const DatabaseUrl = Schema.String.check(Schema.isPattern(/^postgres(ql)?:\/\/\S+$/u)).annotate({
  description: "a PostgreSQL URL (postgres://user:password@host:port/database)"
})
const PoolSize = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1000 }))

const store: Config.Config<StoreSettings> = Config.all({
  kind: Config.schema(Schema.Literals(["postgres", "memory"]), "CHECKOUT_STORE").pipe(Config.withDefault("postgres" as const)),
  url: Config.option(redacted(DatabaseUrl, "DATABASE_URL")),
  dataDir: Config.schema(Host, "CHECKOUT_DATA_DIR").pipe(Config.withDefault(defaultDataDir)),
  poolSize: Config.schema(PoolSize, "DATABASE_POOL_SIZE").pipe(Config.withDefault(10))
}).pipe(Config.map(({ dataDir, kind, poolSize, url }): StoreSettings =>
  kind === "memory"
    ? { _tag: "memory" }
    : Option.match(url, {
      onNone: () => ({ _tag: "embedded", dataDir: resolve(dataDir), poolSize }),
      onSome: (url) => ({ _tag: "postgres", url, poolSize })
    })
))

/** The whole configuration; fails with a ConfigError naming the variable and what was expected. */
export const config: Config.Config<ServerConfig> = Config.all({
  port: Config.schema(Port, "PORT").pipe(Config.withDefault(8000)),
  host: Config.schema(Host, "HOST").pipe(Config.withDefault("127.0.0.1")),
  seedFile: Config.option(Config.schema(Host, "CHECKOUT_SEED_FILE")),
  store,
  checkoutTtlSeconds: Config.schema(PositiveSeconds, "CHECKOUT_TTL_SECONDS").pipe(Config.withDefault(86400)),
  expirySweepIntervalSeconds: Config.schema(PositiveSeconds, "EXPIRY_SWEEP_INTERVAL_SECONDS").pipe(
    Config.withDefault(60)
  ),
  reconcileIntervalSeconds: Config.schema(PositiveSeconds, "RECONCILE_INTERVAL_SECONDS").pipe(Config.withDefault(60)),
  paymentCallTimeoutSeconds: Config.schema(PositiveSeconds, "PAYMENT_CALL_TIMEOUT_SECONDS").pipe(Config.withDefault(90)),
  stripe,
  publicBaseUrl: Config.option(
    Config.schema(BaseUrl, "PUBLIC_BASE_URL").pipe(Config.map((url) => url.replace(/\/+$/u, "")))
  ),
  apiDocsPath: Config.option(
    Config.schema(DocsPath, "API_DOCS_PATH").pipe(Config.map((path) => path as `/${string}`))
  ),
  logLevel: Config.schema(LogLevelName, "LOG_LEVEL").pipe(Config.map(toLogLevel), Config.withDefault("Info" as const)),
  webhooks: Config.all({
    allowPrivateTargets: Config.schema(Flag, "WEBHOOKS_ALLOW_PRIVATE_TARGETS").pipe(
      Config.map((v) => v === "true" || v === "1"),
      Config.withDefault(false)
    ),
    maxAttempts: Config.schema(PositiveInt, "WEBHOOKS_MAX_ATTEMPTS").pipe(Config.withDefault(10)),
    retryBaseMs: Config.schema(PositiveInt, "WEBHOOKS_RETRY_BASE_MS").pipe(Config.withDefault(5_000)),
    retryMaxMs: Config.schema(PositiveInt, "WEBHOOKS_RETRY_MAX_MS").pipe(Config.withDefault(3_600_000)),
    timeoutMs: Config.schema(PositiveInt, "WEBHOOKS_TIMEOUT_MS").pipe(Config.withDefault(10_000)),
    disableAfterFailures: Config.schema(PositiveInt, "WEBHOOKS_DISABLE_AFTER_FAILURES").pipe(Config.withDefault(20)),
    concurrency: Config.schema(PositiveInt, "WEBHOOKS_CONCURRENCY").pipe(Config.withDefault(16)),
    shutdownGraceMs: Config.schema(NonNegativeInt, "WEBHOOKS_SHUTDOWN_GRACE_MS").pipe(Config.withDefault(5_000))
  }),
  limits: Limits.config,
  telemetry: Telemetry.config
})

/** What each variable must look like, for error messages a person can act on. */
const expectations: Readonly<Record<string, string>> = {
  PORT: "a TCP port number between 0 and 65535",
  HOST: "a host name or IP address",
  CHECKOUT_SEED_FILE: "a file path",
  CHECKOUT_STORE: "postgres or memory",
  DATABASE_URL: "a PostgreSQL URL (postgres://user:password@host:port/database)",
  CHECKOUT_DATA_DIR: "a directory path",
  DATABASE_POOL_SIZE: "a whole number between 1 and 1000",
  CHECKOUT_TTL_SECONDS: "a whole number of seconds greater than 0",
  EXPIRY_SWEEP_INTERVAL_SECONDS: "a whole number of seconds greater than 0",
  RECONCILE_INTERVAL_SECONDS: "a whole number of seconds greater than 0",
  PAYMENT_CALL_TIMEOUT_SECONDS: "a whole number of seconds greater than 0",
  STRIPE_SECRET_KEY: "a Stripe secret key (sk_test_..., sk_live_... or rk_...)",
  STRIPE_PUBLISHABLE_KEY: "a Stripe publishable key (pk_test_... or pk_live_...)",
  STRIPE_WEBHOOK_SECRET: "a Stripe webhook signing secret (whsec_...)",
  STRIPE_API_BASE: "an absolute http(s) URL",
  PUBLIC_BASE_URL: "an absolute http(s) URL",
  API_DOCS_PATH: "a URL path starting with / (e.g. /docs)",
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true or false",
  WEBHOOKS_MAX_ATTEMPTS: "a whole number greater than 0",
  WEBHOOKS_RETRY_BASE_MS: "a whole number of milliseconds greater than 0",
  WEBHOOKS_RETRY_MAX_MS: "a whole number of milliseconds greater than 0",
  WEBHOOKS_TIMEOUT_MS: "a whole number of milliseconds greater than 0",
  WEBHOOKS_DISABLE_AFTER_FAILURES: "a whole number greater than 0",
  WEBHOOKS_CONCURRENCY: "a whole number greater than 0",
  WEBHOOKS_SHUTDOWN_GRACE_MS: "a whole number of milliseconds (0 or more)",
  LOG_LEVEL: `one of ${LogLevel.values.join(", ")} (any case)`,
  ...Limits.expectations,
  ...Telemetry.expectations
}
const secretVariables: ReadonlySet<string> = new Set(["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DATABASE_URL"])

/** The environment holds a value the server cannot use; `message` names the variable and what it expects. */
export class InvalidConfig extends Data.TaggedError("InvalidConfig")<{
  readonly variable: string
  readonly message: string
}> {}

const toInvalidConfig = (provider: ConfigProvider.ConfigProvider, error: Config.ConfigError) =>
  Effect.gen(function*() {
    if (!Schema.isSchemaError(error.cause)) {
      return new InvalidConfig({ variable: "(environment)", message: `Cannot read the configuration: ${error.message}` })
    }
    const first = SchemaIssue.makeFormatterStandardSchemaV1()(error.cause.issue).issues[0]
    const variable = String(first?.path?.[0] ?? "(environment)")
    const node = yield* provider.load([variable]).pipe(Effect.orElseSucceed(() => undefined))
    const raw = node?._tag === "Value" ? node.value : undefined
    const got = raw === undefined ? "" : secretVariables.has(variable) ? " (value hidden)" : ` (got ${JSON.stringify(raw)})`
    const expected = expectations[variable] ?? first?.message ?? "a valid value"
    return new InvalidConfig({ variable, message: `Invalid ${variable}: expected ${expected}${got}` })
  })

/**
 * Reads the configuration from a provider (the process environment in main, a record in tests). Failures carry a
 * message that names the variable, what it expects and the value found (secrets excepted).
 */
export const load = (provider: ConfigProvider.ConfigProvider): Effect.Effect<ServerConfig, InvalidConfig> =>
  config.parse(provider).pipe(Effect.catch((error) => Effect.flip(toInvalidConfig(provider, error))))

/** The configuration of this process: the environment. */
export const fromEnv: Effect.Effect<ServerConfig, InvalidConfig> = Effect.suspend(() => load(ConfigProvider.fromEnv()))

/** What the start-up log may say about the configuration: everything except secrets. */
export const describe = (cfg: ServerConfig) => ({
  port: cfg.port,
  host: cfg.host,
  seedFile: Option.getOrElse(cfg.seedFile, () => "(built-in demo seed)"),
  store: describeStore(cfg.store),
  checkoutTtlSeconds: cfg.checkoutTtlSeconds,
  expirySweepIntervalSeconds: cfg.expirySweepIntervalSeconds,
  paymentProcessor: Option.isSome(cfg.stripe) ? "stripe" : "local-test-mode",
  stripeWebhook: Option.isSome(cfg.stripe) && Option.isSome(cfg.stripe.value.webhookSecret) ? "on" : "off",
  stripeApiBase: Option.match(cfg.stripe, {
    onNone: () => null,
    onSome: (s) => Option.match(s.apiBase, { onNone: () => "https://api.stripe.com", onSome: (u) => u.origin })
  }),
  publicBaseUrl: Option.getOrNull(cfg.publicBaseUrl),
  apiDocsPath: Option.getOrNull(cfg.apiDocsPath),
  logLevel: cfg.logLevel,
  ...Limits.describe(cfg.limits),
  openTelemetry: Telemetry.describe(cfg.telemetry)
})

/** The store in one line, without secrets: `PostgreSQL at postgres://user@host:5432/db`, embedded, or memory. */
export const describeStore = (store: StoreSettings): string => {
  switch (store._tag) {
    case "memory":
      return "in memory (CHECKOUT_STORE=memory): everything is lost when the server stops"
    case "embedded":
      return `embedded PostgreSQL, data in ${store.dataDir}`
    case "postgres": {
      try {
        const u = new URL(Redacted.value(store.url))
        return `PostgreSQL at ${u.protocol}//${u.username === "" ? "" : `${decodeURIComponent(u.username)}@`}${u.host}${u.pathname}`
      } catch {
        return "PostgreSQL at (unparsable DATABASE_URL)"
      }
    }
  }
}
