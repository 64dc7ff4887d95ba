/**
 * The checkout page's script: loads the checkout from the client endpoint, renders the form, keeps the amount
 * chain current through client updates, confirms, then follows the checkout's status on the event stream until it
 * settles (no polling). Every state is rendered from the server's answer; the page never decides a price.
 */
import * as Api from "./Api.ts"
import { errorId, fieldId, h } from "./Dom.ts"
import * as Parent from "./Parent.ts"
import * as Form from "./Form.ts"
import * as Format from "./Format.ts"
import * as Payment from "./Payment.ts"
import type { Checkout, ValidationItem } from "./Wire.ts"

interface Config {
  readonly clientSecret: string
  readonly paymentMode: "test" | "stripe"
  readonly embed: boolean
  readonly embedOrigin: string | null
  readonly theme: "light" | "dark"
  readonly confirmation: boolean
}

const configScript = document.getElementById("checkout-config") as HTMLScriptElement
const config = JSON.parse(configScript.textContent ?? "{}") as Config
const nonce = configScript.nonce
const app = document.getElementById("app") as HTMLElement
const announcer = h("div", { id: "announcer", class: "visually-hidden", "aria-live": "assertive" })
document.body.append(announcer)

let checkout: Checkout
let draft: Form.Draft = {}
let errors: Record<string, string> = {}
let payment: Payment.Method | null = null
let busy = false
let loadedSent = false
/** What the processor's next action said (e.g. why a 3-D Secure payment stays pending), shown while confirmed. */
let notice: string | null = null

const rank: Readonly<Record<Checkout["status"], number>> = { open: 0, confirmed: 1, succeeded: 2, failed: 2, expired: 2 }

/**
 * Takes a newer answer about the checkout, unless it is older news: the stream can report "succeeded" before the
 * confirm's own answer ("confirmed") arrives, and the page must never step back.
 */
const adopt = (next: Checkout): boolean => {
  if (checkout !== undefined && rank[next.status] < rank[checkout.status]) return false
  checkout = next
  return true
}

const announce = (text: string) => {
  announcer.textContent = ""
  // A fresh text node after a tick, so screen readers announce a repeated message too.
  setTimeout(() => (announcer.textContent = text), 50)
}

const keyOf = (item: ValidationItem) => item.loc.slice(item.loc[0] === "body" ? 1 : 0).join(".")

const closeButton = () =>
  config.embed && config.embedOrigin !== null
    ? h("button", { type: "button", id: "close", class: "close", "aria-label": "Close checkout" }, "×")
    : null

const header = () =>
  h(
    "header",
    { class: "org" },
    checkout.organization.avatar_url ? h("img", { src: checkout.organization.avatar_url, alt: "", width: 32, height: 32 }) : null,
    h("span", { id: "org-name" }, checkout.organization.name),
    config.paymentMode === "test" ? h("span", { class: "test-badge", id: "test-mode-banner" }, "TEST MODE") : null,
    closeButton()
  )

const billingDetails = () => ({
  email: String(draft["customer_email"] ?? checkout.customer_email ?? ""),
  name: String(draft["customer_name"] ?? checkout.customer_name ?? "")
})

const show = (...nodes: ReadonlyArray<Node | null>) => {
  app.replaceChildren(...nodes.filter((n): n is Node => n !== null))
  app.removeAttribute("aria-busy")
}

const renderForm = () => {
  const focused = document.activeElement?.id
  // Made once (Stripe's element must not be rebuilt), or when a free selection turns into a paid one.
  if (payment === null || (payment.section === null && checkout.is_payment_form_required)) {
    payment = Payment.make(config.paymentMode, checkout, nonce ?? "", billingDetails)
  }
  if (payment.section !== null) payment.section.hidden = !checkout.is_payment_form_required
  const form = Form.render(checkout, draft, errors)
  const footer = Form.footer(checkout, errors)
  const current = document.getElementById("checkout-form")
  if (current !== null && (payment.section === null || payment.section.isConnected)) {
    // Replace around the payment section, never moving it.
    document.querySelector("header.org")?.replaceWith(header())
    current.replaceWith(form)
    document.getElementById("form-footer")?.replaceWith(footer)
  } else {
    show(header(), form, payment.section, footer)
  }
  const again = focused ? document.getElementById(focused) : null
  if (again) again.focus()
  if (!loadedSent) {
    loadedSent = true
    Parent.post(config.embedOrigin, { event: "loaded" })
  }
}

