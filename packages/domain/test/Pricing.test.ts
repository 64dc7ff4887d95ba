/**
 * The amount chain against the reference's worked examples (spec section 3) and its pricing acceptance cases
 * (section 7.1), named after the reference tests, plus the invariants of docs/pricing.md as properties.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as Issue from "../src/Issue.ts"
import * as fc from "fast-check"
import * as Discount from "../src/Discount.ts"
import * as Money from "../src/Money.ts"
import * as Price from "../src/Price.ts"
import * as Pricing from "../src/Pricing.ts"
import type * as Product from "../src/Product.ts"
import * as Tax from "../src/Tax.ts"
import * as Trial from "../src/Trial.ts"
import {
  custom,
  fixed,
  fixedDiscount,
  flatSeat,
  free,
  metered,
  NOW,
  percentageDiscount,
  product,
  recurring,
  seat,
  seatTiers
} from "./Fixtures.ts"

const setOf = (...prices: [Price.Price, ...Array<Price.Price>]): Price.PriceSet => ({
  currency: prices[0].priceCurrency,
  prices
})

const upfront = (prices: [Price.Price, ...Array<Price.Price>], customAmount: number | null = null, seats: number | null = null) =>
  Pricing.upfrontAmount(setOf(...prices), { customAmount, seats })

interface Scenario {
  readonly product: Product.Product
  readonly customAmount?: number | null
  readonly seats?: number | null
  readonly discount?: Discount.Discount | null
  readonly tax?: Tax.TaxInput
  readonly trialEnd?: DateTime.Utc | null
  readonly currency?: string
}

/** Prices a checkout on `product` the way the reprice step does: price set by currency, then the chain. */
const priceCheckout = (s: Scenario): Pricing.PriceResult => {
  const catalog = Price.catalogPrices(s.product.prices)
  const set = Result.getOrThrow(Price.selectPriceSet(catalog, [s.currency ?? "usd"]))
  return Pricing.price({
    product: s.product,
    productPrices: catalog,
    priceSet: set,
    customAmount: s.customAmount ?? null,
    seats: s.seats ?? null,
    discount: s.discount ?? null,
    tax: s.tax ?? Tax.unknown,
    trialEnd: s.trialEnd ?? null
  })
}

/** The input `priceCheckout` prices, for calls that set `previousTaxAmount` themselves. */
const inputOf = (s: Scenario): Pricing.PriceInput => {
  const catalog = Price.catalogPrices(s.product.prices)
  return {
    product: s.product,
    productPrices: catalog,
    priceSet: Result.getOrThrow(Price.selectPriceSet(catalog, [s.currency ?? "usd"])),
    customAmount: s.customAmount ?? null,
    seats: s.seats ?? null,
    discount: s.discount ?? null,
    tax: s.tax ?? Tax.unknown,
    trialEnd: s.trialEnd ?? null
  }
}

const failure = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error(`expected a failure, got ${JSON.stringify(r.success)}`)
  return r.failure
}

