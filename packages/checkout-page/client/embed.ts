/**
 * The embed script for merchant pages, with the API of `@polar-sh/checkout`'s `PolarEmbedCheckout`:
 * `EmbedCheckout.create(url, { theme, onLoaded })` opens a checkout (or checkout link) URL of this server in a
 * full-screen iframe and resolves once it has loaded; the instance dispatches `loaded`, `close`, `confirmed` and
 * `success` events (cancelable: `preventDefault()` skips the default action) and has `close()`.
 * `EmbedCheckout.init()` (run on load) opens any `[data-polar-checkout]` element's link in the iframe on click.
 *
 * Messages are accepted only from the origin of the URL the checkout was opened with (this server), and only from
 * the iframe this instance created. Load it as a module: `<script type="module" src="…/embed.js">`; it also sets
 * `window.Polar.EmbedCheckout`.
 */
type EventName = "loaded" | "close" | "confirmed" | "success"
interface Message {
  readonly type: "POLAR_CHECKOUT"
  readonly event: EventName
  readonly successURL?: string
  readonly redirect?: boolean
}

export class EmbedCheckout {
  private readonly events = new EventTarget()
  private closable = true
  private readonly onMessage: (event: MessageEvent) => void

  private readonly iframe: HTMLIFrameElement
  private readonly loader: HTMLElement

  private constructor(iframe: HTMLIFrameElement, loader: HTMLElement, origin: string) {
    this.iframe = iframe
    this.loader = loader
    this.onMessage = (event) => {
      if (event.origin !== origin || event.source !== this.iframe.contentWindow) return
      const data = event.data as Partial<Message> | null
      if (data === null || typeof data !== "object" || data.type !== "POLAR_CHECKOUT") return
      const custom = new CustomEvent(String(data.event), { detail: data, cancelable: true })
      this.events.dispatchEvent(custom)
      if (!custom.defaultPrevented) this.defaultAction(data as Message)
    }
    window.addEventListener("message", this.onMessage)
  }

  /** Opens `url` (a checkout page or checkout link of this server) in an iframe over the page. */
  static create(
    url: string,
    options: { readonly theme?: "light" | "dark"; readonly onLoaded?: (event: CustomEvent) => void } | "light" | "dark" = {}
  ): Promise<EmbedCheckout> {
    const opts = typeof options === "string" ? { theme: options } : options
    const target = new URL(url, window.location.href)
    target.searchParams.set("embed", "true")
    target.searchParams.set("embed_origin", window.location.origin)
    if (opts.theme) target.searchParams.set("theme", opts.theme)
    const loader = document.createElement("div")
    loader.setAttribute("role", "status")
    loader.textContent = "Loading checkout…"
    Object.assign(loader.style, { position: "fixed", inset: "0", display: "grid", placeItems: "center", zIndex: "2147483646", background: "rgba(0,0,0,.4)", color: "#fff" })
    const iframe = document.createElement("iframe")
    iframe.src = target.href
    iframe.title = "Checkout"
    iframe.setAttribute("allow", "payment 'src'")
    Object.assign(iframe.style, { position: "fixed", inset: "0", width: "100%", height: "100%", border: "0", zIndex: "2147483647", colorScheme: "normal" })
    document.body.append(loader, iframe)
    const instance = new EmbedCheckout(iframe, loader, target.origin)
    return new Promise((resolve) => {
      instance.addEventListener("loaded", (event) => {
        opts.onLoaded?.(event)
        resolve(instance)
      }, { once: true })
    })
  }

  /** Makes every `[data-polar-checkout]` element open its link (its `href` or the attribute's value) embedded. */
  static init(): void {
    for (const el of document.querySelectorAll<HTMLElement>("[data-polar-checkout]")) {
      el.addEventListener("click", (event) => {
        event.preventDefault()
        const url = el.getAttribute("href") ?? el.getAttribute("data-polar-checkout") ?? ""
        const theme = el.getAttribute("data-polar-checkout-theme")
        void EmbedCheckout.create(url, theme === "dark" || theme === "light" ? { theme } : {})
      })
    }
  }

  close(): void {
    window.removeEventListener("message", this.onMessage)
    this.loader.remove()
    this.iframe.remove()
  }

  addEventListener(type: EventName, listener: (event: CustomEvent) => void, options?: AddEventListenerOptions | boolean): void {
    this.events.addEventListener(type, listener as EventListener, options)
  }

  removeEventListener(type: EventName, listener: (event: CustomEvent) => void): void {
    this.events.removeEventListener(type, listener as EventListener)
  }

  private defaultAction(message: Message) {
    switch (message.event) {
      case "loaded":
        this.loader.remove()
        return
      case "confirmed":
        this.closable = false
        return
      case "close":
        if (this.closable) this.close()
        return
      case "success":
        this.closable = true
        if (message.redirect && message.successURL) window.location.href = message.successURL
        return
    }
  }
}

declare global {
  interface Window {
    Polar?: { EmbedCheckout?: typeof EmbedCheckout }
  }
}

window.Polar = { ...window.Polar, EmbedCheckout }
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => EmbedCheckout.init())
else EmbedCheckout.init()
