import { Metadata } from "@checkout-kit/domain"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Exit, Schema } from "effect"
import * as fc from "fast-check"
import * as Wire from "../src/wire/index.ts"

const decode = <S extends Schema.Codec<any, any, never, never>>(schema: S) =>
  Schema.decodeUnknownExit(Schema.toCodecJson(schema))
const ok = <A>(exit: Exit.Exit<A, unknown>): A => {
  if (Exit.isFailure(exit)) throw new Error(String(exit.cause))
  return exit.value
}

describe("AddressInput", () => {
  const address = decode(Wire.AddressInput)

  it("uppercases the country and prefixes US states and CA subdivisions", () => {
    for (const state of ["NY", "ny", "US-NY", " us-ny "]) {
      expect(ok(address({ country: "us", state })).state).toBe("US-NY")
    }
    expect(ok(address({ country: "CA", state: "qc" }))).toEqual({
      line1: null,
      line2: null,
      postal_code: null,
      city: null,
      state: "CA-QC",
      country: "CA"
    })
    expect(ok(address({ country: "DE", state: "Bavaria" })).state).toBe("Bavaria")
  })

  it("accepts all 51 US states (with DC) and 13 CA subdivisions, and nothing else for them", () => {
    assert.strictEqual(Wire.usStates.size, 51)
    assert.strictEqual(Wire.caSubdivisions.size, 13)
    for (const code of Wire.usStates) assert.isTrue(Exit.isSuccess(address({ country: "US", state: code.slice(3) })))
    for (const code of Wire.caSubdivisions) assert.isTrue(Exit.isSuccess(address({ country: "CA", state: code })))
    assert.isTrue(Exit.isFailure(address({ country: "US", state: "QC" })))
    assert.isTrue(Exit.isFailure(address({ country: "CA", state: "NY" })))
  })

  it("refuses the excluded countries, unknown codes and a null country", () => {
    for (const country of ["CU", "IR", "KP", "SY", "RU", "ru", "XX", null]) {
      assert.isTrue(Exit.isFailure(address({ country })), String(country))
    }
    assert.strictEqual(Wire.inputCountries.length, 244)
  })

  it("blank lines become null", () => {
    expect(ok(address({ country: "FR", line1: "  ", city: "", postal_code: "75001" }))).toMatchObject({
      line1: null,
      city: null,
      postal_code: "75001"
    })
  })
})

describe("request field codecs", () => {
  it.prop("blank strings decode to null, other strings are kept", [Schema.String], ([s]) => {
    const decoded = ok(decode(Wire.BlankAsNull)(s))
    return s.trim() === "" ? decoded === null : decoded === s
  }, { arbitrary: { runs: 200 } })

  it("e-mail: syntax checked, domain lowercased", () => {
    expect(ok(decode(Wire.Email)("Ada.Lovelace@Example.ORG"))).toBe("Ada.Lovelace@example.org")
    for (const bad of ["ada", "ada@", "@example.com", "ada@example", "a@b@c.com", "ada lovelace@example.com"]) {
      assert.isTrue(Exit.isFailure(decode(Wire.Email)(bad)), bad)
    }
  })

  it("http(s) URLs only; the {CHECKOUT_ID} placeholder is kept verbatim", () => {
    const url = "https://example.com/thanks?checkout_id={CHECKOUT_ID}"
    expect(ok(decode(Wire.HttpUrl)(url))).toBe(url)
    for (const bad of ["example.com", "ftp://example.com", "", "javascript:alert(1)", `https://e.com/${"a".repeat(2100)}`]) {
      assert.isTrue(Exit.isFailure(decode(Wire.HttpUrl)(bad)), bad.slice(0, 30))
    }
  })

  it("IP addresses, v4 and v6", () => {
    for (const good of ["203.0.113.7", "0.0.0.0", "::1", "2001:db8::8a2e:370:7334", "::ffff:192.0.2.1"]) {
      assert.isTrue(Exit.isSuccess(decode(Wire.IpAddress)(good)), good)
    }
    for (const bad of ["256.1.1.1", "1.2.3", "abc", "2001:db8::g", ""]) {
      assert.isTrue(Exit.isFailure(decode(Wire.IpAddress)(bad)), bad)
    }
  })

  it("locales are canonicalised when valid and kept otherwise", () => {
    expect(ok(decode(Wire.Locale)("en_gb"))).toBe("en-GB")
    expect(ok(decode(Wire.Locale)("FR"))).toBe("fr")
    expect(ok(decode(Wire.Locale)("not a locale"))).toBe("not a locale")
  })

  it("discount codes are trimmed; blank means none", () => {
    expect(ok(decode(Wire.DiscountCode)("  SAVE10 "))).toBe("SAVE10")
    expect(ok(decode(Wire.DiscountCode)("   "))).toBe(null)
    expect(ok(decode(Wire.DiscountCode)(null))).toBe(null)
  })
})

