/**
 * The update decider (internal/checkout/CheckoutPatch.ts) without a store: what each writer (organization, buyer,
 * confirm) may change, the discount it names and how it is validated, and properties over arbitrary bodies (an empty
 * body changes nothing; a buyer never changes the organization's settings; `apply` fails exactly when `decide`
 * collected issues).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option, Result } from "effect"
import * as fc from "fast-check"
import type * as Checkout from "../src/Checkout.ts"
import type * as Discount from "../src/Discount.ts"
import * as CheckoutPatch from "../src/internal/checkout/CheckoutPatch.ts"
import type { Loaded, Mode, Patch } from "../src/internal/checkout/Kit.ts"
import { selectionOf } from "../src/internal/checkout/Rules.ts"
import * as Fixtures from "../src/testing/Fixtures.ts"

const org = Fixtures.organization()
const field = Fixtures.customField({ organizationId: org.id, slug: "size" })
const product = Fixtures.product({ organizationId: org.id, prices: [Fixtures.fixed(1000), Fixtures.fixed(900, { currency: "eur" })] })
const requiring = Fixtures.product({ organizationId: org.id, attachedCustomFields: [Fixtures.attach(field, true)] })
const now = DateTime.add(Fixtures.epoch, { hours: 1 })

const loadedWith = (fields: Partial<Checkout.Checkout> = {}, p = product, discount: Discount.Discount | null = null): Loaded => ({
  checkout: Fixtures.checkout({
    organizationId: org.id,
    productIds: [p.id],
    productId: p.id,
    productPriceId: p.prices[0]!.id,
    discountId: discount?.id ?? null,
    ...fields
  }),
  organization: org,
  products: [p],
  discount
})

const decide = (loaded: Loaded, patch: Patch, mode: Mode, found: Discount.Discount | null = null) =>
  CheckoutPatch.decide({
    loaded,
    current: selectionOf(loaded),
    patch,
    mode,
    now,
    foundDiscount: Option.fromNullishOr(found)
  })

const apply = (loaded: Loaded, patch: Patch, mode: Mode, found: Discount.Discount | null = null) =>
  CheckoutPatch.apply({ loaded, current: selectionOf(loaded), patch, mode, now, foundDiscount: Option.fromNullishOr(found) })

describe("CheckoutPatch.policies: what each writer may change", () => {
  const settingsBody: Patch = {
    metadata: { a: "1" },
    customerMetadata: { b: "2" },
    allowDiscountCodes: false,
    requireBillingAddress: true,
    customerIpAddress: "127.0.0.1",
    successUrl: "https://x.test/ok",
    returnUrl: "https://x.test/back",
    embedOrigin: "https://x.test"
  }
  const cases: ReadonlyArray<[Mode, boolean]> = [["org", true], ["client", false], ["confirm", false]]
  for (const [mode, changes] of cases) {
    it(`${mode}: the organization's settings ${changes ? "are" : "are not"} taken`, () => {
      const loaded = loadedWith()
      const d = decide(loaded, settingsBody, mode)
      assert.deepStrictEqual(d.issues, [])
      for (const key of CheckoutPatch.SETTINGS) {
        assert.deepStrictEqual(d.draft[key], changes ? settingsBody[key] : loaded.checkout[key], key)
      }
    })
  }

  const methodCases: ReadonlyArray<[Mode, string | null]> = [["org", null], ["client", "card"], ["confirm", "card"]]
  for (const [mode, expected] of methodCases) {
    it(`${mode}: the payment method type is ${expected === null ? "ignored" : "taken"}`, () => {
      assert.strictEqual(decide(loadedWith(), { paymentMethodType: "card" }, mode).draft.paymentMethodType, expected)
    })
  }

  const trialCases: ReadonlyArray<[Mode, boolean, boolean, boolean]> = [
    ["org", false, true, true],
    ["org", true, false, false],
    ["client", false, true, false],
    ["client", true, false, false],
    ["confirm", false, true, false],
    ["client", true, true, true]
  ]
  for (const [mode, stored, sent, expected] of trialCases) {
    it(`${mode}: allowTrial ${stored} -> sent ${sent} gives ${expected}`, () => {
      assert.strictEqual(decide(loadedWith({ allowTrial: stored }), { allowTrial: sent }, mode).draft.allowTrial, expected)
    })
  }

  it("custom fields: merged on update (required not enforced), replaced and enforced on confirm", () => {
    const loaded = loadedWith({ customFieldData: { size: "M" } }, requiring)
    assert.deepStrictEqual(decide(loaded, {}, "client").issues, [])
    assert.deepStrictEqual(decide(loaded, { customFieldData: {} }, "client").draft.customFieldData, { size: "M" })
    assert.strictEqual(decide(loaded, {}, "confirm").issues.length, 1)
    assert.deepStrictEqual(decide(loaded, { customFieldData: { size: "L" } }, "confirm").draft.customFieldData, { size: "L" })
  })
})

describe("CheckoutPatch: the discount a body names", () => {
  const discount = Fixtures.percentageDiscount({ organizationId: org.id, code: "SAVE" })
  const foreign = Fixtures.percentageDiscount({ organizationId: Fixtures.uuid(), code: "SAVE" })

  const refCases: ReadonlyArray<[string, Partial<Checkout.Checkout>, Patch, Mode, CheckoutPatch.DiscountRef | null]> = [
    ["org names an id", {}, { discountId: "d1" }, "org", { id: "d1" }],
    ["org removes (null id): nothing to look up", {}, { discountId: null }, "org", null],
    ["org ignores a code", {}, { discountCode: "SAVE" }, "org", null],
    ["buyer's code is trimmed", {}, { discountCode: "  SAVE " }, "client", { code: "SAVE" }],
    ["buyer's id is ignored", {}, { discountId: "d1" }, "client", null],
    ["buyer's code when codes are off", { allowDiscountCodes: false }, { discountCode: "SAVE" }, "confirm", null],
    ["buyer's empty code", {}, { discountCode: "" }, "client", null]
  ]
  for (const [name, fields, patch, mode, expected] of refCases) {
    it(`discountRef: ${name}`, () => {
      assert.deepStrictEqual(CheckoutPatch.discountRef(loadedWith(fields).checkout, patch, mode), expected)
    })
  }

  it("a found discount of the organization is applied; none found, or another organization's, is one issue", () => {
    const ok = apply(loadedWith(), { discountCode: "SAVE" }, "client", discount)
    assert.isTrue(Result.isSuccess(ok))
    if (Result.isSuccess(ok)) {
      assert.strictEqual(ok.success.draft.discountId, discount.id)
      assert.strictEqual(ok.success.selection.discount, discount)
    }
    for (const found of [null, foreign]) {
      const refused = apply(loadedWith(), { discountId: discount.id }, "org", found)
      assert.isTrue(Result.isFailure(refused))
      if (Result.isFailure(refused)) assert.strictEqual(refused.failure.length, 1)
    }
  })

  it("an explicit null id (org) or an empty code (buyer) removes the discount; a code is ignored when codes are off", () => {
    assert.isNull(decide(loadedWith({}, product, discount), { discountId: null }, "org").draft.discountId)
    assert.isNull(decide(loadedWith({}, product, discount), { discountCode: " " }, "client").draft.discountId)
    const off = decide(loadedWith({ allowDiscountCodes: false }, product, discount), { discountCode: "" }, "client")
    assert.strictEqual(off.draft.discountId, discount.id)
  })
})

describe("CheckoutPatch: selection", () => {
  it("an unknown product, an unknown price, a currency the product lacks: one issue each, apply fails", () => {
    for (const patch of [{ productId: Fixtures.uuid() }, { productId: product.id, productPriceId: "nope" }, { currency: "gbp" }]) {
      const d = decide(loadedWith(), patch, "org")
      assert.strictEqual(d.issues.length, 1, JSON.stringify(patch))
      assert.isTrue(Result.isFailure(apply(loadedWith(), patch, "org")))
    }
  })

  it("a currency change selects that currency's price set", () => {
    const d = decide(loadedWith(), { currency: "eur" }, "org")
    assert.deepStrictEqual(d.issues, [])
    assert.strictEqual(d.draft.currency, "eur")
    assert.strictEqual(d.draft.productPriceId, product.prices[1]!.id)
    assert.strictEqual(d.selection.selectedPrice?.id, product.prices[1]!.id)
  })
})

describe("CheckoutPatch properties", () => {
  const mode = fc.constantFrom<Mode>("org", "client", "confirm")
  const stored = fc.record({
    allowTrial: fc.boolean(),
    allowDiscountCodes: fc.boolean(),
    requireBillingAddress: fc.boolean(),
    successUrl: fc.option(fc.constantFrom("https://a.test", "https://b.test"), { nil: null }),
    metadata: fc.dictionary(fc.constantFrom("a", "b"), fc.string({ maxLength: 5 })),
    customerName: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null }),
    locale: fc.option(fc.constantFrom("en", "fr"), { nil: null })
  })
  const body: fc.Arbitrary<Patch> = fc.record({
    metadata: fc.dictionary(fc.constantFrom("x", "y"), fc.string({ maxLength: 5 })),
    allowDiscountCodes: fc.boolean(),
    requireBillingAddress: fc.boolean(),
    successUrl: fc.option(fc.constant("https://c.test"), { nil: null }),
    returnUrl: fc.option(fc.constant("https://d.test"), { nil: null }),
    customerIpAddress: fc.option(fc.constant("127.0.0.1"), { nil: null }),
    allowTrial: fc.boolean(),
    customerName: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
    locale: fc.option(fc.constantFrom("en", "de"), { nil: null }),
    currency: fc.constantFrom("usd", "eur", "gbp"),
    discountCode: fc.option(fc.constantFrom("", "SAVE"), { nil: null }),
    discountId: fc.option(fc.constant("d1"), { nil: null })
  }, { requiredKeys: [] })

  it("property: an empty body changes nothing and raises nothing, for every writer", () => {
    fc.assert(fc.property(stored, mode, (fields, m) => {
      const loaded = loadedWith(fields)
      const d = decide(loaded, {}, m)
      assert.deepStrictEqual(d.issues, [])
      assert.deepStrictEqual(d.draft, loaded.checkout)
    }))
  })

  it("property: a buyer (update or confirm) never changes the organization's settings", () => {
    fc.assert(fc.property(stored, body, fc.constantFrom<Mode>("client", "confirm"), (fields, patch, m) => {
      const loaded = loadedWith(fields)
      const d = decide(loaded, patch, m)
      for (const key of CheckoutPatch.SETTINGS) assert.deepStrictEqual(d.draft[key], loaded.checkout[key], key)
      if (loaded.checkout.allowTrial === false) assert.isFalse(d.draft.allowTrial)
    }))
  })

  it("property: apply succeeds exactly when decide collected no issue, with the same draft; the identity fields stay", () => {
    fc.assert(fc.property(stored, body, mode, (fields, patch, m) => {
      const loaded = loadedWith(fields)
      const d = decide(loaded, patch, m)
      const r = apply(loaded, patch, m)
      assert.strictEqual(Result.isSuccess(r), d.issues.length === 0)
      if (Result.isSuccess(r)) assert.deepStrictEqual(r.success.draft, d.draft)
      else assert.deepStrictEqual(r.failure, d.issues)
      assert.strictEqual(d.draft.id, loaded.checkout.id)
      assert.strictEqual(d.draft.organizationId, loaded.checkout.organizationId)
      assert.strictEqual(d.draft.clientSecret, loaded.checkout.clientSecret)
      assert.strictEqual(d.draft.version, loaded.checkout.version)
    }))
  })
})
