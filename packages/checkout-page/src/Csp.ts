/**
 * The page's Content-Security-Policy. Scripts run only with the response's nonce ('strict-dynamic' lets the
 * nonce'd entry module load its own imports, and Stripe.js in Stripe mode); no inline script or handler, no inline
 * style, no other origin except Stripe's in Stripe mode. `frame-ancestors` decides who may embed the page.
 */
export type PaymentMode = "test" | "stripe"

export interface Policy {
  readonly nonce: string
  readonly paymentMode: PaymentMode
  /** The origins allowed to frame the page; empty means none ('none'). */
  readonly frameAncestors: ReadonlyArray<string>
}

/** Stripe.js and what its Payment Element talks to (Stripe's documented CSP directives). */
const stripe = {
  script: ["https://js.stripe.com"],
  connect: ["https://api.stripe.com", "https://m.stripe.network"],
  frame: ["https://js.stripe.com", "https://hooks.stripe.com"],
  img: ["https://*.stripe.com"]
} as const

export const header = (policy: Policy): string => {
  const onStripe = policy.paymentMode === "stripe"
  const list = (base: ReadonlyArray<string>, extra: ReadonlyArray<string>) => [...base, ...(onStripe ? extra : [])]
  const directives: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
    ["default-src", ["'none'"]],
    ["script-src", list([`'nonce-${policy.nonce}'`, "'strict-dynamic'"], stripe.script)],
    ["style-src", ["'self'"]],
    ["img-src", list(["'self'", "data:"], stripe.img)],
    ["font-src", ["'self'"]],
    ["connect-src", list(["'self'"], stripe.connect)],
    ["frame-src", onStripe ? stripe.frame : ["'none'"]],
    ["form-action", ["'self'"]],
    ["base-uri", ["'none'"]],
    ["object-src", ["'none'"]],
    ["frame-ancestors", policy.frameAncestors.length === 0 ? ["'none'"] : policy.frameAncestors]
  ]
  return directives.map(([name, values]) => `${name} ${values.join(" ")}`).join("; ")
}
