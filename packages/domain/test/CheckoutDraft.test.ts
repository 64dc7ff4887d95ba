/**
 * The create deciders (internal/checkout/CheckoutDraft.ts, linkDraft.ts) without a store: a create body decided
 * against what the load phase found (table: the product reference, the customer, the discount, seats, every issue at
 * once), a link checkout's lenient prefills, `build`'s customer prefill, and properties (a valid body always plans a
 * checkout in its price set's currency; `fromLink` never refuses a prefill, only a link without products).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option, Result } from "effect"
import * as fc from "fast-check"
import type { CreateInput, FromLinkInput } from "../src/CheckoutService.ts"
import type * as Discount from "../src/Discount.ts"
import * as CheckoutDraft from "../src/internal/checkout/CheckoutDraft.ts"
import * as Fixtures from "../src/testing/Fixtures.ts"

const org = Fixtures.organization()
const blocked = Fixtures.organization({ isBlocked: true })
const now = DateTime.add(Fixtures.epoch, { hours: 1 })
const product = Fixtures.product({ organizationId: org.id, prices: [Fixtures.fixed(1000), Fixtures.fixed(900, { currency: "eur" })] })
const seated = Fixtures.product({ organizationId: org.id, prices: [Fixtures.perSeat(500, 2, 10)] })
const archived = Fixtures.product({ organizationId: org.id, isArchived: true })
const foreign = Fixtures.product({ organizationId: Fixtures.uuid() })
const discount = Fixtures.percentageDiscount({ organizationId: org.id, code: "SAVE" })
const buyer = Fixtures.customer({ organizationId: org.id, email: "b@example.com", name: "Bea", billingName: "Bea Ltd" })

const found = (o: Partial<CheckoutDraft.Found> = {}): CheckoutDraft.Found => ({
  now,
  organization: Option.some(org),
  selection: { _tag: "Product", id: product.id, found: Option.some(product) },
  customer: Option.none(),
  discount: Option.none(),
  ...o
})

const issuesOf = (r: Result.Result<CheckoutDraft.Plan, ReadonlyArray<unknown>>) => (Result.isFailure(r) ? r.failure.length : 0)

describe("CheckoutDraft.make", () => {
  it("selectionRef and customerRef name what the load phase asks for", () => {
    assert.strictEqual(CheckoutDraft.selectionRef({ products: ["a"], productId: "b" }), "Products")
    assert.strictEqual(CheckoutDraft.selectionRef({ productId: "b", productPriceId: "c" }), "Product")
    assert.strictEqual(CheckoutDraft.selectionRef({ productPriceId: "c" }), "Price")
    assert.strictEqual(CheckoutDraft.selectionRef({}), "Missing")
    assert.deepStrictEqual(CheckoutDraft.customerRef({ customerId: "c", externalCustomerId: "e" }), { id: "c" })
    assert.deepStrictEqual(CheckoutDraft.customerRef({ customerId: null, externalCustomerId: "e" }), { externalId: "e" })
    assert.isNull(CheckoutDraft.customerRef({ externalCustomerId: null }))
  })

  const cases: ReadonlyArray<[string, CreateInput, Partial<CheckoutDraft.Found>, number]> = [
    ["a product by id", { productId: product.id }, {}, 0],
    ["no product reference", {}, { selection: { _tag: "Missing" } }, 1],
    ["an unknown product", { productId: "x" }, { selection: { _tag: "Product", id: "x", found: Option.none() } }, 1],
    ["an archived product", { productId: archived.id }, { selection: { _tag: "Product", id: archived.id, found: Option.some(archived) } }, 1],
    ["another organization's product", { productId: foreign.id }, { selection: { _tag: "Product", id: foreign.id, found: Option.some(foreign) } }, 1],
    ["a blocked organization's own product", { productId: product.id }, { organization: Option.some(blocked) }, 1],
    [
      "a list with a duplicate and an unknown id: the unknown one (unique ids are the input schema's rule)",
      { products: [product.id, product.id, "x"] },
      { selection: { _tag: "Products", ids: [product.id, product.id, "x"], found: [Option.some(product), Option.some(product), Option.none()] } },
      1
    ],
    ["a currency the product lacks", { productId: product.id, currency: "gbp" }, {}, 1],
    // min <= max is the input schema's rule; the domain still refuses the default seats outside the bounds.
    ["min seats above max seats, on a seat product", { productId: seated.id, minSeats: 5, maxSeats: 3 }, { selection: { _tag: "Product", id: seated.id, found: Option.some(seated) } }, 1],
    // Both trial keys or neither is the input schema's rule, not the domain's: no trial is applied.
    ["a trial interval without its count", { productId: product.id, trialInterval: "month" }, {}, 0],
    ["a discount id that was not found", { productId: product.id, discountId: "d" }, {}, 1],
    ["an unknown customer id", { productId: product.id, customerId: "c" }, {}, 1],
    ["an unknown external customer id is no problem", { productId: product.id, externalCustomerId: "e" }, {}, 0],
    ["a bad e-mail and bad metadata: both reported", { productId: product.id, customerEmail: "nope", metadata: { ["k".repeat(50)]: "v" } }, {}, 2]
  ]
  for (const [name, input, f, expected] of cases) {
    it(`${name}: ${expected} issue(s)`, () => {
      assert.strictEqual(issuesOf(CheckoutDraft.make(input, found(f))), expected)
    })
  }

  it("a valid body: the selection, the currency asked for, the found discount and customer", () => {
    const r = CheckoutDraft.make(
      { productId: product.id, currency: "eur", discountId: discount.id, customerId: buyer.id, isBusinessCustomer: false },
      found({ discount: Option.some(discount), customer: Option.some(buyer) })
    )
    assert.isTrue(Result.isSuccess(r))
    if (Result.isFailure(r)) return
    const plan = r.success
    assert.strictEqual(plan.selection.priceSet?.currency, "eur")
    assert.strictEqual(plan.selection.selectedPrice?.id, product.prices[1]!.id)
    assert.strictEqual(plan.selection.discount, discount)
    assert.strictEqual(plan.customer, buyer)
    assert.isTrue(plan.requestSetBusiness)
    assert.strictEqual(plan.fields.currency, "eur")
  })

  it("seats default to the minimum of the request on a seat product", () => {
    const r = CheckoutDraft.make(
      { productId: seated.id, minSeats: 3 },
      found({ selection: { _tag: "Product", id: seated.id, found: Option.some(seated) } })
    )
    assert.isTrue(Result.isSuccess(r))
    if (Result.isSuccess(r)) assert.deepStrictEqual([r.success.seats, r.success.minSeats, r.success.maxSeats], [3, 3, null])
  })
})

describe("CheckoutDraft.build", () => {
  const identity = { id: Fixtures.uuid(), clientSecret: "polar_c_x", expiresAt: DateTime.add(now, { hours: 1 }), publishableKey: "pk_1" }

  it("prefills from the linked customer without overwriting what the body gave", () => {
    const r = CheckoutDraft.make(
      { productId: product.id, customerId: buyer.id, customerName: "Given" },
      found({ customer: Option.some(buyer) })
    )
    assert.isTrue(Result.isSuccess(r))
    if (Result.isFailure(r)) return
    const c = CheckoutDraft.build(r.success, identity)
    assert.strictEqual(c.id, identity.id)
    assert.strictEqual(c.customerId, buyer.id)
    assert.strictEqual(c.customerEmail, "b@example.com")
    assert.strictEqual(c.customerName, "Given")
    assert.strictEqual(c.customerBillingName, "Bea Ltd")
    assert.deepStrictEqual(c.paymentProcessorMetadata, { publishable_key: "pk_1" })
    assert.strictEqual(c.productPriceId, product.prices[0]!.id)
    assert.isNull(c.trialEnd)
  })
})

describe("CheckoutDraft.fromLink", () => {
  const link = (o: Partial<FromLinkInput> = {}): FromLinkInput => Fixtures.fromLinkInput(org, [product], o)
  const none = { now, byCode: Option.none<Discount.Discount>(), byId: Option.none<Discount.Discount>() }

  it("linkDiscountCode: trimmed, and none when codes are off or the code is empty", () => {
    assert.strictEqual(CheckoutDraft.linkDiscountCode(link({ discountCode: " SAVE " })), "SAVE")
    assert.isNull(CheckoutDraft.linkDiscountCode(link({ discountCode: "SAVE", allowDiscountCodes: false })))
    assert.isNull(CheckoutDraft.linkDiscountCode(link({ discountCode: "  " })))
  })

  it("a link without an available product is refused", () => {
    assert.strictEqual(issuesOf(CheckoutDraft.fromLink(link({ products: [archived] }), none)), 1)
  })

  it("a valid code wins over the link's discount id; an invalid one falls back to it", () => {
    const other = Fixtures.fixedDiscount({ organizationId: org.id })
    const both = { now, byCode: Option.some(discount), byId: Option.some(other) }
    const r1 = CheckoutDraft.fromLink(link({ discountCode: "SAVE", discountId: other.id }), both)
    assert.isTrue(Result.isSuccess(r1) && r1.success.selection.discount === discount)
    const r2 = CheckoutDraft.fromLink(link({ discountCode: "SAVE", discountId: other.id }), { ...both, byCode: Option.none() })
    assert.isTrue(Result.isSuccess(r2) && r2.success.selection.discount === other)
  })

  it("a seat lock that no longer fits the tiers falls back to the minimum", () => {
    const r = CheckoutDraft.fromLink(link({ products: [seated], seatLock: 50 }), none)
    assert.isTrue(Result.isSuccess(r))
    if (Result.isSuccess(r)) assert.deepStrictEqual([r.success.seats, r.success.minSeats], [2, null])
  })

  it("property: prefills never make a link checkout fail; invalid ones are dropped", () => {
    fc.assert(fc.property(
      fc.option(fc.integer({ min: -5, max: 100 }), { nil: null }),
      fc.option(fc.integer({ min: -100, max: 100_000 }), { nil: null }),
      fc.option(fc.constantFrom("a@example.com", "not-an-email", ""), { nil: null }),
      fc.option(fc.constantFrom("SAVE", " ", "OTHER"), { nil: null }),
      fc.boolean(),
      (seatLock, amount, customerEmail, discountCode, seatedLink) => {
        const r = CheckoutDraft.fromLink(
          link({ products: [seatedLink ? seated : product], seatLock, amount, customerEmail, discountCode }),
          none
        )
        assert.isTrue(Result.isSuccess(r))
        if (Result.isFailure(r)) return
        const plan = r.success
        assert.isNull(plan.selection.discount)
        if (customerEmail !== "a@example.com") assert.isNull(plan.fields.customerEmail)
        if (seatedLink) assert.isTrue(plan.seats !== null && plan.seats >= 2 && plan.seats <= 10)
        else assert.isNull(plan.seats)
      }
    ))
  })
})

describe("CheckoutDraft properties", () => {
  it("property: a body naming an available product in a currency it has plans a checkout in that currency", () => {
    fc.assert(fc.property(
      fc.constantFrom<string | null>(null, "usd", "eur"),
      fc.option(fc.constantFrom("Ann", ""), { nil: undefined }),
      fc.option(fc.dictionary(fc.constantFrom("a", "b"), fc.string({ minLength: 1, maxLength: 10 })), { nil: undefined }),
      (currency, customerName, metadata) => {
        const input: CreateInput = {
          productId: product.id,
          currency,
          ...(customerName === undefined ? {} : { customerName }),
          ...(metadata === undefined ? {} : { metadata })
        }
        const r = CheckoutDraft.make(input, found())
        assert.isTrue(Result.isSuccess(r))
        if (Result.isFailure(r)) return
        assert.strictEqual(r.success.fields.currency, currency ?? org.defaultPresentmentCurrency)
        assert.strictEqual(r.success.selection.product, product)
        assert.strictEqual(r.success.fields.customerName, customerName === "" || customerName === undefined ? null : customerName)
      }
    ))
  })

  it("property: an organization that is missing or blocked reads no product: always refused", () => {
    fc.assert(fc.property(fc.constantFrom(Option.none(), Option.some(blocked)), fc.boolean(), (organization, byList) => {
      const selection: CheckoutDraft.FoundSelection = byList
        ? { _tag: "Products", ids: [product.id], found: [Option.some(product)] }
        : { _tag: "Product", id: product.id, found: Option.some(product) }
      assert.isTrue(Result.isFailure(CheckoutDraft.make({ productId: product.id }, found({ organization, selection }))))
    }))
  })
})
