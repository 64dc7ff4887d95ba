/**
 * A small OTLP/HTTP receiver for tests: accepts `POST /v1/traces` and `POST /v1/metrics` (JSON encoding), keeps every
 * body it got, answers 200 `{}` as a collector does. Closed with its scope.
 */
import { Effect } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

export interface Receiver {
  readonly url: string
  /** Raw bodies by path, in arrival order. */
  readonly bodies: ReadonlyMap<string, ReadonlyArray<string>>
}

export const start = Effect.acquireRelease(
  Effect.callback<{ readonly receiver: Receiver; readonly close: () => Promise<void> }>((resume) => {
    const bodies = new Map<string, Array<string>>()
    const server = createServer((req, res) => {
      let body = ""
      req.setEncoding("utf8")
      req.on("data", (chunk: string) => void (body += chunk))
      req.on("end", () => {
        const path = (req.url ?? "/").split("?")[0]!
        bodies.set(path, [...(bodies.get(path) ?? []), body])
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({
        receiver: { url: `http://127.0.0.1:${port}`, bodies },
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

const valueOf = (v: AnyValue): unknown => v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue

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
