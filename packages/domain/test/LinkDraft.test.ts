/**
 * The checkout-link create decider (internal/links/LinkDraft.ts) without a store: each input form (products,
 * deprecated product id, deprecated price id), the order of refusals (products, then discount, then seat lock),
 * the defaults of a new link, and properties (an accepted draft keeps every setting it was given and names the
 * requested products; any refused product refuses the body; identity never depends on the body).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option, Result } from "effect"
import * as fc from "fast-check"
import type { CreateInput } from "../src/CheckoutLinkService.ts"
import type * as Issue from "../src/Issue.ts"
import * as LinkDraft from "../src/internal/links/LinkDraft.ts"
import * as F from "../src/testing/Fixtures.ts"

const org = F.uuidOf(0xd1)
const otherOrg = F.uuidOf(0xd2)
const unreadableOrg = F.uuidOf(0xd3)
const now = DateTime.add(F.epoch, { days: 3 })
const fixedProduct = F.product({ organizationId: org, prices: [F.fixed(1000)] })
const seated = F.product({ organizationId: org, prices: [F.perSeat(1000, 2, 20)] })
const otherSeated = F.product({ organizationId: org, prices: [F.perSeat(500, 1, 5)] })
const archived = F.product({ organizationId: org, isArchived: true })
const draftProduct = F.product({ organizationId: org, visibility: "draft" })
const foreignProduct = F.product({ organizationId: otherOrg })
const hiddenProduct = F.product({ organizationId: unreadableOrg })
const discount = F.percentageDiscount({ organizationId: org })
const narrowDiscount = F.percentageDiscount({ organizationId: org, productIds: [seated.id] })
const foreignDiscount = F.percentageDiscount({ organizationId: otherOrg })
const priceOf = (p: typeof fixedProduct) => Option.some({ price: p.prices[0]!, product: p })

const found = (o: Partial<LinkDraft.Found> = {}): LinkDraft.Found => ({
  now,
  readable: (id) => id === org || id === otherOrg,
  requested: [],
  price: Option.none(),
  discount: Option.none(),
  ...o
})
const asked = (...products: ReadonlyArray<typeof fixedProduct>) => products.map((p) => ({ id: p.id, product: Option.some(p) }))
const missing = (id: string) => ({ id, product: Option.none() })

const reasons = (r: Result.Result<LinkDraft.Draft, ReadonlyArray<Issue.Issue>>) =>
  Result.isFailure(r) ? r.failure.map((i) => [i.path.join("."), i.reason._tag].join(":")) : "ok"

describe("LinkDraft.requestedIds", () => {
  it("the products list, the deprecated product id, nothing for a price id", () => {
    assert.deepStrictEqual(LinkDraft.requestedIds({ products: [seated.id, fixedProduct.id] }), [seated.id, fixedProduct.id])
    assert.deepStrictEqual(LinkDraft.requestedIds({ productId: seated.id }), [seated.id])
    assert.deepStrictEqual(LinkDraft.requestedIds({ productPriceId: "p" }), [])
  })
})

describe("LinkDraft.make", () => {
  const cases: ReadonlyArray<[string, CreateInput, Partial<LinkDraft.Found>, "ok" | Array<string>]> = [
    ["products of the organization", { products: [fixedProduct.id, seated.id] }, { requested: asked(fixedProduct, seated) }, "ok"],
    ["the deprecated product id", { productId: seated.id }, { requested: asked(seated) }, "ok"],
    ["the deprecated price id", { productPriceId: seated.prices[0]!.id }, { price: priceOf(seated) }, "ok"],
    ["an unknown product", { products: ["x"] }, { requested: [missing("x")] }, ["products.0:ProductNotFound"]],
    ["a product the caller cannot read", { products: [hiddenProduct.id] }, { requested: asked(hiddenProduct) }, [
      "products.0:ProductNotFound"
    ]],
    ["every refused product at once", { products: ["x", archived.id, draftProduct.id] }, {
      requested: [missing("x"), ...asked(archived, draftProduct)]
    }, ["products.0:ProductNotFound", "products.1:ProductArchived", "products.2:ProductDraft"]],
    ["products of two organizations", { products: [fixedProduct.id, foreignProduct.id] }, {
      requested: asked(fixedProduct, foreignProduct)
    }, ["products:ProductsOfSeveralOrganizations"]],
    ["an unknown deprecated product id", { productId: "x" }, { requested: [missing("x")] }, ["products.0:ProductNotFound"]],
    ["an unknown price", { productPriceId: "p" }, {}, ["productPriceId:PriceNotFound"]],
    ["a price of an unreadable product", { productPriceId: "p" }, { price: priceOf(hiddenProduct) }, ["productPriceId:PriceNotFound"]],
    ["a price of an archived product", { productPriceId: "p" }, { price: priceOf(archived) }, ["productPriceId:ProductArchived"]],
    ["a discount of the organization", { products: [seated.id], discountId: discount.id }, {
      requested: asked(seated),
      discount: Option.some(discount)
    }, "ok"],
    ["a discount not found", { products: [seated.id], discountId: "d" }, { requested: asked(seated) }, [
      "discountId:LinkDiscountNotApplicable"
    ]],
    ["another organization's discount", { products: [seated.id], discountId: foreignDiscount.id }, {
      requested: asked(seated),
      discount: Option.some(foreignDiscount)
    }, ["discountId:LinkDiscountNotApplicable"]],
    ["a discount restricted to other products", { products: [seated.id, fixedProduct.id], discountId: narrowDiscount.id }, {
      requested: asked(seated, fixedProduct),
      discount: Option.some(narrowDiscount)
    }, ["discountId:LinkDiscountNotApplicable"]],
    ["a seat lock within every product's tiers", { products: [seated.id, otherSeated.id], seats: 3 }, {
      requested: asked(seated, otherSeated)
    }, "ok"],
    ["a seat lock on a product without seats", { products: [seated.id, fixedProduct.id], seats: 3 }, {
      requested: asked(seated, fixedProduct)
    }, ["seats:SeatLockNotSeatBased"]],
    ["a seat lock outside a product's tiers", { products: [seated.id, otherSeated.id], seats: 10 }, {
      requested: asked(seated, otherSeated)
    }, ["seats:SeatLockOutOfRange"]],
    ["a bad product, discount and seat lock: the products are the answer", { products: ["x"], discountId: "d", seats: 1 }, {
      requested: [missing("x")]
    }, ["products.0:ProductNotFound"]],
    ["a bad discount and seat lock: the discount is the answer", { products: [fixedProduct.id], discountId: "d", seats: 1 }, {
      requested: asked(fixedProduct)
    }, ["discountId:LinkDiscountNotApplicable"]]
  ]
  for (const [name, input, f, expected] of cases) {
    it(`${name}: ${expected === "ok" ? "accepted" : expected.join(", ")}`, () => {
      assert.deepStrictEqual(reasons(LinkDraft.make(input, found(f))), expected)
    })
  }

  it("a bare body gets the reference's defaults and the products' organization", () => {
    const r = LinkDraft.make({ products: [seated.id] }, found({ requested: asked(seated) }))
    assert.isTrue(Result.isSuccess(r))
    if (Result.isFailure(r)) return
    assert.deepStrictEqual(r.success, F.linkDraft(org, [seated.id], now))
  })

  it("identify: the drawn id and client secret, every other field of the draft unchanged", () => {
    const r = LinkDraft.make({ productPriceId: "p", label: "L" }, found({ price: priceOf(seated) }))
    assert.isTrue(Result.isSuccess(r))
    if (Result.isFailure(r)) return
    const link = LinkDraft.identify(r.success, "id-1", "polar_cl_secret")
    const { clientSecret, id, ...rest } = link
    assert.strictEqual(id, "id-1")
    assert.strictEqual(clientSecret, "polar_cl_secret")
    assert.deepStrictEqual(rest, r.success)
    assert.deepStrictEqual(link.productIds, [seated.id])
  })

  const settings: fc.Arbitrary<Omit<CreateInput, "products">> = fc.record({
    label: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
    allowDiscountCodes: fc.boolean(),
    requireBillingAddress: fc.boolean(),
    successUrl: fc.option(fc.constant("https://x.test/ok"), { nil: null }),
    returnUrl: fc.option(fc.constant("https://x.test/back"), { nil: null }),
    paymentProcessor: fc.constant("stripe" as const),
    trialInterval: fc.option(fc.constantFrom("day" as const, "month" as const), { nil: null }),
    trialIntervalCount: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
    metadata: fc.dictionary(fc.constantFrom("a", "b"), fc.string({ minLength: 1, maxLength: 5 }))
  }, { requiredKeys: [] })
  const catalog = [fixedProduct, seated, otherSeated]

  it("property: an accepted body keeps every setting it names and lists the requested products in order", () => {
    fc.assert(fc.property(settings, fc.uniqueArray(fc.constantFrom(...catalog), { minLength: 1 }), (s, products) => {
      const input = { ...s, products: [products[0]!.id, ...products.slice(1).map((p) => p.id)] as const }
      const r = LinkDraft.make(input, found({ requested: asked(...products) }))
      assert.isTrue(Result.isSuccess(r))
      if (Result.isFailure(r)) return
      for (const [key, value] of Object.entries(s)) assert.deepStrictEqual(r.success[key as keyof LinkDraft.Draft], value, key)
      assert.deepStrictEqual<ReadonlyArray<string>>(r.success.productIds, products.map((p) => p.id))
      assert.strictEqual(r.success.organizationId, org)
    }))
  })

  it("property: any unknown or archived product among the requested refuses the body at its index, whatever else it says", () => {
    const entry = fc.oneof(
      fc.constantFrom(...catalog).map((p) => ({ ok: true, found: asked(p)[0]! })),
      fc.constantFrom(archived).map((p) => ({ ok: false, found: asked(p)[0]! })),
      fc.constant({ ok: false, found: missing("x") })
    )
    fc.assert(fc.property(settings, fc.array(entry, { minLength: 1, maxLength: 5 }), fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }), (s, entries, seats) => {
      fc.pre(entries.some((e) => !e.ok))
      const ids = entries.map((e) => e.found.id)
      const input = { ...s, seats, discountId: "d", products: [ids[0]!, ...ids.slice(1)] as const }
      const r = LinkDraft.make(input, found({ requested: entries.map((e) => e.found) }))
      assert.isTrue(Result.isFailure(r))
      if (Result.isSuccess(r)) return
      const refusedAt: Array<string> = entries.flatMap((e, i) => (e.ok ? [] : [`products.${i}`]))
      assert.deepStrictEqual(r.failure.map((i) => i.path.join(".")), refusedAt)
    }))
  })
})