const stateView = (heading: string, text: string, extra: Node | null = null) => {
  const main = h("section", { class: "state", id: "state", tabindex: -1 }, h("h1", {}, heading), h("p", { role: "status" }, text), extra)
  show(header(), main)
  main.focus()
}

const succeeded = () => {
  const confirmationUrl = `${checkout.url}/confirmation`
  const redirect = checkout.success_url !== confirmationUrl
  Parent.post(config.embedOrigin, { event: "success", successURL: checkout.success_url, redirect })
  if (redirect && !config.embed) {
    stateView("Payment successful", "Taking you back to the store…")
    window.location.assign(checkout.success_url)
    return
  }
  if (!config.embed && !config.confirmation) history.replaceState(null, "", new URL(confirmationUrl).pathname)
  stateView(
    "Payment successful",
    checkout.is_payment_required ? "Thank you! Your payment went through." : "Thank you! Your order is confirmed.",
    h("p", { class: "muted", id: "receipt-email" }, checkout.customer_email ? `A confirmation goes to ${checkout.customer_email}.` : "")
  )
}

const renderStatus = () => {
  switch (checkout.status) {
    case "open":
      return renderForm()
    case "confirmed":
      return stateView(
        "Processing your payment…",
        "This takes a few seconds. Keep this page open.",
        notice === null ? null : h("p", { class: "notice", id: "payment-note", role: "status" }, notice)
      )
    case "succeeded":
      return succeeded()
    case "failed":
      return stateView("Payment failed", "The payment could not be completed and nothing was charged. Go back to the store to start a new checkout.")
    case "expired":
      return stateView("This checkout has expired", "Nothing was charged. Go back to the store to start a new checkout.")
  }
}

/** Places a failure: 422 items next to their fields (or above the button), anything else above the button. */
const fail = (failure: Api.Failure, where: "form" | "payment" = "form") => {
  errors = {}
  if (failure._tag === "Invalid") {
    for (const item of failure.items) {
      const key = keyOf(item)
      const target = document.getElementById(fieldId(key)) ? key : ""
      errors[target] = errors[target] ? `${errors[target]} ${target === "" ? `${key}: ` : ""}${item.msg}` : `${target === "" ? `${key}: ` : ""}${item.msg}`
    }
  } else if (where === "payment" && failure._tag === "Rejected" && failure.error === "PaymentError") {
    errors["payment"] = failure.detail
  } else {
    errors[""] = failure.detail
  }
  renderForm()
  const paymentError = document.getElementById("error-payment")
  if (paymentError && errors["payment"]) {
    paymentError.textContent = errors["payment"]
    paymentError.hidden = false
  }
  const keys = Object.keys(errors)
  announce(keys.length === 1 && keys[0] === "" ? errors[""]! : `Please check: ${keys.map((k) => errors[k]).join(" ")}`)
  const first = keys.map((k) => document.getElementById(k === "payment" ? "payment" : fieldId(k))).find((el) => el !== null)
  const focusable = first?.matches("fieldset") ? first.querySelector<HTMLElement>("input") : first
  focusable?.focus()
}

const setBusy = (on: boolean) => {
  busy = on
  const button = document.getElementById("pay") as HTMLButtonElement | null
  if (button) {
    button.disabled = on
    button.setAttribute("aria-busy", String(on))
  }
}

/** Replaces the amount chain and the pay button's label in place (no re-render: a click in progress survives). */
const refreshTotals = () => {
  document.getElementById("summary")?.replaceWith(Form.summary(checkout))
  const pay = document.getElementById("pay")
  if (pay) pay.textContent = Form.payLabel(checkout)
}

