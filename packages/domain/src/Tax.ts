/**
 * How a tax quote enters the amount chain (spec 3.5). Tax is computed by the TaxCalculator port on the amount
 * after discount; this module only decides which behaviour to ask for and applies the answer:
 * exclusive tax is added on top (`total = net + tax`), inclusive tax is carved out of the price
 * (`net = amount - discount - tax`, `total = amount - discount`), an unknown tax is null (`total = net`).
 * Tax amounts are the processor's; nothing is rounded here.
 */
import type { TaxBehavior } from "./Checkout.ts"
import type { Organization } from "./Organization.ts"
import type { Price, TaxBehaviorOption } from "./Price.ts"

/** The tax to apply, as far as the checkout knows it. */
export type TaxInput =
  /** No billing address yet, or the calculation failed logically: the tax is not known (null). */
  | { readonly _tag: "Unknown" }
  /**
   * The reference's step 4: no billing address, so the previous tax amount is kept as it was while net is
   * recomputed as `amount - discount` (no inclusive carve-out). `amount` is the checkout's current tax_amount.
   */
  | { readonly _tag: "Unchanged"; readonly amount: number | null }
  /** A fresh quote from the TaxCalculator for the taxable amount. */
  | { readonly _tag: "Quote"; readonly amount: number; readonly behavior: TaxBehavior }

export const unknown: TaxInput = { _tag: "Unknown" }
export const unchanged = (amount: number | null): TaxInput => ({ _tag: "Unchanged", amount })
export const quote = (amount: number, behavior: TaxBehavior): TaxInput => ({ _tag: "Quote", amount, behavior })

/** The behaviour to request: the selected price's `taxBehavior` if set, else the organization's default. */
export const behaviorOption = (
  price: Pick<Price, "taxBehavior"> | null,
  organization: Pick<Organization, "defaultTaxBehavior">
): TaxBehaviorOption => price?.taxBehavior ?? organization.defaultTaxBehavior

const exclusiveCountries: ReadonlySet<string> = new Set(["US", "CA", "IN"])

/** `location` resolves by the billing country: exclusive in the US, Canada and India, inclusive elsewhere. */
export const resolveBehavior = (option: TaxBehaviorOption, country: string): TaxBehavior =>
  option === "location" ? (exclusiveCountries.has(country.toUpperCase()) ? "exclusive" : "inclusive") : option

export interface TaxedAmounts {
  /** After discount; with inclusive tax, also without the tax. */
  readonly netAmount: number
  /** Null while unknown. */
  readonly taxAmount: number | null
  /** What the buyer pays: `net + (tax ?? 0)`. */
  readonly totalAmount: number
}

/**
 * Applies `tax` to `taxable` (= amount - discount, minor units). The formulas of spec 3.5:
 * exclusive `net = taxable, total = net + tax`; inclusive `net = taxable - tax, total = taxable`;
 * unknown `tax = null, total = net`. In every case `total = net + (tax ?? 0)`.
 */
export const apply = (taxable: number, tax: TaxInput): TaxedAmounts => {
  switch (tax._tag) {
    case "Unknown":
      return { netAmount: taxable, taxAmount: null, totalAmount: taxable }
    case "Unchanged":
      return { netAmount: taxable, taxAmount: tax.amount, totalAmount: taxable + (tax.amount ?? 0) }
    case "Quote":
      return tax.behavior === "inclusive"
        ? { netAmount: taxable - tax.amount, taxAmount: tax.amount, totalAmount: taxable }
        : { netAmount: taxable, taxAmount: tax.amount, totalAmount: taxable + tax.amount }
  }
}

/** Tax is not charged (not applicable, or no payment form): 0, not null. */
export const none = (taxable: number): TaxedAmounts => ({ netAmount: taxable, taxAmount: 0, totalAmount: taxable })
