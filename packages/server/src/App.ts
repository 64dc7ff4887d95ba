/**
 * The composition root: picks the adapters from the configuration and serves them. This is the only module that
 * knows more than one adapter.
 *
 * Build order, which is also the start-up sequence:
 * 1. the guarded HTTP server listens (requests get 503 from here on, never a hang);
 * 2. the store is opened (Store.ts: an embedded PostgreSQL by default, DATABASE_URL's, or memory; migrations run and
 *    the seed is loaded once); processor, tax and the domain services are built;
 * 3. the routes are attached (requests are served from here on), the expiry sweep, the payment reconciliation and
 *    the webhook delivery worker start, the demo checkout link is ensured and the banner is printed
 *    ("checkout-kit ready").
 * Shutdown runs it backwards: stop accepting, let in-flight requests finish, stop the jobs, then the checkout
 * service's layer waits for payment work still in flight (a processor call and the recording of its outcome,
 * bounded by CheckoutConfig.PaymentCallTimeout), then close the pool (and stop the embedded PostgreSQL).
 *
 * The `stripe` SDK is loaded (dynamic import) only when a Stripe key is configured: it costs about 16 MiB of RSS
 * that the offline demo does not need (the rate-table tax calculator is the server's own).
 */
import { CheckoutConfig, CheckoutLinkService, CheckoutService, WebhookService } from "@checkout-kit/domain"
import { PaymentProcessor } from "@checkout-kit/domain"
import type { TaxCalculator } from "@checkout-kit/domain"
import { RateLimit, RequestLog, Routes, Seed } from "@checkout-kit/http-api"
import * as FakePaymentProcessor from "@checkout-kit/domain/testing/FakePaymentProcessor"
import { randomBytes } from "node:crypto"
import { Config, Console, Duration, Effect, Layer, Metric, Option, Queue, Redacted, Schedule } from "effect"
import * as Banner from "./Banner.ts"
import * as CheckoutPage from "./CheckoutPage.ts"
import type * as ServerConfig from "./Config.ts"
import * as PaymentMetrics from "./PaymentMetrics.ts"
import * as ServerConfigModule from "./Config.ts"
import * as RateTableTaxCalculator from "./RateTableTaxCalculator.ts"
import * as Readiness from "./Readiness.ts"
import * as Server from "./Server.ts"
import * as Startup from "./Startup.ts"
import * as Store from "./Store.ts"
import * as Webhooks from "./Webhooks.ts"
import * as Telemetry from "./Telemetry.ts"
import * as ZeroTaxCalculator from "./ZeroTaxCalculator.ts"

const loadStripe = Effect.promise(() => import("@checkout-kit/stripe"))

/**
 * How many confirm idempotency keys (and refund keys) the local test processor holds, the oldest forgotten first: a
 * replay (a retry after an unknown outcome, minutes later at most) is answered from them.
 */
const localHeldAttempts = 100_000

/** The stripe package's webhook path (kept literal here so local test mode never loads the Stripe SDK). */
const webhookPath = "/v1/integrations/stripe/webhook"

/**
 * LOCAL TEST MODE (no Stripe key): the domain's fake processor answering by test card (`tok_chargeDeclined`, ...:
 * see FakePaymentProcessor), with random ids so processes sharing a database never mint the same one. No money
 * moves, nothing leaves the machine. A demo or benchmark server runs for days, so the processor records no call
 * lists and holds the last `localHeldAttempts` idempotency keys only (Stripe forgets a key after 24 hours).
 */
const localTestMode = FakePaymentProcessor.make({
  otherwise: "test_card",
  label: "local",
  uniqueId: () => randomBytes(12).toString("hex"),
  retain: { attempts: localHeldAttempts }
})

type Local = Effect.Success<typeof localTestMode>

/**
 * In local test mode, what Stripe's webhooks would do: each settled local charge moves its checkout to succeeded.
 * The processor offers a settlement as soon as it answers the charge, i.e. before the confirm records the intent in
 * its second transaction; applied at once it would nearly always find that transaction holding the row (a lock
 * probe and a rollback per confirm, seen in bench/postgres.mjs). So it is applied `settleAfter` later, as Stripe's
 * webhook arrives after its API answer; one that still arrives early (NotConfirmedCheckout, CheckoutLocked) is
 * retried for a while.
 */
/** How long after the processor's answer a local settlement is applied (see localSettlements). */
const settleAfter = "50 millis"

