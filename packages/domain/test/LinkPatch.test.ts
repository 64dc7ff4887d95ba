/**
 * The checkout-link update decider (internal/links/LinkPatch.ts) without a store: the order of refusals (products,
 * then discount, then seat lock), what the discount and seat lock are checked against, and properties (a body of
 * plain settings always succeeds and changes exactly the fields it names; the link's identity never changes).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option, Result } from "effect"
import * as fc from "fast-check"
import type { UpdateInput } from "../src/CheckoutLinkService.ts"
import * as LinkPatch from "../src/internal/links/LinkPatch.ts"
import * as F from "../src/testing/Fixtures.ts"
import { makeLink } from "../src/testing/RepositoryContract.ts"

const org = F.uuidOf(0xc1)
const otherOrg = F.uuidOf(0xc2)
const now = DateTime.add(F.epoch, { days: 2 })
const fixedProduct = F.product({ organizationId: org, prices: [F.fixed(1000)] })
const seated = F.product({ organizationId: org, prices: [F.perSeat(1000, 2, 20)] })
const foreignProduct = F.product({ organizationId: otherOrg, prices: [F.fixed(1000)] })
const discount = F.percentageDiscount({ organizationId: org })
const link = makeLink(F.uuidOf(0xc3), org, [fixedProduct.id])

const found = (o: Partial<LinkPatch.Found> = {}): LinkPatch.Found => ({
  now,
  readable: (id) => id === org || id === otherOrg,
  requested: [],
  current: [fixedProduct],
  discount: Option.none(),
  ...o
})
const asked = (...products: ReadonlyArray<typeof fixedProduct>) => products.map((p) => ({ id: p.id, product: Option.some(p) }))

describe("LinkPatch.apply", () => {
  it("needsCurrentProducts: only when the discount or seat lock is checked and the products stay", () => {
    assert.isTrue(LinkPatch.needsCurrentProducts({ discountId: "d" }))
    assert.isTrue(LinkPatch.needsCurrentProducts({ seats: 3 }))
    assert.isFalse(LinkPatch.needsCurrentProducts({ seats: null, discountId: null }))
    assert.isFalse(LinkPatch.needsCurrentProducts({ products: [seated.id], seats: 3 }))
  })

  const cases: ReadonlyArray<[string, UpdateInput, Partial<LinkPatch.Found>, "ok" | number]> = [
    ["new products of the organization", { products: [seated.id] }, { requested: asked(seated) }, "ok"],
    ["an unknown product", { products: ["x"] }, { requested: [{ id: "x", product: Option.none() }] }, 1],
    ["another organization's products", { products: [foreignProduct.id] }, { requested: asked(foreignProduct) }, 1],
    ["a discount not found", { discountId: "d" }, {}, 1],
    ["a discount of the organization", { discountId: discount.id }, { discount: Option.some(discount) }, "ok"],
    ["removing the discount needs no lookup", { discountId: null }, {}, "ok"],
    ["a seat lock on a product without seats", { seats: 3 }, {}, 1],
    ["a seat lock checked against the new products", { products: [seated.id], seats: 3 }, { requested: asked(seated), current: [] }, "ok"],
    ["a bad product and a bad seat lock: the product is the answer", { products: ["x"], seats: 1 }, { requested: [{ id: "x", product: Option.none() }] }, 1]
  ]
  for (const [name, input, f, expected] of cases) {
    it(`${name}: ${expected === "ok" ? "accepted" : `${expected} issue(s)`}`, () => {
      const r = LinkPatch.apply(link, input, found(f))
      if (expected === "ok") assert.isTrue(Result.isSuccess(r), JSON.stringify(Result.isFailure(r) ? r.failure : null))
      else {
        assert.isTrue(Result.isFailure(r))
        if (Result.isFailure(r)) assert.strictEqual(r.failure.length, expected)
      }
    })
  }

  it("new products replace the link's products; the seat lock and discount are stored as given", () => {
    const r = LinkPatch.apply(link, { products: [seated.id], seats: 4, discountId: null }, found({ requested: asked(seated) }))
    assert.isTrue(Result.isSuccess(r))
    if (Result.isFailure(r)) return
    assert.deepStrictEqual(r.success.productIds, [seated.id])
    assert.strictEqual(r.success.seats, 4)
    assert.isNull(r.success.discountId)
    assert.deepStrictEqual(r.success.modifiedAt, now)
  })

  it("property: a body of plain settings always succeeds and changes exactly the fields it names", () => {
    const body: fc.Arbitrary<UpdateInput> = fc.record({
      label: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
      allowDiscountCodes: fc.boolean(),
      requireBillingAddress: fc.boolean(),
      successUrl: fc.option(fc.constant("https://x.test/ok"), { nil: null }),
      returnUrl: fc.option(fc.constant("https://x.test/back"), { nil: null }),
      metadata: fc.dictionary(fc.constantFrom("a", "b"), fc.string({ minLength: 1, maxLength: 5 }))
    }, { requiredKeys: [] })
    fc.assert(fc.property(body, (input) => {
      const r = LinkPatch.apply(link, input, found())
      assert.isTrue(Result.isSuccess(r))
      if (Result.isFailure(r)) return
      const next = r.success
      for (const key of Object.keys(link) as Array<keyof typeof link>) {
        if (key === "modifiedAt") continue
        const named = key in input
        assert.deepStrictEqual(next[key], named ? (input as Record<string, unknown>)[key] : link[key], key)
      }
      assert.strictEqual(next.version, link.version)
    }))
  })
})
