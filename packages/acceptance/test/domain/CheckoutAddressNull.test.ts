/**
 * `customer_billing_address: null` on update (issue 19 item 5): the reference's `_update_checkout` only assigns a
 * truthy address, so an explicit null is ignored and the stored address stays. Property: for generated update
 * bodies, org and client, sending the body with `customerBillingAddress: null` gives exactly the checkout the same
 * body without the key gives.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import type * as Checkout from "../../../domain/src/Checkout.ts"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput) => W.service.use((s) => s.create(W.caller, input))
const update = (id: string, patch: CheckoutService.UpdateInput) => W.service.use((s) => s.update(W.caller, id, patch))
const clientUpdate = (secret: string, patch: CheckoutService.ClientUpdateInput) => W.service.use((s) => s.clientUpdate(secret, patch))

const stored = { country: "FR", line1: "1 rue de Rivoli", city: "Paris", postalCode: "75001" } as const

/** A body both updates accept. */
type Body = CheckoutService.UpdateInput & CheckoutService.ClientUpdateInput

/** Update bodies over the buyer fields (every key optional). */
const bodies: fc.Arbitrary<Body> = fc.record({
  customerName: fc.option(fc.constantFrom("Ada", "Grace", ""), { nil: null }),
  customerEmail: fc.option(fc.constantFrom("ada@example.com", "grace@example.org"), { nil: null }),
  customerBillingName: fc.option(fc.constantFrom("Ada Ltd", ""), { nil: null }),
  isBusinessCustomer: fc.boolean(),
  customerTaxId: fc.option(fc.constant("FR61954506077"), { nil: null }),
  locale: fc.option(fc.constantFrom("en", "fr"), { nil: null })
}, { requiredKeys: [] })

/**
 * The stored state the comparison looks at: everything an update can change, not the bookkeeping (ids, times,
 * version, and the fake calculator's per-call processor id).
 */
const state = (v: { readonly checkout: Checkout.Checkout }) => {
  const { id: _id, clientSecret: _s, version: _v, modifiedAt: _m, createdAt: _c, expiresAt: _e, taxProcessorId: _t, ...rest } =
    v.checkout
  return rest
}

describe("customer_billing_address: null on update is ignored (the stored address stays)", () => {
  it.effect("org and client update: body + null address == body without the key, over generated bodies", () =>
    W.run(Effect.gen(function*() {
      for (const body of fc.sample(bodies, { numRuns: 40, seed: 5 })) {
        for (const mode of ["org", "client"] as const) {
          const a = yield* create({ products: [W.fixed.id], customerBillingAddress: stored })
          const b = yield* create({ products: [W.fixed.id], customerBillingAddress: stored })
          const run = (c: typeof a, patch: Body) =>
            Effect.result(mode === "org" ? update(c.checkout.id, patch) : clientUpdate(c.checkout.clientSecret, patch))
          const withNull = yield* run(a, { ...body, customerBillingAddress: null })
          const without = yield* run(b, body)
          assert.strictEqual(withNull._tag, without._tag, JSON.stringify({ mode, body }))
          if (withNull._tag === "Success" && without._tag === "Success") {
            assert.deepStrictEqual(withNull.success.checkout.customerBillingAddress, a.checkout.customerBillingAddress)
            assert.deepStrictEqual(state(withNull.success), state(without.success), JSON.stringify({ mode, body }))
          }
        }
      }
    })))

  it.effect("the stored address keeps its tax: an explicit null does not clear the tax nor the tax id", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], customerBillingAddress: W.frAddress, customerTaxId: "FR61954506077" })
      const v = yield* update(c.checkout.id, { customerBillingAddress: null })
      assert.deepStrictEqual(v.checkout.customerBillingAddress, c.checkout.customerBillingAddress)
      assert.deepStrictEqual([v.checkout.taxAmount, v.checkout.customerTaxId], [c.checkout.taxAmount, c.checkout.customerTaxId])
      assert.isTrue(c.checkout.taxAmount !== null && c.checkout.taxAmount > 0)
      const w = yield* clientUpdate(c.checkout.clientSecret, { customerBillingAddress: null, customerName: "Ada" })
      assert.deepStrictEqual([w.checkout.customerBillingAddress, w.checkout.customerName], [c.checkout.customerBillingAddress, "Ada"])
    })))
})
