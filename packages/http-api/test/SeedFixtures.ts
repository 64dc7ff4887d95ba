/**
 * The pieces of a seed document that the seed tests share (http-api's SeedCheckouts.test.ts and acceptance's
 * test/store-memory/Seed.test.ts, which imports this file by relative path): the Acme organization with a read token,
 * a one-price fixed product, and deterministic checkout ids and valid client secrets.
 */
import { ClientSecret } from "@checkout-kit/domain"

export const acme = "11111111-1111-4111-8111-000000000001"
export const fixed = "22222222-2222-4222-8222-000000000001"
export const token = "polar_oat_seeded_checkouts_test"

/** The n-th seeded client secret: `polar_c_`, 37 characters, checksum. */
export const secret = (n: number): string => {
  const random = `seeded${n}`.padEnd(37, "x")
  return `polar_c_${random}${ClientSecret.checksum(random)}`
}

/** The n-th seeded checkout id (n from 1 to 9). */
export const checkoutId = (n: number): string => `99999999-9999-4999-8999-00000000000${n}`

/** Acme, with `token` allowed to read checkouts. */
export const acmeOrganization = { id: acme, name: "Acme", access_tokens: [{ token, scopes: ["checkouts:read"] }] }

/** The product `fixed`: "Kit", one fixed usd price of 1000. */
export const fixedProduct = {
  id: fixed,
  organization_id: acme,
  name: "Kit",
  prices: [{ id: "33333333-3333-4333-8333-000000000001", amount_type: "fixed", price_amount: 1000 }]
}
