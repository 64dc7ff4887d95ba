import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option, Result } from "effect"
import * as CheckoutLink from "../src/CheckoutLink.ts"
import * as F from "../src/testing/Fixtures.ts"
import { makeLink } from "../src/testing/RepositoryContract.ts"

const org = F.uuidOf(0xa1)
const otherOrg = F.uuidOf(0xa2)
const readable = (id: string) => id === org

const seat2to20 = F.product({ organizationId: org, name: "Team", prices: [F.perSeat(1000, 2, 20)] })
const seat3up = F.product({ organizationId: org, name: "Open", prices: [F.perSeat(500, 3, null)] })
const fixedProduct = F.product({ organizationId: org, name: "Fixed", prices: [F.fixed(1000)] })
const recurring = F.product({ organizationId: org, name: "Monthly", prices: [F.fixed(1000)], ...F.monthly })

describe("CheckoutLink.validateProducts", () => {
  it("collects every problem with its index, in request order", () => {
    const archived = F.product({ organizationId: org, isArchived: true })
    const draft = F.product({ organizationId: org, visibility: "draft" })
    const foreign = F.product({ organizationId: otherOrg })
    const result = CheckoutLink.validateProducts(
      [
        { id: fixedProduct.id, product: Option.some(fixedProduct) },
        { id: "missing", product: Option.none() },
        { id: archived.id, product: Option.some(archived) },
        { id: draft.id, product: Option.some(draft) },
        { id: foreign.id, product: Option.some(foreign) }
      ],
      readable
    )
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.deepStrictEqual(result.failure.map((e) => [e.loc, e.msg, e.type]), [
        [["body", "products", 1], "Product does not exist.", "value_error"],
        [["body", "products", 2], "Product is archived.", "value_error"],
        [["body", "products", 3], "Product is a draft.", "value_error"],
        [["body", "products", 4], "Product does not exist.", "value_error"]
      ])
    }
  })

  it("products of several readable organizations are refused at body.products", () => {
    const foreign = F.product({ organizationId: otherOrg })
    const result = CheckoutLink.validateProducts(
      [{ id: fixedProduct.id, product: Option.some(fixedProduct) }, { id: foreign.id, product: Option.some(foreign) }],
      () => true
    )
    assert.deepStrictEqual(
      Result.isFailure(result) ? result.failure.map((e) => [e.loc, e.msg]) : null,
      [[["body", "products"], "Products must all belong to the same organization."]]
    )
  })

  it("keeps the request order of valid products", () => {
    const result = CheckoutLink.validateProducts(
      [{ id: recurring.id, product: Option.some(recurring) }, { id: fixedProduct.id, product: Option.some(fixedProduct) }],
      readable
    )
    assert.deepStrictEqual(Result.map(result, (ps) => ps.map((p) => p.id)), Result.succeed([recurring.id, fixedProduct.id]))
  })
})

describe("CheckoutLink.validatePrice", () => {
  const archivedPriceProduct = F.product({ organizationId: org, prices: [F.fixed(100, { isArchived: true })] })
  const archivedProduct = F.product({ organizationId: org, isArchived: true })
  const draftProduct = F.product({ organizationId: org, visibility: "draft" })
  const found = (product: typeof fixedProduct) => Option.some({ price: product.prices[0]!, product })
  const message = (result: Result.Result<unknown, { readonly msg: string; readonly loc: ReadonlyArray<unknown> }>) =>
    Result.isFailure(result) ? [result.failure.loc, result.failure.msg] : "ok"

  it("reports the reference messages at body.product_price_id", () => {
    const loc = ["body", "product_price_id"]
    assert.deepStrictEqual(message(CheckoutLink.validatePrice("p", Option.none(), readable)), [loc, "Price does not exist."])
    assert.deepStrictEqual(
      message(CheckoutLink.validatePrice("p", found(F.product({ organizationId: otherOrg })), readable)),
      [loc, "Price does not exist."]
    )
    assert.deepStrictEqual(message(CheckoutLink.validatePrice("p", found(archivedPriceProduct), readable)), [loc, "Price is archived."])
    assert.deepStrictEqual(message(CheckoutLink.validatePrice("p", found(archivedProduct), readable)), [loc, "Product is archived."])
    assert.deepStrictEqual(message(CheckoutLink.validatePrice("p", found(draftProduct), readable)), [loc, "Product is a draft."])
    assert.strictEqual(message(CheckoutLink.validatePrice("p", found(fixedProduct), readable)), "ok")
  })
})

