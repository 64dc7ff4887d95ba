/**
 * Which billing-address fields a checkout asks for (spec 1.8) and when an address is required at all. A full
 * address is needed when the checkout requires one (explicitly, for a business customer, or for UPI payments) or
 * the buyer is in the US; US and CA always need a state. Both the current mode map and the deprecated boolean map
 * are exposed by the API.
 */
import * as Address from "./Address.ts"

export type Mode = "required" | "optional" | "disabled"

export type Field = "country" | "state" | "line1" | "line2" | "city" | "postalCode"

export interface Fields<A> {
  readonly country: A
  readonly state: A
  readonly line1: A
  readonly line2: A
  readonly city: A
  readonly postalCode: A
}

/** `is_billing_address_required`: explicitly required, a business customer, or a UPI payment. */
export const isRequired = (input: {
  readonly requireBillingAddress: boolean
  readonly isBusinessCustomer: boolean
  readonly paymentMethodType: string | null
}): boolean => input.requireBillingAddress || input.isBusinessCustomer || input.paymentMethodType === "upi"

export interface ModesInput {
  /** `isRequired(...)` of the checkout. */
  readonly required: boolean
  /** The current billing country (uppercase), if any. */
  readonly country: string | null
}

const hasStateCountry = (country: string | null): boolean => country === "US" || country === "CA"

/** `billing_address_fields`. */
export const fieldModes = (input: ModesInput): Fields<Mode> => {
  const full = input.required || input.country === "US"
  return {
    country: "required",
    state: hasStateCountry(input.country) ? "required" : full ? "optional" : "disabled",
    line1: full ? "required" : "disabled",
    line2: full ? "optional" : "disabled",
    city: full ? "required" : "disabled",
    postalCode: full ? "required" : "disabled"
  }
}

/** The deprecated `customer_billing_address_fields` boolean map. */
export const legacyFields = (input: ModesInput): Fields<boolean> => {
  const full = input.required || input.country === "US"
  return {
    country: true,
    state: hasStateCountry(input.country),
    line1: full,
    line2: false,
    city: full,
    postalCode: full
  }
}

/**
 * `require_billing_address` at create (spec 4.2): forced true when the given address carries street-level data,
 * or a state outside the US and Canada (test_implicit_require_billing_address).
 */
export const impliedRequireBillingAddress = (requested: boolean, address: Address.Address | null): boolean =>
  requested ||
  (address !== null && (Address.hasAddress(address) || (address.state !== null && !hasStateCountry(address.country))))
