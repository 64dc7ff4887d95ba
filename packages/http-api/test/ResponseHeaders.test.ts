/** The header rule itself, on responses with and without a cache policy of their own (the HTTP families are in
 * the server's SecurityHeaders.test.ts). */
import { describe, expect, it } from "@effect/vitest"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import * as ResponseHeaders from "../src/ResponseHeaders.ts"

const request = (path: string) => HttpServerRequest.fromWeb(new Request(`http://localhost${path}`))
const cached = HttpServerResponse.text("x", { headers: { "cache-control": "public, max-age=60" } })

describe("ResponseHeaders.apply", () => {
  it.each([
    "/v1/checkouts/",
    "/v1/checkouts",
    "/v1/checkouts/client/polar_c_x",
    "/v1/checkouts/client/polar_c_x/confirm?x=1",
    "/v1/checkout-links/polar_cl_x/redirect",
    "/v1/checkout-links?page=2"
  ])("%s: no-store is forced, even over the response's own policy", (path) => {
    const answer = ResponseHeaders.apply(request(path), cached)
    expect(answer.headers["cache-control"]).toBe("private, no-store")
    expect(answer.headers["x-content-type-options"]).toBe("nosniff")
  })

  it.each(["/healthz", "/openapi.json", "/docs", "/v1/checkoutsx", "/v1/checkout-linksx/a"])(
    "%s: a response's own policy is kept, a response without one gets the reference's default",
    (path) => {
      expect(ResponseHeaders.apply(request(path), cached).headers["cache-control"]).toBe("public, max-age=60")
      const plain = ResponseHeaders.apply(request(path), HttpServerResponse.text("x"))
      expect(plain.headers["cache-control"]).toBe("private, no-store")
      expect(plain.headers["x-content-type-options"]).toBe("nosniff")
    }
  )
})