const localSettlements = (local: Local) =>
  Layer.effectDiscard(Effect.gen(function*() {
    const checkouts = yield* CheckoutService.CheckoutService
    const settle = (settlement: FakePaymentProcessor.Settlement) =>
      checkouts.paymentSucceeded(settlement).pipe(
        Effect.retry({
          schedule: Schedule.spaced("20 millis"),
          times: 250,
          while: (error) => error._tag === "NotConfirmedCheckout" || error._tag === "CheckoutLocked"
        }),
        // Once, before the first attempt (retries are spaced by the schedule alone).
        Effect.delay(settleAfter),
        Effect.tap((result) =>
          Effect.logDebug(`Local test processor: payment settled (${result._tag})`).pipe(
            Effect.annotateLogs({ checkoutId: settlement.checkoutId, intentId: settlement.intentId })
          )
        ),
        Effect.catchCause((cause) => Effect.logWarning("Local test processor: settlement not applied", cause))
      )
    yield* Effect.forkScoped(
      Queue.take(local.recorder.settlements).pipe(Effect.flatMap((s) => Effect.forkChild(settle(s))), Effect.forever)
    )
  }))

/** Stripe when a secret key is configured, otherwise the local test-mode processor. */
const processorLayer = (
  config: ServerConfig.ServerConfig,
  local: Local
): Effect.Effect<Layer.Layer<PaymentProcessor>> =>
  Option.match(config.stripe, {
    onNone: () => Effect.succeed(Layer.succeed(PaymentProcessor, local.processor)),
    onSome: (stripe) =>
      Effect.map(loadStripe, ({ StripeClient, StripePaymentProcessor }) =>
        StripePaymentProcessor.layer.pipe(Layer.provide(StripeClient.StripeClient.layer({
          apiKey: stripe.secretKey,
          publishableKey: Option.getOrNull(stripe.publishableKey),
          ...Option.match(stripe.apiBase, {
            onNone: () => ({}),
            onSome: (url) => ({
              host: url.hostname,
              protocol: url.protocol === "http:" ? "http" as const : "https" as const,
              ...(url.port === "" ? {} : { port: Number(url.port) })
            })
          })
        })))
      )
  })

/** The rate table when TAX_RATES is set (or Stripe is on anyway), else zero tax. */
const taxLayer = (config: ServerConfig.ServerConfig) =>
  Effect.gen(function*() {
    const rates = yield* Config.option(Config.String("TAX_RATES")).pipe(Effect.orDie)
    if (Option.isNone(rates) && Option.isNone(config.stripe)) return ZeroTaxCalculator.layer as Layer.Layer<TaxCalculator>
    return RateTableTaxCalculator.layerConfig.pipe(Layer.orDie)
  })

const sweeps = Metric.counter("checkout.expiry.sweeps", { description: "Expiry sweep rounds run", incremental: true })
const sweptCheckouts = Metric.counter("checkout.expiry.expired", { description: "Checkouts expired by the sweep", incremental: true })

/** Expires due open checkouts every `interval`, in batches, logging what it did; a failed round is logged, not fatal. */
const expirySweep = (interval: Duration.Duration) =>
  Layer.effectDiscard(Effect.gen(function*() {
    const checkouts = yield* CheckoutService.CheckoutService
    const batch = 500
    const round: Effect.Effect<number> = Effect.gen(function*() {
      let total = 0
      while (true) {
        const expired = yield* checkouts.expireOpenCheckouts({ limit: batch })
        total += expired.length
        if (expired.length < batch) return total
      }
    })
    const logged = round.pipe(
      Effect.tap((n) => n > 0 ? Effect.logInfo(`Expiry sweep: expired ${n} open checkout(s)`) : Effect.void),
      Effect.tap((n) => Effect.andThen(Metric.update(sweeps, 1), Metric.update(sweptCheckouts, n))),
      Effect.catchCause((cause) => Effect.logError("Expiry sweep failed", cause))
    )
    yield* Effect.forkScoped(logged.pipe(Effect.delay(interval), Effect.forever))
  }))

/**
 * Asks the processor, every `interval`, about payment attempts whose outcome is not recorded (an answer lost, a
 * process that died mid-call, a 5xx Stripe stored under our key) and intents whose webhook never came; logs what it
 * resolved. A failed round is logged, not fatal.
 */
