/**
 * Seeded checkouts: every status decodes as written, priced from the product; a bad entry is a SeedError naming the
 * entry and the field. (Loading them into a store, and loading nothing from a bad seed: acceptance's
 * test/store-memory/Seed.test.ts.)
 */
import { assert, describe, it } from "@effect/vitest"
import { ClientSecret } from "@checkout-kit/domain"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { Seed } from "../src/index.ts"
import { acme, acmeOrganization, checkoutId, fixed, fixedProduct, secret } from "./SeedFixtures.ts"

const custom = "22222222-2222-4222-8222-000000000002"
const seats = "22222222-2222-4222-8222-000000000003"

const base = {
  organizations: [acmeOrganization],
  products: [
    fixedProduct,
    { id: custom, organization_id: acme, name: "Tip", prices: [{ id: "33333333-3333-4333-8333-000000000002", amount_type: "custom", minimum_amount: 100, preset_amount: 500 }] },
    {
      id: seats,
      organization_id: acme,
      name: "Team",
      prices: [{
        id: "33333333-3333-4333-8333-000000000003",
        amount_type: "seat_based",
        seat_tiers: { tiers: [{ min_seats: 2, max_seats: 10, price_per_seat: 300 }], minimum_seats: 2, maximum_seats: 10 }
      }]
    }
  ]
}

/** 2026-06-01: the clock these tests run at. */
const now = Date.parse("2026-06-01T00:00:00.000Z")

const decode = (checkouts: ReadonlyArray<unknown>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(now)
    return yield* Seed.decode({ ...base, checkouts })
  })

const issues = (checkouts: ReadonlyArray<unknown>) =>
  Effect.map(Effect.flip(decode(checkouts)), (error) => error.issues.map((i) => `${i.path}: ${i.message}`))

describe("seeded checkouts", () => {
  it.effect("every status decodes as written, priced from the product", () =>
    Effect.gen(function*() {
      const seed = yield* decode([
        { id: checkoutId(1), product_id: fixed, client_secret: secret(1) },
        { id: checkoutId(2), product_id: fixed, status: "expired", client_secret: secret(2), expires_at: "2026-05-01T00:00:00Z" },
        { id: checkoutId(3), product_id: custom, status: "confirmed", amount: 2500, customer_email: "a@example.com" },
        { id: checkoutId(4), product_id: seats, status: "succeeded", seats: 4, tax_amount: 120 },
        { id: checkoutId(5), product_id: custom, status: "failed", customer_billing_address: { country: "FR" } }
      ])
      yield* Seed.assertDomainShapes(seed)
      const view = seed.checkouts.map((c) => [c.status, c.amount, c.totalAmount, c.seats, c.currency, c.organizationId])
      assert.deepStrictEqual(view, [
        ["open", 1000, 1000, null, "usd", acme],
        ["expired", 1000, 1000, null, "usd", acme],
        ["confirmed", 2500, 2500, null, "usd", acme],
        ["succeeded", 1200, 1320, 4, "usd", acme],
        ["failed", 500, 500, null, "usd", acme]
      ])
      assert.strictEqual(seed.checkouts[0]!.expiresAt.epochMilliseconds, Date.parse("2100-01-01T00:00:00Z"))
      assert.strictEqual(seed.checkouts[4]!.customerBillingAddress?.country, "FR")
      assert.isTrue(seed.checkouts.every((c) => ClientSecret.isValid(c.clientSecret, "polar_c_")))
      assert.strictEqual(new Set(seed.checkouts.map((c) => c.clientSecret)).size, 5)

    }))

  it.effect("an expired checkout without expires_at expires an hour after created_at", () =>
    Effect.gen(function*() {
      const seed = yield* decode([{ id: checkoutId(1), product_id: fixed, status: "expired", created_at: "2026-01-01T00:00:00Z" }])
      assert.strictEqual(seed.checkouts[0]!.expiresAt.epochMilliseconds, Date.parse("2026-01-01T01:00:00Z"))
    }))

  it.effect("each bad entry names the entry and the field", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* issues([
          { id: checkoutId(1), product_id: fixed, status: "expired", expires_at: "2027-01-01T00:00:00Z" },
          { id: checkoutId(2), product_id: fixed, status: "open", expires_at: "2026-01-01T00:00:00Z" },
          { id: checkoutId(3), product_id: "22222222-2222-4222-8222-000000000099" },
          { id: checkoutId(4), product_id: fixed, client_secret: "polar_c_guessable" },
          { id: checkoutId(5), product_id: fixed, amount: 5 },
          { id: checkoutId(6), product_id: custom, amount: 20 },
          { id: checkoutId(7), product_id: seats, seats: 11 },
          { id: checkoutId(8), product_id: fixed, currency: "eur" },
          { id: checkoutId(8), product_id: fixed, client_secret: secret(1) },
          { id: checkoutId(9), product_id: fixed, client_secret: secret(1) }
        ]),
        [
          "checkouts[0].expires_at: Expected a time in the past for an expired checkout",
          "checkouts[1].expires_at: Expected a time in the future for an open checkout (or status \"expired\")",
          "checkouts[2].product_id: Expected the id of a product of this seed, got 22222222-2222-4222-8222-000000000099",
          "checkouts[3].client_secret: Expected a checkout client secret in the reference format (polar_c_, 37 characters, checksum)",
          "checkouts[4].amount: Expected no amount: the product has no custom price",
          "checkouts[5].amount: Expected a valid custom amount (AmountBelowMinimum)",
          "checkouts[6].seats: Expected a seat count from 2 to 10",
          "checkouts[7].currency: Expected a product with a non-archived price in eur",
          `checkouts[8].id: Expected a unique id, ${checkoutId(8)} is already used at checkouts[7].id`,
          "checkouts[9].client_secret: Expected a unique client secret, already used at checkouts[8].client_secret"
        ]
      )
      // Schema-level problems name the field too (unknown status, unknown key).
      assert.deepStrictEqual(
        (yield* issues([{ id: checkoutId(1), product_id: fixed, status: "paid", colour: "red" }])).map((i) => i.split(":")[0]).sort(),
        ["checkouts[0].colour", "checkouts[0].status"]
      )
    }))
})