describe("CheckoutLink.validateDiscount", () => {
  const msg = "Discount does not exist or is not applicable to this product."
  const check = (discount: Parameters<typeof CheckoutLink.validateDiscount>[1], products = [fixedProduct, recurring]) =>
    Result.isSuccess(CheckoutLink.validateDiscount("d", discount, org, products))

  it("accepts an unrestricted discount of the organization, even if it is not redeemable any more", () => {
    assert.isTrue(check(Option.some(F.percentageDiscount({ organizationId: org, endsAt: F.epoch, maxRedemptions: 1, redemptionsCount: 1 }))))
  })

  it("requires the restriction list to cover every link product", () => {
    assert.isTrue(check(Option.some(F.percentageDiscount({ organizationId: org, productIds: [fixedProduct.id, recurring.id, seat3up.id] }))))
    assert.isFalse(check(Option.some(F.percentageDiscount({ organizationId: org, productIds: [fixedProduct.id] }))))
  })

  it("refuses unknown and foreign discounts with the reference message", () => {
    assert.isFalse(check(Option.none()))
    const result = CheckoutLink.validateDiscount("d", Option.some(F.fixedDiscount({ organizationId: otherOrg })), org, [fixedProduct])
    assert.deepStrictEqual(Result.isFailure(result) ? [result.failure.loc, result.failure.msg, result.failure.input] : null, [
      ["body", "discount_id"],
      msg,
      "d"
    ])
  })
})

describe("CheckoutLink.validateSeatLock", () => {
  const failure = (seats: number, products: ReadonlyArray<typeof fixedProduct>) => {
    const result = CheckoutLink.validateSeatLock(seats, products)
    return Result.isFailure(result) ? [result.failure.loc, result.failure.msg] : "ok"
  }
  const loc = ["body", "seats"]

  it("accepts a lock inside every product's tier bounds", () => {
    assert.strictEqual(failure(5, [seat2to20]), "ok")
    assert.strictEqual(failure(20, [seat2to20, seat3up]), "ok")
  })

  it("requires every product to be seat-based", () => {
    const expected = [loc, "Seats can only be preconfigured when all products use seat-based pricing."]
    assert.deepStrictEqual(failure(5, [fixedProduct]), expected)
    assert.deepStrictEqual(failure(5, [seat2to20, fixedProduct]), expected)
  })

  it("names the product and its bounds when the lock is outside them", () => {
    assert.deepStrictEqual(failure(1, [seat2to20]), [loc, "Product 'Team' allows between 2 and 20 seats."])
    assert.deepStrictEqual(failure(21, [seat2to20]), [loc, "Product 'Team' allows between 2 and 20 seats."])
    assert.deepStrictEqual(failure(2, [seat2to20, seat3up]), [loc, "Product 'Open' allows between 3 and unlimited seats."])
  })

  it("ignores archived seat prices", () => {
    const archivedSeat = F.product({ organizationId: org, prices: [F.seatBased([{ minSeats: 1, maxSeats: 5, pricePerSeat: 100 }], { isArchived: true }), F.fixed(100)] })
    assert.isFalse(CheckoutLink.seatLockFits(3, [archivedSeat]))
  })
})

describe("CheckoutLink.withProducts / withoutProduct", () => {
  const base = makeLink(F.uuidOf(0xb1), org, [recurring.id], { trialInterval: "day", trialIntervalCount: 7, seats: 5 })

  it("clears trial settings when no product is recurring any more, keeps them otherwise", () => {
    const oneTime = CheckoutLink.withProducts(base, [fixedProduct])
    assert.deepStrictEqual([oneTime.trialInterval, oneTime.trialIntervalCount], [null, null])
    const stillRecurring = CheckoutLink.withProducts(base, [fixedProduct, recurring])
    assert.deepStrictEqual([stillRecurring.trialInterval, stillRecurring.trialIntervalCount], ["day", 7])
    assert.deepStrictEqual(stillRecurring.productIds, [fixedProduct.id, recurring.id])
  })

  it("drops a seat lock the new products cannot honour and keeps a compatible one", () => {
    assert.strictEqual(CheckoutLink.withProducts(base, [fixedProduct]).seats, null)
    assert.strictEqual(CheckoutLink.withProducts(base, [seat2to20]).seats, 5)
    assert.strictEqual(CheckoutLink.withProducts({ ...base, seats: 2 }, [seat3up]).seats, null)
  })

  it("archiving a product removes it; the last product's archive soft-deletes the link", () => {
    const now = DateTime.makeUnsafe("2026-02-01T00:00:00Z")
    const two = makeLink(F.uuidOf(0xb2), org, [fixedProduct.id, recurring.id])
    const kept = Option.getOrThrow(CheckoutLink.withoutProduct(two, fixedProduct.id, now))
    assert.deepStrictEqual(kept.productIds, [recurring.id])
    assert.isNull(kept.deletedAt)
    const deleted = Option.getOrThrow(CheckoutLink.withoutProduct(kept, recurring.id, now))
    assert.isTrue(deleted.deletedAt !== null && DateTime.toEpochMillis(deleted.deletedAt) === DateTime.toEpochMillis(now))
    assert.isTrue(Option.isNone(CheckoutLink.withoutProduct(two, seat3up.id, now)))
  })
})

describe("CheckoutLink.checkoutMetadata", () => {
  it("tracking values join the link metadata only when the link does not set the key", () => {
    const link = makeLink(F.uuidOf(0xb3), org, [fixedProduct.id], { metadata: { key: "value", utm_source: "link" } })
    assert.deepStrictEqual(
      CheckoutLink.checkoutMetadata(link, { reference_id: "ref", utm_campaign: "spring", utm_source: "query" }),
      { key: "value", utm_source: "link", reference_id: "ref", utm_campaign: "spring" }
    )
  })
})
