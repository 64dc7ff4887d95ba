/**
 * The reference's customer rules at create and confirm (spec 5 step 13, 6 last paragraph, 7.1), each test named after
 * the reference's (server/tests/checkout/test_service.py), plus its soft-deleted organization, zero-seat and
 * multi-currency cases (issue 19 item 9).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import { Customers } from "../../../domain/src/ports/Customers.ts"
import { FakePaymentProcessor } from "../../../domain/src/testing/FakePaymentProcessor.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import { MemoryStore } from "@checkout-kit/store-memory"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput) => W.service.use((s) => s.create(W.caller, input))
const update = (id: string, patch: CheckoutService.UpdateInput) => W.service.use((s) => s.update(W.caller, id, patch))
const confirm = (secret: string, input: CheckoutService.ConfirmInput) => W.service.use((s) => s.confirm(secret, input))
const customerOf = (id: string | null) => Effect.map(Customers.use((c) => c.findById(id ?? "")), Option.getOrThrow)
const customerCalls = FakePaymentProcessor.use((f) => f.customerCalls)
const why = <A, E extends { readonly _tag: string }, R>(e: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(e), (x) => ({ tag: x._tag, locs: W.locsOf(x) }))

const usBusinessAddress = { line1: "123 Main St", postalCode: "12345", city: "New York", state: "US-NY", country: "US" } as const

describe("TestConfirm: the customer at confirm", () => {
  it.effect("test_existing_email_external_id_provided: matched by e-mail, linked, the external id is not written", () =>
    W.run(Effect.gen(function*() {
      const existing = F.customer({ organizationId: W.org.id, email: "customer1@example.com" })
      yield* Customers.use((c) => c.insert(existing))
      const c = yield* create({ products: [W.fixed.id], externalCustomerId: "external_id_1" })
      const v = yield* confirm(c.checkout.clientSecret, {
        confirmationTokenId: "ctok_1",
        customerName: "Customer Name",
        customerEmail: "customer1@example.com",
        customerBillingAddress: { country: "FR" }
      })
      assert.deepStrictEqual([v.checkout.status, v.checkout.customerId], ["confirmed", existing.id])
      const stored = yield* customerOf(existing.id)
      assert.deepStrictEqual([stored.email, stored.externalId], ["customer1@example.com", null])
    })))

  it.effect("test_valid_stripe_new_customer_external_id: a customer created at confirm gets the external id", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], externalCustomerId: "EXTERNAL_ID" })
      const v = yield* confirm(c.checkout.clientSecret, {
        confirmationTokenId: "ctok_1",
        customerEmail: "customer@example.com",
        customerName: "Customer Name",
        customerBillingAddress: { country: "FR" }
      })
      assert.strictEqual(v.checkout.status, "confirmed")
      const created = yield* customerOf(v.checkout.customerId)
      assert.deepStrictEqual([created.externalId, created.email, created.name], ["EXTERNAL_ID", "customer@example.com", "Customer Name"])
    })))

  it.effect("test_valid_stripe_business_customer: the billing name is stored on the new customer (and names it)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      const v = yield* confirm(c.checkout.clientSecret, {
        confirmationTokenId: "ctok_1",
        customerName: "Customer Name",
        customerEmail: "customer@example.com",
        isBusinessCustomer: true,
        customerBillingName: "Example Inc",
        customerBillingAddress: usBusinessAddress
      })
      assert.strictEqual(v.checkout.status, "confirmed")
      const created = yield* customerOf(v.checkout.customerId)
      // The reference creates the customer without a name, then fills the empty name with `billing_name or name`.
      assert.deepStrictEqual([created.billingName, created.name], ["Example Inc", "Example Inc"])
      const [call] = yield* customerCalls
      assert.deepStrictEqual([call!.existingId, call!.name], [null, "Example Inc"])
    })))

  it.effect("test_existing_customer_billing_name_updated: a new billing name overwrites, names the processor customer, not the customer", () =>
    W.run(Effect.gen(function*() {
      const existing = F.customer({
        organizationId: W.org.id,
        email: "existing@example.com",
        name: "Existing Person",
        billingName: "Old Billing",
        processorCustomerId: "CHECKOUT_CUSTOMER_ID"
      })
      yield* Customers.use((c) => c.insert(existing))
      const c = yield* create({ products: [W.fixed.id], customerId: existing.id })
      const v = yield* confirm(c.checkout.clientSecret, {
        confirmationTokenId: "ctok_1",
        customerName: "Cardholder Name",
        isBusinessCustomer: true,
        customerBillingName: "ACME Corp Inc.",
        customerBillingAddress: usBusinessAddress
      })
      assert.strictEqual(v.checkout.status, "confirmed")
      const stored = yield* customerOf(existing.id)
      assert.deepStrictEqual([stored.name, stored.billingName], ["Existing Person", "ACME Corp Inc."])
      const [call] = yield* customerCalls
      assert.deepStrictEqual([call!.existingId, call!.name], ["CHECKOUT_CUSTOMER_ID", "ACME Corp Inc."])
    })))

  it.effect("test_existing_customer_without_name_gets_cardholder_name: an empty name is filled from the checkout", () =>
    W.run(Effect.gen(function*() {
      const existing = F.customer({ organizationId: W.org.id, email: "noname@example.com", processorCustomerId: "CHECKOUT_CUSTOMER_ID" })
      yield* Customers.use((c) => c.insert(existing))
      const c = yield* create({ products: [W.fixed.id], customerId: existing.id })
      const v = yield* confirm(c.checkout.clientSecret, {
        confirmationTokenId: "ctok_1",
        customerName: "John Smith",
        customerBillingAddress: { country: "FR" }
      })
      assert.strictEqual(v.checkout.status, "confirmed")
      const stored = yield* customerOf(existing.id)
      // The reference's `billing_name` falls back to the name; the explicit billing name stays unset.
      assert.deepStrictEqual([stored.name, stored.billingName ?? stored.name], ["John Smith", "John Smith"])
    })))
})

describe("TestCreate: prefill from a team customer", () => {
  it.effect("test_valid_team_customer_skips_name_prefill: e-mail, address and tax id copied, not the team's name", () =>
    W.run(Effect.gen(function*() {
      const team = F.customer({
        organizationId: W.org.id,
        type: "team",
        email: "team@example.com",
        name: "The Team",
        billingAddress: { line1: "1 Rue", line2: null, postalCode: "75001", city: "Paris", state: null, country: "FR" },
        taxId: { number: "FR61954506077", format: "eu_vat" }
      })
      yield* Customers.use((c) => c.insert(team))
      const v = yield* create({ productPriceId: W.fixed.prices[0]!.id, customerId: team.id })
      assert.deepStrictEqual(
        [v.checkout.customerId, v.checkout.customerEmail, v.checkout.customerName, v.checkout.customerBillingAddress, v.checkout.customerTaxId],
        [team.id, "team@example.com", null, team.billingAddress, team.taxId]
      )
    })))

  it.effect("test_valid_team_customer_without_email_uses_owner_email", () =>
    W.run(Effect.gen(function*() {
      const team = F.customer({ organizationId: W.org.id, type: "team", email: null, ownerEmail: "owner@example.com" })
      yield* Customers.use((c) => c.insert(team))
      const v = yield* create({ productPriceId: W.fixed.prices[0]!.id, customerId: team.id })
      assert.deepStrictEqual([v.checkout.customerId, v.checkout.customerEmail], [team.id, "owner@example.com"])
      // An individual customer without e-mail gets none from an owner (only teams have one).
      const solo = F.customer({ organizationId: W.org.id, email: null, ownerEmail: "owner@example.com" })
      yield* Customers.use((c) => c.insert(solo))
      const w = yield* create({ productPriceId: W.fixed.prices[0]!.id, customerId: solo.id })
      assert.strictEqual(w.checkout.customerEmail, null)
    })))
})

describe("TestGetByClientSecret", () => {
  it.effect("test_raises_not_permitted_for_soft_deleted_organization", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id] })
      yield* MemoryStore.MemoryStore.use((m) => m.putOrganization({ ...W.org, deletedAt: F.epoch }))
      const e = yield* Effect.flip(W.service.use((s) => s.clientGet(c.checkout.clientSecret)))
      assert.strictEqual(e._tag, "NotPermitted")
      const u = yield* Effect.flip(W.service.use((s) => s.clientUpdate(c.checkout.clientSecret, { customerName: "x" })))
      assert.strictEqual(u._tag, "NotPermitted")
    })))
})

describe("seats: 0", () => {
  it.effect("test_seat_based_price_with_zero_seats / test_update_seats_to_zero: refused on create and update", () =>
    W.run(Effect.gen(function*() {
      assert.deepStrictEqual((yield* why(create({ products: [W.seats.id], seats: 0 }))).locs, ["body.seats"])
      const c = yield* create({ products: [W.seats.id], seats: 2 })
      assert.deepStrictEqual((yield* why(update(c.checkout.id, { seats: 0 }))).locs, ["body.seats"])
      const clientZero = yield* why(W.service.use((s) => s.clientUpdate(c.checkout.clientSecret, { seats: 0 })))
      assert.deepStrictEqual(clientZero.locs, ["body.seats"])
      assert.strictEqual((yield* W.service.use((s) => s.get(W.caller, c.checkout.id))).checkout.seats, 2)
    })))
})

const eurOnly = F.product({ organizationId: W.org.id, name: "EUR only", prices: [F.fixed(4242, { currency: "eur" })] })

describe("TestUpdate: currency across a product change", () => {
  it.effect("test_multi_currencies_product_change_same_currency: eur kept without re-sending it", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.multiCurrency.id, eurOnly.id], currency: "eur" })
        assert.deepStrictEqual([c.checkout.currency, c.checkout.productId], ["eur", W.multiCurrency.id])
        const v = yield* update(c.checkout.id, { productId: eurOnly.id })
        assert.deepStrictEqual(
          [v.checkout.productId, v.checkout.productPriceId, v.checkout.currency, v.checkout.amount],
          [eurOnly.id, eurOnly.prices[0]!.id, "eur", 4242]
        )
      }),
      { seed: { ...W.seed, products: [...(W.seed.products ?? []), eurOnly] } }
    ))
})
