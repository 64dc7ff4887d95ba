/**
 * Renders the checkout form from the checkout's JSON and the buyer's draft: products and prices, the amount or
 * seats, currency, contact and billing details, business purchase, custom fields, discount code, the amount
 * chain and the pay button. Field names are the wire's (a 422 `loc` finds its field by them).
 */
import * as Format from "./Format.ts"
import { errorLine, field, h } from "./Dom.ts"
import type { AddressField, Checkout, CustomField, Price } from "./Wire.ts"

export type Draft = Record<string, string | boolean>
export type Errors = Readonly<Record<string, string>>

const addressLabels: Readonly<Record<AddressField, string>> = {
  country: "Country (2-letter code)",
  line1: "Address",
  line2: "Address line 2",
  city: "City",
  postal_code: "Postal code",
  state: "State / province"
}
const addressOrder: ReadonlyArray<AddressField> = ["country", "line1", "line2", "city", "postal_code", "state"]

/** Countries whose addresses the server requires in full at confirm (the reference's rule for tax). */
const fullAddressCountries = new Set(["US", "CA"])

export const needsFullAddress = (country: string) => fullAddressCountries.has(country.trim().toUpperCase())

const text = (draft: Draft, key: string, fallback: string | null | undefined) =>
  typeof draft[key] === "string" ? draft[key] as string : fallback ?? ""

const input = (attrs: Readonly<Record<string, string | boolean | number | undefined>>) => h("input", attrs)

export const currencies = (checkout: Checkout): ReadonlyArray<Price> => {
  const prices = checkout.product_id === null ? [] : checkout.prices?.[checkout.product_id] ?? []
  const seen = new Set<string>()
  return prices.filter((p) => p.amount_type !== "metered_unit" && !seen.has(p.price_currency) && seen.add(p.price_currency))
}

const productSection = (checkout: Checkout) => {
  const product = checkout.product
  const price = checkout.product_price
  const choices = checkout.products.length > 1
    ? h(
      "fieldset",
      { class: "products" },
      h("legend", {}, "Choose a product"),
      checkout.products.map((p) =>
        h(
          "label",
          { class: "choice" },
          input({ type: "radio", name: "product_id", value: p.id, checked: p.id === checkout.product_id }),
          h("span", {}, p.name, h("span", { class: "muted" }, ` · ${p.prices[0] ? Format.priceLine(p.prices[0]) : ""}`))
        )
      )
    )
    : null
  const metered = checkout.product_id === null
    ? []
    : (checkout.prices?.[checkout.product_id] ?? []).filter((p) => p.amount_type === "metered_unit")
  return h(
    "section",
    { class: "product", "aria-labelledby": "product-name" },
    h("h1", { id: "product-name" }, product?.name ?? "Checkout"),
    product?.description ? h("p", { class: "muted" }, product.description) : null,
    price ? h("p", { class: "price", id: "price-line" }, Format.priceLine(price)) : null,
    product?.is_recurring
      ? h("p", { class: "muted" }, `Billed ${Format.interval(product.recurring_interval, product.recurring_interval_count)}`)
      : null,
    checkout.active_trial_interval
      ? h(
        "p",
        { class: "trial" },
        `Free trial: ${checkout.active_trial_interval_count ?? 1} ${checkout.active_trial_interval}(s)` +
          (checkout.trial_end ? `, first charge on ${checkout.trial_end.slice(0, 10)}` : "")
      )
      : null,
    metered.map((p) => h("p", { class: "muted metered" }, Format.priceLine(p))),
    product && product.benefits.length > 0
      ? h("ul", { class: "benefits" }, product.benefits.map((b) => h("li", {}, b.description)))
      : null,
    choices
  )
}