const clearError = (key: string) => {
  delete errors[key]
  document.getElementById(fieldId(key))?.removeAttribute("aria-invalid")
  const line = document.getElementById(errorId(key))
  if (line) line.hidden = true
}

/** Updates that change which fields exist re-render the form; the others only refresh the totals. */
const structural = new Set(["product_id", "product_price_id", "is_business_customer"])

let pending: Promise<void> = Promise.resolve()

const applyUpdate = (patch: Record<string, unknown>): Promise<void> => {
  pending = pending.then(async () => {
    const result = await Api.update(config.clientSecret, patch)
    if (!result.ok) return fail(result.failure)
    if (!adopt(result.checkout)) return
    payment?.update(checkout)
    for (const key of Object.keys(patch)) clearError(key)
    if (checkout.status !== "open") return renderStatus()
    if (Object.keys(patch).some((key) => structural.has(key))) renderForm()
    else refreshTotals()
    announce(`Total: ${document.getElementById("amount-total")?.textContent ?? ""}`)
  })
  return pending
}

const value = (key: string) => {
  const v = draft[key]
  return typeof v === "string" ? v.trim() : v
}

const confirmBody = (token: string | null): Record<string, unknown> => {
  const body: Record<string, unknown> = {}
  const put = (key: string, v: unknown) => {
    if (v !== undefined && v !== "") body[key] = v
  }
  put("customer_email", value("customer_email") ?? checkout.customer_email ?? undefined)
  put("customer_name", value("customer_name") ?? checkout.customer_name ?? undefined)
  const business = (draft["is_business_customer"] ?? checkout.is_business_customer) === true
  body["is_business_customer"] = business
  if (business) {
    put("customer_billing_name", value("customer_billing_name") ?? checkout.customer_billing_name ?? undefined)
    put("customer_tax_id", value("customer_tax_id") ?? checkout.customer_tax_id ?? undefined)
  }
  const address: Record<string, string> = {}
  for (const input of app.querySelectorAll<HTMLInputElement>("fieldset.address input")) {
    const name = input.name.replace("customer_billing_address.", "")
    const v = input.value.trim()
    if (v !== "") address[name] = name === "country" ? v.toUpperCase() : v
  }
  if (Object.keys(address).length > 0) body["customer_billing_address"] = address
  const fields: Record<string, unknown> = {}
  for (const attached of checkout.attached_custom_fields) {
    const f = attached.custom_field
    const el = document.getElementById(fieldId(`custom_field_data.${f.slug}`)) as HTMLInputElement | null
    if (el === null) continue
    if (f.type === "checkbox") fields[f.slug] = el.checked
    else if (el.value.trim() !== "") fields[f.slug] = f.type === "number" ? Number(el.value) : el.value.trim()
  }
  body["custom_field_data"] = fields
  if (token !== null) body["confirmation_token_id"] = token
  return body
}

const submit = async () => {
  if (busy) return
  setBusy(true)
  // A field edited just before the click is still being sent: confirm what the server has priced.
  await pending
  const token = payment === null || !checkout.is_payment_form_required ? { ok: true as const, id: null } : await payment.token()
  if (!token.ok) {
    setBusy(false)
    return fail({ _tag: "Rejected", status: 400, error: "PaymentError", detail: token.message }, "payment")
  }
  const result = await Api.confirm(config.clientSecret, confirmBody(token.id))
  setBusy(false)
  if (!result.ok) return fail(result.failure, "payment")
  if (!adopt(result.checkout)) return
  errors = {}
  if (checkout.status === "confirmed") Parent.post(config.embedOrigin, { event: "confirmed" })
  renderStatus()
  notice = payment === null ? null : await payment.afterConfirm(checkout)
  if (notice !== null && checkout.status === "confirmed") renderStatus()
}

