/**
 * OpenTelemetry export, on only when the standard variables ask for it, through `@effect/opentelemetry` and the
 * OpenTelemetry JS SDK's OTLP/HTTP exporters (TelemetrySdk.ts, imported dynamically: a server with export off never
 * loads the SDK).
 *
 * Variables (the OpenTelemetry SDK's names and meanings):
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL; `/v1/traces` and `/v1/metrics` are appended), or per signal
 *   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (full URLs). A signal with no
 *   endpoint is not exported; no endpoint at all: export off.
 * - `OTEL_EXPORTER_OTLP_PROTOCOL` (and `..._TRACES_PROTOCOL` / `..._METRICS_PROTOCOL`): `http/protobuf` (default)
 *   or `http/json`; `grpc` is refused with a clear error.
 * - `OTEL_EXPORTER_OTLP_HEADERS` (and `..._TRACES_HEADERS` / `..._METRICS_HEADERS`, which win per key): `k=v,k=v`,
 *   percent-decoded, e.g. an API key: kept `Redacted`, never logged.
 * - `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else `checkout-kit`;
 *   `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k=v`) adds resource attributes.
 * - `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_BSP_SCHEDULE_DELAY` (milliseconds); `OTEL_SDK_DISABLED=true`: all off.
 * What is pending is flushed at shutdown.
 *
 * Off (the default), the tracer stays disabled (`References.TracerEnabled = false`: the use cases open no spans) and
 * the request middleware records no metrics, so it costs nothing. On, Effect's built-in HTTP server span is turned
 * off: it records the URL path, which carries client secrets; http-api's `RequestLog` opens the server span under
 * the route template instead.
 */
import { Config, Effect, Layer, Option, Redacted, References, Schema } from "effect"
import { HttpMiddleware } from "effect/http"

export type Protocol = "http/protobuf" | "http/json"

export interface Signal {
  readonly url: string
  readonly protocol: Protocol
  readonly headers: Redacted.Redacted<Record<string, string>>
}

