/**
 * Creating a checkout link (`POST /v1/checkout-links/`): its products (current or deprecated forms), discount and
 * seat lock validated for the caller's organization, then stored with a fresh client secret.
 */
import { Array as Arr, DateTime, Effect, Result } from "effect"
import * as CheckoutLink from "../../CheckoutLink.ts"
import type { Caller, CreateInput } from "../../CheckoutLinkService.ts"
import type * as Product from "../../Product.ts"
import * as SpanAttributes from "../SpanAttributes.ts"
import { invalid, type Kit, readableBy } from "./load.ts"

export const make = (kit: Kit) => {
  const { catalog, links, secrets, validatedDiscount, validatedProducts, validatedSeats } = kit

  const create = Effect.fn("CheckoutLinkService.create")(function*(caller: Caller, input: CreateInput) {
    let products: Arr.NonEmptyReadonlyArray<Product.Product>
    if ("products" in input) {
      products = yield* validatedProducts(caller, input.products)
    } else if ("productId" in input) {
      products = yield* validatedProducts(caller, [input.productId])
    } else {
      const found = yield* catalog.getPrice(input.productPriceId)
      const result = CheckoutLink.validatePrice(input.productPriceId, found, readableBy(caller))
      if (Result.isFailure(result)) return yield* invalid([result.failure])
      products = [result.success]
    }
    const organizationId = products[0].organizationId
    const discountId = input.discountId ?? null
    if (discountId !== null) yield* validatedDiscount(discountId, organizationId, products)
    const seats = input.seats ?? null
    if (seats !== null) yield* validatedSeats(seats, products)
    const now = yield* DateTime.now
    const link: CheckoutLink.CheckoutLink = {
      id: yield* secrets.newId,
      createdAt: now,
      modifiedAt: null,
      deletedAt: null,
      version: 1,
      paymentProcessor: input.paymentProcessor ?? "stripe",
      clientSecret: yield* secrets.clientSecret(CheckoutLink.clientSecretPrefix),
      successUrl: input.successUrl ?? null,
      returnUrl: input.returnUrl ?? null,
      label: input.label ?? null,
      allowDiscountCodes: input.allowDiscountCodes ?? true,
      requireBillingAddress: input.requireBillingAddress ?? false,
      seats,
      discountId,
      organizationId,
      trialInterval: input.trialInterval ?? null,
      trialIntervalCount: input.trialIntervalCount ?? null,
      metadata: input.metadata ?? {},
      productIds: Arr.map(products, (p) => p.id)
    }
    yield* links.insert(link)
    return link
  }, SpanAttributes.annotate("CheckoutLinkService.create"))

  return { create }
}
