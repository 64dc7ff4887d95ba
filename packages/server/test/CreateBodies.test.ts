/**
 * The create request's body over a real socket, read by the platform's reader through HttpApi (no reader of ours):
 * bodies split into chunks anywhere (inside a UTF-8 sequence, after a BOM) decode as one; a chunked body over the
 * limit is a 413 and the server answers the next request; a declared length bounds the body read whatever follows it
 * on the connection; `Expect: 100-continue` gets its 100 and the body is read; a client that hangs up mid-body does
 * not take the server down.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { request as httpRequest } from "node:http"
import { connect } from "node:net"
import { startApp } from "./Harness.ts"

const product = "22222222-2222-4222-8222-000000000006"

interface Reply {
  readonly status: number
  readonly body: any
}

const utf8 = (s: string) => new TextEncoder().encode(s)

/** POSTs `chunks` to /v1/checkouts/ one write each (chunked transfer encoding, no Content-Length). */
const send = (port: number, token: string, chunks: ReadonlyArray<Uint8Array>, headers: Record<string, string> = {}) =>
  Effect.callback<Reply>((resume) => {
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/v1/checkouts/",
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers }
    })
    req.on("response", (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (c: Buffer) => parts.push(c))
      res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString("utf8")) })))
    })
    req.on("error", (error) => resume(Effect.die(error)))
    const write = () => {
      for (const chunk of chunks) req.write(chunk)
      req.end()
    }
    if (headers["expect"] !== undefined) req.on("continue", write)
    else write()
  })

const start = Effect.map(startApp(), (s) => ({ ...s, port: Number(new URL(s.url).port), token: String(s.ready["accessToken"]) }))

describe("create bodies over a real socket", () => {
  it.live("chunks split anywhere (inside a UTF-8 sequence, after a BOM) decode as one body", () =>
    Effect.gen(function*() {
      const { port, scope, token } = yield* start
      const bytes = utf8(`\uFEFF${JSON.stringify({ products: [product], metadata: { note: "crème brûlée €" } })}`)
      for (const cuts of [[1], [3, 4], [20, 41, 42, 43], [bytes.length - 6, bytes.length - 5, bytes.length - 4]]) {
        const ends = [...cuts, bytes.length]
        const chunks = ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end))
        const reply = yield* send(port, token, chunks)
        assert.strictEqual(reply.status, 201, JSON.stringify(reply.body))
        assert.strictEqual(reply.body.metadata.note, "crème brûlée €")
      }
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("a chunked body over the limit is a 413, and the server answers the next request", () =>
    Effect.gen(function*() {
      const { port, scope, token } = yield* start
      const filler = new Uint8Array(64 * 1024).fill(0x20)
      const over = yield* send(port, token, [utf8("{\"products\":[]"), ...Array.from({ length: 20 }, () => filler), utf8("}")])
      assert.strictEqual(over.status, 413)
      assert.strictEqual(over.body.error, "PayloadTooLarge")
      const next = yield* send(port, token, [utf8(JSON.stringify({ products: [product] }))])
      assert.strictEqual(next.status, 201)
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("a declared length bounds the body read: bytes sent past it are not part of the body", () =>
    Effect.gen(function*() {
      const { port, scope, token } = yield* start
      // 2 MiB past a declared 40-odd-byte body, on one connection: the body is the declared bytes (a 201), and what
      // follows is not read into it (the edge counts only bodies of undeclared length against the 1 MiB limit), but
      // parsed as the next request and refused by the HTTP parser.
      const body = JSON.stringify({ products: [product] })
      const head = `POST /v1/checkouts/ HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`
      const answer = yield* Effect.callback<string>((resume) => {
        const socket = connect(port, "127.0.0.1")
        const parts: Array<Buffer> = []
        let more = true
        socket.on("data", (c: Buffer) => {
          parts.push(c)
          // Once the answer has begun, 2 MiB more on the same connection (not a request: the parser refuses it).
          if (more) socket.end(Buffer.alloc(2 * 1024 * 1024, 0x20))
          more = false
        })
        socket.on("error", () => {})
        socket.on("close", () => resume(Effect.succeed(Buffer.concat(parts).toString("latin1"))))
        socket.write(head + body)
      })
      assert.match(answer, /^HTTP\/1\.1 201 /u)
      const json = answer.slice(answer.indexOf("\r\n\r\n") + 4)
      assert.include(json, `"products":[{`)
      // The status lines, in order: the create, then the parser's refusal of the bytes that followed (no 413: the
      // declared body was never counted against the limit). Ids and secrets in the JSON may contain any digits, so
      // only status lines are compared.
      const statuses = Array.from(answer.matchAll(/HTTP\/1\.1 (\d{3}) /gu), (m) => m[1])
      assert.deepStrictEqual(statuses, ["201", "400"])
      const next = yield* send(port, token, [utf8(body)])
      assert.strictEqual(next.status, 201)
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("Expect: 100-continue gets its 100, then the body is read", () =>
    Effect.gen(function*() {
      const { port, scope, token } = yield* start
      const reply = yield* send(port, token, [utf8("{\"products\":"), utf8(JSON.stringify([product]) + "}")], {
        expect: "100-continue"
      })
      assert.strictEqual(reply.status, 201, JSON.stringify(reply.body))
      yield* Scope.close(scope, Exit.void)
    }))

  it.live("a client that hangs up mid-body does not take the server down", () =>
    Effect.gen(function*() {
      const { port, scope, token } = yield* start
      yield* Effect.callback<void>((resume) => {
        const req = httpRequest({
          host: "127.0.0.1",
          port,
          path: "/v1/checkouts/",
          method: "POST",
          headers: { "content-type": "application/json", "content-length": "100", authorization: `Bearer ${token}` }
        })
        req.on("error", () => resume(Effect.void))
        req.write("{\"products\":", () => setTimeout(() => req.destroy(), 50))
        req.on("close", () => resume(Effect.void))
      })
      const next = yield* send(port, token, [utf8(JSON.stringify({ products: [product] }))])
      assert.strictEqual(next.status, 201)
      yield* Scope.close(scope, Exit.void)
    }))
})
