/** Signatures are Standard Webhooks ones that the Polar SDK's validateEvent accepts, and nothing else does. */
import { assert, describe, it } from "@effect/vitest"
import { validateEvent, WebhookVerificationError } from "@polar-sh/sdk/webhooks"
import { Redacted } from "effect"
import * as Signing from "../src/Signing.ts"

const secret = "polar_whs_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
const body = JSON.stringify({ type: "organization.updated", timestamp: "2026-01-01T00:00:00Z", data: {} })

describe("Signing.sign", () => {
  it("produces the three headers validateEvent verifies with the endpoint's secret", () => {
    const headers = Signing.sign(Redacted.make(secret), "8f6e3a4e-5f0a-4c1e-9b7d-2f1e0c3d4b5a", new Date(), body)
    assert.strictEqual(headers["webhook-id"], "8f6e3a4e-5f0a-4c1e-9b7d-2f1e0c3d4b5a")
    assert.match(headers["webhook-signature"], /^v1,[A-Za-z0-9+/]+=*$/u)
    assert.doesNotThrow(() => {
      try {
        validateEvent(body, { ...headers }, secret)
      } catch (e) {
        // The payload type is accepted or rejected by the SDK's schema after the signature check.
        if (e instanceof WebhookVerificationError) throw e
      }
    })
  })

  it("another secret, another body or an old timestamp are refused", () => {
    const headers = { ...Signing.sign(Redacted.make(secret), "id-1", new Date(), body) }
    assert.throws(() => validateEvent(body, headers, `${secret}x`), WebhookVerificationError)
    assert.throws(() => validateEvent(body.replace("organization", "organisation"), headers, secret), WebhookVerificationError)
    const old = { ...Signing.sign(Redacted.make(secret), "id-1", new Date(Date.now() - 10 * 60_000), body) }
    assert.throws(() => validateEvent(body, old, secret), WebhookVerificationError)
  })
})
