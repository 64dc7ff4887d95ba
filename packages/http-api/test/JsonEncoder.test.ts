/**
 * The compiled JSON encoder (`internal/JsonEncoder`) writes the bytes of the schema encoder it is derived from, for
 * every schema the handlers use it with, over generated checkout views: first calls and repeated ones (declared
 * values are remembered per object), checkouts sharing catalog objects, and updated catalog objects. It also
 * handles links and the list bodies, which the handlers leave to HttpApi, as a wider check of the derivation.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import * as Arbitrary from "effect/Arbitrary"
import * as fc from "fast-check"
import type { CheckoutView } from "@checkout-kit/domain"
import { CheckoutLinkList, CheckoutList } from "../src/Api.ts"
import * as JsonEncoder from "../src/internal/JsonEncoder.ts"
import * as Responses from "../src/Responses.ts"
import * as Wire from "../src/wire/index.ts"
import { makePagination } from "../src/wire/ListResource.ts"
import { catalog, checkoutFields, link, view, viewOf } from "./Views.ts"

const same = <S extends Schema.Codec<any, any, never, never>>(schema: S) => {
  const compiled = JsonEncoder.compile(schema)
  const encode = Schema.encodeSync(Schema.toCodecJson(schema))
  return (value: S["Type"]) => {
    const expected = JSON.stringify(encode(value))
    expect(compiled(value)).toBe(expected)
    // Again: remembered encodings must give the same bytes.
    expect(compiled(value)).toBe(expected)
  }
}

const checkout = same(Wire.Checkout)
const checkoutPublic = same(Wire.CheckoutPublic)
const confirmed = same(Wire.CheckoutPublicConfirmed)

describe("JsonEncoder.compile writes the schema encoder's JSON", () => {
  it("Checkout, CheckoutPublic, CheckoutPublicConfirmed over generated views", () => {
    fc.assert(
      fc.property(view, (v) => {
        checkout(Responses.checkout(v))
        checkoutPublic(Responses.checkoutPublic(v))
        confirmed(Responses.checkoutPublicConfirmed(v))
      }),
      { numRuns: 60 }
    )
  }, 60_000)

  it("checkouts sharing catalog objects, and a catalog updated with new objects", () => {
    fc.assert(
      fc.property(catalog, checkoutFields, checkoutFields, (c, a, b) => {
        checkoutPublic(Responses.checkoutPublic(viewOf(c, a)))
        checkoutPublic(Responses.checkoutPublic(viewOf(c, b)))
        const renamed = { ...c, products: c.products.map((p) => ({ ...p, name: `${p.name}!` })) }
        checkout(Responses.checkout(viewOf(renamed, a)))
      }),
      { numRuns: 30 }
    )
  }, 60_000)

  it("remembers the wire form of catalog values: one frozen object per domain product and organization", () => {
    fc.assert(
      fc.property(catalog, checkoutFields, checkoutFields, (c, a, b) => {
        const first = Responses.checkoutPublic(viewOf(c, a))
        const second = Responses.checkoutPublic(viewOf(c, b))
        fc.pre(first.products.length > 0)
        expect(second.organization).toBe(first.organization)
        expect(Object.isFrozen(first.organization)).toBe(true)
        const again = second.products.find((p) => p.id === first.products[0]!.id)
        fc.pre(again !== undefined)
        expect(again).toBe(first.products[0])
        expect(Object.isFrozen(first.products[0]!.prices)).toBe(true)
        // A new domain object (an updated product) gets a new wire object, not the remembered one.
        const renamed = { ...c, products: c.products.map((p) => ({ ...p, name: `${p.name}!` })) }
        const third = Responses.checkoutPublic(viewOf(renamed, a))
        expect(third.products.map((p) => p.name)).toEqual(first.products.map((p) => `${p.name}!`))
      }),
      { numRuns: 30 }
    )
  }, 60_000)

  it("links and the list bodies", () => {
    const links = same(Wire.CheckoutLink)
    const linkList = same(CheckoutLinkList)
    const checkoutList = same(CheckoutList)
    fc.assert(
      fc.property(link, view, ({ typed }, v) => {
        links(typed)
        linkList({ items: [typed], pagination: makePagination(3, 10) })
        checkoutList({ items: [Responses.checkout(v)], pagination: makePagination(3, 10) })
      }),
      { numRuns: 30 }
    )
  }, 60_000)

  it("keeps the schema's key order, leaves absent optional keys out, and encodes declarations by their schema", () => {
    const schema = Schema.Struct({
      z: Schema.DateTimeUtc,
      a: Schema.optionalKey(Schema.String),
      kind: Schema.Union([
        Schema.Struct({ type: Schema.Literal("x"), n: Schema.Number }),
        Schema.Struct({ type: Schema.Literal("y"), at: Schema.NullOr(Schema.DateTimeUtc) })
      ]),
      tags: Schema.Record(Schema.String, Schema.NullOr(Schema.Number))
    })
    const compiled = JsonEncoder.compile(schema)
    const at = DateTime.makeUnsafe("2026-01-02T03:04:05.006Z")
    expect(compiled({ kind: { at, type: "y" }, tags: { b: null, a: 1 }, z: at })).toBe(
      '{"z":"2026-01-02T03:04:05.006Z","kind":{"type":"y","at":"2026-01-02T03:04:05.006Z"},"tags":{"b":null,"a":1}}'
    )
    expect(compiled({ a: "s", kind: { n: 1, type: "x" }, tags: {}, z: at })).toBe(
      '{"z":"2026-01-02T03:04:05.006Z","a":"s","kind":{"type":"x","n":1},"tags":{}}'
    )
  })

  it("writes JSON as JSON.stringify does: numbers, escapes, left-out values, empty shapes", () => {
    const schema = Schema.Struct({
      n: Schema.Number,
      s: Schema.String,
      b: Schema.Boolean,
      o: Schema.optionalKey(Schema.Number),
      list: Schema.Array(Schema.Struct({ x: Schema.NullOr(Schema.Number) })),
      map: Schema.Record(Schema.String, Schema.Struct({ y: Schema.String })),
      empty: Schema.Struct({ z: Schema.optionalKey(Schema.String) })
    })
    const check = same(schema)
    for (const n of [0, -0, 1.5, 1e21, -1e-7, Number.MAX_SAFE_INTEGER]) {
      check({ n, s: "quote \" back \\ \u2028 \n é \ud800", b: n > 0, list: [], map: {}, empty: {} })
    }
    check({ n: 1, s: "", b: false, o: 2, list: [{ x: null }, { x: 3 }], map: { "k\"": { y: "v" }, a: { y: "" } }, empty: { z: "z" } })
  })

  it("tells union members apart by literal unions: a repeating fixed discount keeps duration_in_months", () => {
    const value = {
      duration: "repeating" as const,
      duration_in_months: 3,
      type: "fixed" as const,
      amount: 100,
      currency: "usd",
      amounts: { usd: 100 },
      id: "00000000-0000-4000-8000-000000000001",
      name: "Three months",
      code: null
    }
    const text = JsonEncoder.compile(Wire.CheckoutDiscount)(value)
    expect(JSON.parse(text).duration_in_months).toBe(3)
    same(Wire.CheckoutDiscount)(value)
  })

  // The wire shapes derived from domain shapes (wire/Derive.ts), each on its own over values generated from it.
  const derived = {
    Address: Wire.Address,
    CheckoutOrganization: Wire.CheckoutOrganization,
    BenefitPublic: Wire.BenefitPublic,
    ProductMediaFileRead: Wire.ProductMediaFileRead,
    ProductPrice: Wire.ProductPrice,
    CustomField: Wire.CustomField,
    CheckoutDiscount: Wire.CheckoutDiscount,
    CheckoutLinkDiscount: Wire.CheckoutLinkDiscount
  }
  for (const [name, schema] of Object.entries(derived)) {
    it(`derived ${name} over generated values`, async () => {
      const check = same(schema as Schema.Codec<any, any, never, never>)
      const values = await Effect.runPromise(
        Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 40, seed: 11, size: 4 })
      )
      expect(values.length).toBe(40)
      for (const value of values) check(value)
    })
  }
})

/** `compile` as on a runtime that refuses to generate code (a strict CSP, Cloudflare Workers): `new Function` throws. */
const compiledWithoutCodeGeneration = <S extends Schema.Top>(schema: S) => {
  const original = globalThis.Function
  let refused = 0
  globalThis.Function = new Proxy(original, {
    construct: () => {
      refused++
      throw new EvalError("Code generation from strings disallowed for this context")
    }
  })
  try {
    return { write: JsonEncoder.compile(schema), refused: () => refused }
  } finally {
    globalThis.Function = original
  }
}

