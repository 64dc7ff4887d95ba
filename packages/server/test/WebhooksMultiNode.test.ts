/**
 * Merchant webhooks from several server processes (`node src/main.ts`) on one PostgreSQL database, delivering to a
 * local receiver that verifies every request with the Polar SDK's `validateEvent` and can hold its answers (a
 * stalled receiver keeps sends in flight). The receiver tells which process sent a request by its source port
 * (the process's sockets, read from /proc).
 * (a) two nodes running, receiver healthy: every event arrives exactly once (no attempt sent twice), verified, in
 *     order per checkout;
 * (b) SIGKILL of a node with sends in flight: nothing is lost; the other node sends them again (same webhook-id,
 *     same body) once their lease expires; order per checkout holds;
 * (c) SIGTERM of a node with sends in flight (graceful shutdown): it exits within the grace period and releases its
 *     claims, so the other node sends them at once (well before the lease), with no attempt recorded for them.
 */
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { readdirSync, readFileSync, readlinkSync } from "node:fs"
import * as http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { call, json, type Node, starterKit, startNode } from "./Nodes.ts"
import { readVerified } from "./Receiver.ts"

interface Request {
  readonly id: string
  readonly body: string
  readonly type: string
  readonly checkoutId: string
  readonly port: number
  readonly at: number
  /** Answered with 2xx (the sender got its answer) or still held / abandoned. */
  answered: boolean
  /** The sender's connection closed before an answer (its process died or gave up). */
  abandoned: boolean
}

/** A receiver that verifies with the SDK and, while `stall` is on, holds every answer until `release`. */
const startStallingReceiver = async () => {
  const requests: Array<Request> = []
  const invalid: Array<string> = []
  const held: Array<{ request: Request; res: http.ServerResponse }> = []
  const state = { secret: "", stall: false }
  const sockets = new Set<Socket>()
  const answer = (request: Request, res: http.ServerResponse) => {
    if (request.abandoned) return
    request.answered = true
    res.statusCode = 202
    res.end("ok")
  }
  const server = http.createServer((req, res) => {
    void readVerified(req, () => state.secret).then(({ body, error, event, headers }) => {
      if (event === null) {
        invalid.push(error ?? "not verified")
        res.statusCode = 400
        res.end()
        return
      }
      const request: Request = {
        id: headers["webhook-id"]!,
        body,
        type: event.type,
        checkoutId: event.data.id,
        port: req.socket.remotePort ?? 0,
        at: Date.now(),
        answered: false,
        abandoned: false
      }
      requests.push(request)
      res.on("close", () => {
        if (!request.answered) request.abandoned = true
      })
      if (state.stall) held.push({ request, res })
      else answer(request, res)
    })
  })
  server.keepAliveTimeout = 60_000
  server.on("connection", (s) => {
    sockets.add(s)
    s.on("close", () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests,
    invalid,
    held,
    state,
    /** Answers what is held (to senders still connected) and stops stalling. */
    release: () => {
      state.stall = false
      for (const { request, res } of held.splice(0)) answer(request, res)
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
  }
}

/** The local TCP ports of a process's sockets (Linux /proc), to attribute requests to the node that sent them. */
const portsOf = (pid: number): Set<number> => {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/u.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (match !== null) inodes.add(match[1]!)
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>()
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = ""
    try {
      text = readFileSync(file, "utf8")
    } catch {
      continue
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/u)
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(":")[1]!, 16))
    }
  }
  return ports
}

const waitFor = (done: () => boolean, timeoutMs: number, what: string) =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMs
    while (!done()) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* Effect.sleep(25)
    }
  })

const timeoutMs = 2_000
const leaseMs = timeoutMs * 3 + 5_000

