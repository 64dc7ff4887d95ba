/**
 * The `stripe` SDK client as a service. The adapter takes it from the context so it is configured once (from Config:
 * the secret key stays `Redacted`) and so tests can point it at the in-repo fake over real HTTP. The API version is
 * pinned to the one the SDK was generated for, so the types match the wire; the SDK's own network retries (with its
 * per-call idempotency key) stay on, telemetry stays off.
 */
import { Config, Context, Data, Effect, Layer, Option, Redacted } from "effect"
import Stripe from "stripe"

/** Stripe API version every request is sent with (the SDK's pinned version, `2026-10-28.endive` for 23.1.0). */
export const apiVersion = Stripe.API_VERSION

/** The SDK default on Node; each retry reuses the call's idempotency key, so a retry never charges twice. */
export const defaultMaxNetworkRetries = 2

export interface Options {
  readonly apiKey: Redacted.Redacted<string>
  /** The account's publishable key, handed to the browser (Stripe.js) by the payment processor. */
  readonly publishableKey?: string | null
  /** Test-only overrides (the fake server); production leaves them unset (`api.stripe.com:443`, https). */
  readonly host?: string
  readonly port?: number
  readonly protocol?: "http" | "https"
  readonly maxNetworkRetries?: number
  /** Per-request timeout in ms (SDK default 80 000). A timeout is an unknown outcome, never a decline. */
  readonly timeoutMs?: number
}

/** An error the SDK reported: an API error reply or a transport failure, kept whole for classification. */
export class StripeFailure extends Data.TaggedError("StripeFailure")<{
  readonly error: Stripe.errors.StripeError
}> {}

export interface Service {
  readonly sdk: Stripe
  readonly publishableKey: string | null
  /**
   * Runs one SDK call. SDK errors fail with `StripeFailure`; anything else thrown is a bug in our code (or the SDK)
   * and becomes a defect.
   */
  readonly call: <A>(f: (sdk: Stripe) => Promise<A>) => Effect.Effect<A, StripeFailure>
}

/** Builds the SDK client from options (no I/O happens until a call). */
export const make = (options: Options): Service => {
  const sdk = new Stripe(Redacted.value(options.apiKey), {
    apiVersion,
    maxNetworkRetries: options.maxNetworkRetries ?? defaultMaxNetworkRetries,
    telemetry: false,
    appInfo: { name: "checkout-kit" },
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs })
  })
  const call = <A>(f: (sdk: Stripe) => Promise<A>): Effect.Effect<A, StripeFailure> =>
    Effect.tryPromise({ try: () => f(sdk), catch: (error) => error }).pipe(
      Effect.catch((error) =>
        error instanceof Stripe.errors.StripeError
          ? Effect.fail(new StripeFailure({ error }))
          : Effect.die(error)
      )
    )
  return { sdk, publishableKey: options.publishableKey ?? null, call }
}

/**
 * Reads `STRIPE_SECRET_KEY` (redacted) and optionally `STRIPE_PUBLISHABLE_KEY`, `STRIPE_MAX_NETWORK_RETRIES`
 * (default 2) and `STRIPE_TIMEOUT_MS`; tests also set `STRIPE_API_HOST`, `STRIPE_API_PORT`, `STRIPE_API_PROTOCOL`.
 */
export const config: Config.Config<Options> = Config.all({
  apiKey: Config.Redacted("STRIPE_SECRET_KEY"),
  publishableKey: Config.option(Config.String("STRIPE_PUBLISHABLE_KEY")),
  host: Config.option(Config.String("STRIPE_API_HOST")),
  port: Config.option(Config.Port("STRIPE_API_PORT")),
  protocol: Config.option(Config.Literals(["http", "https"], "STRIPE_API_PROTOCOL")),
  maxNetworkRetries: Config.Int("STRIPE_MAX_NETWORK_RETRIES").pipe(Config.withDefault(defaultMaxNetworkRetries)),
  timeoutMs: Config.option(Config.Int("STRIPE_TIMEOUT_MS"))
}).pipe(
  Config.map((c): Options => ({
    apiKey: c.apiKey,
    publishableKey: Option.getOrNull(c.publishableKey),
    maxNetworkRetries: c.maxNetworkRetries,
    ...Option.match(c.host, { onNone: () => ({}), onSome: (host) => ({ host }) }),
    ...Option.match(c.port, { onNone: () => ({}), onSome: (port) => ({ port }) }),
    ...Option.match(c.protocol, { onNone: () => ({}), onSome: (protocol) => ({ protocol }) }),
    ...Option.match(c.timeoutMs, { onNone: () => ({}), onSome: (timeoutMs) => ({ timeoutMs }) })
  }))
)

export class StripeClient extends Context.Service<StripeClient, Service>()("@checkout-kit/stripe/StripeClient") {
  static readonly layer = (options: Options): Layer.Layer<StripeClient> => Layer.sync(StripeClient, () => make(options))
  static readonly layerConfig: Layer.Layer<StripeClient, Config.ConfigError> = Layer.effect(
    StripeClient,
    Effect.map(config, make)
  )
}
