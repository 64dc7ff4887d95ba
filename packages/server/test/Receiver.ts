/**
 * A real webhook receiver on a loopback port, as a merchant would run one: every request is verified with the Polar
 * SDK's `validateEvent(body, headers, secret)` and recorded (raw body, headers, parsed event, verification result).
 * Its behaviour can be switched to simulate an outage: refuse connections (closed), answer 500, or hang (timeouts).
 */
import { validateEvent } from "@polar-sh/sdk/webhooks"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export type Mode = "ok" | "error" | "hang"

export interface Received {
  readonly id: string
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  /** The SDK's parsed event when the signature verified, else null. */
  readonly event: { readonly type: string; readonly timestamp: Date; readonly data: { readonly id: string } & Record<string, unknown> } | null
  readonly error: string | null
  readonly mode: Mode
  readonly at: number
}

export interface Receiver {
  readonly url: string
  readonly received: Array<Received>
  mode: Mode
  secret: string
  /** Stops listening: new connections are refused until `reopen`. */
  close(): Promise<void>
  reopen(): Promise<void>
  stop(): Promise<void>
}

/** A delivery as read off the wire: its raw body and headers, and the SDK's verdict on its signature. */
export interface Verified {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
  /** The SDK's parsed event when the signature verified, else null. */
  readonly event: Received["event"]
  readonly error: string | null
}

/** Reads a request's whole body and verifies it with the SDK's `validateEvent(body, headers, secret)`. */
export const readVerified = (req: http.IncomingMessage, secret: () => string): Promise<Verified> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
      try {
        resolve({ body, headers, event: validateEvent(body, headers, secret()) as unknown as Received["event"], error: null })
      } catch (e) {
        resolve({ body, headers, event: null, error: String(e) })
      }
    })
  })

export const startReceiver = async (): Promise<Receiver> => {
  const sockets = new Set<import("node:net").Socket>()
  const state: Receiver = {
    url: "",
    received: [],
    mode: "ok",
    secret: "",
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
    },
    reopen: () => listen(port),
    stop: () => state.close()
  }
  const server = http.createServer((req, res) => {
    void readVerified(req, () => state.secret).then(({ body, error, event, headers }) => {
      const mode = state.mode
      state.received.push({ id: headers["webhook-id"] ?? "", body, headers, event, error, mode, at: Date.now() })
      if (mode === "hang") return // never answers: the sender's deadline ends it
      res.statusCode = mode === "ok" && error === null ? 202 : 500
      res.end(mode === "ok" ? "thanks" : "boom")
    })
  })
  server.on("connection", (s) => {
    sockets.add(s)
    s.on("close", () => sockets.delete(s))
  })
  let port = 0
  const listen = (p: number) =>
    new Promise<void>((resolve) => server.listen(p, "127.0.0.1", () => resolve()))
  await listen(0)
  port = (server.address() as AddressInfo).port
  ;(state as { url: string }).url = `http://127.0.0.1:${port}/hooks`
  return state
}

/** Polls until `done` or the deadline. */
export const eventually = async (done: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out waiting")
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
