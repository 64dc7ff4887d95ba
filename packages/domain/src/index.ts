/**
 * @checkout-kit/domain: the pure checkout domain. Models and pricing are plain functions over plain data (usable
 * without an Effect runtime); ports are Context.Service interfaces; use cases are Effect services.
 */
export * as Address from "./Address.ts"
export * as Checkout from "./Checkout.ts"
export * as CheckoutLink from "./CheckoutLink.ts"
export * as CheckoutStatus from "./CheckoutStatus.ts"
export * as Currency from "./Currency.ts"
export * as Customer from "./Customer.ts"
export * as CustomField from "./CustomField.ts"
export * as Discount from "./Discount.ts"
export * as Errors from "./Errors.ts"
export * as Ids from "./Ids.ts"
export * as Metadata from "./Metadata.ts"
export * as Money from "./Money.ts"
export * as Organization from "./Organization.ts"
export * as Price from "./Price.ts"
export * as Product from "./Product.ts"
export * from "./ports/index.ts"
