/**
 * OpenTelemetry export end to end: a real server process (`node src/main.ts`) with OTEL_EXPORTER_OTLP_ENDPOINT
 * pointing at an in-repo OTLP/HTTP receiver, through @effect/opentelemetry and the SDK's OTLP/HTTP exporters. After a
 * checkout is created, updated and confirmed (a decline, then a success), webhooks are delivered (to one target that
 * answers 200 and one that answers 500) and the server stops (flushing), the receiver holds (protobuf, the default
 * protocol, with the configured headers and resource) a server span per request named after the route template, the
 * use-case spans under it with checkout id, organization id and outcome, and the request, latency, confirm-outcome,
 * payment-attempt, webhook-delivery, expiry-sweep and connection-pool metrics (the server runs on PostgreSQL); no
 * client secret, token or e-mail appears in anything exported. A second run exports OTLP/JSON (http/json) with a
 * configured service name. A third checks that a server with export off never loads the OpenTelemetry SDK, a fourth
 * that an unreachable collector shows as warnings in the log (without the configured headers).
 */
import { assert, describe, it } from "@effect/vitest"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { Effect, Exit, Redacted, Scope } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { call, confirmBody, json, starterKit, startNode, token } from "./Nodes.ts"
import * as Otlp from "./OtlpReceiver.ts"

