/**
 * A small OTLP/HTTP receiver for tests: accepts `POST /v1/traces` and `POST /v1/metrics` in either OTLP/HTTP
 * encoding (`application/x-protobuf`, decoded by OtlpProtobuf.ts into the OTLP/JSON shape, or `application/json`),
 * keeps every body it got, answers 200 as a collector does. Any other path answers 200 too (a webhook target), except
 * paths under `/fail`, which answer 500. Closed with its scope.
 */
import { Effect } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as OtlpProtobuf from "./OtlpProtobuf.ts"

export interface Receiver {
  readonly url: string
  /** Bodies by path, in arrival order, as OTLP/JSON text (protobuf bodies decoded). */
  readonly bodies: ReadonlyMap<string, ReadonlyArray<string>>
  /** The bytes as received (UTF-8 decoded), for scans that must not depend on the decoder. */
  readonly raw: ReadonlyMap<string, ReadonlyArray<string>>
  /** Content types by path, in arrival order. */
  readonly contentTypes: ReadonlyMap<string, ReadonlyArray<string>>
  /** `Authorization` headers by path, in arrival order ("" when none). */
  readonly authorizations: ReadonlyMap<string, ReadonlyArray<string>>
}

const push = (map: Map<string, Array<string>>, key: string, value: string) =>
  void map.set(key, [...(map.get(key) ?? []), value])

export const start = Effect.acquireRelease(
  Effect.callback<{ readonly receiver: Receiver; readonly close: () => Promise<void> }>((resume) => {
    const bodies = new Map<string, Array<string>>()
    const raw = new Map<string, Array<string>>()
    const contentTypes = new Map<string, Array<string>>()
    const authorizations = new Map<string, Array<string>>()
    const server = createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => void chunks.push(chunk))
      req.on("end", () => {
        const path = (req.url ?? "/").split("?")[0]!
        const bytes = Buffer.concat(chunks)
        const type = req.headers["content-type"] ?? ""
        push(contentTypes, path, type)
        push(authorizations, path, req.headers.authorization ?? "")
        // `/fail...`: a webhook target that always answers 500 (the OTLP paths never fail).
        if (path.startsWith("/fail")) {
          res.writeHead(500)
          res.end()
          return
        }
        push(raw, path, bytes.toString("utf8"))
        if (type.startsWith("application/x-protobuf")) {
          const decoded = path === "/v1/traces" ? OtlpProtobuf.traces(bytes) : OtlpProtobuf.metrics(bytes)
          push(bodies, path, JSON.stringify(decoded))
          // An empty Export*ServiceResponse.
          res.writeHead(200, { "content-type": "application/x-protobuf" })
          res.end()
        } else {
          push(bodies, path, bytes.toString("utf8"))
          res.writeHead(200, { "content-type": "application/json" })
          res.end("{}")
        }
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({
        receiver: { url: `http://127.0.0.1:${port}`, bodies, raw, contentTypes, authorizations },
        close: () => new Promise<void>((done) => server.close(() => done()))
      }))
    })
  }),
  ({ close }) => Effect.promise(close)
).pipe(Effect.map(({ receiver }) => receiver))

interface AnyValue {
  readonly stringValue?: string
  readonly intValue?: string | number
  readonly doubleValue?: number
  readonly boolValue?: boolean
}
interface KeyValue {
  readonly key: string
  readonly value: AnyValue
}

const valueOf = (v: AnyValue): unknown =>
  v.stringValue ?? (v.intValue === undefined ? undefined : Number(v.intValue)) ?? v.doubleValue ?? v.boolValue

const attributes = (list: ReadonlyArray<KeyValue> | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]))

export interface Span {
  readonly name: string
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId: string | undefined
  readonly kind: number
  readonly attributes: Record<string, unknown>
}

/** Every span in the received trace exports. */
export const spans = (receiver: Receiver): ReadonlyArray<Span> =>
  (receiver.bodies.get("/v1/traces") ?? []).flatMap((body) =>
    (JSON.parse(body).resourceSpans ?? []).flatMap((rs: any) =>
      (rs.scopeSpans ?? []).flatMap((ss: any) =>
        (ss.spans ?? []).map((s: any): Span => ({
          name: s.name,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId === "" ? undefined : s.parentSpanId,
          kind: s.kind,
          attributes: attributes(s.attributes)
        }))
      )
    )
  )

export interface Point {
  readonly metric: string
  readonly attributes: Record<string, unknown>
  readonly value: number
}

/** Every data point in the received metric exports (sums and gauges: the value; histograms: the count). */
export const points = (receiver: Receiver): ReadonlyArray<Point> =>
  (receiver.bodies.get("/v1/metrics") ?? []).flatMap((body) =>
    (JSON.parse(body).resourceMetrics ?? []).flatMap((rm: any) =>
      (rm.scopeMetrics ?? []).flatMap((sm: any) =>
        (sm.metrics ?? []).flatMap((m: any) => {
          const data = m.sum ?? m.gauge ?? m.histogram
          return (data?.dataPoints ?? []).map((p: any): Point => ({
            metric: m.name,
            attributes: attributes(p.attributes),
            value: Number(p.asInt ?? p.asDouble ?? p.count ?? 0)
          }))
        })
      )
    )
  )

/** The resource attributes of every received export, traces and metrics. */
export const resources = (receiver: Receiver): ReadonlyArray<Record<string, unknown>> => [
  ...(receiver.bodies.get("/v1/traces") ?? []).flatMap((body) =>
    (JSON.parse(body).resourceSpans ?? []).map((rs: any) => attributes(rs.resource?.attributes))
  ),
  ...(receiver.bodies.get("/v1/metrics") ?? []).flatMap((body) =>
    (JSON.parse(body).resourceMetrics ?? []).map((rm: any) => attributes(rm.resource?.attributes))
  )
]
