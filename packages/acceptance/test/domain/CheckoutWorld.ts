/**
 * The catalog the checkout service tests run against (the reference's fixtures, spec 7: a fixed 1000-cent usd
 * product, recurring monthly, PWYW minimum 50, the four discount fixtures) and the layer that runs the real
 * CheckoutService over the in-memory store, the scripted processor and the table-driven tax calculator.
 */
import { MemoryEvents, MemoryStore } from "@checkout-kit/store-memory"
import { Effect, Layer } from "effect"
import * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import type { CheckoutEventType } from "../../../domain/src/ports/Events.ts"
import * as FakePaymentProcessor from "../../../domain/src/testing/FakePaymentProcessor.ts"
import * as FakeTaxCalculator from "../../../domain/src/testing/FakeTaxCalculator.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"

export const org = F.organization({ id: F.uuidOf(1), name: "Acme", slug: "acme-corporation-inc" })
export const otherOrg = F.organization({ id: F.uuidOf(2), name: "Other", slug: "other" })
export const blockedOrg = F.organization({ id: F.uuidOf(3), name: "Blocked", slug: "blocked", isBlocked: true })
export const notReadyOrg = F.organization({ id: F.uuidOf(4), name: "NotReady", slug: "notready", canAcceptPayments: false })
export const eurOrg = F.organization({ id: F.uuidOf(5), name: "Euro", slug: "euro", defaultPresentmentCurrency: "eur" })

export const caller: CheckoutService.Caller = { organizationId: org.id }

const o = org.id
const select = F.customField({
  organizationId: o,
  slug: "select",
  type: "select",
  properties: { options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] }
})
const text = F.customField({ organizationId: o, slug: "text", type: "text" })

export const fixed = F.product({ organizationId: o, name: "Fixed", prices: [F.fixed(1000)] })
export const fixed4242 = F.product({ organizationId: o, name: "Fixed 4242", prices: [F.fixed(4242)] })
export const free = F.product({ organizationId: o, name: "Free", prices: [F.free()] })
export const pwyw = F.product({ organizationId: o, name: "PWYW", prices: [F.custom({ minimumAmount: 50 })] })
export const pwywPreset = F.product({ organizationId: o, name: "PWYW preset", prices: [F.custom({ minimumAmount: 50, presetAmount: 4242 })] })
export const pwywBounded = F.product({
  organizationId: o,
  name: "PWYW bounded",
  prices: [F.custom({ minimumAmount: 1000, maximumAmount: 5000 })]
})
export const recurring = F.product({ organizationId: o, name: "Monthly", ...F.monthly, prices: [F.fixed(1000)] })
export const recurringTrial = F.product({
  organizationId: o,
  name: "Monthly trial",
  ...F.monthly,
  trialInterval: "month",
  trialIntervalCount: 1,
  prices: [F.fixed(1000)]
})
export const metered = F.product({ organizationId: o, name: "Metered", ...F.monthly, prices: [F.metered()] })
export const fixedAndMetered = F.product({ organizationId: o, name: "Fixed+metered", ...F.monthly, prices: [F.metered(), F.fixed(1500)] })
export const seats = F.product({ organizationId: o, name: "Seats", ...F.monthly, prices: [F.perSeat(1000, 1, null)] })
export const seats3to10 = F.product({ organizationId: o, name: "Seats 3..10", ...F.monthly, prices: [F.perSeat(1000, 3, 10)] })
export const fixedAndSeats = F.product({
  organizationId: o,
  name: "Fixed+seats",
  ...F.monthly,
  prices: [F.fixed(99_900), F.perSeat(2000)]
})
export const multiCurrency = F.product({
  organizationId: o,
  name: "Multi",
  prices: [F.fixed(1000), F.fixed(900, { currency: "eur" }), F.fixed(800, { currency: "gbp" })]
})
export const usdOnly = F.product({ organizationId: o, name: "USD only", prices: [F.fixed(2000)] })
export const archived = F.product({ organizationId: o, name: "Archived", isArchived: true })
export const draft = F.product({ organizationId: o, name: "Draft", visibility: "draft" })
export const notTaxable = F.product({ organizationId: o, name: "Not taxable", isTaxApplicable: false })
export const withFields = F.product({
  organizationId: o,
  name: "With fields",
  attachedCustomFields: [F.attach(text, false, 0), F.attach(select, true, 1)]
})
export const withBenefits = F.product({
  organizationId: o,
  name: "Benefits",
  benefits: [F.benefit(o, "public"), F.benefit(o, "private")]
})
export const archivedPrice = F.product({ organizationId: o, name: "Archived price", prices: [F.fixed(1000), F.fixed(500, { isArchived: true })] })
export const pwywZeroMetered = F.product({
  organizationId: o,
  name: "PWYW 0 + metered",
  ...F.monthly,
  prices: [F.custom({ minimumAmount: 0, presetAmount: 0 }), F.metered()]
})
export const taxExclusive = F.product({ organizationId: o, name: "Tax excl", prices: [F.fixed(1000, { taxBehavior: "exclusive" })] })
export const taxInclusive = F.product({ organizationId: o, name: "Tax incl", prices: [F.fixed(1000, { taxBehavior: "inclusive" })] })
export const seats2to20 = F.product({ organizationId: o, name: "Seats 2..20", ...F.monthly, prices: [F.perSeat(1500, 2, 20)] })
export const eurProduct = F.product({
  organizationId: eurOrg.id,
  name: "Euro product",
  prices: [F.fixed(1000), F.fixed(900, { currency: "eur" })]
})
export const foreign = F.product({ organizationId: otherOrg.id, name: "Foreign" })
export const notReadyProduct = F.product({ organizationId: notReadyOrg.id, name: "Not ready", prices: [F.fixed(1000)] })
export const notReadyFree = F.product({ organizationId: notReadyOrg.id, name: "Not ready free", prices: [F.free()] })
export const notReadyRecurring = F.product({ organizationId: notReadyOrg.id, name: "NR monthly", ...F.monthly })

