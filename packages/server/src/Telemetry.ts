/**
 * OpenTelemetry export, on only when the standard variables ask for it: `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL;
 * `/v1/traces` and `/v1/metrics` are appended), or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` /
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (full URLs, per signal); `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k=v`, e.g. an
 * API key: kept `Redacted`), `OTEL_SERVICE_NAME` (default `checkout-kit`), `OTEL_METRIC_EXPORT_INTERVAL` and
 * `OTEL_BSP_SCHEDULE_DELAY` (milliseconds), `OTEL_SDK_DISABLED=true` (everything off). Traces and metrics go over
 * OTLP/HTTP with JSON bodies, through effect's own exporters (`effect/observability`: no OpenTelemetry SDK in the
 * process); what is pending is flushed at shutdown.
 *
 * Off (the default), the tracer stays disabled (`References.TracerEnabled = false`: the use cases open no spans) and
 * the request middleware records no metrics, so it costs nothing. On, Effect's built-in HTTP server span is turned
 * off: it records the URL path, which carries client secrets; http-api's `RequestLog` opens the server span under
 * the route template instead.
 */
import { Config, Duration, Layer, Option, Redacted, References } from "effect"
import { FetchHttpClient, HttpMiddleware } from "effect/http"
import { OtlpMetrics, OtlpSerialization, OtlpTracer } from "effect/observability"

export interface TelemetrySettings {
  readonly tracesUrl: Option.Option<string>
  readonly metricsUrl: Option.Option<string>
  readonly headers: Redacted.Redacted<Record<string, string>>
  readonly serviceName: string
  readonly metricIntervalMs: number
  readonly traceDelayMs: number
}

const parseHeaders = (text: string): Record<string, string> =>
  Object.fromEntries(text.split(",").flatMap((pair) => {
    const at = pair.indexOf("=")
    if (at <= 0) return []
    return [[decodeURIComponent(pair.slice(0, at).trim()), decodeURIComponent(pair.slice(at + 1).trim())]]
  }))

const signalUrl = (base: Option.Option<string>, own: Option.Option<string>, signal: string) =>
  Option.orElse(own, () => Option.map(base, (url) => `${url.replace(/\/+$/u, "")}/v1/${signal}`))

/** None: export off. */
export const config: Config.Config<Option.Option<TelemetrySettings>> = Config.all({
  disabled: Config.Boolean("OTEL_SDK_DISABLED").pipe(Config.withDefault(false)),
  base: Config.option(Config.String("OTEL_EXPORTER_OTLP_ENDPOINT")),
  traces: Config.option(Config.String("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")),
  metrics: Config.option(Config.String("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")),
  headers: Config.String("OTEL_EXPORTER_OTLP_HEADERS").pipe(Config.withDefault("")),
  serviceName: Config.String("OTEL_SERVICE_NAME").pipe(Config.withDefault("checkout-kit")),
  metricIntervalMs: Config.Int("OTEL_METRIC_EXPORT_INTERVAL").pipe(Config.withDefault(60_000)),
  traceDelayMs: Config.Int("OTEL_BSP_SCHEDULE_DELAY").pipe(Config.withDefault(5_000))
}).pipe(Config.map((c): Option.Option<TelemetrySettings> => {
  const tracesUrl = signalUrl(c.base, c.traces, "traces")
  const metricsUrl = signalUrl(c.base, c.metrics, "metrics")
  if (c.disabled || (Option.isNone(tracesUrl) && Option.isNone(metricsUrl))) return Option.none()
  return Option.some({
    tracesUrl,
    metricsUrl,
    headers: Redacted.make(parseHeaders(c.headers)),
    serviceName: c.serviceName,
    metricIntervalMs: c.metricIntervalMs,
    traceDelayMs: c.traceDelayMs
  })
}))

/** The exporters and the tracer settings, or tracing off. */
export const layer = (settings: Option.Option<TelemetrySettings>) =>
  Option.match(settings, {
    onNone: () => Layer.succeed(References.TracerEnabled, false),
    onSome: (s) => {
      const common = { resource: { serviceName: s.serviceName }, headers: Redacted.value(s.headers) }
      return Layer.mergeAll(
        Option.match(s.tracesUrl, {
          onNone: () => Layer.succeed(References.TracerEnabled, false),
          onSome: (url) =>
            Layer.merge(
              OtlpTracer.layer({ ...common, url, exportInterval: Duration.millis(s.traceDelayMs) }),
              Layer.succeed(References.TracerEnabled, true)
            )
        }),
        Option.match(s.metricsUrl, {
          onNone: () => Layer.empty,
          onSome: (url) => OtlpMetrics.layer({ ...common, url, exportInterval: Duration.millis(s.metricIntervalMs) })
        }),
        Layer.succeed(HttpMiddleware.TracerDisabledWhen, () => true)
      ).pipe(Layer.provide(OtlpSerialization.layerJson), Layer.provide(FetchHttpClient.layer))
    }
  })
