/**
 * The OpenTelemetry settings read from the standard OTEL_* variables: off unless an endpoint is set, per-signal
 * endpoints/protocols/headers over the general ones, headers kept Redacted and out of the start-up description,
 * the service name's precedence, grpc refused with a clear message.
 */
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import * as ServerConfig from "../src/Config.ts"

const load = (env: Record<string, string>) => ServerConfig.load(ConfigProvider.fromEnv({ env }))
const telemetry = (env: Record<string, string>) => Effect.map(load(env), (cfg) => cfg.telemetry)

describe("OpenTelemetry configuration", () => {
  it.effect("off without an endpoint, and with OTEL_SDK_DISABLED=true", () =>
    Effect.gen(function*() {
      assert.isTrue(Option.isNone(yield* telemetry({})))
      assert.isTrue(Option.isNone(yield* telemetry({ OTEL_SERVICE_NAME: "x", OTEL_EXPORTER_OTLP_HEADERS: "a=b" })))
      assert.isTrue(Option.isNone(yield* telemetry({ OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })))
      assert.strictEqual(ServerConfig.describe(yield* load({})).openTelemetry, "off")
    }))

  it.effect("a base endpoint exports both signals over http/protobuf; per-signal variables win", () =>
    Effect.gen(function*() {
      const both = Option.getOrThrow(yield* telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }))
      assert.strictEqual(Option.getOrThrow(both.traces).url, "http://collector:4318/v1/traces")
      assert.strictEqual(Option.getOrThrow(both.metrics).url, "http://collector:4318/v1/metrics")
      assert.strictEqual(Option.getOrThrow(both.traces).protocol, "http/protobuf")
      assert.strictEqual(both.serviceName, "checkout-kit")

      const mixed = Option.getOrThrow(yield* telemetry({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/v1/spans",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/protobuf",
        OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=general%20key,x-tenant=shop",
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-api-key=traces-key"
      }))
      const traces = Option.getOrThrow(mixed.traces)
      const metrics = Option.getOrThrow(mixed.metrics)
      assert.strictEqual(traces.url, "https://traces.example/v1/spans")
      assert.strictEqual(traces.protocol, "http/json")
      assert.strictEqual(metrics.protocol, "http/protobuf")
      assert.deepStrictEqual(Redacted.value(traces.headers), { "x-api-key": "traces-key", "x-tenant": "shop" })
      assert.deepStrictEqual(Redacted.value(metrics.headers), { "x-api-key": "general key", "x-tenant": "shop" })

      // Only one signal configured: only that one is exported.
      const onlyMetrics = Option.getOrThrow(yield* telemetry({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://m:4318/v1/metrics" }))
      assert.isTrue(Option.isNone(onlyMetrics.traces))
      assert.strictEqual(Option.getOrThrow(onlyMetrics.metrics).url, "http://m:4318/v1/metrics")
    }))

  it.effect("headers (API keys) never show in strings, JSON or the start-up description", () =>
    Effect.gen(function*() {
      const cfg = yield* load({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20sekrit-123" })
      const settings = Option.getOrThrow(cfg.telemetry)
      const described = JSON.stringify(ServerConfig.describe(cfg))
      assert.include(described, "http://c:4318/v1/traces (http/protobuf)")
      for (const text of [described, JSON.stringify(settings), String(Option.getOrThrow(settings.traces).headers)]) {
        assert.notInclude(text, "sekrit-123")
      }
    }))

  it.effect("service name: OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else checkout-kit", () =>
    Effect.gen(function*() {
      const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }
      const named = Option.getOrThrow(yield* telemetry({
        ...endpoint,
        OTEL_SERVICE_NAME: "shop",
        OTEL_RESOURCE_ATTRIBUTES: "service.name=other,region=eu%2Dwest"
      }))
      assert.strictEqual(named.serviceName, "shop")
      assert.deepStrictEqual(named.resourceAttributes, { "service.name": "other", region: "eu-west" })
      const fromAttributes = Option.getOrThrow(yield* telemetry({ ...endpoint, OTEL_RESOURCE_ATTRIBUTES: "service.name=other" }))
      assert.strictEqual(fromAttributes.serviceName, "other")
    }))

  it.effect("grpc, unknown protocols and a zero interval are refused, naming the variable", () =>
    Effect.gen(function*() {
      const message = yield* load({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }).pipe(
        Effect.flip,
        Effect.map((e) => e.message)
      )
      assert.include(message, "Invalid OTEL_EXPORTER_OTLP_PROTOCOL: expected http/protobuf or http/json (grpc is not supported)")
      const traces = yield* load({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "thrift" }).pipe(Effect.flip, Effect.map((e) => e.message))
      assert.include(traces, "Invalid OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
      const interval = yield* load({ OTEL_METRIC_EXPORT_INTERVAL: "0" }).pipe(Effect.flip, Effect.map((e) => e.message))
      assert.include(interval, "Invalid OTEL_METRIC_EXPORT_INTERVAL: expected a whole number of milliseconds greater than 0")
    }))
})
