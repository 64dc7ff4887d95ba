/**
 * The start-up banner: everything a person needs to try the API right away (base URL, the demo access token, the
 * product ids, a checkout-link URL, the seed's checkouts, ready-to-paste curl commands). The same facts go to the structured log as the
 * "checkout-kit ready" entry, which scripts (the load benchmark) read. The access token shown is the demo seed's,
 * a value published in the README: a real deployment seeds its own and the banner only says where it came from.
 */

export interface ProductLine {
  readonly id: string
  readonly name: string
  /** "fixed", "custom", "seat_based"...: the first price's amount type. */
  readonly amountType: string
  /** e.g. "usd 19.99", "pay what you want", "free". */
  readonly priceLabel: string
}

/** A checkout the seed put in the store, with the client URL that reaches it. */
export interface CheckoutLine {
  readonly id: string
  readonly status: string
  readonly clientSecret: string
}

/** At most this many seeded checkouts are listed; the rest are counted. */
export const maxCheckoutLines = 5

export interface Facts {
  readonly baseUrl: string
  /** Which store holds the data and where (no secrets). */
  readonly store?: string
  readonly paymentProcessor: "stripe" | "local-test-mode"
  readonly accessToken: string | null
  readonly organizationId: string | null
  readonly products: ReadonlyArray<ProductLine>
  readonly checkoutLinkUrl: string | null
  readonly stripeWebhookPath: string | null
  /** Where the API reference page is served, if it is. */
  readonly apiDocsPath: string | null
  /** The seed's checkouts of the organization shown (none: the line is left out). */
  readonly checkouts?: ReadonlyArray<CheckoutLine> | undefined
}

const checkoutLines = (baseUrl: string, checkouts: ReadonlyArray<CheckoutLine>): ReadonlyArray<string> =>
  checkouts.length === 0 ? [] : [
    "  Seeded checkouts:",
    ...checkouts.slice(0, maxCheckoutLines).map((c) =>
      `    ${c.id}  ${c.status}  ${baseUrl}/v1/checkouts/client/${c.clientSecret}`
    ),
    ...(checkouts.length > maxCheckoutLines ? [`    ... and ${checkouts.length - maxCheckoutLines} more`] : [])
  ]

const testModeNotice = [
  "  !! TEST MODE: no Stripe secret key configured. Payments go to the LOCAL TEST PROCESSOR: nothing is charged.",
  "  !! Confirm with Stripe's test tokens: tok_visa (succeeds), tok_chargeDeclined, tok_chargeDeclinedInsufficientFunds,",
  "  !! tok_threeDSecure2Required (requires_action), tok_processing. Set STRIPE_SECRET_KEY to use Stripe."
]

/** The banner as lines of text (no trailing newline). */
export const render = (facts: Facts): ReadonlyArray<string> => {
  const rule = "=".repeat(100)
  const product = facts.products.find((p) => p.amountType === "fixed") ?? facts.products[0]
  const token = facts.accessToken ?? "<your access token>"
  return [
    rule,
    `  checkout-kit is ready at ${facts.baseUrl}`,
    ...(facts.store === undefined ? [] : [`  Store: ${facts.store}`]),
    ...(facts.paymentProcessor === "local-test-mode" ? testModeNotice : ["  Payments: Stripe"]),
    ...(facts.stripeWebhookPath === null ? [] : [`  Stripe webhook endpoint: POST ${facts.baseUrl}${facts.stripeWebhookPath}`]),
    "",
    `  Access token:    ${facts.accessToken ?? "(none in the seed)"}`,
    ...(facts.organizationId === null ? [] : [`  Organization id: ${facts.organizationId}`]),
    "  Products:",
    ...facts.products.map((p) => `    ${p.id}  ${p.name} (${p.priceLabel})`),
    ...(facts.checkoutLinkUrl === null ? [] : [`  Checkout link:   ${facts.checkoutLinkUrl}`]),
    ...checkoutLines(facts.baseUrl, facts.checkouts ?? []),
    `  OpenAPI:         ${facts.baseUrl}/openapi.json`,
    ...(facts.apiDocsPath === null ? [] : [`  API reference:   ${facts.baseUrl}${facts.apiDocsPath}`]),
    "",
    "  Try it:",
    ...(product === undefined ? [] : [
      `    curl -s -X POST ${facts.baseUrl}/v1/checkouts/ -H 'Authorization: Bearer ${token}' \\`,
      `      -H 'Content-Type: application/json' -d '{"products":["${product.id}"]}'`
    ]),
    `    curl -s ${facts.baseUrl}/v1/checkouts/ -H 'Authorization: Bearer ${token}'`,
    `    curl -s ${facts.baseUrl}/healthz`,
    rule
  ]
}