describe("JsonEncoder.compile on a runtime that cannot generate code", () => {
  it("writes the same bytes with its closure struct writers", () => {
    const plain = compiledWithoutCodeGeneration(Wire.Checkout)
    const publicOnly = compiledWithoutCodeGeneration(Wire.CheckoutPublic)
    // Code generation was attempted and refused, so the closure writers are the ones tested below.
    expect(plain.refused()).toBeGreaterThan(0)
    const generated = JsonEncoder.compile(Wire.Checkout)
    const generatedPublic = JsonEncoder.compile(Wire.CheckoutPublic)
    fc.assert(
      fc.property(view, (v) => {
        expect(plain.write(Responses.checkout(v))).toBe(generated(Responses.checkout(v)))
        expect(publicOnly.write(Responses.checkoutPublic(v))).toBe(generatedPublic(Responses.checkoutPublic(v)))
      }),
      { numRuns: 40 }
    )
  }, 60_000)
})

describe("JsonEncoder.rememberedAnswers keeps the answer per source value", () => {
  it("keeps the answer of a source answered twice, answers it again from memory, and writes another source anew", () => {
    const [one, two] = fc.sample(view, { numRuns: 2, seed: 7 })
    let mapped = 0
    const respond = JsonEncoder.response(Wire.CheckoutPublic, 201)
    const answer = JsonEncoder.rememberedAnswers((source: CheckoutView.CheckoutView) => {
      mapped++
      return respond(Responses.checkoutPublic(source))
    })
    const encode = Schema.encodeSync(Schema.toCodecJson(Wire.CheckoutPublic))
    const body = (r: ReturnType<typeof answer>) =>
      r.body._tag === "Uint8Array" ? r.body.text ?? new TextDecoder().decode(r.body.body) : r.body._tag
    const first = answer(one!)
    expect(mapped).toBe(1)
    // Kept from the second answer on: the first one is not held for a source that may never come back.
    const kept = answer(one!)
    expect(mapped).toBe(2)
    expect(answer(one!)).toBe(kept)
    expect(answer(one!)).toBe(kept)
    expect(mapped).toBe(2)
    expect(body(kept)).toBe(body(first))
    expect(first.status).toBe(201)
    expect(body(first)).toBe(JSON.stringify(encode(Responses.checkoutPublic(one!))))
    const second = answer(two!)
    expect(second).not.toBe(kept)
    expect(mapped).toBe(3)
    expect(body(second)).toBe(JSON.stringify(encode(Responses.checkoutPublic(two!))))
  })
})