const reconciliation = (interval: Duration.Duration) =>
  Layer.effectDiscard(Effect.gen(function*() {
    const checkouts = yield* CheckoutService.CheckoutService
    const round = checkouts.reconcilePayments().pipe(
      Effect.tap((report) =>
        report.resolved.length > 0 || report.unresolved.length > 0
          ? Effect.logInfo(
            `Payment reconciliation: ${report.resolved.length} resolved, ${report.unresolved.length} still unknown`
          ).pipe(Effect.annotateLogs({ resolved: report.resolved, unresolved: report.unresolved }))
          : Effect.void
      ),
      Effect.catchCause((cause) => Effect.logError("Payment reconciliation failed", cause))
    )
    yield* Effect.forkScoped(round.pipe(Effect.delay(interval), Effect.forever))
  }))

export interface Options {
  /** Runs once the server is ready (after the banner); main uses it to compact memory. */
  readonly onReady?: Effect.Effect<void>
}

/** Everything the process runs, as one layer: launch it (main) or build it in a scope (tests). */
export const layer = (config: ServerConfig.ServerConfig, options: Options = {}) =>
  Layer.unwrap(Effect.gen(function*() {
    // Built from inside `listen` (provided below), so the port already answers 503 while the seed loads.
    const seedPath = Option.getOrElse(config.seedFile, () => Seed.demoSeedPath)
    const stripeOn = Option.isSome(config.stripe)
    const webhookSecret = Option.flatMap(config.stripe, (s) => s.webhookSecret)
    const publicBase = Option.match(config.publicBaseUrl, {
      onNone: () => Server.baseUrl,
      onSome: (url) => Effect.succeed(url)
    })

    const seed = yield* Startup.loadSeed(seedPath)
    const local = yield* localTestMode
    const settings = Layer.mergeAll(
      Layer.succeed(CheckoutConfig.Ttl, Duration.seconds(config.checkoutTtlSeconds)),
      Layer.succeed(CheckoutConfig.PaymentCallTimeout, Duration.seconds(config.paymentCallTimeoutSeconds)),
      Layer.effect(CheckoutConfig.Urls, Effect.map(publicBase, (frontendBaseUrl) => ({ frontendBaseUrl })))
    )
    const adapters = Layer.mergeAll(
      Store.layer(config.store, seed.seed, ServerConfigModule.describeStore(config.store), {
        poolMetricsEveryMs: Option.getOrUndefined(Option.map(config.telemetry, (t) => t.metricIntervalMs))
      }),
      // Payment metrics only when OpenTelemetry export is on (free when off).
      Option.isSome(config.telemetry)
        ? PaymentMetrics.instrument(yield* processorLayer(config, local))
        : yield* processorLayer(config, local),
      yield* taxLayer(config),
      settings,
      Webhooks.settings(config.webhooks)
    )
    const services = Layer.merge(CheckoutLinkService.CheckoutLinkService.layer, WebhookService.layer).pipe(
      Layer.provideMerge(CheckoutService.CheckoutService.layer),
      Layer.provideMerge(adapters)
    )

    const webhook = stripeOn
      ? Layer.unwrap(Effect.gen(function*() {
        const { ProcessedEvents, WebhookEndpoint } = yield* loadStripe
        // On PostgreSQL the handled event ids are shared by every node; in memory they are this process's.
        const dedup = yield* Store.WebhookDedup
        // No secret configured: the endpoint stays mounted and answers 404, so the misconfiguration is visible.
        return WebhookEndpoint.layer({ secret: Option.getOrElse(webhookSecret, () => Redacted.make("")) }).pipe(
          Layer.provide(Option.match(dedup, {
            onNone: () => ProcessedEvents.ProcessedEvents.layerMemory(),
            onSome: (store) => Layer.succeed(ProcessedEvents.ProcessedEvents, ProcessedEvents.ProcessedEvents.of(store))
          }))
        )
      }))
      : Layer.empty
    // The Polar-compatible API (+ /openapi.json); link URLs use CheckoutConfig.Urls, i.e. the public base URL.
    const trustedProxies = config.limits.trustedProxies.length === 0 ? undefined : config.limits.trustedProxies
    // Abuse limits (RATE_LIMITS=off: none); the counters are the store's (Store.ts).
    const limits = Option.match(config.limits.rules, {
      onNone: () => Layer.empty,
      onSome: (rules) => RateLimit.layer({ rules, trustedProxies })
    })
    const phase = Readiness.makePhase()
    const routes = Layer.mergeAll(
      Server.healthRoute,
      Readiness.route(phase),
      Routes.layer({ docsPath: Option.getOrNull(config.apiDocsPath), trustedProxies }),
      webhook,
      limits,
      // The buyer's page at each checkout's `url`, its assets, and the client event stream.
      CheckoutPage.routes(stripeOn ? "stripe" : "test")
    ).pipe(
      // One log line per request (route template, status, duration, X-Request-Id), secret-free. Provided, so it is
      // built first: the first global middleware added is the outermost, and this one must see every answer.
      Layer.provide(
        RequestLog.layer({
          extraRoutes: [
            "/healthz", "/readyz", "/openapi.json", webhookPath, ...CheckoutPage.paths,
            ...Option.toArray(config.apiDocsPath)
          ],
          telemetry: Option.isSome(config.telemetry)
        })
      )
    )
    const http = Server.serveRoutes(routes)

    const announce = Layer.effectDiscard(Effect.gen(function*() {
      const baseUrl = yield* Server.baseUrl
      const linkBase = yield* publicBase
      const link = yield* Startup.ensureCheckoutLink(seed)
      const store = yield* Store.StoreDescription
      const facts: Banner.Facts = {
        baseUrl,
        store,
        paymentProcessor: stripeOn ? "stripe" : "local-test-mode",
        accessToken: seed.accessToken,
        organizationId: seed.organization?.id ?? null,
        products: seed.products.map(Startup.productLine),
        checkoutLinkUrl: link === null ? null : `${linkBase}/v1/checkout-links/${link.clientSecret}/redirect`,
        stripeWebhookPath: stripeOn ? webhookPath : null,
        apiDocsPath: Option.getOrNull(config.apiDocsPath),
        checkouts: seed.seed.checkouts
          .filter((c) => seed.organization !== null && c.organizationId === seed.organization.id)
          .map((c) => ({ id: c.id, status: c.status, clientSecret: c.clientSecret }))
      }
      if (!stripeOn) {
        yield* Effect.logWarning(
          "TEST MODE: no STRIPE_SECRET_KEY, payments use the LOCAL TEST PROCESSOR (nothing is charged)"
        )
      }
      if (stripeOn && Option.isNone(webhookSecret)) {
        yield* Effect.logWarning(
          `STRIPE_WEBHOOK_SECRET is not set: ${webhookPath} answers 404, so confirmed checkouts never succeed`
        )
      }
      if (config.seedFile._tag === "None") {
        yield* Effect.logWarning("CHECKOUT_SEED_FILE is not set: using the demo seed, whose access token is public")
      }
      // Seeded checkouts are logged without their client secrets (the banner, printed once, shows them).
      const checkouts = (facts.checkouts ?? []).map((c) => ({ id: c.id, status: c.status }))
      // Nor the access token: no log line carries a credential (the banner, printed once, shows it).
      const accessToken = facts.accessToken === null ? null : "(printed in the banner)"
      // The link's URL holds its client secret: the log says there is one, the banner shows it.
      const checkoutLinkUrl = facts.checkoutLinkUrl === null ? null : "(printed in the banner)"
      yield* Effect.logInfo("checkout-kit ready").pipe(
        Effect.annotateLogs({ ...facts, accessToken, checkoutLinkUrl, checkouts, seedFile: seedPath })
      )
      yield* Console.log(Banner.render(facts).join("\n"))
      phase.started = true
      if (options.onReady !== undefined) yield* options.onReady
      // Added last, so it runs first at shutdown (and /readyz turns 503 before the port closes).
      yield* Effect.addFinalizer(() =>
        Effect.andThen(Effect.sync(() => void (phase.started = false)), Effect.logInfo("Shutting down: finishing in-flight requests")))
    }))

    return Layer.mergeAll(
      http,
      expirySweep(Duration.seconds(config.expirySweepIntervalSeconds)),
      reconciliation(Duration.seconds(config.reconcileIntervalSeconds)),
      Webhooks.layerWorker(config.webhooks),
      stripeOn ? Layer.empty : localSettlements(local),
      Option.match(config.telemetry, {
        onNone: () => Layer.empty,
        onSome: (t) => PaymentMetrics.pendingSampler(Duration.millis(t.metricIntervalMs))
      }),
      announce.pipe(Layer.provide(http)),
      CheckoutPage.closeStreamsOnShutdown.pipe(Layer.provide(http))
    ).pipe(Layer.provide(CheckoutPage.feed), Layer.provide(services))
  })).pipe(
    Layer.provideMerge(Server.listen({ host: config.host, port: config.port })),
    // OpenTelemetry export when OTEL_EXPORTER_OTLP_* asks for it; otherwise tracing stays off (no span is opened).
    Layer.provide(Telemetry.layer(config.telemetry))
  )
