/**
 * The OpenTelemetry SDK side of Telemetry.ts, imported only when export is configured: Effect's spans go through
 * `@effect/opentelemetry`'s tracer into an SDK tracer provider with a batch span processor and the OTLP/HTTP trace
 * exporter; Effect's metrics are read by `@effect/opentelemetry`'s metric producer on a periodic reader with the
 * OTLP/HTTP metric exporter. Protobuf or JSON bodies per `Signal.protocol`. Closing the layer flushes what is
 * pending (bounded by `shutdownTimeoutMs`). The SDK's own warnings and errors (a collector that cannot be reached, a
 * refused export) become Warn log lines `OpenTelemetry: ...` (message text only, never the SDK's objects).
 */
import { OtelMetrics, OtelTracer, Resource } from "@effect/opentelemetry"
import { diag, DiagLogLevel } from "@opentelemetry/api"
import { OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http"
import { OTLPMetricExporter as ProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto"
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto"
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics"
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, Option, Redacted } from "effect"
import type { Signal, TelemetrySettings } from "./Telemetry.ts"

const shutdownTimeoutMs = 5_000

const exporterOptions = (signal: Signal) => ({
  url: signal.url,
  headers: Redacted.value(signal.headers),
  timeoutMillis: 10_000
})

const tracerProvider = (signal: Signal, settings: TelemetrySettings) =>
  Layer.effect(
    OtelTracer.OtelTracerProvider,
    Effect.gen(function*() {
      const resource = yield* Resource.Resource
      return yield* Effect.acquireRelease(
        Effect.sync(() => {
          const options = exporterOptions(signal)
          const exporter = signal.protocol === "http/json" ? new JsonTraceExporter(options) : new ProtoTraceExporter(options)
          return new BasicTracerProvider({
            resource,
            spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: settings.traceDelayMs })]
          })
        }),
        (provider) =>
          Effect.promise(() => provider.forceFlush().finally(() => provider.shutdown())).pipe(
            Effect.ignore,
            Effect.timeoutOption(shutdownTimeoutMs)
          )
      )
    })
  )

const metricReader = (signal: Signal, settings: TelemetrySettings) => {
  const options = exporterOptions(signal)
  const exporter = signal.protocol === "http/json" ? new JsonMetricExporter(options) : new ProtoMetricExporter(options)
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: settings.metricIntervalMs,
    // The SDK requires the export timeout not to exceed the interval.
    exportTimeoutMillis: Math.min(settings.metricIntervalMs, 10_000)
  })
}

const text = (args: ReadonlyArray<unknown>) =>
  args.map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : "")).filter((t) => t !== "").join(" ")

/** The SDK's diagnostics at Warn and above, as this process's log lines, for the layer's lifetime. */
const diagnostics = Layer.effectDiscard(Effect.gen(function*() {
  const context = yield* Effect.context<never>()
  const warn = (...args: Array<unknown>) =>
    void Effect.runForkWith(context)(Effect.logWarning(`OpenTelemetry: ${text(args).slice(0, 500)}`))
  yield* Effect.acquireRelease(
    Effect.sync(() => diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN)),
    () => Effect.sync(() => diag.disable())
  )
}))

/** Traces and metrics as configured, over one resource (service name and `OTEL_RESOURCE_ATTRIBUTES`). */
export const layer = (settings: TelemetrySettings) => {
  const traces = Option.match(settings.traces, {
    onNone: () => Layer.empty,
    onSome: (signal) => OtelTracer.layer.pipe(Layer.provide(tracerProvider(signal, settings)))
  })
  const metrics = Option.match(settings.metrics, {
    onNone: () => Layer.empty,
    onSome: (signal) =>
      OtelMetrics.layer(() => metricReader(signal, settings), { shutdownTimeout: shutdownTimeoutMs })
  })
  // Diagnostics first up, last down: a failed flush at shutdown is still logged.
  return Layer.merge(traces, metrics).pipe(
    Layer.provideMerge(diagnostics),
    Layer.provide(Resource.layer({ serviceName: settings.serviceName, attributes: settings.resourceAttributes }))
  )
}
