/**
 * A request body as text, read straight from Node's `IncomingMessage` when the request comes from a Node server.
 *
 * `request.text` on `@effect/platform-node` wraps the read in `Effect.cached` and runs that in a fiber of its own
 * (`Effect.runSync`) before the body's first byte is read: about 15 fiber steps and 10 µs of server CPU per create
 * request (docs/benchmarks.md, "HTTP server"). `text` reads the same bytes with listeners on the message and returns
 * what `request.text` returns: the same UTF-8 decoding (`TextDecoder`: a leading BOM dropped, invalid bytes as
 * U+FFFD), the same limit (`HttpIncomingMessage.MaxBodySize`, the rest of the body drained, not the socket
 * destroyed, so that a 413 can still be written), and the same failures (`HttpServerError` with a
 * `RequestParseError` of reason `BodyTooLarge` or `Parse`).
 *
 * Anything this does not handle exactly like the platform goes to `request.text`: a source that is not a Node
 * message (web `Request`s in tests), a body already being read, `Content-Encoding` (a decompression middleware
 * keeps the raw message as `source`), `Expect: 100-continue` (the platform sends the 100 when the read starts) and
 * upgrades. packages/server/test/RequestBody.test.ts compares both readers over a real node:http server.
 */
import { Effect } from "effect"
import { HttpIncomingMessage, HttpServerError, type HttpServerRequest } from "effect/http"

/** The part of Node's `http.IncomingMessage` used here (structural: this package does not import node modules). */
interface NodeMessage {
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly readableDidRead: boolean
  readonly readableEnded: boolean
  on(event: string, listener: (...args: Array<any>) => void): unknown
  off(event: string, listener: (...args: Array<any>) => void): unknown
  resume(): unknown
}

const isNodeMessage = (source: object): source is NodeMessage => {
  const s = source as Partial<Record<keyof NodeMessage, unknown>>
  return typeof s.on === "function" && typeof s.off === "function" && typeof s.resume === "function" &&
    typeof s.readableDidRead === "boolean" && typeof s.readableEnded === "boolean" && typeof s.headers === "object" &&
    s.headers !== null
}

/** Decodes like the platform's `request.text`. */
const decoder = new TextDecoder()

const concat = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

const parseError = (
  request: HttpServerRequest.HttpServerRequest,
  reason: "BodyTooLarge" | "Parse",
  cause: unknown
) => new HttpServerError.HttpServerError({ reason: new HttpServerError.RequestParseError({ request, reason, cause }) })

const fromMessage = (
  request: HttpServerRequest.HttpServerRequest,
  message: NodeMessage
): Effect.Effect<string, HttpServerError.HttpServerError> =>
  Effect.withFiber((fiber) => {
    const limit = fiber.getRef(HttpIncomingMessage.MaxBodySize)
    const maxBytes = limit === undefined ? Infinity : Number(limit)
    return Effect.callback<string, HttpServerError.HttpServerError>((resume) => {
      const chunks: Array<Uint8Array> = []
      let bytes = 0
      const detach = () => {
        message.off("data", onData)
        message.off("end", onEnd)
        message.off("error", onError)
        message.off("close", onClose)
      }
      // Like the platform's server requests: the rest of the body is drained (keeping an error listener) rather than
      // the message destroyed, so that a response can still be written.
      const drain = () => {
        detach()
        message.on("error", ignore)
        message.resume()
      }
      function onData(chunk: Uint8Array) {
        chunks.push(chunk)
        bytes += chunk.length
        if (bytes > maxBytes) {
          drain()
          resume(Effect.fail(parseError(request, "BodyTooLarge", new Error(`maxBytes exceeded (${maxBytes})`))))
        }
      }
      function onEnd() {
        detach()
        resume(Effect.succeed(decoder.decode(concat(chunks, bytes))))
      }
      function onError(error: unknown) {
        detach()
        resume(Effect.fail(parseError(request, "Parse", error)))
      }
      // `close` before `end`: the client went away mid-body.
      function onClose() {
        detach()
        resume(Effect.fail(parseError(request, "Parse", new Error("request closed before its body ended"))))
      }
      message.on("data", onData)
      message.on("end", onEnd)
      message.on("error", onError)
      message.on("close", onClose)
      return Effect.sync(drain)
    })
  })

const ignore = () => {}

/** The request's Node message when `text` reads it directly (see the header for when it does not). */
const directSource = (request: HttpServerRequest.HttpServerRequest): NodeMessage | undefined => {
  const source = request.source
  return isNodeMessage(source) && !source.readableDidRead && !source.readableEnded &&
      source.headers["content-encoding"] === undefined && source.headers["expect"] === undefined &&
      source.headers["upgrade"] === undefined
    ? source
    : undefined
}

/** Whether `text` would read this request's body itself rather than through `request.text`. */
export const readsDirectly = (request: HttpServerRequest.HttpServerRequest): boolean => directSource(request) !== undefined

/** The body as text: read from the Node message when that is exactly equivalent, else `request.text`. */
export const text = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<string, HttpServerError.HttpServerError> => {
  const source = directSource(request)
  return source === undefined ? request.text : fromMessage(request, source)
}
