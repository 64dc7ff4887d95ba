/**
 * The typed `HttpApiClient` exported for Effect users (`Client.make` + `Client.layerBearer`), against the real
 * in-process application: its requests are encoded by the contract, its answers and declared errors decoded by it.
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { FetchHttpClient } from "effect/http"
import * as Client from "../../../http-api/src/Client.ts"
import * as Wire from "../../../http-api/src/wire/index.ts"
import * as W from "./World.ts"

const app = W.makeApp()
afterAll(() => app.dispose())

/** `fetch` served by the in-process handler: no socket. */
const inProcessFetch = ((input: string | URL | Request, init?: RequestInit) =>
  app.handler(new Request(input, init))) as typeof globalThis.fetch

const http = FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, inProcessFetch)))
const withToken = (token: string) => Layer.merge(http, Client.layerBearer(token))

describe("Client", () => {
  it.effect("creates, reads, updates and confirms a checkout through the typed client", () =>
    Effect.gen(function*() {
      const client = yield* Client.make("http://checkout-kit.test")
      const payload = Schema.decodeUnknownSync(Wire.CheckoutProductsCreate)({
        products: [W.fixed.id],
        customer_email: "typed@acme.test",
        customer_billing_address: { country: "FR" },
        metadata: { via: "typed-client" }
      })
      const created = yield* client.checkouts.create({ payload })
      assert.strictEqual(created.status, "open")
      assert.deepStrictEqual(created.metadata, { via: "typed-client" })
      const listed = yield* client.checkouts.list({ query: { page: 1, limit: 100, sorting: ["-created_at"] } })
      assert.isTrue(listed.items.some((c) => c.id === created.id))
      const updated = yield* client.checkouts.update({ params: { id: created.id }, payload: { customer_name: "Typed" } })
      assert.strictEqual(updated.customer_name, "Typed")
      const publicView = yield* client.checkoutsClient.get({ params: { client_secret: created.client_secret } })
      assert.isFalse("metadata" in publicView)
      const confirmed = yield* client.checkoutsClient.confirm({
        params: { client_secret: created.client_secret },
        payload: { confirmation_token_id: "ctoken_typed" }
      })
      assert.strictEqual(confirmed.status, "confirmed")
    }).pipe(Effect.provide(withToken(W.tokens.write))))

  it.effect("decodes the declared errors: 404 ResourceNotFound, 401 Unauthorized, 403 insufficient_scope", () =>
    Effect.gen(function*() {
      const client = yield* Client.make("http://checkout-kit.test")
      const missing = yield* Effect.flip(client.checkouts.get({ params: { id: "3f0f8a5c-6f6e-4b8a-9d6b-2a7f3c1e9b10" } }))
      assert.strictEqual("error" in missing ? missing.error : undefined, "ResourceNotFound")
      const stranger = yield* Client.make("http://checkout-kit.test").pipe(Effect.provide(withToken("unknown-token")))
      const denied = yield* Effect.flip(stranger.checkoutLinks.list({ query: { page: 1, limit: 10, sorting: ["created_at"] } }))
      assert.strictEqual("error" in denied ? denied.error : undefined, "Unauthorized")
      const reader = yield* Client.make("http://checkout-kit.test").pipe(Effect.provide(withToken(W.tokens.read)))
      const payload = Schema.decodeUnknownSync(Wire.CheckoutLinkCreate)({ payment_processor: "stripe", products: [W.fixed.id] })
      const refused = yield* Effect.flip(reader.checkoutLinks.create({ payload }))
      assert.strictEqual("error" in refused ? refused.error : undefined, "insufficient_scope")
    }).pipe(Effect.provide(withToken(W.tokens.write))))
})
