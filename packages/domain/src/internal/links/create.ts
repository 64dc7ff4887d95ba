/**
 * Creating a checkout link (`POST /v1/checkout-links/`): load what the body names (its products in the current or
 * deprecated forms, its discount), decide with the pure `LinkDraft.make` (products, discount and seat lock validated
 * for the caller's organization), then store it with a fresh id and client secret.
 */
import { Effect, Option, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller, CreateInput } from "../../CheckoutLinkService.ts"
import * as UseCase from "../UseCase.ts"
import * as LinkDraft from "./LinkDraft.ts"
import { invalid, type Kit, readableBy } from "./load.ts"
import * as Now from "../Now.ts"

export const make = (kit: Kit) => {
  const { catalog, links, secrets } = kit

  const create = UseCase.fn("CheckoutLinkService.create")(function*(caller: Caller, input: CreateInput) {
    // Load what the body names, decide without effects, then draw the identity and persist.
    const found: LinkDraft.Found = {
      now: yield* Now.now,
      readable: readableBy(caller),
      requested: yield* Effect.forEach(
        LinkDraft.requestedIds(input),
        (id) => Effect.map(catalog.getProduct(id), (product) => ({ id, product }))
      ),
      price: "productPriceId" in input ? yield* catalog.getPrice(input.productPriceId) : Option.none(),
      discount: input.discountId === undefined || input.discountId === null
        ? Option.none()
        : yield* catalog.getDiscount(input.discountId)
    }
    const draft = LinkDraft.make(input, found)
    if (Result.isFailure(draft)) return yield* invalid(draft.failure)
    const id = yield* secrets.newId
    const link = LinkDraft.identify(draft.success, id, yield* secrets.clientSecret(CheckoutLink.clientSecretPrefix))
    yield* links.insert(link)
    return link
  })

  return { create }
}
