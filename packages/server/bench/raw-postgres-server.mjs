// Baseline for bench/postgres.mjs: a bare node:http server that runs the statements a checkout use case needs on
// PostgreSQL through the plain `pg` driver (a pool of DATABASE_POOL_SIZE, default 10), on the same database as the
// real server, with the same SQL text the real server issues (copied from pg_stat_statements), and answers with
// JSON of the real responses' shape (templates captured from the real server). Per use case:
//   POST /v1/checkouts/              token lookup, organization, product; BEGIN, INSERT checkout, INSERT event, COMMIT
//   GET  /v1/checkouts/client/:s     checkout by client secret, organization, product
//   POST /v1/checkouts/client/:s/confirm
//     prepare: checkout by client secret, organization, product, customer by e-mail, INSERT customer ON CONFLICT,
//              UPDATE customer (the processor's customer id)
//     tx 1:    BEGIN, lock (FOR UPDATE SKIP LOCKED), versioned UPDATE (confirmed, attempt), INSERT event, COMMIT
//     (the payment call: none; the test processor answers at once)
//     tx 2:    BEGIN, lock, versioned UPDATE (intent recorded), INSERT event, COMMIT
//     settle:  BEGIN, lock, versioned UPDATE (succeeded), INSERT 2 events, COMMIT
// Organizations and products are cached for 1 s, as the real store's catalog cache does (CatalogCache.ts), so the
// organization and product reads above happen once per second per id, on both servers.
// No validation library, no pricing, no effect runtime: the floor of the statements, not of the domain rules.
import { createHash, randomBytes, randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import pg from "pg"

const t = JSON.parse(readFileSync(process.env.TEMPLATES, "utf8"))
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) })

const send = (res, status, body) => {
  const s = JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(s) })
  res.end(s)
}
const readBody = (req) => new Promise((resolve) => {
  const chunks = []
  req.on("data", (c) => chunks.push(c))
  req.on("end", () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))) } catch { resolve(undefined) } })
})

const Q = {
  token: "SELECT t.organization_id, o.data->>'id' AS data_id, t.scopes FROM access_tokens t JOIN organizations o ON o.id = t.organization_id WHERE t.token_sha256 = $1",
  org: "SELECT data::text AS data FROM organizations WHERE id = $1",
  product: "SELECT data::text AS data FROM products WHERE id = $1",
  bySecret: "SELECT data::text AS data, version FROM checkouts WHERE client_secret = $1",
  insert: "INSERT INTO checkouts (id, organization_id, client_secret, version, status, created_at, expires_at, product_id, customer_id, external_customer_id, customer_email, data) VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)",
  event: "INSERT INTO checkout_events (type, checkout_id, checkout, refund) VALUES ($1, $2, $3::jsonb, $4::jsonb)",
  lock: "SELECT data::text AS data, version FROM checkouts WHERE id = $1 FOR UPDATE SKIP LOCKED",
  update: "UPDATE checkouts SET organization_id = $1, client_secret = $2, version = $3, status = $4, created_at = $5, expires_at = $6, product_id = $7, customer_id = $8, external_customer_id = $9, customer_email = $10, data = $11::jsonb WHERE id = $12 AND version = $13 RETURNING id",
  customer: "SELECT data FROM customers WHERE organization_id = $1 AND lower(email) = lower($2) AND deleted_at IS NULL",
  insertCustomer: "INSERT INTO customers (id, organization_id, email, external_id, deleted_at, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING RETURNING data",
  updateCustomer: "UPDATE customers SET organization_id = $1, email = $2, external_id = $3, deleted_at = $4, data = $5::jsonb WHERE id = $6 RETURNING id"
}

const cached = new Map()
/** `SELECT data ... WHERE id = $1` through a 1 s cache of found rows (the real store's CatalogCache). */
const catalogRead = async (query, id) => {
  const key = `${query}|${id}`
  const hit = cached.get(key)
  if (hit !== undefined && hit.until > Date.now()) return { rows: [{ data: hit.data }] }
  const r = await pool.query(query, [id])
  const rows = r.rows.map((row) => ({ data: JSON.parse(row.data) }))
  if (rows.length > 0) cached.set(key, { data: rows[0].data, until: Date.now() + 1000 })
  return { rows }
}

const tokenSha = (header) => createHash("sha256").update((header ?? "").replace(/^Bearer /, "")).digest("hex")

/** One transaction on one pooled connection. */
const tx = async (work) => {
  const client = await pool.connect()
  try {
    await client.query("BEGIN")
    const r = await work(client)
    await client.query("COMMIT")
    return r
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {})
    throw e
  } finally { client.release() }
}

/** The versioned write every checkout change is: lock, UPDATE ... WHERE version, outbox rows. */
const write = (id, change, events) => tx(async (c) => {
  const lockedRow = (await c.query(Q.lock, [id])).rows[0]
  if (lockedRow === undefined) throw new Error("locked")
  const locked = { data: JSON.parse(lockedRow.data), version: lockedRow.version }
  const data = { ...locked.data, ...change(locked.data) }
  const r = await c.query(Q.update, [data.organizationId, data.clientSecret, locked.version + 1, data.status, data.createdAt,
    data.expiresAt, data.productId, data.customerId ?? null, data.externalCustomerId ?? null, data.customerEmail ?? null,
    JSON.stringify(data), id, locked.version])
  if (r.rowCount !== 1) throw new Error("version conflict")
  for (const type of events) await c.query(Q.event, [type, id, JSON.stringify(data), null])
  return data
})

