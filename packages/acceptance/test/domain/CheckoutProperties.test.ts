/**
 * Properties of create over random catalogs (testing-kit arbitraries): a create either succeeds or is a 422, never
 * anything else; a created checkout's amount chain holds (0 <= discount <= amount, net/total by tax behaviour);
 * the view agrees with the stored checkout.
 */
import { describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { expect } from "vitest"
import * as Arbitraries from "../../../domain/src/testing/Arbitraries.ts"
import * as W from "./CheckoutWorld.ts"

describe("CheckoutService.create properties", () => {
  it("random catalog and inputs: 201 or 422, and the amount chain holds", async () => {
    const world = fc.array(Arbitraries.product(W.org.id), { minLength: 1, maxLength: 3 }).chain((products) =>
      fc.tuple(fc.constant(products), Arbitraries.createInput(products), fc.option(Arbitraries.discount(W.org.id), { nil: null }))
    )
    let created = 0
    await fc.assert(
      fc.asyncProperty(world, ([products, input, discount]) =>
        Effect.runPromise(
          Effect.gen(function*() {
            const service = yield* W.service
            const r = yield* Effect.result(
              service.create(W.caller, discount === null ? input : { ...input, discountId: discount.id })
            )
            if (Result.isFailure(r)) {
              expect(r.failure._tag).toBe("RequestValidationError")
              return
            }
            const c = r.success.checkout
            created += 1
            expect(c.discountAmount).toBeGreaterThanOrEqual(0)
            expect(c.discountAmount).toBeLessThanOrEqual(c.amount)
            const taxable = c.amount - c.discountAmount
            if (c.taxBehavior === "inclusive" && c.taxAmount !== null && c.taxAmount > 0) {
              expect([c.netAmount, c.totalAmount]).toEqual([taxable - c.taxAmount, taxable])
            } else {
              expect([c.netAmount, c.totalAmount]).toEqual([taxable, taxable + (c.taxAmount ?? 0)])
            }
            const stored = yield* service.get(W.caller, c.id)
            expect(stored.checkout).toEqual(c)
            expect(r.success.flags.isPaymentFormRequired).toBe(
              r.success.flags.isPaymentRequired || r.success.flags.isPaymentSetupRequired
            )
            expect(r.success.product?.id).toBe(c.productId)
          }).pipe(
            Effect.provide(W.layer({
              seed: { organizations: [W.org], products, discounts: discount === null ? [] : [discount] },
              tax: { rates: { FR: 2000, DE: 1900, US: 800, CA: 500 } }
            })),
            Effect.provide(TestClock.layer())
          )
        )),
      { numRuns: 80, seed: 7 }
    )
    // Most generated inputs are valid: the property is not vacuous.
    expect(created).toBeGreaterThan(40)
  })
})