describe("webhooks from several server processes on one database", () => {
  it.live("exactly once while both run; SIGKILL loses nothing; SIGTERM releases claims for an immediate retry", () =>
    Effect.gen(function*() {
      const receiver = yield* Effect.acquireRelease(Effect.promise(startStallingReceiver), (r) => Effect.promise(r.stop))
      const database = yield* TestDatabase.freshDatabase
      const env = {
        CHECKOUT_STORE: "postgres",
        DATABASE_URL: Redacted.value(TestDatabase.urlOf(database)),
        RATE_LIMITS: "off",
        // One public address for every node, as behind a load balancer: the checkout's `url` in a body is the same
        // whichever node renders it (a body is fixed once an attempt is recorded; an unrecorded one is re-rendered).
        PUBLIC_BASE_URL: "http://checkout.test",
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
        WEBHOOKS_TIMEOUT_MS: String(timeoutMs),
        WEBHOOKS_RETRY_BASE_MS: "50",
        WEBHOOKS_RETRY_MAX_MS: "300",
        WEBHOOKS_MAX_ATTEMPTS: "1000",
        WEBHOOKS_DISABLE_AFTER_FAILURES: "100000",
        WEBHOOKS_SHUTDOWN_GRACE_MS: "300"
      }
      const sql = yield* Effect.provide(SqlClient.use(Effect.succeed), yield* Layer.build(TestDatabase.layerClientOn(database, 2)))
      const a = yield* startNode(env)
      const b = yield* startNode(env)
      const endpoint = json(yield* call(a.url, "/v1/webhooks/endpoints", {
        method: "POST",
        body: { url: receiver.url, format: "raw", events: ["checkout.created", "checkout.updated"] }
      }))
      receiver.state.secret = endpoint.secret as string

      const create = (node: Node) =>
        Effect.map(call(node.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }), (r) => json(r).id as string)
      const update = (node: Node, id: string, step: number) =>
        call(node.url, `/v1/checkouts/${id}`, { method: "PATCH", body: { metadata: { step: String(step) } } })
      /** Every webhook event of the endpoint, in creation (commit) order per checkout. */
      const events = () =>
        sql<{ id: string; checkout_id: string; type: string; status: string }>`SELECT id, checkout_id, type, status
          FROM webhook_events WHERE endpoint_id = ${endpoint.id as string} ORDER BY seq`
      const answeredIds = () => new Set(receiver.requests.filter((r) => r.answered).map((r) => r.id))
      const allAnswered = (ids: ReadonlyArray<string>) => {
        const done = answeredIds()
        return ids.every((id) => done.has(id))
      }
      /** Checks the first answered receipt of each event follows commit order, per checkout. */
      const assertOrder = (rows: ReadonlyArray<{ id: string; checkout_id: string }>) => {
        const firstAnswered = new Map<string, number>()
        receiver.requests.forEach((r, i) => {
          if (r.answered && !firstAnswered.has(r.id)) firstAnswered.set(r.id, i)
        })
        const byCheckout = new Map<string, Array<number>>()
        for (const row of rows) byCheckout.set(row.checkout_id, [...(byCheckout.get(row.checkout_id) ?? []), firstAnswered.get(row.id)!])
        for (const [checkout, positions] of byCheckout) {
          assert.deepStrictEqual(positions, [...positions].sort((x, y) => x - y), `order of checkout ${checkout}`)
        }
      }

      // (a) Both nodes, healthy receiver: 20 checkouts created and updated through alternating nodes.
      const phaseA: Array<string> = []
      for (let i = 0; i < 20; i++) {
        const node = i % 2 === 0 ? a : b
        const id = yield* create(node)
        phaseA.push(id)
        yield* update(i % 2 === 0 ? b : a, id, 1)
      }
      let rows = yield* events()
      for (let i = 0; i < 100 && rows.length < 40; i++) {
        yield* Effect.sleep(100)
        rows = yield* events()
      }
      assert.strictEqual(rows.length, 40)
      yield* waitFor(() => allAnswered(rows.map((r) => r.id)), 20_000, "phase (a) deliveries")
      assert.deepStrictEqual(receiver.invalid, [])
      const counts = new Map<string, number>()
      for (const r of receiver.requests) counts.set(r.id, (counts.get(r.id) ?? 0) + 1)
      assert.deepStrictEqual([...counts.values()].filter((n) => n !== 1), [], "no attempt sent twice while both nodes run")
      assert.strictEqual(counts.size, 40)
      assertOrder(rows)

      // (b) The receiver stalls; checkouts are created until node A has sends in flight; A is SIGKILLed.
      receiver.state.stall = true
      const phaseB: Array<string> = []
      let victimHeld: Array<Request> = []
      for (let i = 0; i < 30 && victimHeld.length === 0; i++) {
        phaseB.push(yield* create(i % 2 === 0 ? a : b))
        yield* Effect.sleep(150)
        const ports = portsOf(a.child.pid!)
        victimHeld = receiver.held.map((h) => h.request).filter((r) => ports.has(r.port))
      }
      assert.isTrue(victimHeld.length > 0, "node A had sends in flight")
      a.child.kill("SIGKILL")
      yield* waitFor(() => a.child.exitCode !== null || a.child.signalCode !== null, 10_000, "A to die")
      yield* waitFor(() => victimHeld.every((r) => r.abandoned), 5_000, "A's connections to close")
      receiver.release()
      for (const id of phaseB) yield* update(b, id, 2)
      let rowsB = (yield* events()).filter((r) => phaseB.includes(r.checkout_id))
      for (let i = 0; i < 100 && rowsB.length < phaseB.length * 2; i++) {
        yield* Effect.sleep(100)
        rowsB = (yield* events()).filter((r) => phaseB.includes(r.checkout_id))
      }
      assert.strictEqual(rowsB.length, phaseB.length * 2)
      yield* waitFor(() => allAnswered(rowsB.map((r) => r.id)), leaseMs + 20_000, "phase (b) deliveries after the lease")
      // A's abandoned sends came again from B, same id and same body, after A's lease ran out.
      for (const lost of victimHeld) {
        const again = receiver.requests.filter((r) => r.id === lost.id && r.answered)
        assert.isTrue(again.length > 0, `event ${lost.id} resent`)
        assert.isTrue(again.every((r) => r.body === lost.body))
        // Not before the lease (taken just before A's request reached the receiver) ran out.
        assert.isAtLeast(again[0]!.at - lost.at, leaseMs - 500, "resent once the lease expired")
      }
      // Duplicates are only retries of one webhook-id: every id carries one body, and every id is one event.
      const bodies = new Map<string, Set<string>>()
      for (const r of receiver.requests) bodies.set(r.id, (bodies.get(r.id) ?? new Set()).add(r.body))
      assert.isTrue([...bodies.values()].every((s) => s.size === 1))
      let allRows = yield* events()
      // The receiver answered; the attempts are recorded right after.
      for (let i = 0; i < 100 && !allRows.every((r) => r.status === "delivered"); i++) {
        yield* Effect.sleep(100)
        allRows = yield* events()
      }
      assert.deepStrictEqual([...bodies.keys()].filter((id) => !allRows.some((r) => r.id === id)), [])
      assert.deepStrictEqual(allRows.filter((r) => r.status !== "delivered"), [])
      assertOrder(allRows)
      assert.deepStrictEqual(receiver.invalid, [])

      // (c) A new node C next to B; the receiver stalls until B has sends in flight; B gets SIGTERM.
      const c = yield* startNode(env)
      receiver.state.stall = true
      const phaseC: Array<string> = []
      let leaving: Array<Request> = []
      for (let i = 0; i < 30 && leaving.length === 0; i++) {
        phaseC.push(yield* create(i % 2 === 0 ? b : c))
        yield* Effect.sleep(150)
        const ports = portsOf(b.child.pid!)
        leaving = receiver.held.map((h) => h.request).filter((r) => ports.has(r.port))
      }
      assert.isTrue(leaving.length > 0, "node B had sends in flight")
      // New requests (C's) are answered at once from now on; what is held stays held.
      receiver.state.stall = false
      const termAt = Date.now()
      b.child.kill("SIGTERM")
      yield* waitFor(() => b.child.exitCode !== null || b.child.signalCode !== null, 15_000, "B to exit")
      const exitedAt = Date.now()
      assert.strictEqual(b.child.exitCode, 0, "a clean exit")
      // B gave up its sends (interrupted after the grace period) rather than leaving them to the lease.
      yield* waitFor(() => leaving.every((r) => r.abandoned), 5_000, "B's connections to close")
      // C's own held sends are answered now; B's released claims are C's to send at once.
      receiver.release()
      const leavingIds = leaving.map((r) => r.id)
      yield* waitFor(() => allAnswered(leavingIds), leaseMs - 2_000, "B's released events, before its lease would expire")
      const retriedAt = Math.max(...leavingIds.map((id) => receiver.requests.find((r) => r.id === id && r.answered)!.at))
      assert.isBelow(retriedAt - termAt, leaseMs - 2_000, `sent again ${retriedAt - termAt} ms after SIGTERM (exit after ${exitedAt - termAt} ms)`)
      // Nothing was recorded for B's interrupted sends (an attempt is recorded only with its answer or its failure,
      // e.g. a timeout under load): each event has one successful attempt, and none ended as "interrupted".
      const logOf = () =>
        sql<{ event_id: string; succeeded: boolean; response: string }>`SELECT event_id, succeeded, response
          FROM webhook_deliveries WHERE event_id = ANY(${leavingIds}::uuid[])`
      let log = yield* logOf()
      for (let i = 0; i < 100 && new Set(log.filter((r) => r.succeeded).map((r) => r.event_id)).size < leavingIds.length; i++) {
        yield* Effect.sleep(100)
        log = yield* logOf()
      }
      for (const id of leavingIds) assert.strictEqual(log.filter((r) => r.event_id === id && r.succeeded).length, 1, JSON.stringify(log))
      assert.deepStrictEqual(log.filter((r) => r.response === "interrupted"), [])
      let rowsC = (yield* events()).filter((r) => phaseC.includes(r.checkout_id))
      yield* waitFor(() => allAnswered(rowsC.map((r) => r.id)), 20_000, "phase (c) deliveries")
      rowsC = (yield* events()).filter((r) => phaseC.includes(r.checkout_id))
      assert.strictEqual(rowsC.length, phaseC.length)
      assert.deepStrictEqual(receiver.invalid, [])
    }).pipe(Effect.scoped), 180_000)
})
