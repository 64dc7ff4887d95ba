// The framework's floor for bench/cpu.mjs (FLOOR=1): the smallest HttpApi app with the two hot routes' shapes, on
// the same effect and @effect/platform-node as the server. POST /v1/checkouts/ decodes a create-shaped body with a
// schema (a product id list and optional metadata) and answers 201 with the captured real create response;
// GET /v1/checkouts/client/:client_secret decodes its path parameter and answers the captured client response. No
// middleware, no auth, no domain, no store, no log: what any HttpApi app pays per request, to tell the framework's
// share of a request's CPU from the app's own.
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Schema } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const { checkout, clientCheckout } = JSON.parse(readFileSync(process.env.TEMPLATES, "utf8"))
const created = JSON.stringify(checkout)
const read = JSON.stringify(clientCheckout)

const CreateBody = Schema.Struct({
  products: Schema.Array(Schema.String),
  metadata: Schema.optionalKey(Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Number, Schema.Boolean])))
})
class Checkouts extends HttpApiGroup.make("checkouts")
  .add(HttpApiEndpoint.post("create", "/v1/checkouts/", { payload: CreateBody, success: Schema.String }))
  .add(HttpApiEndpoint.get("client", "/v1/checkouts/client/:client_secret", {
    params: Schema.Struct({ client_secret: Schema.String }),
    success: Schema.String
  }))
{}
class Api extends HttpApi.make("floor").add(Checkouts) {}

const json = (text, status) => HttpServerResponse.text(text, { status, contentType: "application/json" })
const handlers = HttpApiBuilder.group(Api, "checkouts", (h) =>
  h.handle("create", () => Effect.succeed(json(created, 201))).handle("client", () => Effect.succeed(json(read, 200))))

const port = Number(process.env.PORT ?? 0)
const server = createServer()
server.once("listening", () => console.log(JSON.stringify({ listening: server.address().port })))
HttpRouter.serve(HttpApiBuilder.layer(Api).pipe(Layer.provide(handlers)), { disableLogger: true, disableListenLog: true })
  .pipe(Layer.provide(NodeHttpServer.layer(() => server, { port, host: "127.0.0.1" })), Layer.launch, NodeRuntime.runMain)
