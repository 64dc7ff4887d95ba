/**
 * The tax gate of spec 3.5 step 3 through the service: the reference judges `is_payment_form_required` with the
 * PREVIOUS tax still in the total (`net + (tax_amount or 0)`), so a checkout whose taxable amount drops to 0 after
 * it was taxed still asks the calculator; a logical error then leaves the tax null (not 0), which fails a confirm
 * that carries the change. (The reference has no test for this edge; the names say what is checked.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import { FakeTaxCalculator } from "../../../domain/src/testing/FakeTaxCalculator.ts"
import * as W from "./CheckoutWorld.ts"

const LOCATION_ERROR = "We could not determine the customer's tax location based on the provided customer address."
const table = { rates: { FR: 2000, BE: 2100 }, logicalErrors: { DE: LOCATION_ERROR } }

const create = (input: CheckoutService.CreateInput) => W.service.use((s) => s.create(W.caller, input))
const update = (id: string, patch: CheckoutService.UpdateInput) => W.service.use((s) => s.update(W.caller, id, patch))
const confirm = (secret: string, input: CheckoutService.ConfirmInput) => W.service.use((s) => s.confirm(secret, input))
const requests = FakeTaxCalculator.use((f) => f.requests)
const why = <A, E extends { readonly _tag: string }, R>(e: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(e), (x) => ({ tag: x._tag, locs: W.locsOf(x), msgs: W.msgsOf(x) }))

/** A 1000 usd one-time checkout taxed in France (inclusive, 167). */
const taxed = Effect.gen(function*() {
  const c = yield* create({ products: [W.fixed.id], customerBillingAddress: W.frAddress })
  assert.deepStrictEqual([c.checkout.taxAmount, c.checkout.totalAmount], [167, 1000])
  return c
})

describe("tax gate (spec 3.5 step 3: payment form judged on net + previous tax)", () => {
  it.effect("taxable amount drops to 0 after a tax: the calculator is still asked, about 0, and its answer kept", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* taxed
        const before = (yield* requests).length
        const v = yield* update(c.checkout.id, { discountId: W.fullOnce.id })
        const asked = (yield* requests).slice(before)
        assert.deepStrictEqual(asked.map((r) => r.netAmount), [0])
        assert.deepStrictEqual([v.checkout.netAmount, v.checkout.taxAmount, v.checkout.totalAmount], [0, 0, 0])
        assert.strictEqual(v.flags.isPaymentFormRequired, false)
      }),
      { tax: table }
    ))

  it.effect("taxable amount drops to 0 and the calculator refuses the address: tax null, not 0 (update swallows it)", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* taxed
        const v = yield* update(c.checkout.id, { discountId: W.fullOnce.id, customerBillingAddress: { country: "DE" } })
        assert.deepStrictEqual([v.checkout.taxAmount, v.checkout.totalAmount, v.checkout.taxProcessorId], [null, 0, null])
        // The next reprice has no previous tax: 0 + 0 needs no form, the tax is 0 and the calculator is not asked.
        const before = (yield* requests).length
        const confirmed = yield* confirm(c.checkout.clientSecret, { customerEmail: "buyer@example.com" })
        assert.strictEqual((yield* requests).length, before)
        assert.deepStrictEqual([confirmed.checkout.status, confirmed.checkout.taxAmount], ["confirmed", 0])
      }),
      { tax: table }
    ))

  it.effect("a confirm that brings the taxable amount to 0 while a tax is stored fails 422 on a logical tax error", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* taxed
        const e = yield* why(confirm(c.checkout.clientSecret, {
          customerEmail: "buyer@example.com",
          discountCode: W.fullOnce.code!,
          customerBillingAddress: { country: "DE" }
        }))
        assert.deepStrictEqual([e.tag, e.locs, e.msgs], ["RequestValidationError", ["body.customer_billing_address"], [LOCATION_ERROR]])
      }),
      { tax: table }
    ))

  it.effect("a new checkout (no previous tax) with a taxable amount of 0 is not taxed: tax 0, calculator not asked", () =>
    W.run(
      Effect.gen(function*() {
        const c = yield* create({ products: [W.fixed.id], discountId: W.fullOnce.id, customerBillingAddress: { country: "DE" } })
        assert.deepStrictEqual([c.checkout.taxAmount, c.checkout.totalAmount], [0, 0])
        assert.strictEqual((yield* requests).length, 0)
      }),
      { tax: table }
    ))
})
