/**
 * `RequestBody.text` (http-api) against the platform's `request.text`, over a real node:http server: the same text
 * for the same bytes however they are chunked, the same limit failure (and a server that still answers), the same
 * result when the client sends `Expect: 100-continue` (which goes to the platform), and no crash when a client
 * hangs up mid-body.
 */
import { assert, describe, it } from "@effect/vitest"
import { RequestBody } from "@checkout-kit/http-api"
import { ByteSize, Effect, Exit, Layer, Scope } from "effect"
import { HttpIncomingMessage, HttpRouter, HttpServerError, HttpServerRequest, HttpServerResponse } from "effect/http"
import * as fc from "fast-check"
import { request as httpRequest } from "node:http"
import * as Server from "../src/Server.ts"

const limit = 256

/** Answers `{ text }` or `{ error: reason }` for a body read by `read`, with a 256-byte limit. */
const echo = (path: `/${string}`, read: (r: HttpServerRequest.HttpServerRequest) => Effect.Effect<string, unknown>) =>
  HttpRouter.add(
    "POST",
    path,
    Effect.flatMap(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
      const direct = RequestBody.readsDirectly(request)
      return read(request).pipe(
        Effect.map((text) => HttpServerResponse.jsonUnsafe({ text }, { headers: { "x-direct": String(direct) } })),
        Effect.catch((error) =>
          Effect.succeed(HttpServerResponse.jsonUnsafe({
            error: HttpServerError.isHttpServerError(error) && error.reason._tag === "RequestParseError"
              ? error.reason.reason ?? "Parse"
              : String(error)
          }, { status: 400, headers: { connection: "close" } }))
        ),
        Effect.provideService(HttpIncomingMessage.MaxBodySize, ByteSize.bytes(limit))
      )
    })
  )

const routes = Layer.mergeAll(
  echo("/fast", RequestBody.text),
  echo("/platform", (request) => request.text)
)

const start = Effect.gen(function*() {
  const scope = yield* Scope.make()
  const context = yield* Layer.buildWithScope(Server.serve(routes, { host: "127.0.0.1", port: 0 }), scope)
  const url = new URL(yield* Server.baseUrl.pipe(Effect.provideContext(context)))
  return { port: Number(url.port), scope }
})

interface Reply {
  readonly status: number
  readonly body: unknown
  /** Whether the server read the body without `request.text` (`x-direct`, set on successful reads). */
  readonly direct?: boolean
}

/** Sends `chunks` one write each (chunked transfer encoding, no Content-Length) and reads the JSON reply. */
const send = (port: number, path: string, chunks: ReadonlyArray<Uint8Array>, headers: Record<string, string> = {}) =>
  Effect.callback<Reply>((resume) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", ...headers } })
    req.on("response", (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (c: Buffer) => parts.push(c))
      res.on("end", () => {
        const body = JSON.parse(Buffer.concat(parts).toString("utf8"))
        const direct = res.headers["x-direct"]
        resume(Effect.succeed(direct === undefined ? { status: res.statusCode ?? 0, body } : { status: res.statusCode ?? 0, body, direct: direct === "true" }))
      })
    })
    req.on("error", (error) => resume(Effect.die(error)))
    const write = () => {
      for (const chunk of chunks) req.write(chunk)
      req.end()
    }
    if (headers["expect"] !== undefined) req.on("continue", write)
    else write()
  })

/** Bytes split at the given cut points (sorted, deduplicated, within range). */
const split = (bytes: Uint8Array, cuts: ReadonlyArray<number>): Array<Uint8Array> => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Array<Uint8Array> = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p))
    from = Math.max(from, p)
  }
  return out.length === 0 ? [new Uint8Array(0)] : out
}

const utf8 = (s: string) => new TextEncoder().encode(s)

describe("RequestBody.text over node:http", () => {
  it.live("reads the same text as request.text for any bytes, however chunked (BOM, invalid UTF-8, empty, at the limit)", () =>
    Effect.gen(function*() {
      const { port, scope } = yield* start
      const bodies = fc.oneof(
        fc.uint8Array({ maxLength: limit }),
        fc.string({ unit: "binary", maxLength: 80 }).map(utf8),
        fc.string({ maxLength: 100 }).map((s) => utf8(`\uFEFF${JSON.stringify({ s })}`)),
        fc.constant(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])),
        fc.constant(new Uint8Array([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xe2, 0x82])),
        fc.constant(new Uint8Array(limit).fill(0x61))
      )
      const samples = fc.sample(fc.tuple(bodies, fc.array(fc.nat(), { maxLength: 6 })), { numRuns: 60, seed: 20261121 })
      for (const [bytes, cuts] of samples) {
        const chunks = split(bytes, cuts)
        const fast = yield* send(port, "/fast", chunks)
        const platform = yield* send(port, "/platform", chunks)
        assert.deepStrictEqual(fast.body, platform.body, `bytes ${Buffer.from(bytes).toString("hex")}`)
        assert.strictEqual(fast.status, 200)
        assert.strictEqual(platform.status, 200)
        assert.strictEqual(fast.direct, true)
        assert.strictEqual((fast.body as { text: string }).text, new TextDecoder().decode(bytes))
      }
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("fails like request.text past the limit (BodyTooLarge), then the server still answers", () =>
    Effect.gen(function*() {
      const { port, scope } = yield* start
      const over = split(new Uint8Array(limit * 40).fill(0x62), [100, 300, 5000])
      const fast = yield* send(port, "/fast", over)
      const platform = yield* send(port, "/platform", over)
      assert.deepStrictEqual(fast, { status: 400, body: { error: "BodyTooLarge" } })
      assert.deepStrictEqual(fast, platform)
      assert.deepStrictEqual(yield* send(port, "/fast", [utf8("{\"after\":true}")]), {
        status: 200,
        body: { text: "{\"after\":true}" },
        direct: true
      })
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("leaves Expect: 100-continue to the platform, which sends the 100 and reads the body", () =>
    Effect.gen(function*() {
      const { port, scope } = yield* start
      const reply = yield* send(port, "/fast", [utf8("{\"a\":"), utf8("1}")], { expect: "100-continue" })
      assert.deepStrictEqual(reply, { status: 200, body: { text: "{\"a\":1}" }, direct: false })
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("a client that hangs up mid-body does not take the server down", () =>
    Effect.gen(function*() {
      const { port, scope } = yield* start
      yield* Effect.callback<void>((resume) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: "/fast", method: "POST", headers: { "content-length": "100" } })
        req.on("error", () => resume(Effect.void))
        req.write("{\"partial\":", () => setTimeout(() => req.destroy(), 50))
        req.on("close", () => resume(Effect.void))
      })
      assert.deepStrictEqual(yield* send(port, "/fast", [utf8("[1]")]), { status: 200, body: { text: "[1]" }, direct: true })
      yield* Scope.close(scope, Exit.void)
    }))
})