describe("3.2 upfront amount (calculate_upfront_amount)", () => {
  it("test_valid_fixed_price: the amount is the price amount, a requested amount is ignored", () => {
    expect(upfront([fixed(1000)])).toBe(1000)
    expect(upfront([fixed(1000)], 4242)).toBe(1000)
  })

  it("test_valid_free_price: a free price is 0, whatever amount is sent", () => {
    expect(upfront([free()])).toBe(0)
    expect(upfront([free()], 4242)).toBe(0)
  })

  it("test_valid_custom_price: preset 4242 -> 4242 without amount; amount 1000 -> 1000", () => {
    const pwyw = custom({ minimumAmount: 50, presetAmount: 4242 })
    expect(upfront([pwyw])).toBe(4242)
    expect(upfront([pwyw], 1000)).toBe(1000)
  })

  it("test_custom_price_amount: minimum 2500 without preset -> 2500; preset 5000 -> 5000", () => {
    expect(upfront([custom({ minimumAmount: 2500 })])).toBe(2500)
    expect(upfront([custom({ minimumAmount: 2500, presetAmount: 5000 })])).toBe(5000)
  })

  it("test_valid_custom_price_honors_zero_prefill: minimum 0, preset 700, amount 0 -> 0", () => {
    const pwyw = custom({ minimumAmount: 0, presetAmount: 700 })
    expect(Result.isSuccess(Pricing.validateCustomAmount(pwyw, 0, "usd"))).toBe(true)
    expect(upfront([pwyw], 0)).toBe(0)
  })

  it("test_valid_custom_price_amount_update: PWYW amount 4242 applied", () => {
    expect(upfront([custom({ minimumAmount: 50 })], 4242)).toBe(4242)
  })

  it("test_valid_fixed_price_amount_update / test_valid_free_price_amount_update: amount ignored", () => {
    expect(upfront([fixed(1000)], 5000)).toBe(1000)
    expect(upfront([free()], 5000)).toBe(0)
  })

  it("test_valid_metered_price: a metered-only product defaults to its metered price and costs 0 up front", () => {
    const m = metered()
    expect(Price.defaultPrice(setOf(m))).toBe(m)
    expect(upfront([m])).toBe(0)
  })

  it("test_valid_fixed_and_metered_price: the default price is the fixed one; amount = fixed amount", () => {
    const f = fixed(1000)
    const set = setOf(metered(), f)
    expect(Price.defaultPrice(set)).toBe(f)
    expect(Pricing.upfrontAmount(set, { customAmount: null, seats: null })).toBe(1000)
  })

  it("test_fixed_and_seat_price_combined_amount: 99 900 fixed + 2 000/seat x 10 -> 119 900, default price fixed", () => {
    const f = fixed(99_900)
    const set = setOf(f, flatSeat(2000))
    expect(Price.defaultPrice(set)).toBe(f)
    expect(Pricing.upfrontAmount(set, { customAmount: null, seats: 10 })).toBe(119_900)
  })

  it("test_fixed_and_seat_price_seat_update_recomputes_amount: 5 -> 12 seats", () => {
    const prices: [Price.Price, Price.Price] = [fixed(99_900), flatSeat(2000)]
    expect(upfront(prices, null, 5)).toBe(109_900)
    expect(upfront(prices, null, 12)).toBe(123_900)
  })

  it("test_seat_based_price_with_seats / test_seat_based_amount_calculation: amount = price(seats)", () => {
    const tiers = seatTiers("graduated", [[1, 5, 1000], [6, null, 800]])
    for (const seats of [1, 5, 10, 100]) {
      const expected = Math.min(seats, 5) * 1000 + Math.max(0, seats - 5) * 800
      expect(upfront([seat(tiers)], null, seats)).toBe(expected)
    }
  })

  it("test_valid_seat_based_checkout: 6 x 1500 = 9000", () => {
    expect(upfront([flatSeat(1500)], null, 6)).toBe(9000)
  })

  it("test_seat_based_missing_seats_defaults_to_minimum: 1 seat, 1500", () => {
    expect(upfront([flatSeat(1500)])).toBe(1500)
  })

  it("test_update_seats: 4 -> 10 seats = 25 000; test_update_seats_amount_calculation: 2 -> 7 seats x 3000", () => {
    expect(upfront([flatSeat(2500)], null, 4)).toBe(10_000)
    expect(upfront([flatSeat(2500)], null, 10)).toBe(25_000)
    expect(upfront([flatSeat(3000)], null, 2)).toBe(6000)
    expect(upfront([flatSeat(3000)], null, 7)).toBe(21_000)
  })

  it("a custom amount is ignored by a seat price (amount ignored for fixed/free/seat)", () => {
    expect(upfront([flatSeat(1500)], 9999, 2)).toBe(3000)
  })
})

describe("3.1 price set selection and currency", () => {
  const multi = [fixed(1000, { priceCurrency: "usd" }), fixed(900, { priceCurrency: "eur" }), fixed(800, { priceCurrency: "gbp" })]

  it("test_multi_currencies_set: explicit usd/eur/gbp -> that currency and its price", () => {
    for (const [currency, amount] of [["usd", 1000], ["eur", 900], ["gbp", 800]] as const) {
      const set = Result.getOrThrow(Price.selectPriceSet(multi, Price.currencyPreference({ currency, organizationDefault: "usd" })))
      expect(set.currency).toBe(currency)
      expect(Pricing.upfrontAmount(set, { customAmount: null, seats: null })).toBe(amount)
    }
  })

  it("test_multi_currencies_set_unavailable: sek / aud -> NoPricesForCurrencies", () => {
    for (const currency of ["sek", "aud"]) {
      const error = failure(Price.selectPriceSet(multi, Price.currencyPreference({ currency, organizationDefault: "usd" })))
      expect(error).toEqual({ _tag: "NoPricesForCurrencies", currencies: [currency] })
    }
  })

  it("test_multi_currencies_auto: without IP geolocation the organization's default currency is used", () => {
    const usdEur = [fixed(1000, { priceCurrency: "usd" }), fixed(900, { priceCurrency: "eur" })]
    expect(Result.getOrThrow(Price.selectPriceSet(usdEur, Price.currencyPreference({ currency: null, organizationDefault: "usd" }))).currency).toBe("usd")
    expect(Result.getOrThrow(Price.selectPriceSet(usdEur, Price.currencyPreference({ currency: null, organizationDefault: "eur" }))).currency).toBe("eur")
  })

  it("test_multi_currencies_product_change_unavailable_currency: eur checkout, usd-only product -> falls back to usd", () => {
    const set = Result.getOrThrow(Price.selectPriceSet([fixed(1000, { priceCurrency: "usd" })], ["eur", "usd"]))
    expect(set.currency).toBe("usd")
  })

  it("archived prices never enter a price set", () => {
    const prices = [fixed(500, { isArchived: true }), fixed(1000)]
    const set = Result.getOrThrow(Price.selectPriceSet(prices, ["usd"]))
    expect(set.prices.map((p) => p.amountType === "fixed" && p.priceAmount)).toEqual([1000])
    expect(Result.isFailure(Price.selectPriceSet([fixed(500, { isArchived: true })], ["usd"]))).toBe(true)
  })

  it("catalogPrices: non-archived catalog prices, static first then metered", () => {
    const m = metered()
    const f = fixed(1000)
    const prices = Price.catalogPrices([m, fixed(1, { isArchived: true }), f, fixed(2, { source: "ad_hoc" })])
    expect(prices).toEqual([f, m])
  })

  it("validateCombination: the allowed combinations of 3.2", () => {
    expect(Price.validateCombination([fixed(99_900), flatSeat(2000), metered()], ["prices"])).toEqual([])
    expect(Price.validateCombination([custom(), metered()], ["prices"])).toEqual([])
    const msgs = (prices: ReadonlyArray<Price.Price>) =>
      Price.validateCombination(prices, ["prices"]).map((i) => i.reason._tag === "PriceCombination" ? i.reason.rule : i.reason._tag)
    expect(msgs([fixed(1), fixed(2)])).toEqual(["oneFixed"])
    expect(msgs([flatSeat(1), flatSeat(2)])).toEqual(["oneSeatBased"])
    expect(msgs([custom(), fixed(1)])).toEqual(["customAlone"])
    expect(msgs([metered(), metered()])).toEqual(["oneMeterPrice"])
    expect(msgs([fixed(1, { taxBehavior: "inclusive" }), metered({ taxBehavior: "exclusive" })])).toEqual(["oneTaxBehavior"])
    // Rules apply per currency: a usd and an eur fixed price are fine together.
    expect(msgs([fixed(1), fixed(2, { priceCurrency: "eur" })])).toEqual([])
  })
})

