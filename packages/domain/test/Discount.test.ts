/** Discount rules of spec 3.4 and the reference's discount tests (spec 7.6), named after them. */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import * as Discount from "../src/Discount.ts"
import * as Issue from "../src/Issue.ts"
import {
  fixed,
  fixedDiscount,
  free,
  metered,
  NOW,
  ORG_ID,
  OTHER_ORG_ID,
  OTHER_PRODUCT_ID,
  percentageDiscount,
  product,
  PRODUCT_ID
} from "./Fixtures.ts"

const days = (n: number) => DateTime.add(NOW, { days: n })

describe("TestDiscountFixedAllocateDiscountAmounts", () => {
  const usd = (amount: number) => fixedDiscount({ usd: amount })
  it("test_distributes_proportionally: 1500 over [1000, 1000] -> [750, 750]", () => {
    expect(Discount.allocateFixed(usd(1500), [1000, 1000], "usd")).toEqual([750, 750])
  })
  it("test_uneven_proportions: 750 over [300, 1200] -> [150, 600]", () => {
    expect(Discount.allocateFixed(usd(750), [300, 1200], "usd")).toEqual([150, 600])
  })
  it("test_discount_larger_than_total: 2500 over [1000, 1000] -> capped [1000, 1000]", () => {
    expect(Discount.allocateFixed(usd(2500), [1000, 1000], "usd")).toEqual([1000, 1000])
  })
  it("test_zero_discount: 0 -> zeros", () => {
    expect(Discount.allocateFixed(usd(0), [1000, 1000], "usd")).toEqual([0, 0])
  })
  it("test_single_amount: [1000] -> [1000], [2000] -> [1500]", () => {
    expect(Discount.allocateFixed(usd(1500), [1000], "usd")).toEqual([1000])
    expect(Discount.allocateFixed(usd(1500), [2000], "usd")).toEqual([1500])
  })
  it("test_rounding_leftover_goes_to_largest_remainder: 100 over [100, 200] -> [33, 67]", () => {
    expect(Discount.allocateFixed(usd(100), [100, 200], "usd")).toEqual([33, 67])
  })
  it("test_empty: [] -> []", () => {
    expect(Discount.allocateFixed(usd(1500), [], "usd")).toEqual([])
  })
  it.each([
    [500, [1000, 1000]],
    [1500, [1000, 1000]],
    [2500, [1000, 1000]],
    [0, [1000, 1000]],
    [750, [300, 1200]]
  ])("test_reconciliation_identity: %d over %j sums to the discount of the total", (amount, amounts) => {
    const discount = usd(amount)
    const parts = Discount.allocateFixed(discount, amounts, "usd")
    expect(parts.reduce((a, b) => a + b, 0)).toBe(Discount.discountAmount(discount, amounts.reduce((a, b) => a + b, 0), "usd"))
  })
  it("parts sum to the discount of the total and none exceeds its amount (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 6 }), (a, amounts) => {
        const discount = usd(a)
        const parts = Discount.allocateFixed(discount, amounts, "usd")
        const total = amounts.reduce((x, y) => x + y, 0)
        expect(parts.reduce((x, y) => x + y, 0)).toBe(total === 0 ? 0 : Discount.discountAmount(discount, total, "usd"))
        parts.forEach((p, i) => expect(p).toBeLessThanOrEqual(amounts[i]!))
      }),
      { numRuns: 200 }
    )
  })
})

describe("TestDiscountPercentageAllocateDiscountAmounts", () => {
  it("test_independent_distribution: 10 % of [1000, 2000] -> [100, 200]", () => {
    expect(Discount.allocatePercentage(percentageDiscount(1000), [1000, 2000])).toEqual([100, 200])
  })
  it("test_matches_per_amount_get_discount_amount: 25 % per amount", () => {
    const d = percentageDiscount(2500)
    expect(Discount.allocatePercentage(d, [1000, 333])).toEqual([1000, 333].map((a) => Discount.discountAmount(d, a, "usd")))
    expect(Discount.allocatePercentage(d, [1000, 333])).toEqual([250, 83])
  })
  it("test_accepted_rounding_drift: 33.33 % of [100, 100] -> [33, 33] while 200 -> 67", () => {
    const d = percentageDiscount(3333)
    expect(Discount.allocatePercentage(d, [100, 100])).toEqual([33, 33])
    expect(Discount.discountAmount(d, 200, "usd")).toBe(67)
  })
  it("test_empty: [] -> []", () => {
    expect(Discount.allocate(percentageDiscount(1000), [], "usd")).toEqual([])
  })
})

describe("TestIsRedeemableDiscount", () => {
  it("test_not_started: starts_at in the future -> false", () => {
    expect(Discount.isRedeemable(percentageDiscount(1000, { startsAt: days(1) }), NOW)).toBe(false)
  })
  it("test_ended: ends_at in the past -> false", () => {
    expect(Discount.isRedeemable(percentageDiscount(1000, { endsAt: days(-1) }), NOW)).toBe(false)
  })
  it("test_max_redemptions_reached: max 10 with 10 redemptions -> false", () => {
    expect(Discount.isRedeemable(percentageDiscount(1000, { maxRedemptions: 10, redemptionsCount: 10 }), NOW)).toBe(false)
  })
  it("test_valid: within the window with 5/10 -> true", () => {
    const d = percentageDiscount(1000, { startsAt: days(-1), endsAt: days(1), maxRedemptions: 10, redemptionsCount: 5 })
    expect(Discount.isRedeemable(d, NOW)).toBe(true)
  })
  it("bounds are inclusive: starts_at == now and ends_at == now are redeemable", () => {
    expect(Discount.isRedeemable(percentageDiscount(1000, { startsAt: NOW, endsAt: NOW }), NOW)).toBe(true)
  })
})