describe("list query", () => {
  const query = Schema.decodeUnknownExit(Schema.toCodecStringTree(Wire.CheckoutListQuerySchema))

  it.prop("limit is clamped to 100, never rejected when positive", [
    Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000 }))
  ], ([n]) => ok(query({ limit: String(n) })).limit === Math.min(n, 100), { arbitrary: { runs: 150 } })

  it("rejects a non-positive limit or page", () => {
    for (const bad of [{ limit: "0" }, { limit: "-3" }, { page: "0" }, { page: "1.5" }]) {
      assert.isTrue(Exit.isFailure(query(bad)), JSON.stringify(bad))
    }
  })

  it.prop("max_page is the number of pages of `limit` items", [
    Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100_000 })),
    Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))
  ], ([total, limit]) => {
    const { max_page } = Wire.makePagination(total, limit)
    return max_page * limit >= total && (max_page - 1) * limit < Math.max(total, 1)
  }, { arbitrary: { runs: 150 } })
})

describe("create bodies", () => {
  const create = decode(Wire.CheckoutCreate)
  const product = "0b7a9d3e-5f1c-4e8a-b2d4-9c6e1f3a5b20"

  it("the products variant wins when several variant keys are present", () => {
    const body = ok(create({ products: [product], product_id: product, product_price_id: product }))
    assert.isTrue("products" in body)
  })

  it("min_seats above max_seats is refused by the schema (every variant); equal bounds pass", () => {
    expect(Exit.isFailure(create({ products: [product], min_seats: 5, max_seats: 2 }))).toBe(true)
    expect(Exit.isFailure(create({ product_id: product, min_seats: 5, max_seats: 2 }))).toBe(true)
    expect(Exit.isSuccess(create({ products: [product], min_seats: 3, max_seats: 3 }))).toBe(true)
    expect(Exit.isSuccess(create({ products: [product], min_seats: 3, max_seats: null }))).toBe(true)
  })

  it("an absent key takes the reference default: every key present, in the schema's order", () => {
    const body = ok(create({ products: [product], customer_external_id: "legacy" }))
    assert.deepStrictEqual(Object.entries(body), Object.entries({
      metadata: {},
      custom_field_data: {},
      trial_interval: null,
      trial_interval_count: null,
      discount_id: null,
      allow_discount_codes: true,
      require_billing_address: false,
      amount: null,
      seats: null,
      min_seats: null,
      max_seats: null,
      units: null,
      min_units: null,
      max_units: null,
      allow_trial: true,
      customer_id: null,
      is_business_customer: false,
      external_customer_id: "legacy",
      customer_name: null,
      customer_email: null,
      customer_ip_address: null,
      customer_billing_name: null,
      customer_billing_address: null,
      customer_tax_id: null,
      customer_metadata: {},
      subscription_id: null,
      success_url: null,
      return_url: null,
      embed_origin: null,
      locale: null,
      products: [product],
      currency: null,
      prices: null
    }))
  })

  it("deprecated variants decode with the same defaults", () => {
    const single = ok(create({ product_id: product }))
    assert.isTrue("product_id" in single && !("products" in single))
    expect(single).toMatchObject({ currency: null, allow_discount_codes: true, customer_metadata: {} })
    const price = ok(create({ product_price_id: product, external_customer_id: "e1", customer_external_id: "e2" }))
    expect(price).toMatchObject({ product_price_id: product, external_customer_id: "e1" })
  })

  it("ad-hoc prices: at least one per product, with price defaults", () => {
    const body = ok(create({ products: [product], prices: { [product]: [{ amount_type: "custom" }] } }))
    assert.isTrue("prices" in body)
    if ("prices" in body) {
      expect(body.prices?.[product]).toEqual([{
        amount_type: "custom",
        price_currency: "usd",
        tax_behavior: null,
        minimum_amount: 50,
        maximum_amount: null,
        preset_amount: null
      }])
    }
    assert.isTrue(Exit.isFailure(create({ products: [product], prices: { [product]: [] } })))
    assert.isTrue(Exit.isFailure(create({ products: [product], prices: { "not-a-uuid": [{ amount_type: "custom" }] } })))
  })

  it("link create requires payment_processor 'stripe'", () => {
    const link = decode(Wire.CheckoutLinkCreate)
    assert.isTrue(Exit.isSuccess(link({ payment_processor: "stripe", products: [product, product] })))
    assert.isTrue(Exit.isFailure(link({ payment_processor: "paypal", products: [product] })))
    assert.isTrue(Exit.isFailure(link({ products: [product] })))
  })
})

