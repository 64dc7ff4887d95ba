/**
 * Reference catalogue 7.2 TestGet.test_blocked_organization, extended to the other org-API use cases: once its
 * organization is blocked, a checkout is not found through the organization's API (get, update) and lists are
 * empty; unblocking makes it readable again. The client API keeps its own answer (403 NotPermitted, spec 2.2).
 */
import { assert, describe, it } from "@effect/vitest"
import { MemoryStore } from "@checkout-kit/store-memory"
import { Effect } from "effect"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import * as W from "./CheckoutWorld.ts"

const blockable = F.organization({ id: F.uuidOf(0xb10), name: "Blockable", slug: "blockable" })
const product = F.product({ organizationId: blockable.id, name: "Blockable product", prices: [F.fixed(1000)] })
const caller = { organizationId: blockable.id }
const seed: MemoryStore.Fixtures = { ...W.seed, organizations: [...W.seed.organizations ?? [], blockable], products: [...W.seed.products ?? [], product] }

const setBlocked = (isBlocked: boolean) => MemoryStore.MemoryStore.use((admin) => admin.putOrganization({ ...blockable, isBlocked }))

describe("TestGet", () => {
  it.effect("test_blocked_organization: 200, then ResourceNotFound once the organization is blocked (get, update, list)", () =>
    W.run(
      Effect.gen(function*() {
        const service = yield* W.service
        const c = yield* service.create(caller, { products: [product.id] })
        assert.strictEqual((yield* service.get(caller, c.checkout.id)).checkout.id, c.checkout.id)
        assert.strictEqual((yield* service.list(caller, { page: 1, limit: 10 })).totalCount, 1)

        yield* setBlocked(true)
        const got = yield* Effect.flip(service.get(caller, c.checkout.id))
        assert.deepStrictEqual([got._tag, got.resource, got.id], ["ResourceNotFound", "Checkout", c.checkout.id])
        const updated = yield* Effect.flip(service.update(caller, c.checkout.id, { metadata: { k: "v" } }))
        assert.strictEqual(updated._tag, "ResourceNotFound")
        assert.deepStrictEqual(yield* service.list(caller, { page: 1, limit: 10 }), { items: [], totalCount: 0 })
        // The client API answers as the reference does for a blocked organization.
        assert.strictEqual((yield* Effect.flip(service.clientGet(c.checkout.clientSecret)))._tag, "NotPermitted")

        yield* setBlocked(false)
        assert.strictEqual((yield* service.get(caller, c.checkout.id)).checkout.id, c.checkout.id)
        const after = yield* service.update(caller, c.checkout.id, { metadata: { k: "v" } })
        assert.deepStrictEqual(after.checkout.metadata, { k: "v" })
        assert.strictEqual((yield* service.list(caller, { page: 1, limit: 10 })).totalCount, 1)
      }),
      { seed }
    ))
})