const priceInputs = (checkout: Checkout, draft: Draft, errors: Errors) => {
  const price = checkout.product_price
  if (price === null) return null
  const c = checkout.currency
  const parts: Array<HTMLElement> = []
  const options = currencies(checkout)
  if (options.length > 1) {
    parts.push(field(
      "currency",
      "Currency",
      h(
        "select",
        {},
        options.map((p) =>
          h("option", { value: p.id, selected: p.price_currency === c }, p.price_currency.toUpperCase())
        )
      ),
      errors["currency"]
    ))
  }
  if (price.amount_type === "custom") {
    const min = price.minimum_amount ?? 0
    parts.push(field(
      "amount",
      `Amount (${c.toUpperCase()})`,
      input({
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        value: text(draft, "amount", Format.toInput(checkout.amount, c))
      }),
      errors["amount"],
      `Pay what you want${min > 0 ? `, at least ${Format.money(min, c)}` : ""}` +
        (price.maximum_amount ? `, at most ${Format.money(price.maximum_amount, c)}` : "")
    ))
  }
  if (price.amount_type === "seat_based" && price.seat_tiers) {
    const tiers = price.seat_tiers
    const min = checkout.min_seats ?? tiers.minimum_seats
    const max = checkout.max_seats ?? tiers.maximum_seats
    parts.push(field(
      "seats",
      "Seats",
      input({
        type: "number",
        inputmode: "numeric",
        min,
        ...(max === null ? {} : { max }),
        step: 1,
        value: text(draft, "seats", String(checkout.seats ?? min))
      }),
      errors["seats"],
      `${tiers.seat_tier_type === "graduated" ? "Graduated" : "Volume"} pricing: ` +
        tiers.tiers.map((t) => Format.tierLine(t, c)).join("; ")
    ))
  }
  return parts.length === 0 ? null : h("section", { class: "price-inputs" }, parts)
}

const customField = (attached: { readonly required: boolean; readonly custom_field: CustomField }, draft: Draft, checkout: Checkout, errors: Errors) => {
  const f = attached.custom_field
  const key = `custom_field_data.${f.slug}`
  const p = f.properties
  const label = `${p.form_label ?? f.name}${attached.required ? "" : " (optional)"}`
  const stored = checkout.custom_field_data[f.slug]
  const current = draft[key] ?? (stored === null || stored === undefined ? "" : stored)
  const common = { required: attached.required }
  let control: HTMLElement
  switch (f.type) {
    case "checkbox":
      control = input({ ...common, type: "checkbox", checked: current === true || current === "true" })
      break
    case "select":
      control = h(
        "select",
        common,
        h("option", { value: "" }, "Choose…"),
        (p.options ?? []).map((o) => h("option", { value: o.value, selected: o.value === current }, o.label))
      )
      break
    case "number":
      control = input({ ...common, type: "number", step: "any", min: p.ge, max: p.le, value: String(current) })
      break
    case "date":
      control = input({ ...common, type: "date", value: String(current) })
      break
    case "text":
      control = p.textarea
        ? h("textarea", { ...common, minlength: p.min_length, maxlength: p.max_length, placeholder: p.form_placeholder }, String(current))
        : input({
          ...common,
          type: "text",
          minlength: p.min_length,
          maxlength: p.max_length,
          placeholder: p.form_placeholder,
          value: String(current)
        })
      break
  }
  return field(key, label, control, errors[key], p.form_help_text)
}

const addressSection = (checkout: Checkout, draft: Draft, errors: Errors) => {
  const stored = checkout.customer_billing_address ?? {}
  const country = text(draft, "customer_billing_address.country", stored.country).trim().toUpperCase()
  const full = needsFullAddress(country)
  // Without a payment form there is no card to bill: ask only when the checkout insists on an address.
  if (!checkout.is_payment_form_required && !checkout.require_billing_address) return null
  const shown = addressOrder.filter((name) => checkout.billing_address_fields[name] !== "disabled" || full)
  if (shown.length === 0) return null
  return h(
    "fieldset",
    { class: "address" },
    h("legend", {}, "Billing address"),
    shown.map((name) => {
      const key = `customer_billing_address.${name}`
      const required = checkout.billing_address_fields[name] === "required" || (full && name !== "line2")
      return field(
        key,
        `${addressLabels[name]}${required ? "" : " (optional)"}`,
        input({
          type: "text",
          required,
          autocomplete: name === "country" ? "country" : name === "postal_code" ? "postal-code" : name === "state" ? "address-level1" : name === "city" ? "address-level2" : `address-${name}`,
          ...(name === "country" ? { maxlength: 2 } : {}),
          value: text(draft, key, stored[name])
        }),
        errors[key]
      )
    })
  )
}

