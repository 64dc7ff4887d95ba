/**
 * The payment section. Test mode (the server's local test processor): a visible marker and a choice of Stripe's
 * test tokens, sent as the confirmation token; no network beyond our server. Stripe mode: Stripe.js (loaded only
 * here, only in this mode) mounts its Payment Element; at confirm the page creates a ConfirmationToken, and when
 * the confirmed checkout's intent needs an action (3-D Secure) Stripe.js runs it with `handleNextAction`.
 */
import { h } from "./Dom.ts"
import type { Checkout } from "./Wire.ts"

export interface Method {
  /** The section to put in the form (null when no payment form is needed). */
  readonly section: HTMLElement | null
  /** The confirmation token to confirm with, or a message to show. */
  readonly token: () => Promise<{ readonly ok: true; readonly id: string | null } | { readonly ok: false; readonly message: string }>
  /** Tells the payment form the checkout's new amount and currency (after a client update repriced it). */
  readonly update: (checkout: Checkout) => void
  /** After a confirm: runs the processor's next action if the intent asks for one. */
  readonly afterConfirm: (checkout: Checkout) => Promise<string | null>
}

const none: Method = { section: null, update: () => {}, token: async () => ({ ok: true, id: null }), afterConfirm: async () => null }

export const testCards = [
  { token: "tok_visa", label: "Visa, succeeds" },
  { token: "tok_chargeDeclined", label: "Declined card" },
  { token: "tok_chargeDeclinedInsufficientFunds", label: "Declined: insufficient funds" },
  { token: "tok_threeDSecure2Required", label: "3-D Secure required" }
] as const

const testMode = (checkout: Checkout): Method => {
  if (!checkout.is_payment_form_required) return none
  const section = h(
    "fieldset",
    { class: "payment test-mode", id: "payment" },
    h("legend", {}, "Test card"),
    h("p", { class: "test-badge", id: "test-mode" }, "TEST MODE: nothing is charged. Choose how the test card behaves."),
    testCards.map((card, i) =>
      h(
        "label",
        { class: "choice" },
        h("input", { type: "radio", name: "test_card", value: card.token, checked: i === 0 }),
        h("span", {}, card.label, h("code", { class: "muted" }, ` ${card.token}`))
      )
    ),
    h("p", { id: "error-payment", class: "field-error", role: "alert", hidden: true })
  )
  return {
    section,
    update: () => {},
    token: async () => {
      const picked = section.querySelector<HTMLInputElement>("input[name=test_card]:checked")
      return { ok: true, id: picked?.value ?? "tok_visa" }
    },
    afterConfirm: async (confirmed) =>
      confirmed.payment_processor_metadata["intent_status"] === "requires_action"
        ? "This test card requires 3-D Secure. The local test processor has no bank to authenticate with, so the payment stays pending and nothing is charged."
        : null
  }
}

interface StripeJs {
  elements(options: Record<string, unknown>): {
    create(type: string, options?: Record<string, unknown>): { mount(el: HTMLElement): void }
    submit(): Promise<{ error?: { message?: string } }>
    update(options: Record<string, unknown>): void
  }
  createConfirmationToken(options: Record<string, unknown>): Promise<{ confirmationToken?: { id: string }; error?: { message?: string } }>
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: { message?: string } }>
}

const loadStripe = (nonce: string): Promise<(key: string) => StripeJs> =>
  new Promise((resolve, reject) => {
    const existing = (window as unknown as { Stripe?: (key: string) => StripeJs }).Stripe
    if (existing) return resolve(existing)
    const script = document.createElement("script")
    script.src = "https://js.stripe.com/v3/"
    script.nonce = nonce
    script.onload = () => {
      const loaded = (window as unknown as { Stripe?: (key: string) => StripeJs }).Stripe
      loaded ? resolve(loaded) : reject(new Error("Stripe.js did not load"))
    }
    script.onerror = () => reject(new Error("Stripe.js could not be loaded"))
    document.head.append(script)
  })

const stripeMode = (checkout: Checkout, nonce: string, billing: () => Record<string, unknown>): Method => {
  if (!checkout.is_payment_form_required) return none
  const mount = h("div", { id: "payment-element" })
  const section = h("fieldset", { class: "payment", id: "payment" }, h("legend", {}, "Payment"), mount, h("p", { id: "error-payment", class: "field-error", role: "alert", hidden: true }))
  const key = checkout.payment_processor_metadata["publishable_key"] ?? ""
  const ready = loadStripe(nonce).then((Stripe) => {
    const stripe = Stripe(key)
    const elements = stripe.elements({
      mode: checkout.is_payment_required ? "payment" : "setup",
      currency: checkout.currency,
      ...(checkout.is_payment_required ? { amount: checkout.total_amount } : {}),
      ...(checkout.product?.is_recurring ? { setupFutureUsage: "off_session" } : {})
    })
    elements.create("payment").mount(mount)
    return { stripe, elements }
  })
  return {
    section,
    update: (next) => {
      if (!next.is_payment_required) return
      void ready.then(({ elements }) => elements.update({ amount: next.total_amount, currency: next.currency })).catch(() => {})
    },
    token: async () => {
      try {
        const { stripe, elements } = await ready
        const submitted = await elements.submit()
        if (submitted.error) return { ok: false, message: submitted.error.message ?? "Check your payment details." }
        const created = await stripe.createConfirmationToken({ elements, params: { payment_method_data: { billing_details: billing() } } })
        if (created.error || !created.confirmationToken) return { ok: false, message: created.error?.message ?? "The payment details were not accepted." }
        return { ok: true, id: created.confirmationToken.id }
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : "Stripe is unavailable." }
      }
    },
    afterConfirm: async (confirmed) => {
      const secret = confirmed.payment_processor_metadata["intent_client_secret"]
      if (confirmed.payment_processor_metadata["intent_status"] !== "requires_action" || !secret) return null
      const { stripe } = await ready
      const result = await stripe.handleNextAction({ clientSecret: secret })
      return result.error ? result.error.message ?? "Authentication failed." : null
    }
  }
}

export const make = (
  mode: "test" | "stripe",
  checkout: Checkout,
  nonce: string,
  billing: () => Record<string, unknown>
): Method => mode === "stripe" ? stripeMode(checkout, nonce, billing) : testMode(checkout)
