/**
 * The client-secret format: checksums that match Python's `zlib.crc32` + base62 (values computed with the
 * reference's own function), generated secrets in the format, a checksum that catches every single-character
 * change, uniform characters over an unguessable length, and the `Secrets` layer on a seeded source (reproducible)
 * and on a secure one (UUID v4 ids, no collisions).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import * as fc from "fast-check"
import { randomBytes, randomUUID } from "node:crypto"
import { crc32 as zlibCrc32 } from "node:zlib"
import * as ClientSecret from "../src/ClientSecret.ts"
import { RandomBytes } from "../src/ports/RandomBytes.ts"
import { Secrets } from "../src/ports/Secrets.ts"

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u

/** A secure source for these tests (the adapters' own is the same two calls). */
const secure = ClientSecret.pooled((size) => randomBytes(size))
const generate = (prefix: ClientSecret.Prefix) => ClientSecret.make(prefix, secure)

const randomPart = fc.string({ unit: fc.constantFrom(...ClientSecret.alphabet), minLength: 37, maxLength: 37 })
const prefix = fc.constantFrom(...ClientSecret.prefixes)

describe("ClientSecret", () => {
  it("checksums agree with the reference (Python zlib.crc32, base62, zero-padded to 6)", () => {
    assert.strictEqual(ClientSecret.checksum("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "2sN54l")
    assert.strictEqual(ClientSecret.checksum("Zq3Lx9mP0aB7cD2eF4gH6iJ8kL1nO5rS3tU9v"), "2RyXsQ")
    assert.strictEqual(ClientSecret.checksum("0000000000000000000000000000000000000"), "3jnQlY")
    assert.isTrue(ClientSecret.isValid("polar_c_Zq3Lx9mP0aB7cD2eF4gH6iJ8kL1nO5rS3tU9v2RyXsQ", "polar_c_"))
  })

  it.prop("the pure CRC-32 equals zlib's on any string (UTF-8 bytes)", [Schema.String], ([text]) => {
    assert.strictEqual(ClientSecret.crc32(text), zlibCrc32(text) >>> 0)
  }, { arbitrary: { runs: 500, seed: 14 } })

  it("generated secrets have the prefix, 37 random characters and a matching checksum", () => {
    for (const p of ClientSecret.prefixes) {
      const shape = new RegExp(`^${p}[A-Za-z0-9]{43}$`, "u")
      const bad = Array.from({ length: 1000 }, () => generate(p)).filter((secret) => !shape.test(secret) || !ClientSecret.isValid(secret, p))
      assert.deepStrictEqual(bad, [])
    }
  })

  it("isValid rejects a wrong prefix, a typo and a bad checksum", () => {
    const secret = generate("polar_c_")
    assert.isFalse(ClientSecret.isValid(secret, "polar_cl_"))
    const at = 8 + 5
    const typo = secret.slice(0, at) + (secret[at] === "a" ? "b" : "a") + secret.slice(at + 1)
    assert.isFalse(ClientSecret.isValid(typo))
    assert.isFalse(ClientSecret.isValid(`${secret.slice(0, -1)}${secret.endsWith("0") ? "1" : "0"}`))
    assert.isFalse(ClientSecret.isValid(`${secret}x`))
    assert.isFalse(ClientSecret.isValid(secret.replace("polar_c_", "polar_x_")))
  })

  it("property: any secret built from any random part is valid, and any single-character change is caught", () => {
    fc.assert(
      fc.property(prefix, randomPart, fc.nat(), fc.nat(), (p, random, position, replacement) => {
        const secret = p + random + ClientSecret.checksum(random)
        assert.isTrue(ClientSecret.isValid(secret, p))
        assert.strictEqual(secret.length, p.length + ClientSecret.randomLength + ClientSecret.checksumLength)
        // Change one character of the random part or of the checksum to another character of the alphabet: CRC-32
        // detects every error burst of up to 32 bits, so no such change can keep the secret valid.
        const i = p.length + (position % (ClientSecret.randomLength + ClientSecret.checksumLength))
        const current = ClientSecret.alphabet.indexOf(secret[i]!)
        const other = ClientSecret.alphabet[(current + 1 + (replacement % 61)) % 62]!
        const changed = secret.slice(0, i) + other + secret.slice(i + 1)
        assert.notStrictEqual(changed, secret)
        assert.isFalse(ClientSecret.isValid(changed))
      }),
      { numRuns: 2000, seed: 14 }
    )
  })

  it("no collisions in 100 000 secrets, and the characters are uniform (chi-square): 37 x log2(62) > 220 bits", () => {
    assert.isAbove(ClientSecret.randomLength * Math.log2(62), 220)
    const seen = new Set<string>()
    const counts = new Map<string, number>()
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const secret = generate("polar_c_")
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

  it("uuidV4 sets the version and variant bits whatever the bytes", () => {
    assert.match(ClientSecret.uuidV4(() => 0xff), uuidV4)
    assert.match(ClientSecret.uuidV4(() => 0), uuidV4)
    assert.match(ClientSecret.uuidV4(ClientSecret.seededBytes(3)), uuidV4)
  })

  it.effect("the Secrets layer on a secure source gives UUID v4 ids and valid client secrets", () =>
    Effect.gen(function*() {
      const secrets = yield* Secrets
      const ids = new Set<string>()
      for (let i = 0; i < 1000; i++) ids.add(yield* secrets.newId)
      assert.strictEqual(ids.size, 1000)
      for (const id of ids) assert.match(id, uuidV4)
      for (const p of ClientSecret.prefixes) assert.isTrue(ClientSecret.isValid(yield* secrets.clientSecret(p), p))
    }).pipe(Effect.provide(ClientSecret.layer.pipe(
      Layer.provide(Layer.succeed(RandomBytes, RandomBytes.of({ nextByte: secure, uuid: () => randomUUID() })))
    ))))

  it.effect("the seeded layer is reproducible, in the same formats, and fresh per build", () =>
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
      // The byte stream of seed 7 as the store-memory implementation drew it (ids and secrets share one stream).
      const bytes = ClientSecret.seededBytes(7)
      assert.deepStrictEqual(a, [ClientSecret.uuidV4(bytes), ClientSecret.make("polar_c_", bytes), ClientSecret.uuidV4(bytes)])
    }))
})
