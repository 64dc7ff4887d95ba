/**
 * Messages to the page that embeds the checkout in an iframe, in the reference's shape
 * (`{ type: "POLAR_CHECKOUT", event, ... }`). Sent only to the embed origin the server allowed, never to "*".
 */
export type Message =
  | { readonly event: "loaded" }
  | { readonly event: "close" }
  | { readonly event: "confirmed" }
  | { readonly event: "success"; readonly successURL: string; readonly redirect: boolean }

export const post = (embedOrigin: string | null, message: Message) => {
  if (embedOrigin === null || window.parent === window) return
  window.parent.postMessage({ type: "POLAR_CHECKOUT", ...message }, embedOrigin)
}
