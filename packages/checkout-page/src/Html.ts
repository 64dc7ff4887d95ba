/**
 * The page's HTML: one document shell for every state. Open and confirmed checkouts get the form, which the
 * script bundle renders from the client endpoints; states that offer nothing to do (not found, expired, not
 * permitted) are rendered here in full and need no script. Every interpolated value is escaped.
 */
import type { PaymentMode } from "./Csp.ts"

export const escape = (text: string): string =>
  text.replace(/[&<>"']/gu, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]!)

/** What the script bundle reads from the page (a JSON data block, never executed). */
export interface ClientConfig {
  readonly clientSecret: string
  readonly paymentMode: PaymentMode
  readonly embed: boolean
  /** Where `postMessage` events go when embedded (the checkout's embed origin or the query's). */
  readonly embedOrigin: string | null
  readonly theme: "light" | "dark"
  /** True on `/checkout/{secret}/confirmation`, the default success URL. */
  readonly confirmation: boolean
}

export const assetsPath = "/checkout-page/assets"

interface Shell {
  readonly nonce: string
  readonly title: string
  readonly theme: "light" | "dark"
  readonly embed: boolean
  readonly body: string
  readonly config?: ClientConfig
}

/** JSON inside a script data block: `<` is escaped so no `</script>` can close it early. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</gu, "\\u003c")

export const document = (shell: Shell): string => {
  const script = shell.config === undefined ? "" : [
    `<script type="application/json" id="checkout-config" nonce="${shell.nonce}">${jsonBlock(shell.config)}</script>`,
    `<script type="module" src="${assetsPath}/main.js" nonce="${shell.nonce}"></script>`
  ].join("\n")
  return `<!doctype html>
<html lang="en" data-theme="${shell.theme}"${shell.embed ? " data-embed=\"true\"" : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${escape(shell.title)}</title>
<link rel="stylesheet" href="${assetsPath}/checkout.css">
${script}
</head>
<body>
${shell.body}
</body>
</html>
`
}

/** A terminal page: a heading and a sentence, nothing to fill in. */
export const message = (heading: string, text: string): string =>
  `<main id="app" class="card state" tabindex="-1"><h1>${escape(heading)}</h1><p>${escape(text)}</p></main>`

/** The container the bundle renders the checkout into; readable without script. */
export const app = (organizationName: string): string =>
  `<main id="app" class="card" aria-busy="true"><p class="org">${escape(organizationName)}</p>` +
  `<p class="loading" role="status">Loading checkout…</p>` +
  `<noscript><p class="error">This checkout needs JavaScript to take a payment.</p></noscript></main>`
