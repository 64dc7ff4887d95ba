/**
 * The HTTP side of the fake: request logging, injected faults, API key and version checks, route matching,
 * idempotency keys (replay, conflicts, in-flight 409s), parameter validation and the reply.
 */
import type * as Http from "node:http"
import * as FormBody from "../FormBody.ts"
import * as P from "../ParamSpec.ts"
import { type Store, randomId, type IdempotencyRecord } from "./State.ts"
import type { LoggedRequest } from "./Objects.ts"
import type { Fault } from "./Api.ts"
import { type Reply, type Route, errorReply, invalid, strings } from "./Reply.ts"

const canonical = (value: FormBody.Value): string => {
  if (typeof value === "string") return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  const obj = value as FormBody.Obj
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonical(obj[k]!)}`).join(",")}}`
}

const missingRoute = (method: string, path: string): Reply =>
  errorReply(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`
  })

/** The request handler of one fake's HTTP server. */
export const make = (store: Store, routes: ReadonlyArray<Route>) => {
  const { apiVersion, requests, idempotency, faults, timers } = store

  const takeFault = (method: string, path: string): Fault | undefined => {
    const index = faults.findIndex((f) =>
      (f.method === undefined || f.method === method) &&
      (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path)))
    )
    if (index === -1) return undefined
    const pending = faults[index]!
    pending.remaining -= 1
    if (pending.remaining <= 0) faults.splice(index, 1)
    return pending.fault
  }

  const faultName = (fault: Fault) =>
    typeof fault === "string"
      ? fault
      : "delayMs" in fault
      ? `delay_${fault.delayMs}ms`
      : "delayReplyMs" in fault
      ? `delay_reply_${fault.delayReplyMs}ms`
      : `reply_${fault.reply.status}`

  const readBody = (req: Http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
      req.on("error", reject)
    })

  const send = (
    res: Http.ServerResponse,
    log: LoggedRequest,
    status: number,
    body: string,
    extraHeaders: Record<string, string> = {}
  ) => {
    log.status = status
    if (res.destroyed) return
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Request-Id": log.requestId,
      ...(apiVersion === null ? {} : { "Stripe-Version": apiVersion }),
      ...(log.idempotencyKey === undefined ? {} : { "Idempotency-Key": log.idempotencyKey }),
      ...extraHeaders
    })
    res.end(body)
  }

  const sendReply = (res: Http.ServerResponse, log: LoggedRequest, reply: Reply, extra?: Record<string, string>) =>
    send(res, log, reply.status, JSON.stringify(reply.body), extra)

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  const handle = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
    const rawBody = await readBody(req)
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const method = (req.method ?? "GET").toUpperCase()
    const path = url.pathname
    const header = (name: string) => {
      const v = req.headers[name]
      return Array.isArray(v) ? v[0] : v
    }
    const authorization = header("authorization")
    const apiKey = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined
    const source = method === "GET" ? url.search.replace(/^\?/u, "") : rawBody
    const parsed = FormBody.parse(source)
    const log: LoggedRequest = {
      requestId: `req_${randomId(14)}`,
      method,
      path,
      params: parsed._tag === "Ok" ? parsed.value : {},
      rawBody,
      idempotencyKey: method === "POST" ? header("idempotency-key") : undefined,
      stripeVersion: header("stripe-version"),
      apiKey,
      status: "pending",
      replayed: false,
      fault: undefined
    }
    requests.push(log)

    const fault = takeFault(method, path)
    if (fault !== undefined) log.fault = faultName(fault)
    if (fault === "server_error" || fault === "server_error_no_retry") {
      return sendReply(
        res,
        log,
        errorReply(500, { type: "api_error", message: "An unknown error occurred (injected by FakeStripe)." }),
        fault === "server_error_no_retry" ? { "Stripe-Should-Retry": "false" } : {}
      )
    }
    if (fault !== undefined && typeof fault === "object" && "reply" in fault) {
      return sendReply(res, log, fault.reply)
    }
    if (fault === "rate_limited") {
      return sendReply(
        res,
        log,
        errorReply(429, {
          type: "invalid_request_error",
          code: "rate_limit",
          message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."
        })
      )
    }

    if (authorization === undefined) {
      return sendReply(
        res,
        log,
        errorReply(401, {
          type: "invalid_request_error",
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        })
      )
    }
    if (apiKey === undefined || !/^sk_test_\w+$/u.test(apiKey)) {
      const shown = apiKey === undefined ? "" : `${apiKey.slice(0, 8)}${"*".repeat(Math.max(0, apiKey.length - 12))}${apiKey.slice(-4)}`
      return sendReply(
        res,
        log,
        errorReply(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${shown}` })
      )
    }
    if (apiVersion !== null && log.stripeVersion !== undefined && log.stripeVersion !== apiVersion) {
      return sendReply(res, log, invalid(`Invalid Stripe API version: ${log.stripeVersion}`))
    }

    let route: Route | undefined
    let match: RegExpExecArray | null = null
    for (const r of routes) {
      if (r.method !== method) continue
      match = r.pattern.exec(path)
      if (match !== null) {
        route = r
        break
      }
    }
    if (route === undefined || match === null) {
      return sendReply(res, log, missingRoute(method, path))
    }

    const idemKey = log.idempotencyKey
    const scope = idemKey === undefined ? undefined : `${apiKey}\u0000${idemKey}`
    const canonicalBody = parsed._tag === "Ok" ? canonical(parsed.value) : rawBody
    if (scope !== undefined) {
      const existing = idempotency.get(scope)
      if (existing !== undefined) {
        if (existing.method !== method || existing.path !== path || existing.canonicalBody !== canonicalBody) {
          return sendReply(
            res,
            log,
            errorReply(400, {
              type: "idempotency_error",
              message:
                `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`
            })
          )
        }
        if (existing.response === undefined) {
          return sendReply(
            res,
            log,
            errorReply(409, {
              type: "invalid_request_error",
              code: "idempotency_key_in_use",
              message:
                "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " +
                `${idemKey}. Please try again later.`
            })
          )
        }
        log.replayed = true
        // A replay's answer can be lost too (the caller then still does not know the outcome).
        if (fault === "lost_response") {
          log.status = "destroyed"
          req.socket.destroy()
          return
        }
        return send(res, log, existing.response.status, existing.response.body, {
          "Idempotent-Replayed": "true",
          "Original-Request": existing.requestId
        })
      }
    }

    if (parsed._tag === "Failure") {
      return sendReply(res, log, invalid(parsed.failure.message, { param: parsed.failure.param }))
    }
    const validated = P.validateRequest(route.fields, parsed.value)
    if (!validated.ok) {
      return sendReply(res, log, invalid(validated.failure.message, {
        ...(validated.failure.code === undefined ? {} : { code: validated.failure.code }),
        param: validated.failure.param
      }))
    }
    for (const e of strings(validated.value.expand)) {
      if (!route.expandable.includes(e)) {
        return sendReply(res, log, invalid(`This property cannot be expanded (${e}).`, { param: "expand" }))
      }
    }

    let record: IdempotencyRecord | undefined
    if (scope !== undefined) {
      record = { method, path, canonicalBody, requestId: log.requestId, response: undefined }
      idempotency.set(scope, record)
    }
    if (fault !== undefined && typeof fault === "object" && "delayMs" in fault) await sleep(fault.delayMs)

    if (fault === "server_error_stored") {
      // Execution began and failed: nothing is created, and the 500 is what the key replays from now on.
      const failed = errorReply(500, { type: "api_error", message: "An unknown error occurred (injected by FakeStripe, stored)." })
      if (record !== undefined) record.response = { status: failed.status, body: JSON.stringify(failed.body) }
      return sendReply(res, log, failed)
    }
    const reply = route.handle({ params: validated.value, path: match.slice(1), log })
    const body = JSON.stringify(reply.body)
    if (record !== undefined) record.response = { status: reply.status, body }

    if (fault === "lost_response") {
      log.status = "destroyed"
      req.socket.destroy()
      return
    }
    if (fault !== undefined && typeof fault === "object" && "delayReplyMs" in fault) await sleep(fault.delayReplyMs)
    send(res, log, reply.status, body)
  }

  return { handle }
}
