/**
 * OpenTelemetry export end to end: a real server process (`node src/main.ts`) with OTEL_EXPORTER_OTLP_ENDPOINT
 * pointing at an in-repo OTLP/HTTP receiver. After a checkout is created, updated and confirmed (a decline, then a
 * success) and the server stops (flushing), the receiver holds a server span per request named after the route
 * template, the use-case spans under it with checkout id, organization id and outcome, and the request, latency,
 * confirm-outcome, expiry-sweep and connection-pool metrics (the server runs on PostgreSQL); no client secret, token or e-mail appears in anything exported.
 */
import { assert, describe, it } from "@effect/vitest"
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { Effect, Exit, Redacted, Scope } from "effect"
import { writeFileSync } from "node:fs"
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
        OTEL_METRIC_EXPORT_INTERVAL: "300",
        OTEL_BSP_SCHEDULE_DELAY: "200",
        EXPIRY_SWEEP_INTERVAL_SECONDS: "1"
      }).pipe(Scope.provide(scope))
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
      yield* Effect.sleep(1_500)
      yield* Scope.close(scope, Exit.void)

      // OTLP_SAMPLE_OUT=<file>: keep what was exported (docs/operations.md shows a sample from such a run).
      if (process.env["OTLP_SAMPLE_OUT"] !== undefined) {
        writeFileSync(process.env["OTLP_SAMPLE_OUT"], JSON.stringify(Object.fromEntries(receiver.bodies), null, 1))
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

      // Nothing exported carries a secret or an e-mail.
      const everything = [...receiver.bodies.values()].flat().join("\n")
      for (const s of [secret, token, sessionToken, "telemetry.buyer@example.com", "tok_visa", "tok_chargeDeclined"]) {
        assert.notInclude(everything, s)
      }
      assert.notMatch(everything, /[\w.+-]+@[\w-]+\.[a-z]{2,}/u)
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