describe("timestamps", () => {
  it.prop("encode as RFC 3339 UTC with a Z", [Wire.Timestamp], ([t]) => {
    const json = Schema.encodeSync(Schema.toCodecJson(Wire.Timestamp))(t)
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u.test(json as string)
  }, { arbitrary: { runs: 150 } })

  it("refuse years outside 0001–9999", () => {
    const far = DateTime.makeUnsafe(Date.UTC(10000, 0, 1))
    assert.isTrue(Exit.isFailure(Schema.encodeUnknownExit(Schema.toCodecJson(Wire.Timestamp))(far)))
  })
})

describe("list sorting (wire properties -> the port's camelCase criteria)", () => {
  it("maps each link property, with '-' for descending, in order; the default is createdAt ascending", () => {
    const query = decode(Wire.CheckoutLinkListQuerySchema)
    expect(Wire.checkoutLinkSorting(ok(query({ sorting: ["-label", "created_at", "success_url", "-allow_discount_codes"] })).sorting)).toEqual([
      { field: "label", descending: true },
      { field: "createdAt", descending: false },
      { field: "successUrl", descending: false },
      { field: "allowDiscountCodes", descending: true }
    ])
    expect(Wire.checkoutLinkSorting(ok(query({})).sorting)).toEqual([{ field: "createdAt", descending: false }])
  })

  it("maps each checkout property; the default is createdAt descending; an unknown property does not decode", () => {
    const query = decode(Wire.CheckoutListQuerySchema)
    expect(Wire.checkoutSorting(ok(query({ sorting: ["expires_at", "-status", "-created_at"] })).sorting)).toEqual([
      { field: "expiresAt", descending: false },
      { field: "status", descending: true },
      { field: "createdAt", descending: true }
    ])
    expect(Wire.checkoutSorting(ok(query({})).sorting)).toEqual([{ field: "createdAt", descending: true }])
    expect(Exit.isFailure(query({ sorting: ["label"] }))).toBe(true)
  })
})

describe("metadata input limits", () => {
  const metadata = decode(Wire.MetadataInput)
  const emoji = (n: number) => "😀".repeat(n)

  it("counts key and value lengths in code points, as the reference (pydantic) and the domain do", () => {
    expect(Exit.isSuccess(metadata({ [emoji(40)]: emoji(500) }))).toBe(true)
    expect(Exit.isFailure(metadata({ [emoji(41)]: "v" }))).toBe(true)
    expect(Exit.isFailure(metadata({ k: emoji(501) }))).toBe(true)
    expect(Exit.isFailure(metadata({ "": "v" }))).toBe(true)
    expect(Exit.isFailure(metadata({ k: "" }))).toBe(true)
  })

  it("accepts exactly what the domain's Metadata.validate accepts (property)", () => {
    const piece = fc.constantFrom("a", "😀", "é", "b")
    const text = (max: number) => fc.array(piece, { maxLength: max }).map((parts) => parts.join(""))
    fc.assert(
      fc.property(fc.dictionary(text(45), fc.oneof(text(505), fc.integer(), fc.boolean()), { maxKeys: 4 }), (map) => {
        const wire = Exit.isSuccess(metadata(map))
        const domain = Metadata.validate(map, ["metadata"]).length === 0
        expect(wire).toBe(domain)
      }),
      { numRuns: 300 }
    )
  })
})
