/** The page's pure parts: the CSP it sends, escaping, the frame policy, and the stream's message format. */
import { describe, expect, it } from "vitest"
import * as Csp from "../src/Csp.ts"
import * as EventStream from "../src/EventStream.ts"
import * as Html from "../src/Html.ts"
import * as Page from "../src/Page.ts"

const directives = (header: string) =>
  new Map(header.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)] as const))

describe("Csp.header", () => {
  it("test mode: scripts only by nonce, nothing from another origin, framing refused by default", () => {
    const d = directives(Csp.header({ nonce: "abc", paymentMode: "test", frameAncestors: [] }))
    expect(d.get("default-src")).toEqual(["'none'"])
    expect(d.get("script-src")).toEqual(["'nonce-abc'", "'strict-dynamic'"])
    expect(d.get("style-src")).toEqual(["'self'"])
    expect(d.get("connect-src")).toEqual(["'self'"])
    expect(d.get("frame-src")).toEqual(["'none'"])
    expect(d.get("frame-ancestors")).toEqual(["'none'"])
    expect([...d.values()].flat().some((v) => v.includes("stripe") || v === "'unsafe-inline'")).toBe(false)
  })

  it("Stripe mode allows Stripe.js and its frames and API, and the embed origin may frame the page", () => {
    const d = directives(Csp.header({ nonce: "n", paymentMode: "stripe", frameAncestors: ["https://shop.example"] }))
    expect(d.get("script-src")).toContain("https://js.stripe.com")
    expect(d.get("frame-src")).toContain("https://js.stripe.com")
    expect(d.get("connect-src")).toContain("https://api.stripe.com")
    expect(d.get("frame-ancestors")).toEqual(["https://shop.example"])
  })
})

describe("Html", () => {
  it("escapes every interpolated value, in text and in attributes", () => {
    expect(Html.escape(`<script>"x" & 'y'</script>`)).toBe("&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;")
    const html = Html.document({ nonce: "n", title: "</title><script>", theme: "light", embed: false, body: Html.app("<b>Acme</b>") })
    expect(html).not.toContain("<script>")
    expect(html).toContain("&lt;b&gt;Acme&lt;/b&gt;")
  })

  it("the config data block cannot be closed by a value inside it", () => {
    const html = Html.document({
      nonce: "n",
      title: "t",
      theme: "dark",
      embed: true,
      body: "",
      config: {
        clientSecret: "</script><script>alert(1)</script>",
        paymentMode: "test",
        embed: true,
        embedOrigin: null,
        theme: "dark",
        confirmation: false
      }
    })
    expect(html.match(/<\/script>/gu)?.length).toBe(2)
    expect(html).toContain(`data-theme="dark" data-embed="true"`)
    expect(html).toContain(`<script type="module" src="/checkout-page/assets/main.js" nonce="n">`)
  })
})

describe("Page.frameOrigin", () => {
  const query = (embed: boolean, embedOrigin: string | null) => ({ embed, embedOrigin, theme: "light" as const })

  it("nothing may frame a page not opened for embedding", () => {
    expect(Page.frameOrigin(query(false, "https://shop.example"), "https://shop.example", null)).toBeNull()
  })

  it("the checkout's embed origin wins over the query's; both are normalised", () => {
    expect(Page.frameOrigin(query(true, "https://other.example"), "https://Shop.example:443", null)).toBe("https://shop.example")
    expect(Page.frameOrigin(query(true, "http://localhost:3000/page"), null, null)).toBe("http://localhost:3000")
  })

  it("an origin the organization does not allow, or garbage, may not frame the page", () => {
    expect(Page.frameOrigin(query(true, "https://evil.example"), null, ["*.shop.example"])).toBeNull()
    expect(Page.frameOrigin(query(true, "https://a.shop.example"), null, ["*.shop.example"])).toBe("https://a.shop.example")
    expect(Page.frameOrigin(query(true, "*"), null, null)).toBeNull()
    expect(Page.frameOrigin(query(true, "javascript:alert(1)"), null, null)).toBeNull()
  })
})

describe("EventStream.encodeChange", () => {
  it("is the reference's envelope on one data line, without an event name", () => {
    const text = EventStream.encodeChange({ checkoutId: "c", clientSecret: "s", status: "succeeded" }, "id-1")
    expect(text).toBe(`data: {"id":"id-1","key":"checkout.updated","payload":{"status":"succeeded"}}\n\n`)
  })
})
