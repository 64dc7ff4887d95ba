/**
 * The pure decider of a checkout opened from a checkout link (spec 4.3), re-exported as `CheckoutDraft.fromLink`:
 * lenient, an invalid prefill is dropped instead of refused.
 */
import { type DateTime, Option, Result } from "effect"
import type { FromLinkInput } from "../../CheckoutService.ts"
import * as CustomField from "../../CustomField.ts"
import * as Discount from "../../Discount.ts"
import * as Email from "../../Email.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import * as Seats from "../../Seats.ts"
import type { Plan } from "./Kit.ts"
import { emptyToNull, type Issue, isProductAvailable, issue, NOT_AVAILABLE_IN_CURRENCY, seatTiersOf } from "./Rules.ts"

/** The discount code a link checkout carries, if codes are allowed and it is not empty (what the load phase looks up). */
export const linkDiscountCode = (input: FromLinkInput): string | null => {
  const code = input.discountCode === null ? "" : Discount.normalizeCode(input.discountCode)
  return input.allowDiscountCodes && code !== "" ? code : null
}

/**
 * Decides a checkout opened from a link (spec 4.3): lenient, an invalid prefill (seat lock that no longer fits, custom
 * amount, discount, custom field, e-mail) is dropped. `byCode` / `byId` are the catalog's answers for
 * `linkDiscountCode(input)` and `input.discountId`; the code wins when it is valid.
 */
export const fromLink = (
  input: FromLinkInput,
  found: {
    readonly now: DateTime.Utc
    readonly byCode: Option.Option<Discount.Discount>
    readonly byId: Option.Option<Discount.Discount>
  }
): Result.Result<Plan, ReadonlyArray<Issue>> => {
  const products = input.products.filter(isProductAvailable)
  if (products.length === 0) {
    return Result.fail([issue("value_error", ["body", "products"], "No valid products.", null)])
  }
  const product = products.find((p) => p.id === input.selectedProductId) ?? products[0]!
  const organization = input.organization
  const set = Price.selectPriceSet(
    Price.catalogPrices(product.prices),
    Price.currencyPreference({ currency: null, organizationDefault: organization.defaultPresentmentCurrency })
  )
  if (Result.isFailure(set)) {
    return Result.fail([issue("value_error", ["body", "products", 0], NOT_AVAILABLE_IN_CURRENCY, null)])
  }
  const priceSet = set.success
  const currency = priceSet.currency

  // Seats: the lock applies only while it still fits the tiers (test_seat_lock_drift_falls_back_to_minimum).
  const tiers = seatTiersOf(priceSet)
  let seats: number | null = null
  let lock: number | null = null
  if (tiers !== null) {
    if (input.seatLock !== null && Result.isSuccess(Seats.validateSeats(tiers, input.seatLock, null, null))) {
      lock = input.seatLock
    }
    seats = lock ?? Seats.defaultSeats(tiers, null)
  }

  const custom = Price.customPrice(priceSet)
  const customAmount = custom !== undefined && input.amount !== null &&
      Result.isSuccess(Pricing.validateCustomAmount(custom, input.amount, currency))
    ? input.amount
    : null

  const validated = (field: "discount_id" | "discount_code", discountId: string | null, d: Option.Option<Discount.Discount>) =>
    Result.getOrNull(Discount.validateForCheckout({
      field,
      discountId,
      discount: Option.getOrNull(d),
      organizationId: organization.id,
      product,
      currency,
      now: found.now
    }))
  let discount: Discount.Discount | null = null
  if (linkDiscountCode(input) !== null) discount = validated("discount_code", null, found.byCode)
  if (discount === null && input.discountId !== null) discount = validated("discount_id", input.discountId, found.byId)

  const customFieldData: Record<string, string | number | boolean | null> = {}
  for (const [slug, value] of Object.entries(input.customFieldData)) {
    const r = CustomField.validateData(product.attachedCustomFields, { [slug]: value }, { enforceRequired: false })
    if (Result.isSuccess(r)) Object.assign(customFieldData, r.success)
  }
  // An address the reference refuses is ignored, as an invalid prefill is (test_query_prefill_customer_email_invalid).
  const email = input.customerEmail !== null && Email.problem(input.customerEmail) === undefined ? input.customerEmail : null

  return Result.succeed({
    now: found.now,
    organization,
    products,
    selection: { product, priceSet, selectedPrice: Price.defaultPrice(priceSet), customAmount, discount },
    seats,
    minSeats: lock,
    maxSeats: lock,
    customer: null,
    requestSetBusiness: false,
    fields: {
      currency,
      metadata: input.metadata,
      customFieldData,
      trialInterval: input.trialInterval,
      trialIntervalCount: input.trialIntervalCount,
      allowDiscountCodes: input.allowDiscountCodes,
      requireBillingAddress: input.requireBillingAddress,
      allowTrial: true,
      customerName: emptyToNull(input.customerName),
      customerEmail: email,
      customerIpAddress: input.customerIpAddress,
      successUrl: input.successUrl,
      returnUrl: input.returnUrl,
      embedOrigin: input.embedOrigin,
      locale: input.locale
    }
  })
}
