/**
 * Concurrent first-time buyers: confirms of DIFFERENT checkouts by the same new email must share one customer (the
 * customers' unique email index would otherwise fail all but one of them at commit, a 500). Confirm creates the
 * buyer with Customers.insertOrGet, so the later confirms wait for the first and reuse its customer and its
 * processor customer.
 */
import { assert, describe, it } from "@effect/vitest"
import { MemoryStore } from "@checkout-kit/store-memory"
import { Cause, Effect, Exit } from "effect"
import { Customers } from "../../../domain/src/ports/Customers.ts"
import { FakePaymentProcessor } from "../../../domain/src/testing/FakePaymentProcessor.ts"
import * as W from "./CheckoutWorld.ts"

const buyer = { customerEmail: "Rush@Example.com", customerBillingAddress: W.frAddress, confirmationTokenId: "ctok_rush" }

describe("Concurrent first-time buyers", () => {
  it.effect("20 concurrent confirms of different checkouts by the same new email all succeed; one customer exists", () =>
    W.run(Effect.gen(function*() {
      const service = yield* W.service
      const admin = yield* MemoryStore.MemoryStore
      const checkouts = yield* Effect.forEach(Array.from({ length: 20 }), () => service.create(W.caller, { products: [W.fixed.id] }))
      const before = (yield* admin.size).customers
      const exits = yield* Effect.forEach(
        checkouts,
        (c, i) => Effect.exit(service.confirm(c.checkout.clientSecret, { ...buyer, customerEmail: i % 2 === 0 ? buyer.customerEmail : "rush@example.com" })),
        { concurrency: "unbounded" }
      )
      const failures = exits.flatMap((e) => (Exit.isFailure(e) ? [Cause.pretty(e.cause)] : []))
      assert.deepStrictEqual(failures, [])
      assert.strictEqual((yield* admin.size).customers, before + 1)
      const customer = yield* Customers.use((cs) => cs.findByEmail(W.org.id, "rush@example.com"))
      assert.isTrue(customer._tag === "Some")
      const ids = new Set(exits.map((e) => (Exit.isSuccess(e) ? e.value.checkout.customerId : null)))
      assert.deepStrictEqual([...ids], [customer._tag === "Some" ? customer.value.id : "none"])
      // One processor customer too: the others updated the first one's.
      const upserts = yield* FakePaymentProcessor.use((f) => f.customerCalls)
      assert.strictEqual(upserts.length, 20)
      assert.strictEqual(upserts.filter((u) => u.existingId === null).length, 1)
      assert.strictEqual(yield* FakePaymentProcessor.use((f) => f.charges), 20)
      // The first confirm created the buyer and got a customer session token; the others matched it by email.
      const tokens = exits.filter((e) => Exit.isSuccess(e) && e.value.customerSessionToken !== null)
      assert.strictEqual(tokens.length, 1)
    })))
})