const refresh = async () => {
  const result = await Api.get(config.clientSecret)
  if (!result.ok) {
    if (result.failure._tag === "Rejected" && result.failure.status === 410) {
      return stateView("This checkout has expired", "Nothing was charged. Go back to the store to start a new checkout.")
    }
    return
  }
  const before = checkout?.status
  if (!adopt(result.checkout)) return
  if (before !== checkout.status) renderStatus()
}

/** The status stream: each `checkout.updated` re-reads the checkout; the browser reconnects by itself. */
const listen = () => {
  const source = new EventSource(Api.streamUrl(config.clientSecret))
  source.onopen = () => {
    // Anything committed before the subscription is caught here.
    if (checkout.status === "confirmed") void refresh()
  }
  source.onmessage = (event) => {
    const data = JSON.parse(String(event.data)) as { key?: string; payload?: { status?: string } }
    if (data.key !== "checkout.updated" || data.payload?.status === checkout.status) return
    void refresh().then(() => {
      if (checkout.status === "succeeded" || checkout.status === "failed" || checkout.status === "expired") source.close()
    })
  }
}

app.addEventListener("input", (event) => {
  const target = event.target as HTMLInputElement
  if (!target.name || target.name === "product_id" || target.name === "test_card") return
  draft[target.name] = target.type === "checkbox" ? target.checked : target.value
  if (errors[target.name]) clearError(target.name)
})

app.addEventListener("change", (event) => {
  const target = event.target as HTMLInputElement
  switch (target.name) {
    case "product_id":
      draft = { ...draft, amount: "", seats: "" }
      delete draft["amount"]
      delete draft["seats"]
      return void applyUpdate({ product_id: target.value })
    case "currency":
      return void applyUpdate({ product_id: checkout.product_id, product_price_id: target.value })
    case "amount": {
      const minor = Format.parseAmount(target.value, checkout.currency)
      if (minor === null) {
        return fail({ _tag: "Invalid", items: [{ loc: ["body", "amount"], msg: "Enter an amount such as 10.00.", type: "value_error" }] })
      }
      return void applyUpdate({ amount: minor })
    }
    case "seats": {
      const seats = Number(target.value)
      if (!Number.isInteger(seats)) {
        return fail({ _tag: "Invalid", items: [{ loc: ["body", "seats"], msg: "Enter a whole number of seats.", type: "value_error" }] })
      }
      return void applyUpdate({ seats })
    }
    case "is_business_customer":
      draft["is_business_customer"] = target.checked
      return void applyUpdate({ is_business_customer: target.checked })
    case "customer_billing_address.country": {
      const before = Form.needsFullAddress(String(draft[target.name] ?? ""))
      draft[target.name] = target.value
      if (before !== Form.needsFullAddress(target.value)) renderForm()
      return
    }
  }
})


app.addEventListener("click", (event) => {
  const target = event.target as HTMLElement
  if (target.id === "apply-discount") {
    const code = (document.getElementById("field-discount_code") as HTMLInputElement).value.trim()
    void applyUpdate({ discount_code: code === "" ? null : code })
  } else if (target.id === "close") {
    if (checkout.status !== "confirmed") Parent.post(config.embedOrigin, { event: "close" })
  }
})

app.addEventListener("keydown", (event) => {
  const target = event.target as HTMLElement
  if (event.key === "Enter" && target.id === "field-discount_code") {
    event.preventDefault()
    document.getElementById("apply-discount")?.click()
  }
})

app.addEventListener("submit", (event) => {
  event.preventDefault()
  void submit()
})

const boot = async () => {
  const result = await Api.get(config.clientSecret)
  if (!result.ok) {
    const expired = result.failure._tag === "Rejected" && result.failure.status === 410
    const main = h("section", { class: "state", id: "state" }, h("h1", {}, expired ? "This checkout has expired" : "Checkout unavailable"), h("p", { role: "status" }, expired ? "Nothing was charged." : result.failure._tag === "Invalid" ? "Please reload." : result.failure.detail))
    return show(main)
  }
  checkout = result.checkout
  renderStatus()
  if (checkout.status === "open" || checkout.status === "confirmed") listen()
}

void boot()
