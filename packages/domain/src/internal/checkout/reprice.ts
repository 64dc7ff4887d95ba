/**
 * Repricing (spec 3.5): the amount chain of a checkout for its selection, and the tax that goes with it (asked from
 * the tax calculator only when a payment form is needed, the product is taxable and a billing address is known).
 */
import { Effect } from "effect"
import type * as Address from "../../Address.ts"
import type * as Checkout from "../../Checkout.ts"
import type * as Organization from "../../Organization.ts"
import * as Price from "../../Price.ts"
import * as Pricing from "../../Pricing.ts"
import type * as Product from "../../Product.ts"
import * as Tax from "../../Tax.ts"
import type { Calculate, Ports, Repriced, TaxOutcome } from "./Kit.ts"
import type { Selection } from "./Rules.ts"

const DEFAULT_TAX_CODE = "general_electronically_supplied_services"

/** The amount chain of `selection` for the checkout, with the given tax input. */
export const priceOf = (draft: Checkout.Checkout, selection: Selection, tax: Tax.TaxInput): Pricing.PriceResult =>
  Pricing.price({
    product: selection.product,
    productPrices: selection.product === null ? null : Price.catalogPrices(selection.product.prices),
    priceSet: selection.priceSet,
    customAmount: selection.customAmount,
    seats: draft.seats,
    discount: selection.discount,
    tax,
    // The stored tax gates the tax step, in both calls of a reprice (spec 3.5 step 3).
    previousTaxAmount: draft.taxAmount,
    trialEnd: draft.trialEnd
  })

/** Writes an amount chain (and the tax fields that go with `tax`) into the checkout. */
export const applyPricing = (draft: Checkout.Checkout, r: Pricing.PriceResult, tax: TaxOutcome): Checkout.Checkout => {
  const amounts = {
    amount: r.amount,
    discountAmount: r.discountAmount,
    netAmount: r.netAmount,
    taxAmount: r.taxAmount,
    totalAmount: r.totalAmount
  }
  switch (tax._tag) {
    case "NotRequired":
      return { ...draft, ...amounts, taxProcessorId: null }
    case "Unchanged":
      return { ...draft, ...amounts }
    case "Quoted":
      return {
        ...draft,
        ...amounts,
        taxBehavior: tax.quote.taxBehavior,
        taxProcessor: tax.quote.processor,
        taxProcessorId: tax.quote.processorId,
        taxBreakdown: tax.quote.breakdown.length === 0 ? null : tax.quote.breakdown
      }
    case "Failed":
      return { ...draft, ...amounts, taxBehavior: null, taxProcessor: null, taxProcessorId: null, taxBreakdown: null }
  }
}

export const make = ({ taxes }: Pick<Ports, "taxes">) => {
  /**
   * Tax for the checkout's current state (spec 3.5): not asked when no payment form is needed or the product is not
   * taxable (tax 0), kept as it was without a billing address, else quoted. A logical error clears the tax fields;
   * the caller decides whether it is an error (confirm) or not (create, update).
   */
  const reprice = (
    draft: Checkout.Checkout,
    selection: Selection,
    organization: Organization.Organization,
    calculate: Calculate = taxes.calculate
  ) => {
    // With the stored tax kept: final when no tax is required (the chain then sets tax 0) or none can be asked yet.
    const pre = priceOf(draft, selection, Tax.unchanged(draft.taxAmount))
    const address = draft.customerBillingAddress
    if (!pre.isTaxRequired || selection.product === null) {
      return Effect.succeed<Repriced>({ checkout: applyPricing(draft, pre, { _tag: "NotRequired" }), taxError: null })
    }
    if (address === null) return Effect.succeed<Repriced>({ checkout: applyPricing(draft, pre, { _tag: "Unchanged" }), taxError: null })
    return quoteTax(draft, { ...selection, product: selection.product }, organization, pre, address, calculate)
  }

  /** `reprice` when a tax quote is needed: asks the calculator, a logical error clears the tax fields. */
  const quoteTax = Effect.fnUntraced(function*(
    draft: Checkout.Checkout,
    selection: Selection & { readonly product: Product.Product },
    organization: Organization.Organization,
    pre: Pricing.PriceResult,
    address: Address.Address,
    calculate: Calculate
  ) {
    const outcome = yield* calculate({
      checkoutId: draft.id,
      currency: draft.currency,
      netAmount: pre.taxableAmount,
      taxBehaviorOption: Tax.behaviorOption(selection.selectedPrice, organization),
      taxCode: selection.product.taxCode ?? DEFAULT_TAX_CODE,
      address,
      taxIds: draft.customerTaxId === null ? [] : [draft.customerTaxId],
      customerExempt: false
    }).pipe(
      Effect.map((quote): TaxOutcome => ({ _tag: "Quoted", quote })),
      Effect.catchTag("TaxCalculationLogicalError", (e) => Effect.succeed<TaxOutcome>({ _tag: "Failed", message: e.message }))
    )
    return {
      checkout: applyPricing(
        draft,
        priceOf(draft, selection, outcome._tag === "Quoted" ? Tax.quote(outcome.quote.amount, outcome.quote.taxBehavior) : Tax.unknown),
        outcome
      ),
      taxError: outcome._tag === "Failed" ? outcome.message : null
    } satisfies Repriced
  })

  return reprice
}
