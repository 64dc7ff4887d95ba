/**
 * Serving routes over node:http, with what the platform layer does not give on its own:
 * - no request hangs during start-up: NodeHttpServer listens while its layer is built, but the request handler
 *   is attached only after the whole route graph (store, seed, services) is built, so until then the socket
 *   answers 503 with Retry-After;
 * - shutdown is graceful: closing the scope stops accepting connections, lets in-flight requests finish (up to
 *   `gracefulShutdownTimeout`), then interrupts what is left.
 * Deep imports of @effect/platform-node: its root barrel also loads redis and ws clients (about +20 MiB RSS).
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Duration, Effect, Layer } from "effect"
import { HttpRouter, HttpServer, HttpServerResponse } from "effect/http"
import { NetAddress } from "effect/net"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"

/**
 * A node:http server that answers 503 `{"detail":"starting"}` until the real request handler registers itself
 * (the first other `request` listener added once it listens), then steps aside for good. On close it also drops keep-alive connections
 * as soon as their in-flight response is done: node's `close` only drops the ones idle at that instant and then
 * waits for clients to hang up, which holds shutdown for seconds.
 */
export const createGuardedServer = (): Server => {
  const server = createServer()
  const close = server.close.bind(server)
  server.close = (callback) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 25).unref()
    server.once("close", () => clearInterval(sweep))
    return close(callback)
  }
  const early = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, {
      "retry-after": "1",
      "content-type": "application/json",
      "x-content-type-options": "nosniff",
      connection: "close"
    })
    res.end("{\"detail\":\"The server is starting. Please retry.\"}")
  }
  server.on("request", early)
  // The real handler is attached once the server listens. A `request` listener added before that is not it:
  // @effect/platform-node (>= 4.1.5) adds its own stand-in, a bare 503 that only answers while it is the sole
  // listener, so while this guard is in place the guard answers (with the headers every response carries).
  let listening = false
  server.once("listening", () => {
    listening = true
  })
  const onNewListener = (event: string | symbol) => {
    if (event !== "request" || !listening) return
    server.off("request", early)
    server.off("newListener", onNewListener)
  }
  server.on("newListener", onNewListener)
  return server
}

/** GET /healthz: the process is up and serving (no dependency checks: the store is in-process). */
export const healthRoute = HttpRouter.add(
  "GET",
  "/healthz",
  Effect.succeed(HttpServerResponse.jsonUnsafe({ status: "ok" }))
)

export interface ListenOptions {
  readonly host: string
  /** 0 picks a free port; read it back from HttpServer.address. */
  readonly port: number
  /** How long shutdown waits for in-flight requests before interrupting them. Default 10 s. */
  readonly gracefulShutdownTimeout?: Duration.Input
}

/**
 * The guarded node:http server, listening as soon as the layer is built (plus node's HTTP platform services).
 * Requests get 503 until `serveRoutes` attaches the handler.
 */
export const listen = (options: ListenOptions) =>
  NodeHttpServer.layer(createGuardedServer, {
    host: options.host,
    port: options.port,
    gracefulShutdownTimeout: options.gracefulShutdownTimeout ?? Duration.seconds(10)
  })

/**
 * Attaches `routes` to the HttpServer in context. Request logging stays off: one log line per request is the
 * reverse proxy's job, and it costs throughput.
 */
export const serveRoutes = <A, E, R>(routes: Layer.Layer<A, E, R>) =>
  HttpRouter.serve(routes, { disableLogger: true, disableListenLog: true })

/** `routes` on a guarded server; the layer also provides `HttpServer`, to read the bound address (port 0). */
export const serve = <A, E, R>(routes: Layer.Layer<A, E, R>, options: ListenOptions) =>
  serveRoutes(routes).pipe(Layer.provideMerge(listen(options)))

/** The server's base URL as clients on this machine reach it (an unspecified host becomes loopback). */
export const baseUrl: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.map(HttpServer.HttpServer, (server) => {
  const address = server.address
  if (address._tag === "UnixPathAddress") return NetAddress.formatUnixPath(address)
  if (NetAddress.isUnspecified(address.address)) return `http://127.0.0.1:${address.port}`
  return NetAddress.formatUrlUnsafe(address)
})
