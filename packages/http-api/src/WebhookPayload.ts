/**
 * The body of a checkout webhook, as the reference sends it: `{"type", "timestamp", "data"}` where `data` is the
 * checkout exactly as `GET /v1/checkouts/{id}` returns it (the same mapping, `Responses.checkout`, and the same
 * encoder compiled from `Wire.Checkout`, `internal/JsonEncoder`), so a
 * receiver's `validateEvent` parses it with the SDK's `Checkout` schema.
 */
import type { CheckoutView, WebhookEndpoint } from "@checkout-kit/domain"
import { DateTime } from "effect"
import * as JsonEncoder from "./internal/JsonEncoder.ts"
import * as Responses from "./Responses.ts"
import * as Wire from "./wire/index.ts"

const encodeCheckout = JsonEncoder.compile(Wire.Checkout)

export const render = (
  type: WebhookEndpoint.DeliveredEventType,
  timestamp: DateTime.Utc,
  view: CheckoutView.CheckoutView
): string =>
  `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(DateTime.formatIso(timestamp))},"data":${encodeCheckout(Responses.checkout(view))}}`
