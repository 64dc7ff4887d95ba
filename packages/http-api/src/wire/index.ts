/**
 * The wire contract in one flat namespace (`Wire.Checkout`, `Wire.CheckoutCreate`, …): snake_case schemas that
 * mirror the components of the Polar OpenAPI document, for responses and request bodies alike.
 */
export * from "./Address.ts"
export * from "./Checkout.ts"
export * from "./CheckoutInput.ts"
export * from "./CheckoutLink.ts"
export * from "./CheckoutLinkInput.ts"
export * from "./CustomField.ts"
export * from "./Discount.ts"
export * from "./Input.ts"
export * from "./ListQuery.ts"
export * from "./ListResource.ts"
export * from "./Metadata.ts"
export * from "./Organization.ts"
export * from "./Price.ts"
export * from "./Product.ts"
export * from "./Scalars.ts"
