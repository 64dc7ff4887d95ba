/**
 * Seed fields for the reference's customer and organization rules (issue 19 item 9): an organization's `deleted_at`
 * (soft-deleted: unusable like a blocked one) and a team customer's `owner_email` (prefills its checkouts), decoded
 * into the domain shapes and refused when malformed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Organization } from "@checkout-kit/domain"
import { Effect } from "effect"
import { Seed } from "../src/index.ts"

const acme = "11111111-1111-4111-8111-000000000001"
const team = "44444444-4444-4444-8444-000000000001"

describe("seed: soft-deleted organizations and team owners", () => {
  it.effect("deleted_at and owner_email reach the domain (default null), and satisfy its schemas", () =>
    Effect.gen(function*() {
      const seed = yield* Seed.decode({
        organizations: [
          { id: acme, name: "Acme", deleted_at: "2026-01-01T00:00:00.000Z" },
          { id: "11111111-1111-4111-8111-000000000002", name: "Live" }
        ],
        customers: [
          { id: team, organization_id: acme, type: "team", email: null, owner_email: "owner@example.com" },
          { id: "44444444-4444-4444-8444-000000000002", organization_id: acme, email: "solo@example.com" }
        ]
      })
      const [deleted, live] = seed.organizations
      assert.deepStrictEqual([Organization.canAuthenticate(deleted!), Organization.canAuthenticate(live!)], [false, true])
      assert.deepStrictEqual(seed.customers.map((c) => [c.type, c.email, c.ownerEmail]), [
        ["team", null, "owner@example.com"],
        ["individual", "solo@example.com", null]
      ])
      yield* Seed.assertDomainShapes(seed)
    }))

  it.effect("a malformed owner_email or deleted_at is a SeedError naming the path", () =>
    Effect.gen(function*() {
      const e = yield* Effect.flip(Seed.decode({
        organizations: [{ id: acme, name: "Acme", deleted_at: "yesterday" }],
        customers: [{ id: team, organization_id: acme, type: "team", email: null, owner_email: "nobody" }]
      }))
      assert.include(e.message, "organizations[0].deleted_at")
      assert.include(e.message, "customers[0].owner_email")
    }))
})
