/**
 * `CreateBody.sparse` must never disagree with the schema: whenever it answers, the schema decodes the same body to
 * the same value (same keys, same order); whenever the schema refuses a body, `sparse` does not answer. Bodies are
 * generated from pools of valid and invalid values for every field of `CheckoutCreate` (and unknown keys, and the
 * other variants' keys), so both the shortcut and the fallback are exercised; a last check makes sure the shortcut
 * does answer for a good share of them (otherwise agreement would be trivial).
 */
import { describe, expect, it } from "@effect/vitest"
import { Exit, Schema } from "effect"
import * as fc from "fast-check"
import * as CreateBody from "../src/CreateBody.ts"
import { CheckoutCreate } from "../src/wire/CheckoutInput.ts"

const decodeWithSchema = Schema.decodeUnknownExit(Schema.toCodecJson(CheckoutCreate))

const uuid1 = "22222222-2222-4222-8222-000000000001"
const uuid2 = "22222222-2222-4222-8222-000000000002"
const wide = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]))
const metadataPool = [
  {}, { a: "b" }, { k: 1 }, { k: 1.5 }, { k: true }, { "": "x" }, { ["x".repeat(41)]: "v" }, { k: "x".repeat(501) },
  { k: null }, { k: { nested: 1 } }, "str", null, wide, { k: 2 ** 60 }
]
const flag = [true, false, null, "true", 1]
const url = ["https://example.com/s?c={CHECKOUT_ID}", "ftp://example.com", "not a url", "", null]

/** Every field of the create variants (and a few unknown keys) with valid and invalid values. */
const pools: Record<string, ReadonlyArray<unknown>> = {
  products: [[uuid1], [uuid1], [uuid1, uuid2], [], [uuid1, uuid1], ["nope"], "x", null],
  product_id: [uuid1, uuid2, "nope", null],
  product_price_id: [uuid2, uuid1, "nope"],
  currency: ["usd", "eur", "USD", "xxx", null, 5],
  prices: [null, { [uuid1]: [{ amount_type: "fixed", price_amount: 500, price_currency: "usd" }] }, { bad: [] }, 5],
  metadata: metadataPool,
  custom_field_data: [{}, { team_size: "2-10" }, { a: null }, { a: 1 }, null, "x"],
  trial_interval: ["month", "day", "bogus", null, 1],
  trial_interval_count: [1, 1000, 0, 1001, 1.5, null, "1"],
  trial_pair: [["month", 1], ["year", 2], ["month", null], [null, null]],
  discount_id: [uuid2, "bad", null],
  allow_discount_codes: flag,
  require_billing_address: flag,
  amount: [0, 500, -1, 1.5, null, "5", 1e20],
  seats: [1, 5, 10000, 0, 10001, null, 2.5],
  min_seats: [1, 3, 0, null],
  max_seats: [2, 10, 10001, null],
  units: [1, 0, null],
  min_units: [1, null],
  max_units: [1, null],
  allow_trial: flag,
  customer_id: [uuid2, "x", null],
  is_business_customer: flag,
  external_customer_id: ["ext_1", "", null, 5],
  customer_external_id: ["ext_2", null, 7],
  customer_name: ["Ada", "  ", "", null, "x".repeat(257), 3, "x".repeat(256)],
  customer_email: ["ada@example.com", "Ada@EXAMPLE.com", "bad", "", null, 5],
  customer_ip_address: ["127.0.0.1", "::1", "999.1.1.1", null],
  customer_billing_name: ["Ada", " ", null, 1],
  customer_billing_address: [
    { country: "FR" }, { country: "US", state: "CA" }, { country: "US" }, { country: "ZZ" },
    { line1: "1 rue de Rivoli", country: "FR" }, { country: "CA", state: "QC" }, null, "FR"
  ],
  customer_tax_id: ["FR40303265045", " ", null, 5],
  customer_metadata: metadataPool,
  subscription_id: [uuid2, null, "x"],
  success_url: url,
  return_url: url,
  embed_origin: ["https://shop.example", null, 5],
  locale: ["en", "fr_FR", "!!", null],
  payment_processor: ["stripe", "paypal"],
  unknown_key: [1, "x", null]
}
const names = Object.keys(pools)

