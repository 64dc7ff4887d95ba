/**
 * @checkout-kit/checkout-page: the buyer's hosted checkout page (server-rendered shell + a small script bundle
 * built by `tsc -b`), the embed script for merchant pages, and the client checkout event stream. The page talks
 * to the public client endpoints only, like any other client.
 */
export * as Assets from "./Assets.ts"
export * as ChangeFeed from "./ChangeFeed.ts"
export * as Csp from "./Csp.ts"
export * as EventStream from "./EventStream.ts"
export * as Html from "./Html.ts"
export * as Page from "./Page.ts"
export * as Routes from "./Routes.ts"
