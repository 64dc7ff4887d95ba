/**
 * Client secrets and ids: the reference format, checksums that match Python's `zlib.crc32` + base62 (values
 * computed with the reference's own function), uniform characters, no collisions, UUID v4 ids, and a seeded
 * variant that is reproducible.
 */
import { assert, describe, it } from "@effect/vitest"
import { Secrets } from "@checkout-kit/domain"
import { Effect } from "effect"
import { ClientSecret } from "../src/index.ts"

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u

describe("ClientSecret", () => {
  it("checksums agree with the reference (Python zlib.crc32, base62, zero-padded to 6)", () => {
    assert.strictEqual(ClientSecret.checksum("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "2sN54l")
    assert.strictEqual(ClientSecret.checksum("Zq3Lx9mP0aB7cD2eF4gH6iJ8kL1nO5rS3tU9v"), "2RyXsQ")
    assert.strictEqual(ClientSecret.checksum("0000000000000000000000000000000000000"), "3jnQlY")
    assert.isTrue(ClientSecret.isValid("polar_c_Zq3Lx9mP0aB7cD2eF4gH6iJ8kL1nO5rS3tU9v2RyXsQ", "polar_c_"))
  })

  it("generated secrets have the prefix, 37 random characters and a matching checksum", () => {
    for (const prefix of ["polar_c_", "polar_cl_"] as const) {
      const shape = new RegExp(`^${prefix}[A-Za-z0-9]{43}$`, "u")
      const bad = Array.from({ length: 1000 }, () => ClientSecret.generate(prefix))
        .filter((secret) => !shape.test(secret) || !ClientSecret.isValid(secret, prefix))
      assert.deepStrictEqual(bad, [])
    }
  })

  it("isValid rejects a wrong prefix, a typo and a bad checksum", () => {
    const secret = ClientSecret.generate("polar_c_")
    assert.isFalse(ClientSecret.isValid(secret, "polar_cl_"))
    const at = 8 + 5
    const typo = secret.slice(0, at) + (secret[at] === "a" ? "b" : "a") + secret.slice(at + 1)
    assert.isFalse(ClientSecret.isValid(typo))
    assert.isFalse(ClientSecret.isValid(`${secret.slice(0, -1)}${secret.endsWith("0") ? "1" : "0"}`))
    assert.isFalse(ClientSecret.isValid(`${secret}x`))
    assert.isFalse(ClientSecret.isValid(secret.replace("polar_c_", "polar_x_")))
  })

  it("no collisions in 100 000 secrets, and the characters are uniform (chi-square)", () => {
    const seen = new Set<string>()
    const counts = new Map<string, number>()
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const secret = ClientSecret.generate("polar_c_")
      seen.add(secret)
      const random = secret.slice(8, 8 + 37)
      for (const c of random) counts.set(c, (counts.get(c) ?? 0) + 1)
    }
    assert.strictEqual(seen.size, n)
    assert.strictEqual(counts.size, 62)
    // 61 degrees of freedom: the 99.9999th percentile is about 130. A plain `byte % 62` draw (the first 8
    // characters at 5/256 instead of 4/256) over 3.7 million characters gives a statistic near 24 000.
    const expected = (n * 37) / 62
    let chi = 0
    for (const count of counts.values()) chi += (count - expected) ** 2 / expected
    assert.isBelow(chi, 130)
  })

  it.effect("the Secrets layer gives UUID v4 ids and valid client secrets", () =>
    Effect.gen(function*() {
      const secrets = yield* Secrets
      const ids = new Set<string>()
      for (let i = 0; i < 1000; i++) ids.add(yield* secrets.newId)
      assert.strictEqual(ids.size, 1000)
      for (const id of ids) assert.match(id, uuidV4)
      assert.isTrue(ClientSecret.isValid(yield* secrets.clientSecret("polar_cl_"), "polar_cl_"))
    }).pipe(Effect.provide(ClientSecret.layer)))

  it.effect("the seeded layer is reproducible, in the same formats", () =>
    Effect.gen(function*() {
      const draw = Effect.gen(function*() {
        const secrets = yield* Secrets
        return [yield* secrets.newId, yield* secrets.clientSecret("polar_c_"), yield* secrets.newId] as const
      })
      const a = yield* Effect.provide(draw, ClientSecret.layerSeeded(7))
      const b = yield* Effect.provide(draw, ClientSecret.layerSeeded(7))
      const c = yield* Effect.provide(draw, ClientSecret.layerSeeded(8))
      assert.deepStrictEqual(a, b)
      assert.notDeepEqual(a, c)
      assert.match(a[0], uuidV4)
      assert.notStrictEqual(a[0], a[2])
      assert.isTrue(ClientSecret.isValid(a[1], "polar_c_"))
    }))
})
