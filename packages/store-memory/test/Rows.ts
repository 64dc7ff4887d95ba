/**
 * The rows these tests use: the contract suite's builders (deterministic ids and times) and a small world of two
 * organizations, their products, discounts and a customer.
 */
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { MemoryStore } from "../src/index.ts"

export const { at, makeCheckout, makeCustomer, makeDiscount, makeFixedPrice, makeLink, makeOrganization, makeProduct, uuid } =
  RepositoryContract

export const orgA = uuid(0x101)
export const orgB = uuid(0x102)
export const productA1 = uuid(0x201)
export const productA2 = uuid(0x202)
export const productA3 = uuid(0x203)
export const productB1 = uuid(0x204)
export const capped = uuid(0x401)
export const single = uuid(0x402)
export const other = uuid(0x403)
export const customerA = uuid(0x501)

export const fixtures: MemoryStore.Fixtures = {
  organizations: [makeOrganization(orgA), makeOrganization(orgB)],
  products: [
    makeProduct(productA1, orgA, { prices: [makeFixedPrice(uuid(0x301), productA1, 1000)] }),
    makeProduct(productA2, orgA),
    makeProduct(productA3, orgA),
    makeProduct(productB1, orgB)
  ],
  discounts: [
    makeDiscount(capped, orgA, { code: "CAPPED", maxRedemptions: 10 }),
    makeDiscount(single, orgA, { maxRedemptions: 1 }),
    makeDiscount(other, orgA, { code: "OTHER" })
  ],
  customers: [makeCustomer(customerA, orgA, { email: "buyer@example.com", externalId: "ext-1" })]
}

/** A fresh store with the fixtures. */
export const store = () => MemoryStore.layer(fixtures)
