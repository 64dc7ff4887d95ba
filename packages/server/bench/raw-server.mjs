// Baseline for bench/load.mjs: a bare node:http server doing the same JSON work as the real server's two hot
// routes, on the same data. The templates are real responses captured from the real server (same fields, same
// size): POST /v1/checkouts/ parses and checks the body, builds a fresh checkout from the template (new id,
// client secret, timestamps), stores it and answers 201; GET /v1/checkouts/client/:secret looks it up and
// answers 200. No auth database, no pricing, no validation library: the ceiling a framework is measured against.
import { randomBytes, randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const { checkout, clientCheckout, accessToken } = JSON.parse(readFileSync(process.env.TEMPLATES, "utf8"))
const byId = new Map()
const bySecret = new Map()

const send = (res, status, body) => {
  const s = JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(s) })
  res.end(s)
}

const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/v1/checkouts/") {
    if (req.headers.authorization !== `Bearer ${accessToken}`) return send(res, 401, { error: "Unauthorized" })
    const chunks = []
    req.on("data", (c) => chunks.push(c))
    req.on("end", () => {
      let body
      try { body = JSON.parse(Buffer.concat(chunks).toString("utf8")) } catch { return send(res, 422, { detail: [] }) }
      if (!Array.isArray(body.products) || body.products.length === 0 || !body.products.every((p) => typeof p === "string")) {
        return send(res, 422, { detail: [{ loc: ["body", "products"], msg: "Field required", type: "missing" }] })
      }
      const now = new Date()
      const id = randomUUID()
      const clientSecret = `polar_c_${randomBytes(24).toString("base64url").slice(0, 43)}`
      const created = {
        ...checkout,
        id,
        client_secret: clientSecret,
        url: checkout.url.replace(checkout.client_secret, clientSecret),
        created_at: now.toISOString(),
        modified_at: null,
        expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
        metadata: body.metadata ?? {},
        products: checkout.products.map((p) => ({ ...p })),
        product_id: body.products[0] ?? checkout.product_id
      }
      byId.set(id, created)
      bySecret.set(clientSecret, { ...clientCheckout, id, client_secret: clientSecret, url: created.url, created_at: created.created_at, expires_at: created.expires_at })
      send(res, 201, created)
    })
    return
  }
  if (req.method === "GET" && req.url.startsWith("/v1/checkouts/client/")) {
    const found = bySecret.get(req.url.slice("/v1/checkouts/client/".length))
    return found === undefined ? send(res, 404, { error: "ResourceNotFound", detail: "Not found" }) : send(res, 200, found)
  }
  send(res, 404, { detail: "Not Found" })
})
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(JSON.stringify({ listening: server.address().port })))
process.on("SIGTERM", () => server.close(() => process.exit(0)))
