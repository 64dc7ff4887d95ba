/**
 * The Stripe SDK stays out of a server that does not use Stripe: a memory-store, local-test-mode node with a tax
 * rate table (TAX_RATES) serves taxed checkouts and confirms them with a test card without resolving the `stripe`
 * package or `@checkout-kit/stripe` (the rate table and the fake processor are the server's and the domain's). The
 * same hook sees store-memory's modules, so it is watching.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { call, confirmBody, json, starterKit, startNode } from "./Nodes.ts"

describe("lazy Stripe", () => {
  it.live("a test-mode node with a rate table never resolves the Stripe SDK", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "stripe-loads-"))
      const out = join(dir, "loaded")
      const scope = yield* Scope.make()
      const node = yield* startNode({
        CHECKOUT_STORE: "memory",
        TAX_RATES: "US-IL=625",
        NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --import=${pathToFileURL(join(import.meta.dirname, "LoadedModules.mjs")).href}`,
        LOADED_MODULES_OUT: out,
        LOADED_MODULES_MATCH: "/packages/(stripe|store-memory)/src/|/node_modules/stripe/"
      }).pipe(Scope.provide(scope))
      const created = json(yield* call(node.url, "/v1/checkouts/", { method: "POST", body: { products: [starterKit] } }))
      const secret = String(created["client_secret"])
      const confirmed = yield* call(node.url, `/v1/checkouts/client/${secret}/confirm`, {
        method: "POST",
        body: confirmBody("tok_visa", "ada@example.com")
      })
      yield* Scope.close(scope, Exit.void)
      const loaded = existsSync(out) ? readFileSync(out, "utf8").split("\n").filter((l) => l !== "") : []
      rmSync(dir, { recursive: true, force: true })
      assert.strictEqual(confirmed.status, 200, confirmed.body)
      const view = json(confirmed)
      // 6.25 % of the net amount: the server's rate table answered.
      assert.isAbove(Number(view["tax_amount"]), 0)
      assert.strictEqual(view["tax_amount"], Math.round(Number(view["net_amount"]) * 0.0625))
      assert.match(String(view["payment_processor_metadata"]?.["intent_client_secret"]), /^pi_local_[0-9a-f]{24}_secret_[0-9a-f]{24}$/u)
      assert.isTrue(loaded.some((url) => url.includes("/packages/store-memory/src/")), "the hook saw no workspace module")
      assert.deepStrictEqual(loaded.filter((url) => !url.includes("/packages/store-memory/")), [])
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
