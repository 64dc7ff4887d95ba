import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { HttpServer } from "effect/http"
import { HttpApiTest } from "effect/http-api"
import { Api } from "../src/Api.ts"
import { layerBearer } from "../src/Client.ts"
import * as Wire from "../src/wire/index.ts"
import * as Fixtures from "./Fixtures.ts"
import { Handlers, Middlewares, seen } from "./StubApp.ts"

// Handlers + middleware implementations, in process: the typed client encodes with the same schemas.
const TestLayer = Handlers.pipe(Layer.provideMerge(Middlewares), Layer.merge(HttpServer.layerServices))
const makeClient = HttpApiTest.groups(Api, ["checkouts", "checkoutsClient", "checkoutLinks"])

layer(TestLayer)("typed client over the contract", (it) => {
  it.effect("creates a checkout: the payload is encoded by the contract and the 201 body decoded", () =>
    Effect.gen(function*() {
      const client = yield* makeClient
      // The payload type is the decoded body (defaults applied), so build it by decoding what a caller would send.
      const payload = Schema.decodeUnknownSync(Wire.CheckoutProductsCreate)({
        products: [Fixtures.ids.product],
        customer_email: "ada@example.com"
      })
      const created = yield* client.checkouts.create({ payload })
      assert.strictEqual(created.id, Fixtures.ids.checkout)
      assert.strictEqual(created.total_amount, 2250)
      assert.deepStrictEqual((seen.get("checkouts.create") as { products: unknown }).products, [Fixtures.ids.product])
    }).pipe(Effect.provide(layerBearer("tok-all"))))

  it.effect("decodes declared errors: 404 ResourceNotFound and 401 Unauthorized", () =>
    Effect.gen(function*() {
      const client = yield* makeClient
      const missing = yield* Effect.flip(
        client.checkouts.get({ params: { id: "11111111-2222-4333-8444-555555555555" } })
      )
      assert.strictEqual("error" in missing ? missing.error : undefined, "ResourceNotFound")
      const stranger = yield* makeClient.pipe(Effect.provide(layerBearer("nope")))
      const denied = yield* Effect.flip(stranger.checkouts.get({ params: { id: Fixtures.ids.checkout } }))
      assert.strictEqual("error" in denied ? denied.error : undefined, "Unauthorized")
    }).pipe(Effect.provide(layerBearer("tok-all"))))

  it.effect("confirms by client secret without a token", () =>
    Effect.gen(function*() {
      const client = yield* makeClient
      const confirmed = yield* client.checkoutsClient.confirm({
        params: { client_secret: Fixtures.checkout.client_secret },
        payload: { confirmation_token_id: "ctoken_1" }
      })
      assert.strictEqual(confirmed.status, "confirmed")
    }).pipe(Effect.provide(layerBearer("tok-all"))))
})
