/**
 * Applying an update body to a loaded open checkout (the reference's `_update_checkout`), for the three writers: the
 * organization's update, the buyer's update and the buyer's confirm. Every issue is collected; the result is the
 * draft (not repriced) and the selection its amounts depend on.
 */
import { type DateTime, Effect, Result } from "effect"
import * as Address from "../../Address.ts"
import type * as Checkout from "../../Checkout.ts"
import * as CustomField from "../../CustomField.ts"
import * as Discount from "../../Discount.ts"
import * as Metadata from "../../Metadata.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import * as Seats from "../../Seats.ts"
import * as TaxId from "../../TaxId.ts"
import * as Trial from "../../Trial.ts"
import type { Kit, Loaded, Mode, Patch } from "./Kit.ts"
import {
  collect,
  emptyToNull,
  type Issue,
  issue,
  NOT_AVAILABLE_IN_CURRENCY,
  seatTiersOf,
  type Selection,
  validEmail
} from "./Rules.ts"

export const make = ({ selectionOf, validateDiscount }: Pick<Kit, "selectionOf" | "validateDiscount">) => {
  /**
   * Applies an update body to a loaded open checkout (the reference's `_update_checkout`), collecting every issue.
   * Returns the draft (not repriced) and its selection.
   */
  const applyPatch = Effect.fnUntraced(function*(loaded: Loaded, patch: Patch, mode: Mode, now: DateTime.Utc) {
    const issues: Array<Issue> = []
    const c = loaded.checkout
    const org = loaded.organization
    const current = selectionOf(loaded)
    let product = current.product
    let currency = c.currency
    let priceSet = current.priceSet
    let selectedPrice = current.selectedPrice
    let selectionChanged = false

    // Product, price and currency (spec 3.1).
    if (patch.productId !== undefined) {
      const p = loaded.products.find((x) => x.id === patch.productId)
      if (p === undefined) {
        issues.push(issue("value_error", ["body", "product_id"], "Product is not available in this checkout.", patch.productId))
      } else if (p.isArchived) {
        issues.push(issue("value_error", ["body", "product_id"], "Product is archived.", patch.productId))
      } else if (patch.productPriceId !== undefined) {
        const price = Price.catalogPrices(p.prices).find((x) => x.id === patch.productPriceId)
        if (price === undefined) {
          issues.push(
            issue("value_error", ["body", "product_price_id"], "Price is not available in this checkout.", patch.productPriceId)
          )
        } else {
          product = p
          priceSet = Price.singletonPriceSet(price)
          selectedPrice = price
          currency = price.priceCurrency
          selectionChanged = true
        }
      } else {
        const preference = patch.currency !== undefined
          ? [patch.currency]
          : [c.currency, org.defaultPresentmentCurrency]
        const set = Price.selectPriceSet(Price.catalogPrices(p.prices), preference)
        if (Result.isFailure(set)) {
          const loc = patch.currency !== undefined ? ["body", "currency"] : ["body", "product_id"]
          issues.push(issue("value_error", loc, NOT_AVAILABLE_IN_CURRENCY, patch.currency ?? patch.productId))
        } else if (p.id !== c.productId || set.success.currency !== c.currency) {
          product = p
          priceSet = set.success
          selectedPrice = Price.defaultPrice(set.success)
          currency = set.success.currency
          selectionChanged = true
        }
      }
    } else if (patch.currency !== undefined && patch.currency !== c.currency) {
      const set = product === null ? null : Price.selectPriceSet(Price.catalogPrices(product.prices), [patch.currency])
      if (set === null || Result.isFailure(set)) {
        issues.push(issue("value_error", ["body", "currency"], NOT_AVAILABLE_IN_CURRENCY, patch.currency))
      } else {
        priceSet = set.success
        selectedPrice = Price.defaultPrice(set.success)
        currency = set.success.currency
        selectionChanged = true
      }
    }

    // Seats (spec 3.3): a new seat product starts at the given count or its minimum; leaving one clears them.
    const tiers = seatTiersOf(priceSet)
    let seats = c.seats
    let minSeats = c.minSeats
    let maxSeats = c.maxSeats
    if (selectionChanged) {
      if (tiers === null) {
        seats = null
        minSeats = null
        maxSeats = null
      } else {
        seats = Seats.defaultSeats(tiers, minSeats)
      }
    }
    if (patch.seats !== undefined && patch.seats !== null) {
      const fieldIssues = Seats.validateFields(tiers, { seats: patch.seats, minSeats: null, maxSeats: null })
      issues.push(...fieldIssues)
      if (tiers !== null && fieldIssues.length === 0) {
        const ok = collect(issues, Seats.validateSeats(tiers, patch.seats, minSeats, maxSeats))
        if (ok !== undefined) seats = ok
      }
    }

    // Custom amount (spec 3.2): ignored for every other price type.
    const custom = priceSet === null ? undefined : Price.customPrice(priceSet)
    let customAmount: number | null = null
    if (custom !== undefined) {
      customAmount = selectionChanged ? null : current.customAmount
      if (patch.amount !== undefined && patch.amount !== null) {
        const ok = collect(issues, Pricing.validateCustomAmount(custom, patch.amount, currency))
        if (ok !== undefined) customAmount = ok
      }
    }

    // Discount (spec 3.4): kept across product/currency changes only while applicable.
    let discount = current.discount
    if (selectionChanged && discount !== null && (product === null || !Discount.isApplicable(discount, product, currency))) {
      discount = null
    }
    if (mode === "org" && patch.discountId !== undefined) {
      if (patch.discountId === null) discount = null
      else if (product !== null) {
        const ok = collect(issues, yield* validateDiscount(org.id, product, currency, now, { id: patch.discountId }))
        if (ok !== undefined) discount = ok
      }
    }
    if (mode !== "org" && patch.discountCode !== undefined && c.allowDiscountCodes) {
      const code = patch.discountCode === null ? "" : Discount.normalizeCode(patch.discountCode)
      if (code === "") discount = null
      else if (product !== null) {
        const ok = collect(issues, yield* validateDiscount(org.id, product, currency, now, { code }))
        if (ok !== undefined) discount = ok
      }
    }

    // Buyer fields. The e-mail is validated even when a linked customer's e-mail makes the checkout ignore it; a
    // refused one leaves the stored e-mail in the draft (the request fails on it alone, not also as "missing").
    const emailIssues = issues.length
    const patchEmail = patch.customerEmail === undefined ? null : validEmail(issues, emptyToNull(patch.customerEmail))
    const emailRefused = issues.length > emailIssues
    let address = c.customerBillingAddress
    let addressChanged = false
    // An explicit null is ignored, as the reference's `if checkout_update.customer_billing_address:` does: the
    // stored address stays (and a stored tax id is not re-validated).
    if (patch.customerBillingAddress !== undefined && patch.customerBillingAddress !== null) {
      const ok = collect(issues, Address.validateInput(patch.customerBillingAddress, ["body", "customer_billing_address"]))
      if (ok !== undefined) address = ok
      addressChanged = true
    }
    let taxId = c.customerTaxId
    if (patch.customerTaxId !== undefined) {
      const number = emptyToNull(patch.customerTaxId)
      taxId = number === null ? null : collect(issues, TaxId.validate(number, address)) ?? null
    } else if (addressChanged && taxId !== null) {
      // A new country re-validates the stored tax id (FR VAT then country US -> 422).
      collect(issues, TaxId.validate(taxId.number, address))
    }
    let isBusinessCustomer = c.isBusinessCustomer
    let billingName = patch.customerBillingName !== undefined ? emptyToNull(patch.customerBillingName) : c.customerBillingName
    if (patch.isBusinessCustomer !== undefined) isBusinessCustomer = patch.isBusinessCustomer
    if (patch.isBusinessCustomer === false) {
      // Turning business off clears the business fields, even those sent in the same request.
      taxId = null
      billingName = null
    }

    // Custom fields (spec 1.7): merged on update, replaced (and required enforced) on confirm.
    const attached = product?.attachedCustomFields ?? []
    let customFieldData = c.customFieldData
    if (mode === "confirm") {
      const ok = collect(issues, CustomField.validateData(attached, patch.customFieldData ?? {}, { enforceRequired: true }))
      if (ok !== undefined) customFieldData = ok
    } else if (patch.customFieldData !== undefined) {
      const ok = collect(issues, CustomField.validateData(attached, patch.customFieldData, { enforceRequired: false }))
      if (ok !== undefined) customFieldData = { ...c.customFieldData, ...ok }
    }

    if (patch.metadata !== undefined) issues.push(...Metadata.validate(patch.metadata, ["body", "metadata"]))
    if (patch.customerMetadata !== undefined) {
      issues.push(...Metadata.validate(patch.customerMetadata, ["body", "customer_metadata"]))
    }

    // Trial: recomputed when anything it depends on changed.
    const trialInterval = patch.trialInterval !== undefined ? patch.trialInterval : c.trialInterval
    const trialIntervalCount = patch.trialIntervalCount !== undefined ? patch.trialIntervalCount : c.trialIntervalCount
    const allowTrial = patch.allowTrial === undefined || patch.allowTrial === null
      ? c.allowTrial
      : mode === "org"
      ? patch.allowTrial
      : patch.allowTrial && c.allowTrial
    const trialChanged = selectionChanged || patch.trialInterval !== undefined || patch.trialIntervalCount !== undefined ||
      allowTrial !== c.allowTrial
    const trialEnd = trialChanged
      ? Trial.trialEnd(now, Trial.activeTrial({ allowTrial, trialInterval, trialIntervalCount, product }))
      : c.trialEnd

    const draft: Checkout.Checkout = {
      ...c,
      productId: product?.id ?? null,
      productPriceId: selectedPrice?.id ?? null,
      currency,
      seats,
      minSeats,
      maxSeats,
      discountId: discount?.id ?? null,
      customerBillingAddress: address,
      customerTaxId: taxId,
      customerBillingName: billingName,
      isBusinessCustomer,
      customerName: patch.customerName !== undefined ? emptyToNull(patch.customerName) : c.customerName,
      // The email of a linked customer is not the checkout's to change.
      customerEmail: patch.customerEmail !== undefined && c.customerId === null && !emailRefused ? patchEmail : c.customerEmail,
      locale: patch.locale !== undefined ? patch.locale : c.locale,
      paymentMethodType: mode !== "org" && patch.paymentMethodType !== undefined
        ? emptyToNull(patch.paymentMethodType)
        : c.paymentMethodType,
      customFieldData,
      metadata: mode === "org" && patch.metadata !== undefined ? patch.metadata : c.metadata,
      customerMetadata: mode === "org" && patch.customerMetadata !== undefined ? patch.customerMetadata : c.customerMetadata,
      trialInterval,
      trialIntervalCount,
      allowTrial,
      trialEnd,
      allowDiscountCodes: mode === "org" && patch.allowDiscountCodes !== undefined
        ? patch.allowDiscountCodes
        : c.allowDiscountCodes,
      requireBillingAddress: mode === "org" && patch.requireBillingAddress !== undefined
        ? patch.requireBillingAddress
        : c.requireBillingAddress,
      customerIpAddress: mode === "org" && patch.customerIpAddress !== undefined ? patch.customerIpAddress : c.customerIpAddress,
      successUrl: mode === "org" && patch.successUrl !== undefined ? patch.successUrl : c.successUrl,
      returnUrl: mode === "org" && patch.returnUrl !== undefined ? patch.returnUrl : c.returnUrl,
      embedOrigin: mode === "org" && patch.embedOrigin !== undefined ? patch.embedOrigin : c.embedOrigin
    }
    const selection: Selection = { product, priceSet, selectedPrice, customAmount, discount }
    return { draft, selection, issues }
  })

  return applyPatch
}
