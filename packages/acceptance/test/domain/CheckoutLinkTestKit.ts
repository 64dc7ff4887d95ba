/**
 * The world the checkout-link tests run in: two organizations with the reference's fixture products and discounts
 * (spec 7 conventions), the real CheckoutService and CheckoutLinkService on a fresh memory store per test, the
 * testing kit's fake processor and tax calculator, and the store's deterministic secrets.
 */
import { MemoryStore } from "@checkout-kit/store-memory"
import { Effect, Layer } from "effect"
import * as CheckoutLinkService from "../../../domain/src/CheckoutLinkService.ts"
import * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import type { CheckoutLink } from "../../../domain/src/CheckoutLink.ts"
import type * as Discount from "../../../domain/src/Discount.ts"
import type * as Organization from "../../../domain/src/Organization.ts"
import { CheckoutLinkRepository } from "../../../domain/src/ports/CheckoutLinkRepository.ts"
import type * as Product from "../../../domain/src/Product.ts"
import { FakePaymentProcessor } from "../../../domain/src/testing/FakePaymentProcessor.ts"
import { FakeTaxCalculator } from "../../../domain/src/testing/FakeTaxCalculator.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"

export const orgA = F.organization({ id: F.uuidOf(0xa01), name: "Org A", slug: "org-a" })
export const orgB = F.organization({ id: F.uuidOf(0xa02), name: "Org B", slug: "org-b" })
export const callerA: CheckoutLinkService.Caller = { organizationId: orgA.id }
export const callerB: CheckoutLinkService.Caller = { organizationId: orgB.id }

const p = (n: number, o: Omit<Parameters<typeof F.product>[0], "organizationId" | "id"> & { readonly organizationId?: string }) =>
  F.product({ organizationId: orgA.id, id: F.uuidOf(0xb00 + n), ...o })

export const products = {
  fixed: p(1, { name: "Fixed", prices: [F.fixed(1000)] }),
  fixed4242: p(2, { name: "Fixed 4242", prices: [F.fixed(4242)] }),
  recurring: p(3, { name: "Monthly", prices: [F.fixed(1000)], ...F.monthly }),
  recurringTrial: p(4, { name: "Monthly with trial", prices: [F.fixed(1000)], ...F.monthly, trialInterval: "month", trialIntervalCount: 1 }),
  seat2to20: p(5, { name: "Team", prices: [F.perSeat(1000, 2, 20)], ...F.monthly }),
  seatMin3: p(6, { name: "Team min 3", prices: [F.perSeat(500, 3, null)] }),
  seat1to10: p(7, { name: "Small team", prices: [F.perSeat(700, 1, 10)] }),
  archived: p(8, { name: "Archived", isArchived: true }),
  draft: p(9, { name: "Draft", visibility: "draft" }),
  pwywZeroPreset700: p(10, { name: "PWYW 0/700", prices: [F.custom({ minimumAmount: 0, presetAmount: 700 })] }),
  pwywMin2500: p(11, { name: "PWYW min", prices: [F.custom({ minimumAmount: 2500 })] }),
  pwywPreset5000: p(12, { name: "PWYW preset", prices: [F.custom({ minimumAmount: 2500, presetAmount: 5000 })] }),
  multiCurrency: p(13, { name: "Multi", prices: [F.fixed(1000, { currency: "usd" }), F.fixed(900, { currency: "eur" })] }),
  archivedPrice: p(14, { name: "Archived price", prices: [F.fixed(100, { isArchived: true, id: F.uuidOf(0xd01) }), F.fixed(200)] }),
  withFields: p(15, {
    name: "With fields",
    prices: [F.fixed(1000)],
    attachedCustomFields: [
      F.attach(F.customField({ organizationId: orgA.id, slug: "company", type: "text" })),
      F.attach(F.customField({
        organizationId: orgA.id,
        slug: "size",
        type: "select",
        properties: { options: [{ value: "s", label: "S" }, { value: "l", label: "L" }] }
      }))
    ]
  }),
  otherOrg: p(16, { name: "Other org", organizationId: orgB.id, prices: [F.fixed(1000)] }),
  eurOnly: p(17, { name: "EUR only", prices: [F.fixed(900, { currency: "eur" })] })
} satisfies Record<string, Product.Product>

export const discounts = {
  /** 50 % once, unrestricted, code SPRING. */
  half: F.percentageDiscount({ id: F.uuidOf(0xe01), organizationId: orgA.id, code: "SPRING", basisPoints: 5000 }),
  /** Fixed usd 1000, restricted to the fixed product. */
  fixedOnly: F.fixedDiscount({ id: F.uuidOf(0xe02), organizationId: orgA.id, productIds: [products.fixed.id] }),
  /** Used up: still attachable to a link (redeemability is not checked there), dropped when the link is opened. */
  ended: F.percentageDiscount({ id: F.uuidOf(0xe03), organizationId: orgA.id, code: "OLD", maxRedemptions: 1, redemptionsCount: 1 }),
  otherOrg: F.percentageDiscount({ id: F.uuidOf(0xe04), organizationId: orgB.id })
} satisfies Record<string, Discount.Discount>

export interface World {
  readonly organizations?: ReadonlyArray<Organization.Organization>
  readonly products?: ReadonlyArray<Product.Product>
  readonly discounts?: ReadonlyArray<Discount.Discount>
}

/** Everything the link tests use, on a fresh store seeded with the default world plus `extra`. */
export const env = (extra: World = {}) => {
  const store = MemoryStore.layerTest({
    organizations: [orgA, orgB, ...(extra.organizations ?? [])],
    products: [...Object.values(products), ...(extra.products ?? [])],
    discounts: [...Object.values(discounts), ...(extra.discounts ?? [])],
    customers: []
  })
  const deps = Layer.mergeAll(store, FakePaymentProcessor.layer(), FakeTaxCalculator.layer())
  const checkouts = CheckoutService.CheckoutService.layer.pipe(Layer.provide(deps))
  const links = CheckoutLinkService.CheckoutLinkService.layer.pipe(Layer.provide(Layer.merge(deps, checkouts)))
  return Layer.mergeAll(deps, checkouts, links)
}

/** Stores a link directly (bypassing create's validation), e.g. one whose products were archived since. */
export const insertLink = (link: CheckoutLink) =>
  Effect.gen(function*() {
    const repo = yield* CheckoutLinkRepository
    yield* repo.insert(link)
    return link
  })