describe("TestCodeCaseInsensitivity", () => {
  const d = percentageDiscount(1000, { code: "FooBar" })
  it("'FooBar' is found by foobar, FOOBAR and a padded FoObAr", () => {
    expect(Discount.matchesCode(d, "foobar")).toBe(true)
    expect(Discount.matchesCode(d, "FOOBAR")).toBe(true)
    expect(Discount.matchesCode(d, " \tFoObAr  ")).toBe(true)
    expect(Discount.matchesCode(d, "foobaz")).toBe(false)
    expect(Discount.matchesCode(percentageDiscount(1000), "foobar")).toBe(false)
  })
  it("test_valid_discount_code_with_whitespace: codes are stripped", () => {
    expect(Discount.normalizeCode("  \tCODE10\n")).toBe("CODE10")
  })
})

describe("TestIsRepetitionExpired", () => {
  it("once: the first cycle keeps it, the next does not", () => {
    const d = percentageDiscount(1000, { duration: "once" })
    expect(Discount.isRepetitionExpired(d, NOW, NOW)).toBe(false)
    expect(Discount.isRepetitionExpired(d, NOW, days(30))).toBe(true)
  })
  it("forever: never expires", () => {
    expect(Discount.isRepetitionExpired(percentageDiscount(1000, { duration: "forever" }), NOW, days(3650))).toBe(false)
  })
  it("repeating 3 months: +30 days keeps it, +120 days does not", () => {
    const d = percentageDiscount(1000, { duration: "repeating", durationInMonths: 3 })
    expect(Discount.isRepetitionExpired(d, NOW, days(30))).toBe(false)
    expect(Discount.isRepetitionExpired(d, NOW, days(120))).toBe(true)
  })
})

describe("applicability on a checkout (_get_validated_discount, spec 3.4 checks 1-6)", () => {
  const paid = product([fixed(1000)])
  const base = {
    field: "discountId" as const,
    organizationId: ORG_ID,
    product: paid,
    currency: "usd",
    now: NOW
  }

  it("test_invalid_not_applicable_discount: a fixed discount on a free price -> 'Discounts are not applicable to this product.'", () => {
    const d = fixedDiscount({ usd: 500 })
    const r = Discount.validateForCheckout({ ...base, product: product([free()]), discount: d, discountId: d.id })
    expect(r).toEqual(Result.fail(Issue.make(["discountId"], Issue.Reason.DiscountNotApplicableToProduct(), d.id)))
  })

  it("test_invalid_discount_code_not_applicable: same on the code path, at discountCode, input null", () => {
    const r = Discount.validateForCheckout({ ...base, field: "discountCode", product: product([free()]), discount: null, discountId: null })
    expect(r).toEqual(Result.fail(Issue.make(["discountCode"], Issue.Reason.DiscountNotApplicableToProduct(), null)))
  })

  it("test_invalid_not_existing_discount / test_invalid_discount_id: unknown -> 'Discount does not exist.'", () => {
    const id = "00000000-0000-4000-8000-0000000000ff"
    expect(Discount.validateForCheckout({ ...base, discount: null, discountId: id })).toEqual(Result.fail(Issue.make(["discountId"], Issue.Reason.DiscountNotFound(), id)))
  })

  it.each([
    ["another organization", fixedDiscount({ usd: 100 }, { organizationId: OTHER_ORG_ID })],
    ["a fixed discount without the checkout currency", fixedDiscount({ eur: 100 })],
    ["a product restriction that excludes the product", percentageDiscount(1000, { productIds: [OTHER_PRODUCT_ID] })],
    ["not started", percentageDiscount(1000, { startsAt: days(1) })],
    ["ended", percentageDiscount(1000, { endsAt: days(-1) })],
    ["fully redeemed", percentageDiscount(1000, { maxRedemptions: 1, redemptionsCount: 1 })]
  ])("%s -> 'Discount does not exist.'", (_, discount) => {
    expect(Discount.validateForCheckout({ ...base, discount, discountId: discount.id })).toEqual(Result.fail(Issue.make(["discountId"], Issue.Reason.DiscountNotFound(), discount.id)))
  })

  it("test_valid_discount_id: an applicable, redeemable discount is returned", () => {
    const d = percentageDiscount(1000, { productIds: [PRODUCT_ID], maxRedemptions: 2, redemptionsCount: 1 })
    expect(Discount.validateForCheckout({ ...base, discount: d, discountId: d.id })).toEqual(Result.succeed(d))
  })

  it("PWYW and metered prices are discountable; archived prices do not count", () => {
    const d = percentageDiscount(1000)
    expect(Result.isSuccess(Discount.validateForCheckout({ ...base, product: product([metered()]), discount: d, discountId: d.id }))).toBe(true)
    const archivedOnly = product([free(), fixed(1000, { isArchived: true })])
    expect(Result.isFailure(Discount.validateForCheckout({ ...base, product: archivedOnly, discount: d, discountId: d.id }))).toBe(true)
  })

  it("test_valid_product_change_applicable_discount / _not_applicable_discount: keep or drop on product change", () => {
    const unrestricted = percentageDiscount(1000)
    const restricted = percentageDiscount(1000, { productIds: [PRODUCT_ID] })
    const other = { id: OTHER_PRODUCT_ID }
    expect(Discount.isApplicable(unrestricted, other, "usd")).toBe(true)
    expect(Discount.isApplicable(restricted, other, "usd")).toBe(false)
    expect(Discount.isApplicable(fixedDiscount({ usd: 100 }), other, "eur")).toBe(false)
    expect(Discount.isApplicable(fixedDiscount({ usd: 100 }), other, "usd")).toBe(true)
  })
})
