import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import * as Arbitrary from "effect/Arbitrary"
import { OpenApi } from "effect/http-api"
import { Api } from "../src/Api.ts"
import * as Wire from "../src/wire/index.ts"
import { check, component, contract, propertyNames, sample } from "./ContractSchema.ts"
import * as Fixtures from "./Fixtures.ts"

type Codec = Schema.Codec<any, any, never, never>
const toJson = (schema: Codec) => Schema.encodeUnknownSync(Schema.toCodecJson(schema))
const decodeJson = <S extends Codec>(schema: S) => Schema.decodeUnknownExit(Schema.toCodecJson(schema))

const generated: any = OpenApi.fromApi(Api)

const operations = (doc: any): Array<{ path: string; method: string; operation: any }> =>
  Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([method]) => ["get", "post", "patch", "put", "delete"].includes(method))
      .map(([method, operation]) => ({ path, method, operation })))

describe("OpenAPI document", () => {
  it("has every path and method of the reference contract", () => {
    const ours = new Set(operations(generated).map((o) => `${o.method} ${o.path}`))
    const theirs = operations(contract).map((o) => `${o.method} ${o.path}`)
    expect(theirs.length).toBe(12)
    expect(theirs.filter((op) => !ours.has(op))).toEqual([])
  })

  it("uses the contract's operation ids and success statuses", () => {
    const ours = new Map(operations(generated).map((o) => [`${o.method} ${o.path}`, o.operation]))
    for (const { path, method, operation } of operations(contract)) {
      const mine = ours.get(`${method} ${path}`)
      expect(mine?.operationId, `${method} ${path}`).toBe(operation.operationId)
      const success = (responses: any) => Object.keys(responses).filter((code) => code.startsWith("2"))
      expect(success(mine.responses), `${method} ${path}`).toEqual(success(operation.responses))
    }
  })

  it("declares the contract's error statuses on every endpoint", () => {
    const ours = new Map(operations(generated).map((o) => [`${o.method} ${o.path}`, o.operation]))
    for (const { path, method, operation } of operations(contract)) {
      const mine = Object.keys(ours.get(`${method} ${path}`).responses)
      const expected = Object.keys(operation.responses).filter((code) => !code.startsWith("2"))
      expect(expected.filter((code) => !mine.includes(code)), `${method} ${path}`).toEqual([])
    }
  })

  it("protects the organization endpoints with a bearer scheme and leaves the client ones open", () => {
    expect(generated.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "Bearer" })
    expect(generated.paths["/v1/checkouts/"].get.security).toEqual([{ bearer: [] }])
    expect(generated.paths["/v1/checkout-links/{id}"].delete.security).toEqual([{ bearer: [] }])
    expect(generated.paths["/v1/checkouts/client/{client_secret}"].get.security).toEqual([])
  })
})

const responseCases = [
  { name: "Checkout", schema: Wire.Checkout, value: Fixtures.checkout },
  { name: "CheckoutPublic", schema: Wire.CheckoutPublic, value: Fixtures.checkoutPublic },
  { name: "CheckoutPublicConfirmed", schema: Wire.CheckoutPublicConfirmed, value: Fixtures.checkoutConfirmed },
  { name: "CheckoutLink", schema: Wire.CheckoutLink, value: Fixtures.checkoutLink }
] as const