export interface TelemetrySettings {
  readonly traces: Option.Option<Signal>
  readonly metrics: Option.Option<Signal>
  readonly serviceName: string
  /** `OTEL_RESOURCE_ATTRIBUTES`, decoded. */
  readonly resourceAttributes: Readonly<Record<string, string>>
  readonly metricIntervalMs: number
  readonly traceDelayMs: number
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** `k=v,k=v` (the OTLP headers and resource attributes format), percent-decoded; malformed pairs are skipped. */
export const parsePairs = (text: string): Record<string, string> =>
  Object.fromEntries(text.split(",").flatMap((pair) => {
    const at = pair.indexOf("=")
    if (at <= 0) return []
    return [[decode(pair.slice(0, at).trim()), decode(pair.slice(at + 1).trim())]]
  }))

/** `grpc` is not accepted: the error names the variable and says so (`expectations`). */
const ProtocolName = Schema.Literals(["http/protobuf", "http/json"])
const protocolVar = (name: string) => Config.option(Config.schema(ProtocolName, name))
const Millis = Schema.Int.check(Schema.isGreaterThan(0))
const pairsVar = (name: string) => Config.String(name).pipe(Config.withDefault(""), Config.map(parsePairs))

const signalUrl = (base: Option.Option<string>, own: Option.Option<string>, signal: string) =>
  Option.orElse(own, () => Option.map(base, (url) => `${url.replace(/\/+$/u, "")}/v1/${signal}`))

/** None: export off. */
export const config: Config.Config<Option.Option<TelemetrySettings>> = Config.all({
  disabled: Config.Boolean("OTEL_SDK_DISABLED").pipe(Config.withDefault(false)),
  base: Config.option(Config.String("OTEL_EXPORTER_OTLP_ENDPOINT")),
  traces: Config.option(Config.String("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")),
  metrics: Config.option(Config.String("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")),
  protocol: protocolVar("OTEL_EXPORTER_OTLP_PROTOCOL"),
  tracesProtocol: protocolVar("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"),
  metricsProtocol: protocolVar("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"),
  headers: pairsVar("OTEL_EXPORTER_OTLP_HEADERS"),
  tracesHeaders: pairsVar("OTEL_EXPORTER_OTLP_TRACES_HEADERS"),
  metricsHeaders: pairsVar("OTEL_EXPORTER_OTLP_METRICS_HEADERS"),
  serviceName: Config.option(Config.String("OTEL_SERVICE_NAME")),
  resourceAttributes: pairsVar("OTEL_RESOURCE_ATTRIBUTES"),
  metricIntervalMs: Config.schema(Millis, "OTEL_METRIC_EXPORT_INTERVAL").pipe(Config.withDefault(60_000)),
  traceDelayMs: Config.schema(Millis, "OTEL_BSP_SCHEDULE_DELAY").pipe(Config.withDefault(5_000))
}).pipe(Config.map((c): Option.Option<TelemetrySettings> => {
  const tracesUrl = signalUrl(c.base, c.traces, "traces")
  const metricsUrl = signalUrl(c.base, c.metrics, "metrics")
  if (c.disabled || (Option.isNone(tracesUrl) && Option.isNone(metricsUrl))) return Option.none()
  const tracesProtocol = Option.getOrElse(Option.orElse(c.tracesProtocol, () => c.protocol), () => "http/protobuf" as const)
  const metricsProtocol = Option.getOrElse(Option.orElse(c.metricsProtocol, () => c.protocol), () => "http/protobuf" as const)
  const signal = (url: Option.Option<string>, protocol: Protocol, own: Record<string, string>) =>
    Option.map(url, (u): Signal => ({ url: u, protocol, headers: Redacted.make({ ...c.headers, ...own }) }))
  return Option.some({
    traces: signal(tracesUrl, tracesProtocol, c.tracesHeaders),
    metrics: signal(metricsUrl, metricsProtocol, c.metricsHeaders),
    serviceName: Option.getOrElse(c.serviceName, () => c.resourceAttributes["service.name"] ?? "checkout-kit"),
    resourceAttributes: c.resourceAttributes,
    metricIntervalMs: c.metricIntervalMs,
    traceDelayMs: c.traceDelayMs
  })
}))

/** What each variable must look like (merged into Config's error messages). */
export const expectations: Readonly<Record<string, string>> = {
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf or http/json (grpc is not supported)",
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf or http/json (grpc is not supported)",
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/protobuf or http/json (grpc is not supported)",
  OTEL_METRIC_EXPORT_INTERVAL: "a whole number of milliseconds greater than 0",
  OTEL_BSP_SCHEDULE_DELAY: "a whole number of milliseconds greater than 0",
  OTEL_SDK_DISABLED: "true or false"
}

/** For the start-up log: where each signal goes and how, never the headers. */
export const describe = (settings: Option.Option<TelemetrySettings>) =>
  Option.match(settings, {
    onNone: () => "off",
    onSome: (t) => ({
      traces: Option.match(t.traces, { onNone: () => null, onSome: (s) => `${s.url} (${s.protocol})` }),
      metrics: Option.match(t.metrics, { onNone: () => null, onSome: (s) => `${s.url} (${s.protocol})` }),
      serviceName: t.serviceName
    })
  })

/** The SDK's layer, imported only when export is on (the default start never loads the OpenTelemetry SDK). */
const sdkLayer = (settings: TelemetrySettings) =>
  Layer.unwrap(Effect.map(Effect.promise(() => import("./TelemetrySdk.ts")), (sdk) => sdk.layer(settings)))

/** The exporters and the tracer settings, or tracing off. */
export const layer = (settings: Option.Option<TelemetrySettings>) =>
  Option.match(settings, {
    onNone: () => Layer.succeed(References.TracerEnabled, false),
    onSome: (s) =>
      Layer.mergeAll(
        sdkLayer(s),
        Layer.succeed(References.TracerEnabled, Option.isSome(s.traces)),
        Layer.succeed(HttpMiddleware.TracerDisabledWhen, () => true)
      )
  })
