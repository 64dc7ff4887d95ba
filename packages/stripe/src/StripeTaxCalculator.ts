/**
 * The domain's `TaxCalculator` port on Stripe Tax (`POST /v1/tax/calculations`), as the reference's Stripe tax
 * processor: one line item for the net amount with the resolved behaviour, the billing address and tax ids as
 * customer details. Stripe's address and tax-id refusals are the logical errors of spec 3.5 (a 422 at confirm);
 * anything else (transport, 5xx, our own bad parameters) is technical.
 */
import { Errors, Tax, type TaxQuote, type TaxRequest, TaxCalculator } from "@checkout-kit/domain"
import { Effect, Layer } from "effect"
import Stripe from "stripe"
import { StripeClient, type StripeFailure } from "./StripeClient.ts"
import { toStripeAddress } from "./internal/requests.ts"

export const processorName = "stripe"

/** Our tax codes (the reference's) to Stripe product tax codes; a Stripe code (`txcd_…`) passes through. */
const stripeTaxCodes: Readonly<Record<string, string>> = {
  general_electronically_supplied_services: "txcd_10000000"
}

const displayNames: Readonly<Record<string, string>> = {
  vat: "VAT",
  gst: "GST",
  hst: "HST",
  pst: "PST",
  qst: "QST",
  igst: "IGST",
  jct: "JCT",
  rst: "RST",
  sales_tax: "Sales Tax"
}

export const messages = {
  missingLocation: "Required tax location information is missing.",
  invalidLocation: "We could not determine the customer's tax location based on the provided customer address.",
  invalidTaxId: "The provided tax ID is invalid."
} as const

/** Maps a Stripe failure to the domain's tax errors. */
export const toTaxError = (
  error: Stripe.errors.StripeError
): Errors.TaxCalculationLogicalError | Errors.TaxCalculationTechnicalError => {
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    const param = error.param ?? ""
    if (error.code === "customer_tax_location_invalid") {
      return new Errors.TaxCalculationLogicalError({ message: messages.invalidLocation })
    }
    if (error.code === "tax_id_invalid" || param.startsWith("customer_details[tax_ids]")) {
      return new Errors.TaxCalculationLogicalError({ message: messages.invalidTaxId })
    }
    if (param.startsWith("customer_details[address]") || param === "customer_details") {
      return new Errors.TaxCalculationLogicalError({ message: messages.missingLocation })
    }
  }
  return new Errors.TaxCalculationTechnicalError({ message: `${error.type}: ${error.message}` })
}

/** The calculation request for one checkout (reference: one line item, referenced by the checkout id). */
export const calculationParams = (
  request: TaxRequest,
  taxCode: string
): Stripe.Tax.CalculationCreateParams => ({
  currency: request.currency,
  line_items: [{
    amount: request.netAmount,
    quantity: 1,
    reference: request.checkoutId,
    tax_behavior: Tax.resolveBehavior(request.taxBehaviorOption, request.address.country),
    tax_code: taxCode
  }],
  customer_details: {
    address: toStripeAddress(request.address),
    address_source: "billing",
    tax_ids: request.taxIds.map((t) => ({
      type: t.format as Stripe.Tax.CalculationCreateParams.CustomerDetails.TaxId.Type,
      value: t.number
    })),
    taxability_override: request.customerExempt ? "customer_exempt" : "none"
  }
})

export const toQuote = (calculation: Stripe.Tax.Calculation, behavior: "inclusive" | "exclusive"): TaxQuote => ({
  amount: behavior === "exclusive" ? calculation.tax_amount_exclusive : calculation.tax_amount_inclusive,
  taxBehavior: behavior,
  processor: processorName,
  processorId: calculation.id ?? null,
  breakdown: (calculation.tax_breakdown ?? []).map((b) => {
    const details = b.tax_rate_details
    const fixed = details.rate_type === "flat_amount"
    return {
      rateType: fixed ? "fixed" as const : "percentage" as const,
      rate: fixed
        ? (details.flat_amount?.amount ?? null)
        : (Number.isFinite(Number(details.percentage_decimal)) ? Number(details.percentage_decimal) / 100 : null),
      displayName: details.tax_type === null ? "Tax" : displayNames[details.tax_type] ?? details.tax_type,
      country: details.country,
      state: details.state,
      subdivision: null,
      amount: b.amount,
      taxabilityReason: b.taxability_reason
    }
  })
})

export const make = Effect.gen(function*() {
  const client = yield* StripeClient
  const calculate = Effect.fn("StripeTaxCalculator.calculate")(
    function*(request: TaxRequest) {
      const taxCode = request.taxCode.startsWith("txcd_") ? request.taxCode : stripeTaxCodes[request.taxCode]
      if (taxCode === undefined) {
        return yield* new Errors.TaxCalculationTechnicalError({
          message: `No Stripe tax code for ${request.taxCode}`
        })
      }
      const behavior = Tax.resolveBehavior(request.taxBehaviorOption, request.address.country)
      const calculation = yield* client.call((sdk) => sdk.tax.calculations.create(calculationParams(request, taxCode)))
        .pipe(Effect.mapError((failure: StripeFailure) => toTaxError(failure.error)))
      return toQuote(calculation, behavior)
    }
  )
  return TaxCalculator.of({ calculate })
})

/** `TaxCalculator` on Stripe Tax, using the `StripeClient` in context. */
export const layer: Layer.Layer<TaxCalculator, never, StripeClient> = Layer.effect(TaxCalculator, make)
