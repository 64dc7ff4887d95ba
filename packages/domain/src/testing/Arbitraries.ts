/**
 * fast-check arbitraries for catalog data and checkout inputs, for property and model-based tests of the use cases
 * and of adapters. Values are valid by construction (the shapes the stores hold and the HTTP schemas let through);
 * tests that need invalid input build it on purpose.
 */
import * as fc from "fast-check"
import type * as CheckoutService from "../CheckoutService.ts"
import type * as Discount from "../Discount.ts"
import type { Id } from "../Ids.ts"
import type * as Price from "../Price.ts"
import type * as Product from "../Product.ts"
import * as Fixtures from "./Fixtures.ts"

export const id: fc.Arbitrary<Id> = fc.uuid({ version: 4 })

export const currency = fc.constantFrom("usd", "eur", "gbp")

const priceOptions = (c: string) => ({ currency: c })

/** One price builder of any in-scope amount type (fixed incl. free, custom, seat-based volume/graduated, metered). */
export const priceSpec = (c: string): fc.Arbitrary<Fixtures.PriceSpec> =>
  fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }).map((amount) => Fixtures.fixed(amount, priceOptions(c))),
    fc.record({
      minimumAmount: fc.constantFrom(0, 50, 1000),
      maximumAmount: fc.option(fc.constantFrom(5000, 100_000), { nil: null }),
      presetAmount: fc.option(fc.constantFrom(0, 700, 4242), { nil: null })
    }).map((c2) => Fixtures.custom(c2, priceOptions(c))),
    fc.record({
      min: fc.integer({ min: 1, max: 5 }),
      span: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
      pricePerSeat: fc.integer({ min: 0, max: 10_000 }),
      seatTierType: fc.constantFrom<Price.SeatTierType>("volume", "graduated")
    }).map(({ min, span, pricePerSeat, seatTierType }) =>
      Fixtures.seatBased([{ minSeats: min, maxSeats: span === null ? null : min + span, pricePerSeat }], {
        ...priceOptions(c),
        seatTierType
      })
    ),
    fc.constant(Fixtures.metered("100", priceOptions(c)))
  )

/** One static price (fixed, custom or seat-based): at most one per currency in a valid product. */
export const staticPriceSpec = (c: string): fc.Arbitrary<Fixtures.PriceSpec> =>
  priceSpec(c).filter((spec) => spec(Fixtures.uuidOf(0)).amountType !== "metered_unit")

/**
 * A product of the organization whose prices respect the reference's combination rules per currency: one static
 * price (fixed, custom or seat) plus optionally a metered one, in usd and maybe eur and gbp.
 */
export const product = (organizationId: Id): fc.Arbitrary<Product.Product> =>
  fc.record({
    // usd (the fixtures' default presentment currency) always, plus maybe others.
    currencies: fc.uniqueArray(fc.constantFrom("eur", "gbp"), { maxLength: 2 }).map((more) => ["usd", ...more]),
    withMetered: fc.boolean(),
    recurring: fc.boolean(),
    isTaxApplicable: fc.boolean()
  }).chain(({ currencies, withMetered, recurring, isTaxApplicable }) =>
    fc.tuple(...currencies.map((c) => staticPriceSpec(c))).map((specs) =>
      Fixtures.product({
        organizationId,
        isTaxApplicable,
        ...(recurring ? Fixtures.monthly : {}),
        prices: specs.flatMap((spec, i) =>
          withMetered ? [spec, Fixtures.metered("100", { currency: currencies[i]! })] : [spec]
        )
      })
    )
  )

export const discount = (organizationId: Id): fc.Arbitrary<Discount.Discount> =>
  fc.oneof(
    fc.record({ amount: fc.integer({ min: 0, max: 100_000 }), c: currency, code: fc.option(fc.stringMatching(/^[A-Z0-9]{3,12}$/u), { nil: null }) })
      .map(({ amount, c, code }) => Fixtures.fixedDiscount({ organizationId, amounts: { [c]: amount }, code })),
    fc.record({
      basisPoints: fc.integer({ min: 1, max: 10_000 }),
      duration: fc.constantFrom<Discount.Duration>("once", "forever"),
      code: fc.option(fc.stringMatching(/^[A-Z0-9]{3,12}$/u), { nil: null })
    }).map((d) => Fixtures.percentageDiscount({ organizationId, ...d }))
  )

/** Billing addresses that pass Address.validateInput. */
export const address = fc.oneof(
  fc.constant({ country: "FR" }),
  fc.constant({ country: "DE", city: "Berlin", line1: "Str. 1", postalCode: "10115" }),
  fc.constant({ country: "US", state: "NY", line1: "1 Main St", city: "New York", postalCode: "10001" }),
  fc.constant({ country: "CA", state: "QC" })
)

/** A create body for one of `products` (the products variant), with the optional fields a buyer flow uses. */
export const createInput = (products: ReadonlyArray<Product.Product>): fc.Arbitrary<CheckoutService.CreateInput> =>
  fc.record({
    product: fc.constantFrom(...products),
    amount: fc.option(fc.constantFrom(0, 50, 700, 5000), { nil: null }),
    customerEmail: fc.option(fc.constantFrom("a@example.com", "b@example.com"), { nil: null }),
    customerBillingAddress: fc.option(address, { nil: null }),
    metadata: fc.dictionary(fc.stringMatching(/^[a-z]{1,10}$/u), fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 5 })
  }).map(({ product: p, ...rest }) => ({ products: [p.id], ...rest }))
