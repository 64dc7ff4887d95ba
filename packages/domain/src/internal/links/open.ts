/**
 * Opening a checkout link (the public redirect, spec 4.3): the link and its organization (a deleted link or a blocked
 * organization's is not found), the embed origin, then a fresh checkout from the link's settings and the prefill.
 */
import { Array as Arr, Effect, Option, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { OpenInput } from "../../CheckoutLinkService.ts"
import * as EmbedOrigin from "../../EmbedOrigin.ts"
import * as Organization from "../../Organization.ts"
import * as UseCase from "../UseCase.ts"
import { type Kit, notFound } from "./load.ts"

export const make = (kit: Kit) => {
  const { catalog, checkouts, links, organizations } = kit

  const openLink = UseCase.fn("CheckoutLinkService.openLink")(function*(input: OpenInput) {
    const link = yield* links.findByClientSecret(input.clientSecret)
    if (Option.isNone(link)) return yield* notFound(input.clientSecret)
    const organization = yield* organizations.findById(link.value.organizationId)
    // A blocked organization's links behave as if they did not exist (the reference filters them in the query).
    if (Option.isNone(organization) || !Organization.canAuthenticate(organization.value)) return yield* notFound(input.clientSecret)
    const { prefill } = input
    const embedOrigin = EmbedOrigin.resolve(prefill.embedOrigin ?? null, organization.value.embedHosts)
    if (Result.isFailure(embedOrigin)) return yield* embedOrigin.failure
    const products = Arr.getSomes(yield* Effect.forEach(link.value.productIds, (id) => catalog.getProduct(id)))
    const queryProductId = prefill.productId ?? null
    const view = yield* checkouts.createFromLink({
      organization: organization.value,
      products,
      selectedProductId: queryProductId !== null && link.value.productIds.includes(queryProductId) ? queryProductId : null,
      seatLock: link.value.seats,
      amount: prefill.amount ?? null,
      discountId: link.value.discountId,
      discountCode: prefill.discountCode ?? null,
      trialInterval: link.value.trialInterval,
      trialIntervalCount: link.value.trialIntervalCount,
      allowDiscountCodes: link.value.allowDiscountCodes,
      requireBillingAddress: link.value.requireBillingAddress,
      successUrl: link.value.successUrl,
      returnUrl: link.value.returnUrl,
      metadata: CheckoutLink.checkoutMetadata(link.value, prefill.tracking ?? {}),
      embedOrigin: Option.getOrNull(embedOrigin.success),
      customerIpAddress: input.ipAddress,
      customerEmail: prefill.customerEmail ?? null,
      customerName: prefill.customerName ?? null,
      customFieldData: { ...prefill.customFieldData },
      // Organizations have no localization opt-in here, so the reference's default applies.
      locale: "en"
    })
    return { checkout: view }
  })

  return { openLink }
}