describe("OpenTelemetry export", () => {
  it.live("spans and metrics reach an OTLP/HTTP receiver, with ids and outcomes and without secrets", () =>
    Effect.gen(function*() {
      const receiver = yield* Otlp.start
      const scope = yield* Scope.make()
      const database = yield* TestDatabase.freshDatabase
      const node = yield* startNode({
        CHECKOUT_STORE: "postgres",
        DATABASE_URL: Redacted.value(TestDatabase.urlOf(database)),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20collector-key",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=test,team=payments",
        OTEL_METRIC_EXPORT_INTERVAL: "300",
        OTEL_BSP_SCHEDULE_DELAY: "200",
        EXPIRY_SWEEP_INTERVAL_SECONDS: "1",
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
        WEBHOOKS_RETRY_BASE_MS: "50",
        WEBHOOKS_RETRY_MAX_MS: "100",
        WEBHOOKS_MAX_ATTEMPTS: "2"
      }).pipe(Scope.provide(scope))
      for (const path of ["/hook", "/fail"]) {
        const endpoint = yield* call(node.url, "/v1/webhooks/endpoints", {
          method: "POST",
          body: { url: `${receiver.url}${path}`, format: "raw", events: ["checkout.created", "checkout.updated"] }
        })
        assert.strictEqual(endpoint.status, 201, endpoint.body)
      }
      const created = json(yield* call(node.url, "/v1/checkouts/", {
        method: "POST",
        body: { products: [starterKit], customer_email: "telemetry.buyer@example.com" }
      }))
      const secret = String(created.client_secret)
      // A caller's W3C trace context: the request span joins the caller's trace.
      const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
      const callerSpan = "00f067aa0ba902b7"
      yield* call(node.url, `/v1/checkouts/${created.id}`, {
        method: "PATCH",
        body: { metadata: { k: "v" } },
        headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` }
      })
      const confirmPath = `/v1/checkouts/client/${secret}/confirm`
      const declined = yield* call(node.url, confirmPath, {
        method: "POST",
        headers: { authorization: "" },
        body: confirmBody("tok_chargeDeclined", "telemetry.buyer@example.com")
      })
      assert.strictEqual(declined.status, 400)
      const paid = yield* call(node.url, confirmPath, {
        method: "POST",
        headers: { authorization: "" },
        body: confirmBody("tok_visa", "telemetry.buyer@example.com")
      })
      assert.strictEqual(paid.status, 200)
      const sessionToken = String(json(paid).customer_session_token)
      // Let the worker deliver (and retry, then give up on /fail) before stopping: at most 20 s on a loaded machine.
      // Every event reaches /hook once and /fail twice (WEBHOOKS_MAX_ATTEMPTS=2).
      const hook = () => receiver.raw.get("/hook")?.length ?? 0
      const settled = () => hook() >= 2 && (receiver.raw.get("/fail")?.length ?? 0) >= 2 * hook()
      for (let i = 0; i < 200 && !settled(); i++) yield* Effect.sleep(100)
      yield* Effect.sleep(1_500)
      yield* Scope.close(scope, Exit.void)

      // OTLP_SAMPLE_OUT=<file>: keep what was exported (docs/operations.md shows a sample from such a run).
      if (process.env["OTLP_SAMPLE_OUT"] !== undefined) {
        const otlp = ["/v1/traces", "/v1/metrics"].map((path) => [path, (receiver.bodies.get(path) ?? []).map((b) => JSON.parse(b))])
        writeFileSync(process.env["OTLP_SAMPLE_OUT"], JSON.stringify(Object.fromEntries(otlp), null, 1))
      }
      // The default protocol is http/protobuf; the configured headers go with every export.
      for (const path of ["/v1/traces", "/v1/metrics"]) {
        assert.isNotEmpty(receiver.contentTypes.get(path) ?? [])
        for (const type of receiver.contentTypes.get(path) ?? []) assert.strictEqual(type, "application/x-protobuf")
        for (const auth of receiver.authorizations.get(path) ?? []) assert.strictEqual(auth, "Bearer collector-key")
      }
      for (const resource of Otlp.resources(receiver)) {
        assert.strictEqual(resource["service.name"], "checkout-kit")
        assert.strictEqual(resource["deployment.environment"], "test")
        assert.strictEqual(resource["team"], "payments")
      }
      const spans = Otlp.spans(receiver)
      const named = (name: string) => spans.filter((s) => s.name === name)
      const confirmSpans = named("POST /v1/checkouts/client/:client_secret/confirm")
      assert.strictEqual(confirmSpans.length, 2)
      assert.deepStrictEqual(confirmSpans.map((s) => s.attributes["http.response.status_code"]), [400, 200])
      assert.strictEqual(confirmSpans[0]!.attributes["http.route"], "/v1/checkouts/client/:client_secret/confirm")
      assert.strictEqual(named("POST /v1/checkouts/").length, 1)
      const patch = named("PATCH /v1/checkouts/:id")
      assert.strictEqual(patch.length, 1)
      assert.strictEqual(patch[0]!.traceId, callerTrace)
      assert.strictEqual(patch[0]!.parentSpanId, callerSpan)

      // The use case under the request span, with ids and the outcome.
      const useCases = named("CheckoutService.confirm")
      assert.strictEqual(useCases.length, 2)
      assert.sameMembers(useCases.map((s) => s.attributes["outcome"]), ["PaymentError", "success"])
      const success = useCases.find((s) => s.attributes["outcome"] === "success")!
      assert.strictEqual(success.attributes["checkout.id"], created.id)
      assert.strictEqual(success.attributes["organization.id"], created.organization_id)
      assert.strictEqual(success.parentSpanId, confirmSpans[1]!.spanId)
      const create = named("CheckoutService.create")[0]!
      assert.strictEqual(create.attributes["checkout.id"], created.id)
      assert.strictEqual(create.attributes["organization.id"], created.organization_id)

      const points = Otlp.points(receiver)
      const metric = (name: string) => points.filter((p) => p.metric === name)
      assert.isTrue(
        metric("http.server.requests").some((p) =>
          p.attributes["route"] === "/v1/checkouts/client/:client_secret/confirm" && p.attributes["status"] === "400" && p.value >= 1
        )
      )
      assert.isTrue(metric("http.server.request.duration").some((p) => p.attributes["route"] === "/v1/checkouts/"))
      const outcomeValues = Object.fromEntries(metric("checkout.confirm.outcomes").map((p) => [p.attributes["outcome"], p.value]))
      assert.isAtLeast(outcomeValues["confirmed"] ?? 0, 1)
      assert.isAtLeast(outcomeValues["payment_failed"] ?? 0, 1)
      assert.isAbove(metric("checkout.expiry.sweeps").length, 0)
      assert.isTrue(metric("db.client.connections.max").some((p) => p.value === 10))
      assert.isTrue(metric("db.client.connections.usage").some((p) => p.attributes["state"] === "idle"))
      // What the processor answered, and the attempts in flight / awaiting an outcome (none left at the end).
      const attempts = Object.fromEntries(metric("checkout.payment.attempts").map((p) => [p.attributes["outcome"], p.value]))
      assert.isAtLeast(attempts["declined"] ?? 0, 1)
      assert.isAtLeast(attempts["succeeded"] ?? 0, 1)
      assert.isAbove(metric("checkout.payment.attempts.in_flight").length, 0)
      assert.strictEqual(metric("checkout.payment.attempts.in_flight").at(-1)!.value, 0)
      assert.isAbove(metric("checkout.payment.attempts.pending").length, 0)
      // Webhook deliveries: /hook answered 200, /fail 500 (retried once, then given up).
      const deliveries = (result: string) =>
        Math.max(0, ...metric("webhook.deliveries").filter((p) => p.attributes["result"] === result).map((p) => p.value))
      assert.isAtLeast(deliveries("delivered"), 2)
      assert.isAtLeast(deliveries("failed"), 2)
      const failures = (next: string) =>
        Math.max(0, ...metric("webhook.delivery.failures").filter((p) => p.attributes["next"] === next).map((p) => p.value))
      assert.isAtLeast(failures("retry"), 1)
      assert.isAtLeast(failures("give_up"), 1)

      // Nothing exported carries a secret or an e-mail.
      const everything = ["/v1/traces", "/v1/metrics"]
        .flatMap((path) => [...(receiver.bodies.get(path) ?? []), ...(receiver.raw.get(path) ?? [])])
        .join("\n")
      for (const s of [secret, token, sessionToken, "telemetry.buyer@example.com", "tok_visa", "tok_chargeDeclined"]) {
        assert.notInclude(everything, s)
      }
      assert.notMatch(everything, /[\w.+-]+@[\w-]+\.[a-z]{2,}/u)
    }).pipe(Effect.scoped), { timeout: 60_000 })

  it.live("http/json when OTEL_EXPORTER_OTLP_PROTOCOL says so, under OTEL_SERVICE_NAME", () =>
    Effect.gen(function*() {
      const receiver = yield* Otlp.start
      const scope = yield* Scope.make()
      const node = yield* startNode({
        CHECKOUT_STORE: "memory",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_SERVICE_NAME: "shop-checkout",
        OTEL_RESOURCE_ATTRIBUTES: "service.name=ignored,region=eu",
        OTEL_METRIC_EXPORT_INTERVAL: "300",
        OTEL_BSP_SCHEDULE_DELAY: "200"
      }).pipe(Scope.provide(scope))
      const created = yield* call(node.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } })
      assert.strictEqual(created.status, 201)
      yield* Scope.close(scope, Exit.void)
      for (const path of ["/v1/traces", "/v1/metrics"]) {
        assert.isNotEmpty(receiver.contentTypes.get(path) ?? [])
        for (const type of receiver.contentTypes.get(path) ?? []) assert.strictEqual(type, "application/json")
      }
      assert.strictEqual(Otlp.spans(receiver).filter((s) => s.name === "POST /v1/checkouts/").length, 1)
      assert.isTrue(Otlp.points(receiver).some((p) => p.metric === "http.server.requests" && p.attributes["status"] === "201"))
      for (const resource of Otlp.resources(receiver)) {
        assert.strictEqual(resource["service.name"], "shop-checkout")
        assert.strictEqual(resource["region"], "eu")
      }
    }).pipe(Effect.scoped), { timeout: 60_000 })

  it.live("the OpenTelemetry SDK is loaded only when export is configured", () =>
    Effect.gen(function*() {
      const receiver = yield* Otlp.start
      const dir = mkdtempSync(join(tmpdir(), "otel-loads-"))
      const loaded = (name: string) => {
        const file = join(dir, name)
        return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : []
      }
      const run = (name: string, env: Record<string, string>) =>
        Effect.gen(function*() {
          const scope = yield* Scope.make()
          const node = yield* startNode({
            CHECKOUT_STORE: "memory",
            NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --import=${pathToFileURL(join(import.meta.dirname, "LoadedModules.mjs")).href}`,
            LOADED_MODULES_OUT: join(dir, name),
            ...env
          }).pipe(Scope.provide(scope))
          assert.strictEqual((yield* call(node.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } })).status, 201)
          yield* Scope.close(scope, Exit.void)
        })
      yield* run("off", {})
      yield* run("on", { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })
      assert.deepStrictEqual(loaded("off"), [])
      assert.isTrue(loaded("on").some((url) => url.includes("@effect/opentelemetry")))
      assert.isTrue(loaded("on").some((url) => url.includes("@opentelemetry/sdk-trace-base")))
      rmSync(dir, { recursive: true, force: true })
    }).pipe(Effect.scoped), { timeout: 60_000 })

  it.live("a collector that cannot be reached is a warning in the log, not a crash and not silence", () =>
    Effect.gen(function*() {
      // A port nothing listens on: take a free one and close it.
      const closed = yield* Effect.scoped(Effect.map(Otlp.start, (r) => r.url))
      const scope = yield* Scope.make()
      const node = yield* startNode({
        CHECKOUT_STORE: "memory",
        OTEL_EXPORTER_OTLP_ENDPOINT: closed,
        OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=collector-secret-1",
        OTEL_METRIC_EXPORT_INTERVAL: "200",
        OTEL_BSP_SCHEDULE_DELAY: "100"
      }).pipe(Scope.provide(scope))
      assert.strictEqual((yield* call(node.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } })).status, 201)
      yield* Effect.sleep(1_500)
      assert.strictEqual((yield* call(node.url, "/healthz")).status, 200)
      yield* Scope.close(scope, Exit.void)
      const output = node.output()
      assert.match(output, /OpenTelemetry: /u)
      assert.notInclude(output, "collector-secret-1")
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
