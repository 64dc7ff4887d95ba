/**
 * Sending one webhook to a merchant's URL without letting the URL hurt us (SSRF) or hold a worker: https only (http
 * when private targets are allowed); the host is resolved once and every address checked (loopback, private,
 * link-local and the like are refused unless allowed), and the connection goes to the checked address (no second
 * DNS answer can swap it: DNS rebinding); redirects are not followed (a 3xx is a failed attempt, as in the
 * reference); the response body is read up to a cap; one deadline covers connecting, sending and reading.
 * Connections are kept alive in the caller's `Agents` (one pair per worker): consecutive attempts to the same
 * address reuse a TCP/TLS connection instead of opening one per attempt; a timed-out or over-long response destroys
 * its connection rather than returning it to the pool.
 */
import { WebhookEndpoint } from "@checkout-kit/domain"
import { lookup as dnsLookup } from "node:dns/promises"
import * as http from "node:http"
import * as https from "node:https"
import type { LookupFunction } from "node:net"
import { isIP } from "node:net"

export interface SendOptions {
  readonly timeoutMs: number
  readonly maxResponseBytes: number
  readonly allowPrivateTargets: boolean
}

export interface SendResult {
  /** The response status; null when none came. */
  readonly status: number | null
  /** The start of the response body, or why there was no response. */
  readonly response: string
  readonly durationMs: number
}

/** The keep-alive connection pools of one worker (http and https). */
export interface Agents {
  readonly http: http.Agent
  readonly https: https.Agent
  /** Closes every pooled connection (the worker's shutdown). */
  readonly destroy: () => void
}

/**
 * Keep-alive pools: at most `maxSocketsPerHost` connections per address (the worker's concurrency), idle ones closed
 * after `idleMs` (below the usual 5 s server keep-alive, so that we rarely reuse a socket the receiver is closing).
 */
export const makeAgents = (maxSocketsPerHost: number, idleMs = 4_000): Agents => {
  const options = { keepAlive: true, maxSockets: maxSocketsPerHost, maxFreeSockets: maxSocketsPerHost, timeout: idleMs, scheduling: "lifo" as const }
  const httpAgent = new http.Agent(options)
  const httpsAgent = new https.Agent(options)
  return {
    http: httpAgent,
    https: httpsAgent,
    destroy: () => {
      httpAgent.destroy()
      httpsAgent.destroy()
    }
  }
}

/** Why a target was refused before any connection. */
export class UnsafeTarget extends Error {}

const resolveSafe = async (url: URL, allowPrivate: boolean): Promise<{ address: string; family: number }> => {
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new UnsafeTarget(`refused: ${url.protocol} URLs are not allowed (https only)`)
  }
  const host = url.hostname.replace(/^\[|\]$/gu, "")
  const addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await dnsLookup(host, { all: true })
  if (addresses.length === 0) throw new UnsafeTarget(`refused: ${host} has no address`)
  if (!allowPrivate) {
    const bad = addresses.find((a) => WebhookEndpoint.isPrivateHost(a.address))
    if (bad !== undefined) throw new UnsafeTarget(`refused: ${host} resolves to a private address (${bad.address})`)
  }
  return addresses[0]!
}

/** POSTs `body` with `headers` to `target`; never throws, never takes (much) longer than `timeoutMs`. */
export const send = (
  target: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  options: SendOptions,
  signal?: AbortSignal,
  agents?: Agents
): Promise<SendResult> => {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  return new Promise<SendResult>((resolve) => {
    let settled = false
    const done = (status: number | null, response: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ status, response, durationMs: elapsed() })
    }
    let request: http.ClientRequest | undefined
    const timer = setTimeout(() => {
      request?.destroy()
      done(null, `timed out after ${options.timeoutMs} ms`)
    }, options.timeoutMs)
    signal?.addEventListener("abort", () => {
      request?.destroy()
      done(null, "interrupted")
    })
    let url: URL
    try {
      url = new URL(target)
    } catch {
      done(null, "refused: unparsable URL")
      return
    }
    resolveSafe(url, options.allowPrivateTargets).then(
      (resolved) => {
        if (settled) return
        const pinned: LookupFunction = (_host, opts, callback) => {
          if ((opts as { all?: boolean }).all === true) callback(null, [{ address: resolved.address, family: resolved.family }])
          else callback(null, resolved.address, resolved.family)
        }
        const bytes = Buffer.from(body, "utf8")
        const secure = url.protocol === "https:"
        const client = secure ? https : http
        request = client.request(url, {
          method: "POST",
          lookup: pinned,
          // Without a pool of ours, one connection per attempt (never the process-wide global agent).
          agent: agents === undefined ? false : secure ? agents.https : agents.http,
          headers: {
            ...headers,
            "content-type": "application/json",
            "content-length": String(bytes.length),
            "user-agent": "checkout-kit-webhooks"
          }
        }, (res) => {
          const chunks: Array<Buffer> = []
          let size = 0
          res.on("data", (chunk: Buffer) => {
            if (size >= options.maxResponseBytes) return
            chunks.push(chunk)
            size += chunk.length
            if (size >= options.maxResponseBytes) {
              done(res.statusCode ?? null, Buffer.concat(chunks).subarray(0, options.maxResponseBytes).toString("utf8"))
              res.destroy()
            }
          })
          res.on("end", () => done(res.statusCode ?? null, Buffer.concat(chunks).toString("utf8")))
          res.on("error", () => done(res.statusCode ?? null, Buffer.concat(chunks).toString("utf8")))
        })
        request.on("error", (error) => done(null, `no response: ${error.message}`))
        request.end(bytes)
      },
      (error: unknown) => done(null, error instanceof UnsafeTarget ? error.message : `no response: ${String(error)}`)
    )
  })
}