export const fixedOnce = F.fixedDiscount({ organizationId: o, name: "Fixed once", code: "DISCOUNTFIXEDONCE", amounts: { usd: 1000 } })
export const half = F.percentageDiscount({ organizationId: o, name: "50% once", code: "HALF", basisPoints: 5000 })
export const fullOnce = F.percentageDiscount({ organizationId: o, name: "100% once", code: "FULLONCE", basisPoints: 10_000 })
export const fullForever = F.percentageDiscount({
  organizationId: o,
  name: "100% forever",
  code: "FULLFOREVER",
  basisPoints: 10_000,
  duration: "forever"
})
export const quarterForever = F.percentageDiscount({ organizationId: o, code: "QUARTER", basisPoints: 2500, duration: "forever" })
export const cappedOnce = F.percentageDiscount({ organizationId: o, code: "CAPPED", basisPoints: 1000, maxRedemptions: 1 })
export const onlyFixed = F.percentageDiscount({ organizationId: o, code: "ONLYFIXED", basisPoints: 1000, productIds: [fixed.id] })
export const notReadyFullOnce = F.percentageDiscount({ organizationId: notReadyOrg.id, code: "NRFULL", basisPoints: 10_000 })
export const notReadyFullForever = F.percentageDiscount({
  organizationId: notReadyOrg.id,
  code: "NRFOREVER",
  basisPoints: 10_000,
  duration: "forever"
})

export const customer = F.customer({
  organizationId: o,
  email: "known@example.com",
  name: "Known Buyer",
  billingName: "Known Ltd",
  billingAddress: { line1: "1 Rue", line2: null, postalCode: "75001", city: "Paris", state: null, country: "FR" },
  taxId: { number: "FR61954506077", format: "eu_vat" },
  externalId: "ext-known",
  metadata: { key: "original", key2: "kept" },
  processorCustomerId: "cus_existing"
})
export const deletedCustomer = F.customer({ organizationId: o, email: "gone@example.com", deletedAt: F.epoch })

export const seed: MemoryStore.Fixtures = {
  organizations: [org, otherOrg, blockedOrg, notReadyOrg, eurOrg],
  products: [
    fixed, fixed4242, free, pwyw, pwywPreset, pwywBounded, recurring, recurringTrial, metered, fixedAndMetered,
    seats, seats3to10, fixedAndSeats, multiCurrency, usdOnly, archived, draft, notTaxable, withFields, withBenefits,
    archivedPrice, pwywZeroMetered, taxExclusive, taxInclusive, seats2to20, eurProduct,
    foreign, notReadyProduct, notReadyFree, notReadyRecurring
  ],
  discounts: [fixedOnce, half, fullOnce, fullForever, quarterForever, cappedOnce, onlyFixed, notReadyFullOnce, notReadyFullForever],
  customers: [customer, deletedCustomer]
}

export interface WorldOptions {
  readonly script?: FakePaymentProcessor.Script
  readonly tax?: FakeTaxCalculator.TaxTable
  readonly seed?: MemoryStore.Fixtures
}

/** The real service over a fresh memory store; the fakes and the store's event reader are exposed too. */
export const layer = (options: WorldOptions = {}) =>
  CheckoutService.CheckoutService.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      MemoryStore.layerTest(options.seed ?? seed),
      FakePaymentProcessor.FakePaymentProcessor.layer(options.script),
      FakeTaxCalculator.FakeTaxCalculator.layer(options.tax ?? { rates: { FR: 2000, US: 1000, CA: 500 } })
    ))
  )

export const service = CheckoutService.CheckoutService

/** Committed events of the given type. */
export const eventsOf = (type: CheckoutEventType) =>
  Effect.gen(function*() {
    const events = yield* MemoryEvents.MemoryEvents
    return (yield* events.all).filter((e) => e.type === type)
  })

export const frAddress = { country: "FR" } as const
export const usAddress = { country: "US", state: "NY", line1: "1 Main St", city: "New York", postalCode: "10001" } as const

/** Runs `effect` against a fresh world. */
export const run = <A, E, R>(effect: Effect.Effect<A, E, R>, options?: WorldOptions) => Effect.provide(effect, layer(options))

/** The locs (joined with ".") of a RequestValidationError, or the error's tag for anything else. */
export const locsOf = (e: { readonly _tag: string }): ReadonlyArray<string> =>
  "errors" in e && Array.isArray(e.errors)
    ? (e.errors as ReadonlyArray<{ readonly loc: ReadonlyArray<string | number> }>).map((i) => i.loc.join("."))
    : [e._tag]

/** The messages of a RequestValidationError. */
export const msgsOf = (e: { readonly _tag: string }): ReadonlyArray<string> =>
  "errors" in e && Array.isArray(e.errors) ? (e.errors as ReadonlyArray<{ readonly msg: string }>).map((i) => i.msg) : []