export const summary = (checkout: Checkout) => {
  const c = checkout.currency
  const row = (label: string, value: string, id: string) =>
    h("div", { class: "row" }, h("dt", {}, label), h("dd", { id }, value))
  return h(
    "dl",
    { class: "summary", id: "summary", "aria-live": "polite" },
    row("Subtotal", Format.money(checkout.amount, c), "amount-subtotal"),
    checkout.discount_amount > 0 ? row(`Discount${checkout.discount?.code ? ` (${checkout.discount.code})` : ""}`, `−${Format.money(checkout.discount_amount, c)}`, "amount-discount") : null,
    row("Tax", checkout.tax_amount === null ? "Calculated with your address" : Format.money(checkout.tax_amount, c), "amount-tax"),
    row("Total", Format.money(checkout.total_amount, c), "amount-total")
  )
}

export const payLabel = (checkout: Checkout) => {
  if (checkout.active_trial_interval) return "Start trial"
  if (!checkout.is_payment_required) return checkout.is_free_product_price ? "Get it free" : "Confirm"
  return `Pay ${Format.money(checkout.total_amount, checkout.currency)}`
}

/**
 * The form's fields and the amount chain. The payment section and the pay button are not inside: the page keeps the
 * payment section's node in place across re-renders (moving Stripe's iframe would reload it), and the button joins
 * the form through its `form` attribute (`footer`).
 */
export const render = (checkout: Checkout, draft: Draft, errors: Errors) => {
  const business = draft["is_business_customer"] ?? checkout.is_business_customer
  const discountCode = text(draft, "discount_code", checkout.discount?.code)
  return h(
    "form",
    { id: "checkout-form", novalidate: true },
    productSection(checkout),
    priceInputs(checkout, draft, errors),
    h(
      "section",
      { class: "contact", "aria-label": "Your details" },
      field("customer_email", "Email", input({ type: "email", required: true, autocomplete: "email", value: text(draft, "customer_email", checkout.customer_email) }), errors["customer_email"]),
      field("customer_name", "Name on card", input({ type: "text", autocomplete: "name", value: text(draft, "customer_name", checkout.customer_name) }), errors["customer_name"]),
      h("div", { class: "field checkbox" }, h("label", {}, input({ type: "checkbox", name: "is_business_customer", id: "field-is_business_customer", checked: business === true }), " I'm purchasing as a business")),
      business === true
        ? [
          field("customer_billing_name", "Business name", input({ type: "text", autocomplete: "organization", value: text(draft, "customer_billing_name", checkout.customer_billing_name) }), errors["customer_billing_name"]),
          field("customer_tax_id", "Tax ID (optional)", input({ type: "text", value: text(draft, "customer_tax_id", checkout.customer_tax_id) }), errors["customer_tax_id"])
        ]
        : null
    ),
    addressSection(checkout, draft, errors),
    checkout.attached_custom_fields.length > 0
      ? h("section", { class: "custom-fields", "aria-label": "More information" }, checkout.attached_custom_fields.map((a) => customField(a, draft, checkout, errors)))
      : null,
    checkout.allow_discount_codes && checkout.is_discount_applicable
      ? h(
        "div",
        { class: "field discount" },
        h("label", { for: "field-discount_code" }, "Discount code"),
        h(
          "div",
          { class: "inline" },
          input({ type: "text", id: "field-discount_code", name: "discount_code", autocomplete: "off", value: discountCode, "aria-describedby": "error-discount_code" }),
          h("button", { type: "button", id: "apply-discount", class: "secondary" }, "Apply")
        ),
        errorLine("discount_code", errors["discount_code"])
      )
      : null,
    summary(checkout)
  )
}

/** Errors no field owns, and the pay button (a submit button of `#checkout-form`). */
export const footer = (checkout: Checkout, errors: Errors) =>
  h(
    "div",
    { id: "form-footer" },
    h("div", { id: "form-errors", class: "form-errors", role: "alert" }, errors[""] ?? ""),
    h("button", { type: "submit", id: "pay", class: "primary", form: "checkout-form" }, payLabel(checkout))
  )