const body: fc.Arbitrary<Record<string, unknown>> = fc.tuple(
  fc.subarray(names, { minLength: 0, maxLength: 8 }),
  // Biased to each pool's first two entries, which are valid values (but for `trial_interval` alone).
  fc.array(fc.oneof(fc.constantFrom(0, 1), fc.nat()), { minLength: names.length, maxLength: names.length }),
  fc.boolean()
).map(([chosen, picks, withProducts]) => {
  const out: Record<string, unknown> = {}
  // Most bodies carry `products` (the shortcut's case); some do not (fallback only).
  const keys = withProducts && !chosen.includes("products") ? ["products", ...chosen] : chosen
  for (const key of keys) {
    const pool = pools[key]!
    const value = pool[picks[names.indexOf(key)]! % pool.length]
    if (key !== "trial_pair") out[key] = value
    else [out.trial_interval, out.trial_interval_count] = value as [unknown, unknown]
  }
  return out
})

/** Checks agreement on one body; true when the shortcut answered. */
const agrees = (input: unknown): boolean => {
  const fast = CreateBody.sparse(input)
  const full = decodeWithSchema(input)
  if (fast === undefined) return false
  if (Exit.isFailure(full)) throw new Error(`sparse answered a body the schema refuses: ${JSON.stringify(input)}`)
  expect(fast).toStrictEqual(full.value)
  expect(JSON.stringify(fast)).toBe(JSON.stringify(full.value))
  return true
}

describe("CreateBody.sparse", () => {
  it("agrees with the schema on generated bodies, and answers for a good share of them", () => {
    let answered = 0
    let total = 0
    fc.assert(fc.property(body, (input) => {
      total++
      if (agrees(input)) answered++
    }), { numRuns: 1500 })
    expect(answered / total).toBeGreaterThan(0.1)
  })

  it("answers the minimal body with every default the schema applies", () => {
    const decoded = CreateBody.sparse({ products: [uuid1] })
    expect(decoded).toBeDefined()
    expect(agrees({ products: [uuid1] })).toBe(true)
    expect(decoded).toMatchObject({
      products: [uuid1], metadata: {}, allow_discount_codes: true, require_billing_address: false, currency: null
    })
  })

  it("gives every request its own default objects", () => {
    const a = CreateBody.sparse({ products: [uuid1] })!
    const b = CreateBody.sparse({ products: [uuid1] })!
    expect(a.metadata).toStrictEqual({})
    expect(a.metadata).not.toBe(b.metadata)
    expect(a.customer_metadata).not.toBe(b.customer_metadata)
  })

  it("applies the alias as the schema does, and leaves require_billing_address as given (the domain implies it)", () => {
    expect(CreateBody.sparse({ products: [uuid1], customer_external_id: "ext" })?.external_customer_id).toBe("ext")
    expect(agrees({ products: [uuid1], customer_external_id: "ext", external_customer_id: "own" })).toBe(true)
    const street = { products: [uuid1], customer_billing_address: { line1: "1 rue de Rivoli", country: "FR" } }
    expect(CreateBody.sparse(street)?.require_billing_address).toBe(false)
    expect(agrees(street)).toBe(true)
  })

  it("leaves to the schema what it cannot decide", () => {
    for (const input of [
      null, [], "body", 42,
      {},
      { product_id: uuid1 },
      { products: ["nope"], product_id: uuid1 },
      { products: [uuid1], trial_interval: "month" },
      { products: [uuid1], seats: 0 },
      { products: [uuid1, uuid1] }
    ]) {
      expect(CreateBody.sparse(input)).toBeUndefined()
    }
  })
})
