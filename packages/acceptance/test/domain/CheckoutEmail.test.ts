/**
 * E-mail lengths everywhere the use cases accept an address (issue 19 item 6): create, org update, client update and
 * confirm refuse an address pydantic's `EmailStr` refuses with a 422 on `body.customer_email` and store nothing; a
 * link prefill drops it (test_query_prefill_customer_email_invalid). Generated at the boundaries.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import type * as CheckoutService from "../../../domain/src/CheckoutService.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import * as W from "./CheckoutWorld.ts"

const create = (input: CheckoutService.CreateInput) => W.service.use((s) => s.create(W.caller, input))
const update = (id: string, patch: CheckoutService.UpdateInput) => W.service.use((s) => s.update(W.caller, id, patch))
const clientUpdate = (secret: string, patch: CheckoutService.ClientUpdateInput) => W.service.use((s) => s.clientUpdate(secret, patch))
const confirm = (secret: string, input: CheckoutService.ConfirmInput) => W.service.use((s) => s.confirm(secret, input))
const get = (id: string) => W.service.use((s) => s.get(W.caller, id))

/** An address with a local part of `local` characters and a first domain label of `label` characters. */
const address = (local: number, label: number) => `${"b".repeat(local)}@${"d".repeat(label)}.com`
const valid = (local: number, label: number) => local <= 64 && label <= 63

/** Local parts and labels around their limits. */
const lengths = fc.tuple(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 59, max: 68 }))

const refused = <A, R>(e: Effect.Effect<A, unknown, R>) =>
  Effect.map(Effect.flip(e), (x) => {
    const err = x as { readonly _tag: string }
    return { tag: err._tag, items: (W.wireItems(err) ?? []).map((i) => [i.loc.join("."), i.type]) }
  })

const REFUSED = { tag: "RequestValidationError", items: [["body.customer_email", "value_error"]] }

describe("e-mail lengths in the use cases", () => {
  it.effect("create / update / client update / confirm: accepted iff within the limits; a refused one is never stored", () =>
    W.run(Effect.gen(function*() {
      const samples = fc.sample(lengths, { numRuns: 25, seed: 19 })
      for (const [local, label] of [[64, 63], [65, 63], [64, 64], ...samples] as const) {
        const email = address(local, label)
        const ok = valid(local, label)
        // Create.
        const created = yield* Effect.result(create({ products: [W.fixed.id], customerEmail: email }))
        if (ok) assert.strictEqual(created._tag === "Success" && created.success.checkout.customerEmail, email)
        else assert.deepStrictEqual(yield* refused(create({ products: [W.fixed.id], customerEmail: email })), REFUSED)
        // Updates and confirm on a checkout that already has an address.
        const c = yield* create({ products: [W.fixed.id], customerEmail: "kept@example.com" })
        const attempts = [
          update(c.checkout.id, { customerEmail: email }),
          clientUpdate(c.checkout.clientSecret, { customerEmail: email }),
          confirm(c.checkout.clientSecret, { customerEmail: email, customerBillingAddress: W.frAddress, confirmationTokenId: "ctok_1" })
        ]
        if (ok) {
          const v = yield* attempts[0]!
          assert.strictEqual(v.checkout.customerEmail, email)
        } else {
          for (const attempt of attempts) assert.deepStrictEqual(yield* refused(attempt), REFUSED)
          const stored = yield* get(c.checkout.id)
          assert.deepStrictEqual([stored.checkout.customerEmail, stored.checkout.status], ["kept@example.com", "open"])
        }
      }
    })))

  it.effect("a checkout linked to a customer still refuses a too long e-mail (the body is validated first)", () =>
    W.run(Effect.gen(function*() {
      const c = yield* create({ products: [W.fixed.id], customerId: W.customer.id })
      assert.deepStrictEqual(yield* refused(update(c.checkout.id, { customerEmail: address(65, 10) })), REFUSED)
    })))

  it.effect("link prefill (createFromLink): a too long e-mail is dropped, not reported", () =>
    W.run(Effect.gen(function*() {
      const open = (customerEmail: string) =>
        W.service.use((s) => s.createFromLink(F.fromLinkInput(W.org, [W.fixed], { customerEmail })))
      for (const [local, label] of [[64, 63], [65, 63], [64, 64], [10, 300]] as const) {
        const email = address(local, label)
        const v = yield* open(email)
        assert.strictEqual(v.checkout.customerEmail, valid(local, label) ? email : null)
      }
    })))
})
