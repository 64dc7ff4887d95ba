import { assert, describe, it } from "@effect/vitest"
import { Option, Result } from "effect"
import * as EmbedOrigin from "../src/EmbedOrigin.ts"

const origin = (raw: string): EmbedOrigin.Origin => Option.getOrThrow(EmbedOrigin.parse(raw))

describe("EmbedOrigin.normalize", () => {
  const table: ReadonlyArray<readonly [string, string | null]> = [
    // spec 7.1 test_normalized_embed_origin
    ["https://Example.com:443/", "https://example.com"],
    ["https://www.example.com/checkout", "https://www.example.com"],
    ["http://example.com:80", "http://example.com"],
    ["http://example.com:443", "http://example.com:443"],
    ["https://example.com:80", "https://example.com:80"],
    ["https://example.com:8443/a?b=c#d", "https://example.com:8443"],
    ["HTTPS://EXAMPLE.COM", "https://example.com"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["https://example.com:0443", "https://example.com"],
    ["https://example.com:", "https://example.com"],
    ["https://user:pass@example.com/", "https://example.com"],
    ["https://[::1]:8080/", "https://[::1]:8080"],
    ["https://127.0.0.1", "https://127.0.0.1"],
    ["  https://example.com  ", "https://example.com"],
    // dropped: wildcard, the opaque "null" origin, not http(s), unparseable
    ["*", null],
    ["null", null],
    ["", null],
    ["example.com", null],
    ["//example.com", null],
    ["ftp://example.com", null],
    ["file:///etc/passwd", null],
    ["javascript:alert(1)", null],
    ["https://", null],
    ["https://exa mple.com", null],
    ["https://example.com:99999", null],
    ["https://example.com:12ab", null],
    ["https://*.example.com", null],
    ["https://[::1", null]
  ]
  for (const [raw, expected] of table) {
    it(`${JSON.stringify(raw)} -> ${expected ?? "dropped"}`, () => {
      assert.strictEqual(Option.getOrNull(EmbedOrigin.normalize(raw)), expected)
    })
  }

  it("normalising twice changes nothing", () => {
    for (const [raw] of table) {
      const once = EmbedOrigin.normalize(raw)
      if (Option.isSome(once)) assert.strictEqual(Option.getOrNull(EmbedOrigin.normalize(once.value)), once.value)
    }
  })
})

describe("EmbedOrigin.hostMatches", () => {
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ["example.com", "https://example.com", true],
    ["Example.COM", "https://example.com", true],
    ["example.com", "https://www.example.com", false],
    ["example.com", "https://notexample.com", false],
    ["*.example.com", "https://www.example.com", true],
    ["*.example.com", "https://a.b.example.com", true],
    ["*.example.com", "https://example.com", false],
    ["*.example.com", "https://evilexample.com", false],
    ["*.example.com", "https://example.com.evil.com", false],
    ["*", "https://anything.io", true],
    ["localhost:3000", "http://localhost:3000", true],
    ["localhost:3000", "http://localhost:4000", false],
    ["localhost", "http://localhost:4000", true],
    ["example.com:443", "https://example.com", true],
    ["https://example.com/path", "https://example.com", true],
    ["*.example.com:8443", "https://shop.example.com:8443", true],
    ["*.example.com:8443", "https://shop.example.com", false]
  ]
  for (const [pattern, raw, expected] of cases) {
    it(`${pattern} ${expected ? "matches" : "does not match"} ${raw}`, () => {
      assert.strictEqual(EmbedOrigin.hostMatches(pattern, origin(raw)), expected)
    })
  }
})

describe("EmbedOrigin.resolve", () => {
  it("no embed_origin: nothing stored", () => {
    assert.deepStrictEqual(EmbedOrigin.resolve(null, ["example.com"]), Result.succeed(Option.none()))
  })

  it("unrestricted organization keeps any normalised origin", () => {
    assert.deepStrictEqual(EmbedOrigin.resolve("https://Evil.com:443/x", null), Result.succeed(Option.some("https://evil.com")))
  })

  it("wildcard and null origins are dropped without error even when embedding is restricted", () => {
    for (const raw of ["*", "null", "not a url"]) {
      assert.deepStrictEqual(EmbedOrigin.resolve(raw, []), Result.succeed(Option.none()), raw)
    }
  })

  it("allowed by a wildcard host entry", () => {
    assert.deepStrictEqual(
      EmbedOrigin.resolve("https://www.example.com/checkout", ["*.example.com"]),
      Result.succeed(Option.some("https://www.example.com"))
    )
  })

  it("refused: EmbedHostNotAllowed carries the normalised origin", () => {
    const result = EmbedOrigin.resolve("https://EVIL.com/", ["*.example.com", "example.com"])
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.strictEqual(result.failure._tag, "EmbedHostNotAllowed")
      assert.strictEqual(result.failure.origin, "https://evil.com")
    }
  })

  it("an empty allow-list refuses every origin", () => {
    assert.isTrue(Result.isFailure(EmbedOrigin.resolve("https://example.com", [])))
  })
})
