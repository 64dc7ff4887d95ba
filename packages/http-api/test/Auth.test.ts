import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { Caller, hasAnyScope, requireScope, requiredScopes, scopesFor } from "../src/Auth.ts"
import { Api } from "../src/Api.ts"

const caller = (...scopes: Array<string>) => ({ organizationId: "org", scopes: new Set(scopes) })

describe("scopes", () => {
  it("read endpoints accept the read or the write scope; writes need write", () => {
    assert.isTrue(hasAnyScope(caller("checkouts:read"), scopesFor.checkoutsRead))
    assert.isTrue(hasAnyScope(caller("checkouts:write"), scopesFor.checkoutsRead))
    assert.isFalse(hasAnyScope(caller("checkouts:read"), scopesFor.checkoutsWrite))
    assert.isFalse(hasAnyScope(caller("checkout_links:write"), scopesFor.checkoutsRead))
    assert.isTrue(hasAnyScope(caller(), []))
  })

  it("every organization endpoint declares its scopes; client endpoints declare none", () => {
    const groups = Api.groups as Record<string, { readonly endpoints: Record<string, any> }>
    const declared = (group: string, endpoint: string) => requiredScopes(groups[group]!.endpoints[endpoint])
    assert.deepStrictEqual(declared("checkouts", "list"), ["checkouts:read", "checkouts:write"])
    assert.deepStrictEqual(declared("checkouts", "create"), ["checkouts:write"])
    assert.deepStrictEqual(declared("checkoutLinks", "get"), ["checkout_links:read", "checkout_links:write"])
    assert.deepStrictEqual(declared("checkoutLinks", "delete"), ["checkout_links:write"])
    assert.deepStrictEqual(declared("checkoutsClient", "confirm"), [])
  })

  it.effect("requireScope passes with one of the scopes and fails with insufficient_scope otherwise", () =>
    Effect.gen(function*() {
      yield* requireScope("checkouts:write").pipe(Effect.provideService(Caller, caller("checkouts:write")))
      const denied = yield* Effect.exit(
        requireScope("checkouts:write").pipe(Effect.provideService(Caller, caller("checkouts:read")))
      )
      assert.isTrue(Exit.isFailure(denied))
      const error = yield* Effect.flip(
        requireScope("checkouts:write").pipe(Effect.provideService(Caller, caller()))
      )
      assert.strictEqual(error.error, "insufficient_scope")
    }))
})
