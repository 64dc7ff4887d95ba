/**
 * Intent lists by customer (`GET /v1/payment_intents`, `GET /v1/setup_intents`), newest first, used by reconciliation.
 */
import type { Store } from "./State.ts"
import { type Reply, type Ctx, ok, str } from "./Reply.ts"

/** The intent list handlers, over one fake's state. */
export const make = (store: Store) => {
  const { paymentIntents, setupIntents, expansions, renderPaymentIntent, renderSetupIntent } = store

  /** `GET /v1/payment_intents|setup_intents?customer=`: newest first, like Stripe's lists (strongly consistent). */
  const listOf = <I extends { readonly customer: string | null; readonly created: number }>(
    all: Iterable<I>,
    params: Ctx["params"],
    render: (i: I) => unknown,
    url: string
  ): Reply => {
    const customer = str(params.customer)
    const limit = typeof params.limit === "number" ? params.limit : 10
    const matching = [...all].filter((i) => customer === null || i.customer === customer).reverse()
      .sort((a, b) => b.created - a.created)
    return ok({ object: "list", url, has_more: matching.length > limit, data: matching.slice(0, limit).map(render) })
  }

  const listPaymentIntents = ({ params }: Ctx): Reply =>
    listOf(paymentIntents.values(), params, (pi) => renderPaymentIntent(pi, expansions(params)), "/v1/payment_intents")

  const listSetupIntents = ({ params }: Ctx): Reply =>
    listOf(setupIntents.values(), params, (si) => renderSetupIntent(si, expansions(params)), "/v1/setup_intents")

  return { listPaymentIntents, listSetupIntents }
}
