/**
 * Everything the checkout page adds to a server's router, as one layer: the page (`/checkout/{client_secret}`
 * and its `/confirmation`), its assets and embed script (`/checkout-page/assets/*`), and the client event stream
 * (`/v1/checkouts/client/{client_secret}/stream`). It needs the domain's `CheckoutService` and a `ChangeFeed`.
 */
import type { CheckoutService } from "@checkout-kit/domain"
import { Layer } from "effect"
import type { HttpRouter } from "effect/http"
import * as Assets from "./Assets.ts"
import type { ChangeFeed } from "./ChangeFeed.ts"
import type * as Csp from "./Csp.ts"
import * as EventStream from "./EventStream.ts"
import * as Page from "./Page.ts"

export interface Options extends EventStream.Options {
  /** "test" with the local test processor (test cards, a visible marker), "stripe" with Stripe.js. */
  readonly paymentMode: Csp.PaymentMode
}

export const layer = (
  options: Options
): Layer.Layer<
  never,
  never,
  | HttpRouter.HttpRouter
  | HttpRouter.Request<"Requires", CheckoutService.CheckoutService>
  | HttpRouter.Request<"Requires", ChangeFeed>
> =>
  Layer.mergeAll(Assets.layer, EventStream.route(options), ...Page.routes(options))
