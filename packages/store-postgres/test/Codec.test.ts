/**
 * Rows read as JSON text are decoded once per text (src/Codec.ts `remembered`): a checkout read again unchanged comes
 * back as the same object (what lets the view and the response body above be kept), any change to the row, by the
 * store or behind its back, is read as the new value, and the memory is bounded.
 */
import { Catalog, CheckoutRepository } from "@checkout-kit/domain"
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Codec from "../src/Codec.ts"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

const { makeCheckout, makeOrganization, makeProduct, uuid } = RepositoryContract
const org = uuid(0x9201)
const product = uuid(0x9202)
const id = uuid(0x9203)
const fixtures = { organizations: [makeOrganization(org)], products: [makeProduct(product, org, { name: "Kept" })] }

describe("Codec.remembered", () => {
  it("decodes a text once, keeps the last `size` texts, forgets the least recently used first", () => {
    const decoded: Array<string> = []
    const decode = Codec.remembered(2, (json) => {
      decoded.push(JSON.stringify(json))
      return { ...(json as object) }
    })
    const a = decode("{\"n\":1}")
    assert.strictEqual(decode("{\"n\":1}"), a)
    const b = decode("{\"n\":2}")
    assert.strictEqual(decode("{\"n\":1}"), a, "a hit makes it the most recent")
    decode("{\"n\":3}") // forgets {"n":2}, the least recently used
    assert.strictEqual(decode("{\"n\":1}"), a)
    assert.notStrictEqual(decode("{\"n\":2}"), b)
    assert.deepStrictEqual(decoded, ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":2}"])
    // Parsed JSON (what the driver gives for a jsonb column) is decoded every time.
    assert.notStrictEqual(decode({ n: 1 }), decode({ n: 1 }))
  })
})

describe("rows read as text", () => {
  it.effect("an unchanged checkout is the same object; a change by the store or behind its back is read as new", () =>
    Effect.gen(function*() {
      const repo = yield* CheckoutRepository
      const sql = yield* SqlClient
      yield* repo.insert(makeCheckout(id, org, product, { customerEmail: "first@example.com" }))
      const first = Option.getOrThrow(yield* repo.findById(id))
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(id)), first)
      assert.strictEqual(Option.getOrThrow(yield* repo.findByClientSecret(first.clientSecret)), first)

      const saved = yield* repo.update({ ...first, customerEmail: "second@example.com" }, first.version)
      const second = Option.getOrThrow(yield* repo.findById(id))
      assert.notStrictEqual(second, first)
      assert.strictEqual(second.customerEmail, "second@example.com")
      assert.strictEqual(second.version, saved.version)
      assert.strictEqual(first.customerEmail, "first@example.com", "the remembered value itself never changes")

      // Same version, other content: written behind the store's back.
      yield* sql`UPDATE checkouts SET data = jsonb_set(data, '{customerEmail}', '"third@example.com"') WHERE id = ${id}`
      const third = Option.getOrThrow(yield* repo.findById(id))
      assert.strictEqual(third.customerEmail, "third@example.com")
      assert.strictEqual(third.version, second.version)

      // The version column is the truth when `data` says otherwise.
      yield* sql`UPDATE checkouts SET version = version + 5 WHERE id = ${id}`
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(id)).version, second.version + 5)

      const catalog = yield* Catalog
      const kept = Option.getOrThrow(yield* catalog.getProduct(product))
      assert.strictEqual(kept.name, "Kept")
    }).pipe(Effect.provide(TestDatabase.layerStore(fixtures))), 20_000)
})
