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
