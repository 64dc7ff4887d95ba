/**
 * Stripe Tax calculations (`POST /v1/tax/calculations`) from the configured rate table, with exemptions, reverse
 * charge and inclusive/exclusive line items.
 */
import type * as P from "../ParamSpec.ts"
import { type Store, newId, nowSeconds } from "./State.ts"
import type { TaxCalculation } from "./Objects.ts"
import { type Reply, type Ctx, invalid, ok, str, obj, toAddress } from "./Reply.ts"
import { validTaxIdValue } from "./Customers.ts"

const euCountries = new Set(
  "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" ")
)

/** The tax calculation handler, over one fake's state and its rate table. */
export const make = (store: Store) => {
  const { taxRates, taxCalculations, expansions } = store

  const createTaxCalculation = ({ params }: Ctx): Reply => {
    const currency = str(params.currency)!
    const details = obj(params.customer_details)
    const address = toAddress(details?.address)
    if (details === null || address === null) {
      return invalid("Missing required param: customer_details[address].", {
        code: "parameter_missing",
        param: "customer_details[address]"
      })
    }
    if (address.country === null) {
      return invalid("Missing required param: customer_details[address][country].", {
        code: "parameter_missing",
        param: "customer_details[address][country]"
      })
    }
    if ((address.country === "US" || address.country === "CA") && address.postal_code === null && address.state === null) {
      return invalid(
        "We could not determine the customer's tax location based on the provided customer address.",
        { code: "customer_tax_location_invalid", param: "customer_details[address]" }
      )
    }
    const ids = Array.isArray(details.tax_ids) ? details.tax_ids : []
    for (let i = 0; i < ids.length; i++) {
      const value = str(obj(ids[i])?.value) ?? ""
      if (!validTaxIdValue(value)) {
        return invalid(`Invalid value for ${str(obj(ids[i])?.type) ?? "tax id"}.`, {
          code: "tax_id_invalid",
          param: `customer_details[tax_ids][${i}][value]`
        })
      }
    }
    const override = (str(details.taxability_override) ?? "none") as TaxCalculation["customer_details"][
      "taxability_override"
    ]
    const state = address.state === null ? null : address.state.replace(/^[A-Z]{2}-/u, "")
    const rate = (state !== null ? taxRates[`${address.country}-${state}`] : undefined) ?? taxRates[address.country]
    const reason = override === "customer_exempt"
      ? "customer_exempt"
      : override === "reverse_charge"
      ? "reverse_charge"
      : rate === undefined
      ? "not_collecting"
      : "standard_rated"
    const effective = reason === "standard_rated" ? rate! : 0
    const lineItems = (params.line_items as ReadonlyArray<P.Typed>).map((raw) => {
      const item = obj(raw)!
      const amount = item.amount as number
      const behavior = (str(item.tax_behavior) ?? "exclusive") as "exclusive" | "inclusive"
      const tax = behavior === "exclusive"
        ? Math.round(amount * effective / 100)
        : amount - Math.round(amount / (1 + effective / 100))
      return {
        id: newId("tax_li"),
        object: "tax.calculation_line_item" as const,
        amount,
        amount_tax: tax,
        reference: str(item.reference),
        tax_behavior: behavior,
        tax_code: str(item.tax_code) ?? "txcd_10000000",
        quantity: typeof item.quantity === "number" ? item.quantity : 1,
        livemode: false as const
      }
    })
    const exclusive = lineItems.filter((l) => l.tax_behavior === "exclusive").reduce((s, l) => s + l.amount_tax, 0)
    const inclusive = lineItems.filter((l) => l.tax_behavior === "inclusive").reduce((s, l) => s + l.amount_tax, 0)
    const total = lineItems.reduce((s, l) => s + l.amount, 0) + exclusive
    const id = newId("taxcalc")
    const breakdown = lineItems.map((l) => ({
      amount: l.amount_tax,
      inclusive: l.tax_behavior === "inclusive",
      taxability_reason: reason,
      taxable_amount: l.tax_behavior === "inclusive" ? l.amount - l.amount_tax : l.amount,
      tax_rate_details: {
        country: address.country,
        state,
        percentage_decimal: effective.toFixed(4),
        tax_type: effective === 0 ? null : euCountries.has(address.country!) || address.country === "GB" ? "vat" : "sales_tax",
        rate_type: "percentage" as const,
        flat_amount: null
      }
    }))
    const calculation: TaxCalculation = {
      id,
      object: "tax.calculation",
      amount_total: total,
      currency,
      customer: str(params.customer),
      customer_details: {
        address,
        address_source: (str(details.address_source) ?? "billing") as "billing" | "shipping",
        ip_address: str(details.ip_address),
        tax_ids: ids.map((t) => ({ type: str(obj(t)?.type) ?? "", value: str(obj(t)?.value) ?? "" })),
        taxability_override: override
      },
      expires_at: nowSeconds() + 90 * 24 * 3600,
      livemode: false,
      shipping_cost: null,
      tax_amount_exclusive: exclusive,
      tax_amount_inclusive: inclusive,
      tax_breakdown: breakdown,
      tax_date: typeof params.tax_date === "number" ? params.tax_date : nowSeconds()
    }
    taxCalculations.set(id, calculation)
    return ok(
      expansions(params).has("line_items")
        ? {
          ...calculation,
          line_items: { object: "list", has_more: false, url: `/v1/tax/calculations/${id}/line_items`, data: lineItems }
        }
        : calculation
    )
  }

  return { createTaxCalculation }
}
