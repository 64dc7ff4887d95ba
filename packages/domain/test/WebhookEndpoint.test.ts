/** The webhook URL rule, private address detection and the retry schedule. */
import { assert, describe, it } from "@effect/vitest"
import * as WebhookEndpoint from "../src/WebhookEndpoint.ts"

const types = (url: unknown, allow: boolean) => WebhookEndpoint.validateUrl(url, ["url"], allow).map((i) => i.reason._tag)

describe("WebhookEndpoint.validateUrl", () => {
  it("https to a public host is accepted; http only when private targets are allowed", () => {
    assert.deepStrictEqual(types("https://hooks.example.com/polar?x=1", false), [])
    assert.deepStrictEqual(types("http://hooks.example.com/polar", false), ["UrlScheme"])
    assert.deepStrictEqual(types("http://hooks.example.com/polar", true), [])
    assert.deepStrictEqual(types("ftp://hooks.example.com/", true), ["UrlScheme"])
  })

  it("literal private, loopback and link-local hosts are refused unless allowed", () => {
    for (const host of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "localhost", "[::1]", "[fd00::1]", "0.0.0.0"]) {
      assert.deepStrictEqual(types(`https://${host}/x`, false), ["UrlPrivateAddress"], host)
      assert.deepStrictEqual(types(`http://${host}:8080/x`, true), [], host)
    }
    assert.deepStrictEqual(types("https://172.32.0.1/x", false), [])
  })

  it("garbage, credentials and non-strings are 422s with the pydantic types", () => {
    assert.deepStrictEqual(types("not a url", false), ["UrlRelative"])
    assert.deepStrictEqual(types("https://", false), ["UrlRelative"])
    assert.deepStrictEqual(types("https://user:pw@example.com/", false), ["UrlCredentials"])
    assert.deepStrictEqual(types(42, false), ["UrlType"])
    assert.deepStrictEqual(types(`https://example.com/${"a".repeat(2100)}`, false), ["UrlTooLong"])
  })
})

describe("WebhookEndpoint.retryDelay", () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5_000 }
  it("doubles from the base with jitter in [half, full], capped, then gives up", () => {
    assert.strictEqual(WebhookEndpoint.retryDelay(policy, 1, 0), 500)
    assert.strictEqual(WebhookEndpoint.retryDelay(policy, 1, 0.999999), 999)
    assert.strictEqual(WebhookEndpoint.retryDelay(policy, 2, 0), 1_000)
    assert.strictEqual(WebhookEndpoint.retryDelay(policy, 4, 0), 2_500)
    assert.strictEqual(WebhookEndpoint.retryDelay(policy, 4, 0.999999), 4_999)
    assert.isNull(WebhookEndpoint.retryDelay(policy, 5, 0.5))
  })
})
