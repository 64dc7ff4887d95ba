/** Safe targets and one attempt's limits, against real local sockets. */
import { assert, describe, it } from "@effect/vitest"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Target from "../src/Target.ts"

const serve = async (handler: http.RequestListener) => {
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  return { url, stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }) }
}

const allow = { timeoutMs: 1_000, maxResponseBytes: 64, allowPrivateTargets: true }
const deny = { ...allow, allowPrivateTargets: false }

describe("Target.send", () => {
  it("posts the body with the given headers and reads the answer", async () => {
    let seen: { body: string; headers: http.IncomingHttpHeaders } | undefined
    const s = await serve((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        seen = { body: Buffer.concat(chunks).toString(), headers: req.headers }
        res.statusCode = 204
        res.end()
      })
    })
    const result = await Target.send(s.url, { "webhook-id": "abc" }, "{\"a\":1}", allow)
    await s.stop()
    assert.strictEqual(result.status, 204)
    assert.strictEqual(seen?.body, "{\"a\":1}")
    assert.strictEqual(seen?.headers["webhook-id"], "abc")
    assert.strictEqual(seen?.headers["content-type"], "application/json")
  })

  it("refuses http and private addresses unless allowed, before connecting", async () => {
    let hits = 0
    const s = await serve((_req, res) => {
      hits++
      res.end()
    })
    const http1 = await Target.send(s.url, {}, "{}", deny)
    assert.isNull(http1.status)
    assert.match(http1.response, /https only/u)
    const loopback = await Target.send(s.url.replace("http:", "https:"), {}, "{}", deny)
    assert.isNull(loopback.status)
    assert.match(loopback.response, /private address/u)
    const localhost = await Target.send("https://localhost:1/x", {}, "{}", deny)
    assert.match(localhost.response, /private address/u)
    const metadata = await Target.send("https://169.254.169.254/latest", {}, "{}", deny)
    assert.match(metadata.response, /private address/u)
    await s.stop()
    assert.strictEqual(hits, 0)
  })

  it("does not follow redirects: a 3xx is the answer", async () => {
    let followed = 0
    const s = await serve((req, res) => {
      if (req.url === "/elsewhere") followed++
      res.statusCode = 307
      res.setHeader("location", "/elsewhere")
      res.end()
    })
    const result = await Target.send(s.url, {}, "{}", allow)
    await s.stop()
    assert.strictEqual(result.status, 307)
    assert.strictEqual(followed, 0)
  })

  it("reads at most maxResponseBytes of an endless body", async () => {
    const s = await serve((_req, res) => {
      res.statusCode = 200
      const chunk = "x".repeat(1024)
      const write = () => {
        while (res.write(chunk)) { /* until the buffer is full */ }
        res.once("drain", write)
      }
      write()
    })
    const result = await Target.send(s.url, {}, "{}", allow)
    await s.stop()
    assert.strictEqual(result.status, 200)
    assert.strictEqual(result.response.length, 64)
  })

  it("a receiver that never answers (or trickles) cannot hold the sender past the deadline", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200)
      const timer = setInterval(() => res.write("."), 50) // trickles forever
      res.on("close", () => clearInterval(timer))
    })
    const started = Date.now()
    const result = await Target.send(s.url, {}, "{}", { ...allow, timeoutMs: 300, maxResponseBytes: 1_000_000 })
    const took = Date.now() - started
    await s.stop()
    assert.isNull(result.status)
    assert.match(result.response, /timed out/u)
    assert.isBelow(took, 1_000)
  })

  it("a refused connection is an answer-less attempt", async () => {
    const s = await serve((_req, res) => res.end())
    await s.stop()
    const result = await Target.send(s.url, {}, "{}", allow)
    assert.isNull(result.status)
    assert.match(result.response, /no response/u)
  })

  it("with a worker's agents, consecutive attempts reuse one connection; without, each opens its own", async () => {
    let connections = 0
    const counting = http.createServer((req, res) => {
      req.resume()
      req.on("end", () => res.end("ok"))
    })
    counting.on("connection", () => connections++)
    await new Promise<void>((resolve) => counting.listen(0, "127.0.0.1", () => resolve()))
    const url = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/hook`
    const agents = Target.makeAgents(4)
    try {
      for (let i = 0; i < 5; i++) assert.strictEqual((await Target.send(url, {}, "{}", allow, undefined, agents)).status, 200)
      assert.strictEqual(connections, 1)
      for (let i = 0; i < 3; i++) assert.strictEqual((await Target.send(url, {}, "{}", allow)).status, 200)
      assert.strictEqual(connections, 4)
    } finally {
      agents.destroy()
      counting.closeAllConnections()
      await new Promise<void>((resolve) => counting.close(() => resolve()))
    }
  })

  it("with agents, a capped body or a timeout closes that connection instead of pooling it; the deadline still holds", async () => {
    let connections = 0
    const counting = http.createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        if (req.url === "/hang") return
        if (req.url === "/big") {
          res.write("x".repeat(1_000))
          return // never ends
        }
        res.end("ok")
      })
    })
    counting.on("connection", () => connections++)
    await new Promise<void>((resolve) => counting.listen(0, "127.0.0.1", () => resolve()))
    const base = `http://127.0.0.1:${(counting.address() as AddressInfo).port}`
    const agents = Target.makeAgents(4)
    try {
      const options = { ...allow, timeoutMs: 300 }
      const big = await Target.send(`${base}/big`, {}, "{}", options, undefined, agents)
      assert.strictEqual(big.status, 200)
      assert.strictEqual(big.response.length, 64)
      const started = Date.now()
      const hang = await Target.send(`${base}/hang`, {}, "{}", options, undefined, agents)
      assert.isNull(hang.status)
      assert.match(hang.response, /timed out/u)
      assert.isBelow(Date.now() - started, 2_000)
      // Neither connection went back to the pool: the next attempt opens a third one, which is then reused.
      assert.strictEqual((await Target.send(`${base}/ok`, {}, "{}", options, undefined, agents)).status, 200)
      assert.strictEqual((await Target.send(`${base}/ok`, {}, "{}", options, undefined, agents)).status, 200)
      assert.strictEqual(connections, 3)
    } finally {
      agents.destroy()
      counting.closeAllConnections()
      await new Promise<void>((resolve) => counting.close(() => resolve()))
    }
  })
})