describe("response schemas against the contract", () => {
  for (const { name, schema, value } of responseCases) {
    it(`a ${name} fixture encodes to JSON the contract accepts, with every contract key`, () => {
      const json = toJson(schema)(value) as Record<string, unknown>
      expect(check(component(name), json)).toEqual([])
      expect(propertyNames(name).filter((key) => !(key in json))).toEqual([])
      expect(Exit.isSuccess(decodeJson(schema)(json))).toBe(true)
    })
  }

  it("timestamps are RFC 3339 in UTC with a Z", () => {
    const json = toJson(Wire.Checkout)(Fixtures.checkout) as Record<string, unknown>
    expect(json["created_at"]).toBe("2026-03-01T12:00:00.000Z")
    expect(json["expires_at"]).toBe("2026-03-02T12:00:00.000Z")
  })

  it("deprecated keys hidden from the contract are still serialized", () => {
    const checkout = toJson(Wire.Checkout)(Fixtures.checkout) as Record<string, unknown>
    expect(checkout["subtotal_amount"]).toBe(2250)
    expect(checkout["customer_external_id"]).toBe("cus_ext_1")
    expect(checkout["customer_billing_address_fields"]).toMatchObject({ country: true, line2: false })
    const link = toJson(Wire.CheckoutLink)(Fixtures.checkoutLink) as Record<string, unknown>
    expect(link["product_id"]).toBe(Fixtures.ids.product)
    expect((link["product_price"] as Record<string, unknown>)["id"]).toBe(Fixtures.ids.price)
  })

  it("list envelopes match ListResource_*", () => {
    const page = { items: [Fixtures.checkout], pagination: Wire.makePagination(21, 10) }
    const json = toJson(Wire.ListResource(Wire.Checkout, "Checkout"))(page)
    expect(check(component("ListResource_Checkout_"), json)).toEqual([])
    expect((json as any).pagination).toEqual({ total_count: 21, max_page: 3 })
    const links = toJson(Wire.ListResource(Wire.CheckoutLink, "CheckoutLink"))({
      items: [Fixtures.checkoutLink],
      pagination: Wire.makePagination(1, 10)
    })
    expect(check(component("ListResource_CheckoutLink_"), links)).toEqual([])
  })

  it("a legacy recurring price keeps its legacy keys on the wire", () => {
    const legacy = {
      ...Fixtures.price,
      type: "recurring" as const,
      recurring_interval: "month" as const,
      legacy: true as const
    }
    const json = toJson(Wire.AnyProductPrice)(legacy)
    expect(json).toMatchObject({ legacy: true, type: "recurring" })
    expect(check(component("LegacyRecurringProductPriceFixed"), json)).toEqual([])
  })

  // Every value our schemas admit must be a value the contract admits (same keys required, same enums/types).
  for (const { name, schema } of responseCases) {
    it(`any generated ${name} encodes to JSON the contract accepts`, async () => {
      const values = await Effect.runPromise(
        Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 25, seed: 7, size: 3 })
      )
      assert.strictEqual(values.length, 25)
      const encode = toJson(schema)
      for (const value of values) {
        const json = encode(value)
        const problems = check(component(name), json)
        assert.deepStrictEqual(problems, [], JSON.stringify(json).slice(0, 400))
      }
    })
  }
})

const requestCases = [
  { name: "CheckoutProductsCreate", schema: Wire.CheckoutCreate },
  { name: "CheckoutUpdate", schema: Wire.CheckoutUpdate },
  { name: "CheckoutUpdatePublic", schema: Wire.CheckoutUpdatePublic },
  { name: "CheckoutConfirmStripe", schema: Wire.CheckoutConfirmStripe },
  { name: "CheckoutLinkCreateProducts", schema: Wire.CheckoutLinkCreate },
  { name: "CheckoutLinkCreateProduct", schema: Wire.CheckoutLinkCreate },
  { name: "CheckoutLinkCreateProductPrice", schema: Wire.CheckoutLinkCreate },
  { name: "CheckoutLinkUpdate", schema: Wire.CheckoutLinkUpdate }
] as const

describe("request schemas accept what the contract allows clients to send", () => {
  for (const { name, schema } of requestCases) {
    for (const nulls of [false, true]) {
      it(`${name} with every key ${nulls ? "null where nullable" : "set"}`, () => {
        const body = sample(component(name), nulls)
        expect(check(component(name), body)).toEqual([])
        const exit = decodeJson(schema)(body)
        assert.isTrue(Exit.isSuccess(exit), String(Exit.isFailure(exit) ? exit.cause : ""))
      })
    }
  }

  it("the contract's create union decodes into the products variant", () => {
    const body = sample(component("CheckoutProductsCreate"), false) as Record<string, unknown>
    const exit = decodeJson(Wire.CheckoutCreate)(body)
    assert.isTrue(Exit.isSuccess(exit))
    if (Exit.isSuccess(exit)) assert.isTrue("products" in exit.value)
  })
})
