/** The redirect query of a checkout link: prefill parsing, tracking keys and the forwarded URL (spec 4.3). */
import { assert, describe, it } from "@effect/vitest"
import * as LinkRedirect from "../src/LinkRedirect.ts"

describe("LinkRedirect (the redirect query, moved from the domain)", () => {
  it("parseQueryAmount reads int(float(x)): decimals and exponents truncate, garbage is ignored", () => {
    const table: ReadonlyArray<readonly [string | null, number | null]> = [
      ["1000", 1000],
      ["0", 0],
      ["1000.9", 1000],
      ["1e3", 1000],
      [" 250 ", 250],
      ["-5.5", -5],
      [".5", 0],
      ["abc", null],
      ["", null],
      ["NaN", null],
      ["Infinity", null],
      ["1e400", null],
      ["10,5", null],
      [null, null]
    ]
    for (const [raw, expected] of table) {
      assert.strictEqual(LinkRedirect.parseQueryAmount(raw), expected, String(raw))
    }
  })

  it("a repeated parameter counts with its last value", () => {
    assert.strictEqual(LinkRedirect.queryValue({ a: ["1", "2"] }, "a"), "2")
    assert.strictEqual(LinkRedirect.queryValue({ a: "1" }, "a"), "1")
    assert.isNull(LinkRedirect.queryValue({ a: [] }, "a"))
    assert.isNull(LinkRedirect.queryValue({}, "a"))
  })

  it("custom_field_data.<slug> parameters become raw custom field data", () => {
    assert.deepStrictEqual(
      LinkRedirect.queryCustomFieldData({ "custom_field_data.size": "L", "custom_field_data.": "x", other: "y", "custom_field_data.n": ["1", "2"] }),
      { size: "L", n: "2" }
    )
  })

  it("tracking keys become the prefill's tracking; other keys do not", () => {
    assert.deepStrictEqual(
      LinkRedirect.queryTracking({ reference_id: "ref", utm_campaign: "spring", utm_source: ["a", "query"], disallowed_key: "x", other: "y" }),
      { reference_id: "ref", utm_source: "query", utm_campaign: "spring" }
    )
  })

  it("prefillOf reads every prefill key (last value wins) and leaves absent ones null", () => {
    assert.deepStrictEqual(
      LinkRedirect.prefillOf({
        embed_origin: "https://example.com",
        product_id: ["p1", "p2"],
        amount: "3000.9",
        customer_email: "a@example.com",
        customer_name: "Ada",
        discount_code: "SPRING",
        "custom_field_data.company": "X",
        utm_campaign: "spring",
        ref: "newsletter"
      }),
      {
        embedOrigin: "https://example.com",
        productId: "p2",
        amount: 3000,
        discountCode: "SPRING",
        customerEmail: "a@example.com",
        customerName: "Ada",
        customFieldData: { company: "X" },
        tracking: { utm_campaign: "spring" }
      }
    )
    assert.deepStrictEqual(LinkRedirect.prefillOf({ amount: "lots" }), {
      embedOrigin: null,
      productId: null,
      amount: null,
      discountCode: null,
      customerEmail: null,
      customerName: null,
      customFieldData: {},
      tracking: {}
    })
  })

  it("the redirect forwards tracking parameters and drops consumed ones", () => {
    const query = {
      embed_origin: "https://example.com",
      customer_email: "a@example.com",
      amount: "10",
      "custom_field_data.company": "X",
      utm_campaign: "spring",
      ref: "newsletter"
    }
    assert.strictEqual(LinkRedirect.redirectUrl("https://pay.example/checkout/polar_c_x", query), "https://pay.example/checkout/polar_c_x?utm_campaign=spring&ref=newsletter")
    assert.strictEqual(LinkRedirect.redirectUrl("https://pay.example/checkout/polar_c_x", { embed_origin: "*" }), "https://pay.example/checkout/polar_c_x")
  })

  it("redirect URL forwards every parameter except embed_origin, the prefill keys and custom field data", () => {
    const url = LinkRedirect.redirectUrl("https://pay.example/checkout/polar_c_abc", {
      embed_origin: "https://x.com",
      product_id: "p",
      amount: "1000",
      customer_email: "a@b.c",
      customer_name: "A",
      discount_code: "X",
      locale: "fr",
      "custom_field_data.size": "L",
      utm_campaign: "spring sale",
      reference_id: "r&1",
      theme: ["light", "dark"]
    })
    assert.strictEqual(url, "https://pay.example/checkout/polar_c_abc?utm_campaign=spring%20sale&reference_id=r%261&theme=dark")
    assert.strictEqual(LinkRedirect.redirectUrl("https://pay.example/c", { amount: "1" }), "https://pay.example/c")
  })
})