const create = async (req, res) => {
  const auth = (await pool.query(Q.token, [tokenSha(req.headers.authorization)])).rows[0]
  if (auth === undefined) return send(res, 401, { error: "Unauthorized" })
  const body = await readBody(req)
  if (body === undefined || !Array.isArray(body.products) || body.products.length === 0) return send(res, 422, { detail: [] })
  const [org, product] = await Promise.all([catalogRead(Q.org, auth.organization_id), catalogRead(Q.product, body.products[0])])
  if (product.rows.length === 0 || org.rows.length === 0) return send(res, 422, { detail: [] })
  const now = new Date()
  const id = randomUUID()
  const clientSecret = `polar_c_${randomBytes(32).toString("base64url").slice(0, 43)}`
  const expiresAt = new Date(now.getTime() + 86_400_000).toISOString()
  const data = { ...t.stored, id, clientSecret, createdAt: now.toISOString(), expiresAt, metadata: body.metadata ?? {} }
  const json = JSON.stringify(data)
  await tx(async (c) => {
    await c.query(Q.insert, [id, data.organizationId, clientSecret, "open", data.createdAt, expiresAt, data.productId, null, null, null, json])
    await c.query(Q.event, ["checkout.created", id, json, null])
  })
  send(res, 201, { ...t.created, id, client_secret: clientSecret, url: t.created.url.replace(t.created.client_secret, clientSecret),
    created_at: data.createdAt, expires_at: expiresAt, metadata: data.metadata })
}

const load = async (secret) => {
  const found = (await pool.query(Q.bySecret, [secret])).rows[0]
  if (found === undefined) return undefined
  const row = { data: JSON.parse(found.data), version: found.version }
  const [org, product] = await Promise.all([catalogRead(Q.org, row.data.organizationId), catalogRead(Q.product, row.data.productId)])
  return { checkout: row.data, version: row.version, org: org.rows[0].data, product: product.rows[0].data }
}

const clientGet = async (secret, res) => {
  const found = await load(secret)
  if (found === undefined) return send(res, 404, { error: "ResourceNotFound", detail: "Not found" })
  const c = found.checkout
  send(res, 200, { ...t.client, id: c.id, client_secret: c.clientSecret, created_at: c.createdAt, expires_at: c.expiresAt, status: c.status })
}

const confirm = async (secret, req, res) => {
  const body = await readBody(req)
  if (body === undefined || typeof body.confirmation_token_id !== "string") return send(res, 422, { detail: [] })
  const found = await load(secret)
  if (found === undefined) return send(res, 404, { error: "ResourceNotFound", detail: "Not found" })
  if (found.checkout.status !== "open") return send(res, 403, { error: "AlreadyConfirmed" })
  const orgId = found.checkout.organizationId
  const email = body.customer_email
  let customer = (await pool.query(Q.customer, [orgId, email])).rows[0]?.data
  if (customer === undefined) {
    const fresh = { ...t.customer, id: randomUUID(), organizationId: orgId, email }
    customer = (await pool.query(Q.insertCustomer, [fresh.id, orgId, email, null, null, JSON.stringify(fresh)])).rows[0]?.data ?? fresh
    customer = { ...customer, processorCustomerId: `cus_${randomBytes(8).toString("hex")}` }
    await pool.query(Q.updateCustomer, [orgId, email, null, null, JSON.stringify(customer), customer.id])
  }
  const id = found.checkout.id
  const attempt = randomUUID()
  await write(id, () => ({ status: "confirmed", customerId: customer.id, customerEmail: email, customerName: body.customer_name ?? null,
    customFieldData: body.custom_field_data ?? {}, billingAddress: body.customer_billing_address ?? null }), ["checkout.updated"])
  const intent = `pi_${randomBytes(12).toString("hex")}`
  await write(id, () => ({ paymentProcessorMetadata: { ...found.checkout.paymentProcessorMetadata, intent_id: intent, attempt } }), ["checkout.updated"])
  const done = await write(id, () => ({ status: "succeeded" }), ["checkout.updated", "checkout.succeeded"])
  send(res, 200, { ...t.confirmed, id, client_secret: done.clientSecret, status: "confirmed", customer_email: email })
}

const server = createServer((req, res) => {
  const fail = (e) => { if (!res.headersSent) send(res, e?.message === "locked" || e?.message === "version conflict" ? 409 : 500, { error: String(e?.message ?? e) }) }
  const url = req.url ?? ""
  if (req.method === "POST" && url === "/v1/checkouts/") return void create(req, res).catch(fail)
  if (url.startsWith("/v1/checkouts/client/")) {
    const rest = url.slice("/v1/checkouts/client/".length)
    if (req.method === "GET") return void clientGet(rest, res).catch(fail)
    if (req.method === "POST" && rest.endsWith("/confirm")) return void confirm(rest.slice(0, -"/confirm".length), req, res).catch(fail)
  }
  send(res, 404, { detail: "Not Found" })
})
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(JSON.stringify({ listening: server.address().port })))
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))))