describe("3.2 custom amount rules (validate_custom_price_amount), at amount", () => {
  it("test_amount_invalid_limits / test_amount_update_invalid_limits: PWYW 1000..5000 rejects 500 and 10 000", () => {
    const pwyw = custom({ minimumAmount: 1000, maximumAmount: 5000 })
    expect(failure(Pricing.validateCustomAmount(pwyw, 500, "usd"))).toEqual(Issue.make(["amount"], Issue.Reason.AmountBelowMinimum({ minimum: 1000 }), 500))
    expect(failure(Pricing.validateCustomAmount(pwyw, 10_000, "usd"))).toEqual(Issue.make(["amount"], Issue.Reason.AmountAboveMaximum({ maximum: 5000 }), 10_000))
    expect(Result.getOrThrow(Pricing.validateCustomAmount(pwyw, 1000, "usd"))).toBe(1000)
    expect(Result.getOrThrow(Pricing.validateCustomAmount(pwyw, 5000, "usd"))).toBe(5000)
  })

  it("test_amount_update_stripe_gap: PWYW minimum 50 rejects 10, 25 and 49 (below minimum)", () => {
    const pwyw = custom({ minimumAmount: 50 })
    for (const amount of [10, 25, 49]) {
      const issue = failure(Pricing.validateCustomAmount(pwyw, amount, "usd"))
      expect(issue.reason).toEqual(Issue.Reason.AmountBelowMinimum({ minimum: 50 }))
    }
  })

  it("minimum 0 accepts 0 and rejects 1..49 with the currency floor (invalid_amount)", () => {
    const pwyw = custom({ minimumAmount: 0 })
    expect(Result.getOrThrow(Pricing.validateCustomAmount(pwyw, 0, "usd"))).toBe(0)
    for (let amount = 1; amount < 50; amount++) {
      expect(failure(Pricing.validateCustomAmount(pwyw, amount, "usd"))).toEqual(
        Issue.make(["amount"], Issue.Reason.AmountBelowCurrencyMinimum({ currency: "usd", minimum: 50 }), amount)
      )
    }
    expect(Result.getOrThrow(Pricing.validateCustomAmount(pwyw, 50, "usd"))).toBe(50)
  })

  it("the currency floor follows the currency: CAD 70 -> 'CA$0.70'", () => {
    const issue = failure(Pricing.validateCustomAmount(custom({ minimumAmount: 0 }, { priceCurrency: "cad" }), 60, "cad"))
    expect(issue.reason).toEqual(Issue.Reason.AmountBelowCurrencyMinimum({ currency: "cad", minimum: 70 }))
  })

  it("negative amounts: 'Amount must be at least 0.'", () => {
    expect(failure(Pricing.validateCustomAmount(custom({ minimumAmount: 0 }), -1, "usd"))).toEqual(Issue.make(["amount"], Issue.Reason.AmountNegative(), -1))
  })

  it("above the currency maximum: less_than_equal 'Amount must be at most $999,999.99.'", () => {
    expect(failure(Pricing.validateCustomAmount(custom(), 100_000_000, "usd"))).toEqual(Issue.make(["amount"], Issue.Reason.AmountAboveCurrencyMaximum({ currency: "usd", maximum: 99_999_999 }), 100_000_000))
    expect(Result.isSuccess(Pricing.validateCustomAmount(custom(), 100_000_000, "ars"))).toBe(true)
  })

  it("rules apply in the reference's order (first failure wins)", () => {
    // Below the price minimum and the currency floor: rule 2 wins.
    expect(failure(Pricing.validateCustomAmount(custom({ minimumAmount: 40 }), 30, "usd")).reason._tag).toBe("AmountBelowMinimum")
    // Above both maxima: rule 4 wins.
    expect(failure(Pricing.validateCustomAmount(custom({ maximumAmount: 200_000_000 }), 300_000_000, "usd")).reason._tag).toBe(
      "AmountAboveMaximum"
    )
  })

  it("accepts exactly the documented set (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 120_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 110_000_000 }), { nil: null }),
        fc.constantFrom("usd", "eur", "cad", "aud", "jpy", "inr", "ars"),
        (amount, minimumAmount, maximumAmount, currency) => {
          const expected = amount >= 0 &&
            amount >= minimumAmount &&
            (amount === 0 || amount >= ({ usd: 50, eur: 50, cad: 70, aud: 70, jpy: 80, inr: 6000, ars: 75_000 } as const)[currency]) &&
            (maximumAmount === null || amount <= maximumAmount) &&
            amount <= (currency === "ars" ? 140_000_000 : 99_999_999)
          const r = Pricing.validateCustomAmount({ minimumAmount, maximumAmount }, amount, currency)
          expect(Result.isSuccess(r)).toBe(expected)
          if (Result.isSuccess(r)) expect(r.success).toBe(amount)
          else expect(r.failure.path).toEqual(["amount"])
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe("3.4 discounts: worked examples", () => {
  it.each([
    ["fixed usd 1000 on 1000", 1000, fixedDiscount({ usd: 1000 }), 1000, 0],
    ["fixed usd 1000 on 4242", 4242, fixedDiscount({ usd: 1000 }), 1000, 3242],
    ["fixed usd 1000 on 500", 500, fixedDiscount({ usd: 1000 }), 500, 0],
    ["2500 bp on 1999 (499.75 -> 500)", 1999, percentageDiscount(2500), 500, 1499],
    ["5000 bp on 3 (1.5 -> 2)", 3, percentageDiscount(5000), 2, 1],
    ["3333 bp on 100 (33.33 -> 33)", 100, percentageDiscount(3333), 33, 67]
  ] as const)("%s", (_, amount, discount, discountAmount, net) => {
    const r = priceCheckout({ product: product([fixed(amount)]), discount })
    expect(r.discountAmount).toBe(discountAmount)
    expect(r.netAmount).toBe(net)
  })

  it("test_valid_custom_pricing_discount: PWYW 2000 with 50 % -> discount 1000, total 1000", () => {
    const r = priceCheckout({ product: product([custom({ minimumAmount: 50 })]), customAmount: 2000, discount: percentageDiscount(5000), tax: Tax.quote(0, "exclusive") })
    expect(r.amount).toBe(2000)
    expect(r.discountAmount).toBe(1000)
    expect(r.netAmount).toBe(1000)
    expect(r.totalAmount).toBe(1000)
  })

  it("test_fixed_and_seat_price_discount_on_combined_amount: 25 % forever on 119 900 -> 29 975, net 89 925", () => {
    const r = priceCheckout({
      product: recurring([fixed(99_900), flatSeat(2000)]),
      seats: 10,
      discount: percentageDiscount(2500, { duration: "forever" })
    })
    expect(r.amount).toBe(119_900)
    expect(r.discountAmount).toBe(29_975)
    expect(r.netAmount).toBe(89_925)
  })

  it("test_valid_discount: fixed discount -> amount 1000, net = 1000 - discount amount", () => {
    const discount = fixedDiscount({ usd: 300 })
    const r = priceCheckout({ product: product([fixed(1000)]), discount })
    expect(r.amount).toBe(1000)
    expect(r.netAmount).toBe(1000 - Discount.discountAmount(discount, 1000, "usd"))
    expect(r.netAmount).toBe(700)
  })

  it("the float cases through the whole chain: (2500, 6bp) -> 1, (1500, 90bp) -> 13, (750, 180bp) -> 13", () => {
    for (const [amount, bp, expected] of [[2500, 6, 1], [1500, 90, 13], [750, 180, 13]] as const) {
      const r = priceCheckout({ product: product([fixed(amount)]), discount: percentageDiscount(bp) })
      expect(r.discountAmount).toBe(expected)
      expect(r.netAmount).toBe(amount - expected)
    }
  })

  it("a fixed discount without an amount in the checkout currency takes nothing off", () => {
    expect(Discount.discountAmount(fixedDiscount({ eur: 500 }), 1000, "usd")).toBe(0)
  })
})

describe("3.5 tax", () => {
  it("test_valid_calculate_tax: 1000 with tax 100: exclusive -> net 1000 total 1100; inclusive -> net 900 total 1000", () => {
    const exclusive = priceCheckout({ product: product([fixed(1000)]), tax: Tax.quote(100, "exclusive") })
    expect([exclusive.netAmount, exclusive.taxAmount, exclusive.totalAmount]).toEqual([1000, 100, 1100])
    const inclusive = priceCheckout({ product: product([fixed(1000)]), tax: Tax.quote(100, "inclusive") })
    expect([inclusive.netAmount, inclusive.taxAmount, inclusive.totalAmount]).toEqual([900, 100, 1000])
  })

  it("test_silent_calculate_tax_error: an unknown tax is null and total = net", () => {
    const r = priceCheckout({ product: product([fixed(1000)]), tax: Tax.unknown })
    expect([r.netAmount, r.taxAmount, r.totalAmount, r.isTaxRequired]).toEqual([1000, null, 1000, true])
  })

  it("test_valid_tax_not_applicable: a product that is not tax-applicable gets tax 0, whatever the quote", () => {
    const r = priceCheckout({ product: product([fixed(1000)], { isTaxApplicable: false }), tax: Tax.quote(100, "exclusive") })
    expect([r.netAmount, r.taxAmount, r.totalAmount, r.isTaxRequired]).toEqual([1000, 0, 1000, false])
  })

  it("no payment form (free product) -> tax 0, not null", () => {
    const r = priceCheckout({ product: product([free()]), tax: Tax.unknown })
    expect([r.taxAmount, r.totalAmount, r.isTaxRequired]).toEqual([0, 0, false])
  })

  it("discount 25 % on 1999 and a 20 % exclusive tax computed on 1499 (300) -> total 1799", () => {
    const first = priceCheckout({ product: product([fixed(1999)]), discount: percentageDiscount(2500), tax: Tax.unchanged(null) })
    expect(first.taxableAmount).toBe(1499)
    expect(first.isTaxRequired).toBe(true)
    const r = priceCheckout({ product: product([fixed(1999)]), discount: percentageDiscount(2500), tax: Tax.quote(300, "exclusive") })
    expect([r.netAmount, r.taxAmount, r.totalAmount]).toEqual([1499, 300, 1799])
  })

  it("step 4: without a billing address the previous tax is kept and net = amount - discount", () => {
    const r = priceCheckout({ product: product([fixed(1000)]), tax: Tax.unchanged(80) })
    expect([r.netAmount, r.taxAmount, r.totalAmount]).toEqual([1000, 80, 1080])
  })

  it("gate (spec 3.5 step 3): taxable 0 with a previous tax above 0 still requires tax; a logical error leaves it null", () => {
    const p = product([fixed(1000)])
    const full = percentageDiscount(10_000)
    // First call of the reprice step: the previous tax is kept in the total that gates the step.
    const first = priceCheckout({ product: p, discount: full, tax: Tax.unchanged(167) })
    expect([first.taxableAmount, first.isTaxRequired]).toEqual([0, true])
    // The calculator refused the address: the tax is unknown (null), not 0, and nothing is payable.
    const failed = Pricing.price({ ...inputOf({ product: p, discount: full }), tax: Tax.unknown, previousTaxAmount: 167 })
    expect([failed.isTaxRequired, failed.taxAmount, failed.totalAmount, failed.flags.isPaymentRequired]).toEqual([true, null, 0, false])
    // It answered: its tax on 0 is taken as it is.
    const quoted = Pricing.price({ ...inputOf({ product: p, discount: full }), tax: Tax.quote(0, "exclusive"), previousTaxAmount: 167 })
    expect([quoted.isTaxRequired, quoted.taxAmount, quoted.totalAmount]).toEqual([true, 0, 0])
  })

  it("gate: taxable 0 with a previous tax of 0, null, or under a trial is not taxed (tax 0, whatever the answer)", () => {
    const p = product([fixed(1000)])
    const full = percentageDiscount(10_000)
    for (const previousTaxAmount of [0, null]) {
      const r = Pricing.price({ ...inputOf({ product: p, discount: full }), tax: Tax.unknown, previousTaxAmount })
      expect([r.isTaxRequired, r.taxAmount, r.totalAmount]).toEqual([false, 0, 0])
    }
    // Recurring with a trial and a full once discount: setup is required, so tax is asked whatever the previous tax.
    const trial = DateTime.add(NOW, { days: 7 })
    const monthly = product([fixed(1000)], { recurringInterval: "month" })
    const setup = Pricing.price({ ...inputOf({ product: monthly, discount: full, trialEnd: trial }), tax: Tax.unknown, previousTaxAmount: null })
    expect(setup.isTaxRequired).toBe(true)
  })

  it.each([
    ["US", "exclusive"],
    ["CA", "exclusive"],
    ["IN", "exclusive"],
    ["FR", "inclusive"],
    ["GB", "inclusive"]
  ] as const)("option location in %s resolves to %s", (country, behavior) => {
    expect(Tax.resolveBehavior("location", country)).toBe(behavior)
    expect(Tax.resolveBehavior("inclusive", country)).toBe("inclusive")
    expect(Tax.resolveBehavior("exclusive", country)).toBe("exclusive")
  })

  it("the behaviour option is the price's, else the organization's default", () => {
    expect(Tax.behaviorOption({ taxBehavior: "inclusive" }, { defaultTaxBehavior: "location" })).toBe("inclusive")
    expect(Tax.behaviorOption({ taxBehavior: null }, { defaultTaxBehavior: "location" })).toBe("location")
    expect(Tax.behaviorOption(null, { defaultTaxBehavior: "exclusive" })).toBe("exclusive")
  })
})

describe("3.6 flags", () => {
  const trialMonth = (p: Product.Product, allowTrial = true) =>
    Trial.trialEnd(NOW, Trial.activeTrial({ allowTrial, trialInterval: null, trialIntervalCount: null, product: p }))

  it("test_products_trial: recurring product with a 1-month trial -> trial_end set, no payment, setup required", () => {
    const p = recurring([fixed(1000)], { trialInterval: "month", trialIntervalCount: 1 })
    const trialEnd = trialMonth(p)
    assert.isNotNull(trialEnd)
    expect(DateTime.formatIso(trialEnd!)).toBe("2026-02-15T12:00:00.000Z")
    const f = priceCheckout({ product: p, trialEnd, tax: Tax.quote(0, "exclusive") }).flags
    expect([f.isPaymentRequired, f.isPaymentSetupRequired, f.isPaymentFormRequired]).toEqual([false, true, true])
  })

  it("test_set_trial: a 7-day trial on the checkout -> trial_end = now + 7 days, setup required", () => {
    const p = recurring([fixed(1000)])
    const trialEnd = Trial.trialEnd(NOW, Trial.activeTrial({ allowTrial: true, trialInterval: "day", trialIntervalCount: 7, product: p }))
    expect(trialEnd && DateTime.formatIso(trialEnd)).toBe("2026-01-22T12:00:00.000Z")
    const f = priceCheckout({ product: p, trialEnd }).flags
    expect([f.isPaymentRequired, f.isPaymentSetupRequired]).toEqual([false, true])
  })

  it("test_set_trial_non_recurring_product: trial fields on a one-time product -> trial_end null, payment required, no setup", () => {
    const p = product([fixed(1000)])
    const trialEnd = Trial.trialEnd(NOW, Trial.activeTrial({ allowTrial: true, trialInterval: "day", trialIntervalCount: 7, product: p }))
    expect(trialEnd).toBeNull()
    const f = priceCheckout({ product: p, trialEnd }).flags
    expect([f.isPaymentRequired, f.isPaymentSetupRequired, f.shouldSavePaymentMethod]).toEqual([true, false, false])
  })

  it("test_trial_update / test_trial_disable: 7 -> 14 days moves trial_end later; allow_trial false removes it", () => {
    const p = recurring([fixed(1000)])
    const end7 = Trial.trialEnd(NOW, Trial.activeTrial({ allowTrial: true, trialInterval: "day", trialIntervalCount: 7, product: p }))!
    const active14 = Trial.activeTrial({ allowTrial: true, trialInterval: "day", trialIntervalCount: 14, product: p })
    expect(active14).toEqual({ interval: "day", count: 14 })
    expect(DateTime.isGreaterThan(Trial.trialEnd(NOW, active14)!, end7)).toBe(true)
    expect(Trial.activeTrial({ allowTrial: false, trialInterval: "day", trialIntervalCount: 14, product: p })).toBeNull()
  })

  it("the checkout's trial overrides the product's; month steps clamp to the month's end", () => {
    const p = recurring([fixed(1000)], { trialInterval: "month", trialIntervalCount: 1 })
    expect(Trial.activeTrial({ allowTrial: true, trialInterval: "week", trialIntervalCount: 2, product: p })).toEqual({ interval: "week", count: 2 })
    const jan31 = DateTime.makeUnsafe("2026-01-31T00:00:00Z")
    expect(DateTime.formatIso(Trial.trialEnd(jan31, { interval: "month", count: 1 })!)).toBe("2026-02-28T00:00:00.000Z")
    expect(DateTime.formatIso(Trial.trialEnd(jan31, { interval: "year", count: 1 })!)).toBe("2027-01-31T00:00:00.000Z")
  })

  it("test_valid_fully_discounted_subscription: 100 % once on a recurring product -> no payment, setup required", () => {
    const f = priceCheckout({ product: recurring([fixed(1000)]), discount: percentageDiscount(10_000, { duration: "once" }) }).flags
    expect([f.isPaymentRequired, f.isPaymentSetupRequired, f.isPaymentFormRequired]).toEqual([false, true, true])
  })

  it("test_valid_fully_discounted_forever_subscription: 100 % forever -> no form at all", () => {
    const f = priceCheckout({ product: recurring([fixed(1000)]), discount: percentageDiscount(10_000, { duration: "forever" }) }).flags
    expect([f.isPaymentRequired, f.isPaymentSetupRequired, f.isPaymentFormRequired]).toEqual([false, false, false])
    expect(f.shouldSavePaymentMethod).toBe(true)
  })

  it("test_payment_not_ready_non_forever_discount_one_time_allowed: 100 % once on a one-time product -> no form", () => {
    const f = priceCheckout({ product: product([fixed(1000)]), discount: percentageDiscount(10_000) }).flags
    expect(f.isPaymentFormRequired).toBe(false)
  })

  it("test_custom_price_with_metered_requires_payment_setup: PWYW min 0 preset 0 + metered -> amount 0, setup required", () => {
    const r = priceCheckout({ product: recurring([custom({ minimumAmount: 0, presetAmount: 0 }), metered()]) })
    expect(r.amount).toBe(0)
    expect(r.flags.hasMeteredPrices).toBe(true)
    expect(r.flags.isPaymentSetupRequired).toBe(true)
    expect(r.flags.isPaymentRequired).toBe(false)
  })

  it("PWYW at 0 without metered prices on a recurring product -> no setup", () => {
    const f = priceCheckout({ product: recurring([custom({ minimumAmount: 0 })]), customAmount: 0 }).flags
    expect([f.isPaymentSetupRequired, f.isPaymentFormRequired]).toEqual([false, false])
  })

  it("test_valid_stripe_free: a free product -> no form; discounts not applicable", () => {
    const f = priceCheckout({ product: recurring([free()]) }).flags
    expect(f.isFreeProductPrice).toBe(true)
    expect(f.isDiscountApplicable).toBe(false)
    expect(f.isPaymentFormRequired).toBe(false)
  })

  it("is_free_product_price looks at every currency, payment at the total (the deliberate asymmetry)", () => {
    // Free in usd, paid in eur: not a free product, though the usd checkout costs nothing.
    const p = recurring([free(), fixed(500, { priceCurrency: "eur" })])
    const f = priceCheckout({ product: p }).flags
    expect(f.isFreeProductPrice).toBe(false)
    expect(f.isPaymentRequired).toBe(false)
    expect(f.isDiscountApplicable).toBe(true)
  })

  it("one-time paid product: payment required, no setup, does not save the payment method", () => {
    const f = priceCheckout({ product: product([fixed(1000)]) }).flags
    expect(f).toEqual({
      isDiscountApplicable: true,
      isFreeProductPrice: false,
      hasMeteredPrices: false,
      isPaymentRequired: true,
      isPaymentSetupRequired: false,
      isPaymentFormRequired: true,
      shouldSavePaymentMethod: false
    })
  })

  it("no product: everything false and amount 0", () => {
    const r = Pricing.price({
      product: null,
      productPrices: null,
      priceSet: null,
      customAmount: null,
      seats: null,
      discount: null,
      tax: Tax.unknown,
      trialEnd: null
    })
    expect([r.amount, r.totalAmount, r.taxAmount]).toEqual([0, 0, 0])
    expect(Object.values(r.flags).every((b) => b === false)).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

/** A hand-written generator of whole pricing scenarios: price sets, discounts, tax quotes and trials. */
const scenarioArb = fc.record({
  kind: fc.constantFrom("fixed", "custom", "seat_volume", "seat_graduated", "fixed_seat", "metered_custom"),
  amount: fc.integer({ min: 0, max: 99_999_999 }),
  rate: fc.integer({ min: 0, max: 100_000 }),
  seats: fc.integer({ min: 1, max: 1000 }),
  recurringProduct: fc.boolean(),
  taxApplicable: fc.boolean(),
  discount: fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 100_000_000 }).map((a) => fixedDiscount({ usd: a })),
    fc.integer({ min: 1, max: 10_000 }).map((bp) => percentageDiscount(bp)),
    fc.constant(percentageDiscount(10_000, { duration: "forever" }))
  ),
  tax: fc.oneof(
    fc.constant(Tax.unknown),
    fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }).map(Tax.unchanged),
    fc.tuple(fc.float({ min: 0, max: Math.fround(0.3), noNaN: true }), fc.constantFrom("inclusive", "exclusive") as fc.Arbitrary<"inclusive" | "exclusive">)
      .map(([rate, behavior]) => ({ _tag: "QuoteRate" as const, rate, behavior }))
  ),
  trial: fc.boolean()
})

type ScenarioValue = typeof scenarioArb extends fc.Arbitrary<infer A> ? A : never

const pricesFor = (s: ScenarioValue): [Price.Price, ...Array<Price.Price>] => {
  switch (s.kind) {
    case "fixed":
      return [fixed(s.amount)]
    case "custom":
      return [custom({ minimumAmount: 0, presetAmount: s.amount })]
    case "seat_volume":
      return [seat(seatTiers("volume", [[1, 10, s.rate], [11, null, Math.floor(s.rate / 2)]]))]
    case "seat_graduated":
      return [seat(seatTiers("graduated", [[1, 10, s.rate], [11, null, Math.floor(s.rate / 2)]]))]
    case "fixed_seat":
      return [fixed(s.amount), flatSeat(s.rate)]
    case "metered_custom":
      return [custom({ minimumAmount: 0, presetAmount: s.amount }), metered()]
  }
}

const runScenario = (s: ScenarioValue) => {
  const prices = pricesFor(s)
  const p = product(prices, { recurringInterval: s.recurringProduct ? "month" : null, isTaxApplicable: s.taxApplicable })
  const set = setOf(...prices)
  const base = {
    product: p,
    productPrices: prices,
    priceSet: set,
    customAmount: null,
    seats: s.seats,
    discount: s.discount,
    trialEnd: s.trial && s.recurringProduct ? DateTime.add(NOW, { days: 7 }) : null
  }
  const first = Pricing.price({ ...base, tax: s.tax._tag === "QuoteRate" ? Tax.unknown : s.tax })
  // A processor quote is some rounded fraction of the taxable amount (inclusive: never more than it).
  const tax = s.tax._tag === "QuoteRate"
    ? Tax.quote(Math.round(first.taxableAmount * s.tax.rate / (s.tax.behavior === "inclusive" ? 1 + s.tax.rate : 1)), s.tax.behavior)
    : s.tax
  return { result: Pricing.price({ ...base, tax }), tax }
}

describe("pricing invariants (properties)", () => {
  it("0 <= discount <= amount, net/total identities, safe integers, for whole scenarios", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { result: r, tax } = runScenario(s)
        expect(r.discountAmount).toBeGreaterThanOrEqual(0)
        expect(r.discountAmount).toBeLessThanOrEqual(r.amount)
        expect(r.taxableAmount).toBe(r.amount - r.discountAmount)
        expect(r.totalAmount).toBe(r.netAmount + (r.taxAmount ?? 0))
        if (r.isTaxRequired && tax._tag === "Quote" && tax.behavior === "inclusive") {
          expect(r.netAmount).toBe(r.amount - r.discountAmount - tax.amount)
          expect(r.totalAmount).toBe(r.amount - r.discountAmount)
        } else {
          expect(r.netAmount).toBe(r.amount - r.discountAmount)
        }
        if (!r.isTaxRequired) expect(r.taxAmount).toBe(0)
        // The tax step inlined in Pricing.price agrees with Tax.apply / Tax.none.
        expect({ netAmount: r.netAmount, taxAmount: r.taxAmount, totalAmount: r.totalAmount }).toEqual(
          r.isTaxRequired ? Tax.apply(r.taxableAmount, tax) : Tax.none(r.taxableAmount)
        )
        for (const n of [r.amount, r.discountAmount, r.netAmount, r.totalAmount, r.taxAmount ?? 0]) {
          expect(Money.isAmount(n)).toBe(true)
        }
        expect(r.flags.isPaymentFormRequired).toBe(r.flags.isPaymentRequired || r.flags.isPaymentSetupRequired)
      }),
      { numRuns: 300 }
    )
  })

  it("the tax gate over generated previous-tax states: judged on taxable + previous tax, alike in both calls of a reprice", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (s, previous, quoted) => {
          const prices = pricesFor(s)
          const p = product(prices, { recurringInterval: s.recurringProduct ? "month" : null, isTaxApplicable: s.taxApplicable })
          const trialEnd = s.trial && s.recurringProduct ? DateTime.add(NOW, { days: 7 }) : null
          const base = {
            product: p,
            productPrices: prices,
            priceSet: setOf(...prices),
            customAmount: null,
            seats: s.seats,
            discount: s.discount,
            trialEnd
          }
          const first = Pricing.price({ ...base, tax: Tax.unchanged(previous) })
          // The reference's `is_payment_form_required` before the tax step, written out independently.
          const expected = s.taxApplicable &&
            ((first.taxableAmount + (previous ?? 0) > 0 && trialEnd === null) || first.flags.isPaymentSetupRequired)
          expect(first.isTaxRequired).toBe(expected)
          for (const answer of [Tax.unknown, Tax.quote(Math.min(quoted, first.taxableAmount), "inclusive"), Tax.quote(quoted, "exclusive")]) {
            const second = Pricing.price({ ...base, tax: answer, previousTaxAmount: previous })
            expect(second.isTaxRequired).toBe(expected)
            if (!expected) expect(second.taxAmount).toBe(0)
            else if (answer._tag === "Unknown") expect([second.taxAmount, second.totalAmount]).toEqual([null, second.taxableAmount])
            else expect(second.taxAmount).toBe(answer.amount)
            expect(second.totalAmount).toBe(second.netAmount + (second.taxAmount ?? 0))
          }
          // Without a previous tax the gate is the taxable amount's alone (a new checkout).
          const fresh = Pricing.price({ ...base, tax: Tax.unknown, previousTaxAmount: null })
          expect(fresh.isTaxRequired).toBe(s.taxApplicable && ((first.taxableAmount > 0 && trialEnd === null) || first.flags.isPaymentSetupRequired))
        }
      ),
      { numRuns: 300 }
    )
  })

  it.prop("0 <= discount <= amount for any discount and amount (Schemas as generators)", [Discount.Discount, Money.Amount], ([discount, amount]) => {
    const d = Discount.discountAmount(discount, amount, "usd")
    return Number.isSafeInteger(d) && d >= 0 && d <= amount
  }, { arbitrary: { runs: 200, seed: 7 } })

  it.prop("a fixed discount never exceeds the amount, and is exactly min(amounts[c], amount)", [Discount.Fixed, Money.Amount], ([discount, amount]) => {
    const currency = Object.keys(discount.amounts)[0] ?? "usd"
    const d = Discount.discountAmount(discount, amount, currency)
    return d <= amount && d === Math.min(discount.amounts[currency] ?? 0, amount)
  }, { arbitrary: { runs: 200, seed: 11 } })

  it("percentage discounts are monotone in amount and in basis points", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 500 }),
        (amount, more, bp, moreBp) => {
          const d = Discount.discountAmount(percentageDiscount(bp), amount, "usd")
          expect(Discount.discountAmount(percentageDiscount(bp), amount + more, "usd")).toBeGreaterThanOrEqual(d)
          expect(Discount.discountAmount(percentageDiscount(Math.min(10_000, bp + moreBp)), amount, "usd")).toBeGreaterThanOrEqual(d)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("exclusive: net = amount - discount and total = net + tax; inclusive: net = amount - discount - tax, total = amount - discount", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (amount, bp, rawTax) => {
          const p = product([fixed(amount)])
          const discount = bp === 0 ? null : percentageDiscount(bp)
          const base = priceCheckout({ product: p, discount })
          const tax = Math.min(rawTax, base.taxableAmount)
          const ex = priceCheckout({ product: p, discount, tax: Tax.quote(tax, "exclusive") })
          const inc = priceCheckout({ product: p, discount, tax: Tax.quote(tax, "inclusive") })
          if (!base.isTaxRequired) return
          expect(ex.netAmount).toBe(amount - ex.discountAmount)
          expect(ex.totalAmount).toBe(ex.netAmount + tax)
          expect(inc.netAmount).toBe(amount - inc.discountAmount - tax)
          expect(inc.totalAmount).toBe(amount - inc.discountAmount)
        }
      ),
      { numRuns: 200 }
    )
  })
})
