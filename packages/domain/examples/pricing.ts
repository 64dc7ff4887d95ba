/** README example: the pure pricing chain, in-process, with no Effect runtime and no services. */
import { DateTime } from "effect"
import { type Discount, type Price, Pricing, Tax } from "@checkout-kit/domain"

const at = DateTime.makeUnsafe("2026-11-21T00:00:00Z")
const meta = { createdAt: at, modifiedAt: null, source: "catalog", priceCurrency: "usd", taxBehavior: null, isArchived: false, productId: "00000000-0000-4000-8000-000000000001" } as const
const base: Price.Fixed = { ...meta, id: "00000000-0000-4000-8000-000000000002", amountType: "fixed", priceAmount: 99_900 }
const perSeat: Price.SeatBased = { ...meta, id: "00000000-0000-4000-8000-000000000003", amountType: "seat_based",
  seatTiers: { seatTierType: "volume", tiers: [{ minSeats: 1, maxSeats: null, pricePerSeat: 2_000 }], minimumSeats: 1, maximumSeats: null } }
const quarterOff: Discount.Percentage = { id: "00000000-0000-4000-8000-000000000004", createdAt: at, modifiedAt: null, organizationId: meta.productId,
  name: "25 % off", code: null, duration: "forever", durationInMonths: null, startsAt: null, endsAt: null, maxRedemptions: null,
  maxRedemptionsPerCustomer: null, redemptionsCount: 0, productIds: [], metadata: {}, type: "percentage", basisPoints: 2_500 }

// $999 base + 10 seats at $20, 25 % off, then a 20 % exclusive tax quote on the net amount.
const priceSet: Price.PriceSet = { currency: "usd", prices: [base, perSeat] }
const input = { product: { recurringInterval: "month", isTaxApplicable: true }, productPrices: priceSet.prices, priceSet,
  customAmount: null, seats: 10, discount: quarterOff, trialEnd: null } as const
const { flags, ...amounts } = Pricing.price({ ...input, tax: Tax.quote(17_985, "exclusive") })
console.log(amounts)
console.log(flags)
