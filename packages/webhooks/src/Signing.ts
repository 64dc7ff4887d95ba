/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), made by the `standardwebhooks` package: the
 * headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`). The key is the UTF-8 bytes of the endpoint's secret string, which is what the Polar SDK's
 * `validateEvent(body, headers, secret)` verifies with (it base64-encodes the secret before handing it to the same
 * package), so a merchant's existing Polar handler accepts our deliveries unchanged.
 */
import { Redacted } from "effect"
import { Webhook } from "standardwebhooks"

export interface SignedHeaders {
  readonly "webhook-id": string
  readonly "webhook-timestamp": string
  readonly "webhook-signature": string
}

const encoder = new TextEncoder()

/** The headers of one attempt; `at` is the attempt's time (receivers reject timestamps older than 5 minutes). */
export const sign = (secret: Redacted.Redacted<string>, id: string, at: Date, body: string): SignedHeaders => {
  const webhook = new Webhook(encoder.encode(Redacted.value(secret)), { format: "raw" })
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": webhook.sign(id, at, body)
  }
}
