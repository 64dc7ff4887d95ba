/**
 * `CheckoutView.displayProduct` is memoized by catalog product identity, so adapters can cache what they derive from
 * a display product. These tests pin both sides of that: the same catalog object always gives the same display
 * object (also across views), and an updated product (a new object, as stores replace rather than mutate) gives a
 * new display object showing the update, while the old one keeps showing the old values.
 */
import { describe, expect, it } from "@effect/vitest"
import * as CheckoutView from "../src/CheckoutView.ts"
import type * as Product from "../src/Product.ts"
import * as F from "../src/testing/Fixtures.ts"

const orgId = F.uuidOf(1)

const catalogProduct = (): Product.Product =>
  F.product({
    organizationId: orgId,
    name: "Pro",
    benefits: [F.benefit(orgId, "public"), F.benefit(orgId, "private")],
    prices: [F.fixed(1000), F.fixed(2000, { isArchived: true }), F.fixed(900, { currency: "eur" })]
  })

const amounts = (product: Product.Product | null | undefined) =>
  product?.prices.map((p) => (p.amountType === "fixed" ? p.priceAmount : null))

const viewOf = (products: ReadonlyArray<Product.Product>) => {
  const selected = products[0]!
  return CheckoutView.make({
    checkout: F.checkout({
      organizationId: orgId,
      productIds: products.map((p) => p.id),
      productId: selected.id,
      productPriceId: selected.prices[0]!.id
    }),
    organization: F.organization({ id: orgId }),
    products,
    discount: null,
    frontendBaseUrl: "https://pay.example.com"
  })
}

describe("CheckoutView.displayProduct", () => {
  it("gives the same display object for the same catalog product, in every view", () => {
    const product = catalogProduct()
    const other = catalogProduct()
    const shown = CheckoutView.displayProduct(product)
    expect(CheckoutView.displayProduct(product)).toBe(shown)
    expect(CheckoutView.displayProduct(other)).not.toBe(shown)

    const first = viewOf([product, other])
    const second = viewOf([product, other])
    expect(first.products[0]).toBe(shown)
    expect(second.products[0]).toBe(shown)
    expect(first.product).toBe(shown)
    expect(second.products[1]).toBe(first.products[1])
    expect(second.prices[product.id]).toBe(shown.prices)
    // Still the buyer's view: public benefits and live catalog prices only.
    expect(shown.benefits.map((b) => b.visibility)).toEqual(["public"])
    expect(amounts(shown)).toEqual([1000, 900])
  })

  it("gives a new display object for an updated product and leaves the old one as it was", () => {
    const product = catalogProduct()
    const old = viewOf([product])
    const updated: Product.Product = {
      ...product,
      name: "Pro 2",
      prices: [F.fixed(1500, { id: product.prices[0]!.id })(product.id)]
    }
    const fresh = viewOf([updated])

    expect(fresh.product).not.toBe(old.product)
    expect(fresh.product?.name).toBe("Pro 2")
    expect(amounts(fresh.products[0])).toEqual([1500])
    expect(CheckoutView.displayProduct(updated)).toBe(fresh.product)

    expect(old.product?.name).toBe("Pro")
    expect(amounts(old.products[0])).toEqual([1000, 900])
    expect(CheckoutView.displayProduct(product)).toBe(old.product)
  })
})

describe("CheckoutView.remembered keeps the last views", () => {
  const product = catalogProduct()
  const organization = F.organization({ id: orgId })
  const input = (checkout = F.checkout({
    organizationId: orgId,
    productIds: [product.id],
    productId: product.id,
    productPriceId: product.prices[0]!.id
  })): CheckoutView.MakeInput => ({
    checkout,
    organization,
    products: [product],
    discount: null,
    frontendBaseUrl: "https://pay.example.com"
  })

  it("gives the same view object for the same checkout value over the same inputs", () => {
    const first = input()
    const view = CheckoutView.remembered(first)
    // Another input object with identical parts (a second read of the same stored values).
    expect(CheckoutView.remembered({ ...first, products: [...first.products] })).toBe(view)
    expect(CheckoutView.remembered({ ...first, customerSessionToken: null })).toBe(view)
  })

  it("makes a new view when any input differs, showing it", () => {
    const first = input()
    const view = CheckoutView.remembered(first)
    const changed = { ...first.checkout, customerEmail: "buyer@example.com" }
    const other = CheckoutView.remembered({ ...first, checkout: changed })
    expect(other).not.toBe(view)
    expect(other.checkout.customerEmail).toBe("buyer@example.com")
    expect(view.checkout.customerEmail).toBe(first.checkout.customerEmail)

    const renamed = CheckoutView.remembered({ ...first, products: [{ ...product, name: "Renamed" }] })
    expect(renamed).not.toBe(view)
    expect(renamed.product?.name).toBe("Renamed")
    const elsewhere = CheckoutView.remembered({ ...first, frontendBaseUrl: "https://other.example.com" })
    expect(elsewhere.url.startsWith("https://other.example.com")).toBe(true)
    const withToken = CheckoutView.remembered({ ...first, customerSessionToken: "polar_cst_x" })
    expect(withToken.customerSessionToken).toBe("polar_cst_x")
    const otherOrg = CheckoutView.remembered({ ...first, organization: { ...organization, name: "Other" } })
    expect(otherOrg.organization.name).toBe("Other")
    const discounted = CheckoutView.remembered({ ...first, discount: F.percentageDiscount({ organizationId: orgId }) })
    expect(discounted.discount).not.toBeNull()
    for (const v of [renamed, elsewhere, withToken, otherOrg, discounted]) expect(v).not.toBe(view)
    // The latest inputs are remembered: asking again with them gives that view.
    expect(CheckoutView.remembered({ ...first, discount: discounted.discount })).toBe(discounted)
  })

  it("make itself keeps nothing: each call is a new view", () => {
    const first = input()
    expect(CheckoutView.make(first)).not.toBe(CheckoutView.make(first))
    expect(CheckoutView.make(first)).toEqual(CheckoutView.remembered(first))
  })

  it("forgets the least recently used views past its bound (memory stays bounded)", () => {
    const first = input()
    const view = CheckoutView.remembered(first)
    for (let i = 0; i < 1100; i++) CheckoutView.remembered(input())
    expect(CheckoutView.remembered(first)).not.toBe(view)
    expect(CheckoutView.remembered(first)).toEqual(view)
  })
})
