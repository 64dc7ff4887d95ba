/**
 * `GET /checkout/{client_secret}` (and `/confirmation`, the default success URL): the hosted page. It reads the
 * checkout through the same use case as the public client endpoint (no access token involved), decides the
 * states that need no script, the frame policy and the theme, and answers with `Cache-Control: no-store`, a
 * nonce'd strict CSP, and `Referrer-Policy: no-referrer` (the URL holds the client secret).
 *
 * Embedding: `?embed=true` renders for an iframe. The allowed parent is the checkout's `embed_origin` (set when a
 * link was opened with `embed_origin`), else the page's own `embed_origin` query parameter, in both cases only
 * when the organization allows that host; it becomes the CSP `frame-ancestors` and the target of the page's
 * `postMessage` events. Without embed, framing is refused.
 */
import { CheckoutService, EmbedOrigin } from "@checkout-kit/domain"
import { Effect, Option, Result } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { randomBytes } from "node:crypto"
import * as Csp from "./Csp.ts"
import * as Html from "./Html.ts"

export interface Options {
  readonly paymentMode: Csp.PaymentMode
}

interface Query {
  readonly embed: boolean
  readonly embedOrigin: string | null
  readonly theme: "light" | "dark"
}

const readQuery = (url: string): Query => {
  const params = new URL(url, "http://localhost").searchParams
  return {
    embed: params.get("embed") === "true",
    embedOrigin: params.get("embed_origin"),
    theme: params.get("theme") === "dark" ? "dark" : "light"
  }
}

/** The origin allowed to frame the page, if any (see the module comment). */
export const frameOrigin = (
  query: Query,
  checkoutEmbedOrigin: string | null,
  embedHosts: ReadonlyArray<string> | null
): string | null => {
  if (!query.embed) return null
  const resolved = EmbedOrigin.resolve(checkoutEmbedOrigin ?? query.embedOrigin, embedHosts)
  return Result.isSuccess(resolved) ? Option.getOrNull(resolved.success) : null
}

const respond = (status: number, html: string, nonce: string, paymentMode: Csp.PaymentMode, frame: string | null) =>
  HttpServerResponse.text(html, {
    status,
    contentType: "text/html; charset=utf-8",
    headers: {
      "content-security-policy": Csp.header({ nonce, paymentMode, frameAncestors: frame === null ? [] : [frame] }),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff"
    }
  })

const handler = (options: Options, confirmation: boolean) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* HttpRouter.params
    const clientSecret = params.client_secret ?? ""
    const query = readQuery(request.url)
    const nonce = randomBytes(18).toString("base64")
    const checkouts = yield* CheckoutService.CheckoutService
    const shell = { nonce, theme: query.theme, embed: query.embed }
    // Expired or unknown: nothing to pay, so no script; framed only where the query asks (the parent shows why).
    const queryFrame = frameOrigin(query, null, null)
    return yield* checkouts.clientGet(clientSecret).pipe(
      Effect.map((view) => {
        const frame = frameOrigin(query, view.checkout.embedOrigin, view.organization.embedHosts)
        const config: Html.ClientConfig = {
          clientSecret,
          paymentMode: options.paymentMode,
          embed: query.embed,
          embedOrigin: frame,
          theme: query.theme,
          confirmation
        }
        const title = `Checkout · ${view.organization.name}`
        return respond(
          200,
          Html.document({ ...shell, title, body: Html.app(view.organization.name), config }),
          nonce,
          options.paymentMode,
          frame
        )
      }),
      Effect.catchTags({
        ResourceNotFound: () =>
          Effect.succeed(respond(
            404,
            Html.document({
              ...shell,
              title: "Checkout not found",
              body: Html.message("Checkout not found", "This checkout does not exist. Check the link you followed.")
            }),
            nonce,
            options.paymentMode,
            queryFrame
          )),
        ExpiredCheckoutError: () =>
          Effect.succeed(respond(
            410,
            Html.document({
              ...shell,
              title: "Checkout expired",
              body: Html.message(
                "This checkout has expired",
                "Nothing was charged. Go back to the store to start a new checkout."
              )
            }),
            nonce,
            options.paymentMode,
            queryFrame
          )),
        NotPermitted: () =>
          Effect.succeed(respond(
            403,
            Html.document({
              ...shell,
              title: "Checkout unavailable",
              body: Html.message("Checkout unavailable", "This seller cannot take payments at the moment.")
            }),
            nonce,
            options.paymentMode,
            null
          ))
      })
    )
  })

export const routes = (options: Options) => [
  HttpRouter.add("GET", "/checkout/:client_secret", handler(options, false)),
  HttpRouter.add("GET", "/checkout/:client_secret/confirmation", handler(options, true))
] as const
