/**
 * The routing table: each supported method and path, its allowed parameters (AllowLists) and expandable fields,
 * and the resource handler it dispatches to.
 */
import * as A from "../AllowLists.ts"
import type * as P from "../ParamSpec.ts"
import type { Route } from "./Reply.ts"

/** The resource handlers the table dispatches to, by name. */
export type HandlerName =
  | "createCustomer"
  | "retrieveCustomer"
  | "updateCustomer"
  | "createCustomerTaxId"
  | "retrieveConfirmationToken"
  | "createConfirmationToken"
  | "retrievePaymentMethod"
  | "createPaymentIntent"
  | "listPaymentIntents"
  | "listSetupIntents"
  | "createRefund"
  | "retrievePaymentIntent"
  | "updatePaymentIntent"
  | "confirmExistingPaymentIntent"
  | "cancelPaymentIntent"
  | "createSetupIntent"
  | "retrieveSetupIntent"
  | "updateSetupIntent"
  | "confirmExistingSetupIntent"
  | "cancelSetupIntent"
  | "createTaxCalculation"

export type Handlers = { readonly [K in HandlerName]: Route["handle"] }

/** The routing table for one fake's handlers. */
export const make = (handlers: Handlers): ReadonlyArray<Route> => {
  const {
    createCustomer,
    retrieveCustomer,
    updateCustomer,
    createCustomerTaxId,
    retrieveConfirmationToken,
    createConfirmationToken,
    retrievePaymentMethod,
    createPaymentIntent,
    listPaymentIntents,
    listSetupIntents,
    createRefund,
    retrievePaymentIntent,
    updatePaymentIntent,
    confirmExistingPaymentIntent,
    cancelPaymentIntent,
    createSetupIntent,
    retrieveSetupIntent,
    updateSetupIntent,
    confirmExistingSetupIntent,
    cancelSetupIntent,
    createTaxCalculation
  } = handlers

  const byId = (prefix: string, suffix = "") => new RegExp(`^/v1/${prefix}/([A-Za-z0-9_]+)${suffix}$`, "u")
  const route = (
    method: Route["method"],
    pattern: RegExp,
    fields: P.Fields,
    expandable: ReadonlyArray<string>,
    handle: Route["handle"]
  ): Route => ({ method, pattern, fields, expandable, handle })
  const piExpand = ["payment_method", "latest_charge", "customer"]
  const siExpand = ["payment_method", "customer"]
  const routes: ReadonlyArray<Route> = [
    route("POST", /^\/v1\/customers$/u, A.customerCreateFields, ["tax_ids"], createCustomer),
    route("GET", byId("customers"), A.retrieveFields, ["tax_ids"], retrieveCustomer),
    route("POST", byId("customers"), A.customerUpdateFields, ["tax_ids"], updateCustomer),
    route("POST", byId("customers", "/tax_ids"), A.customerTaxIdCreateFields, [], createCustomerTaxId),
    route("GET", byId("confirmation_tokens"), A.retrieveFields, [], retrieveConfirmationToken),
    route(
      "POST",
      /^\/v1\/test_helpers\/confirmation_tokens$/u,
      A.confirmationTokenCreateFields,
      [],
      createConfirmationToken
    ),
    route("GET", byId("payment_methods"), A.retrieveFields, [], retrievePaymentMethod),
    route("POST", /^\/v1\/payment_intents$/u, A.paymentIntentCreateFields, piExpand, createPaymentIntent),
    route("GET", /^\/v1\/payment_intents$/u, A.intentListFields, piExpand.map((e) => `data.${e}`), listPaymentIntents),
    route("GET", /^\/v1\/setup_intents$/u, A.intentListFields, siExpand.map((e) => `data.${e}`), listSetupIntents),
    route("POST", /^\/v1\/refunds$/u, A.refundCreateFields, [], createRefund),
    route("GET", byId("payment_intents"), A.intentRetrieveFields, piExpand, retrievePaymentIntent),
    route("POST", byId("payment_intents"), A.paymentIntentUpdateFields, piExpand, updatePaymentIntent),
    route(
      "POST",
      byId("payment_intents", "/confirm"),
      A.paymentIntentConfirmFields,
      piExpand,
      confirmExistingPaymentIntent
    ),
    route("POST", byId("payment_intents", "/cancel"), A.paymentIntentCancelFields, piExpand, cancelPaymentIntent),
    route("POST", /^\/v1\/setup_intents$/u, A.setupIntentCreateFields, siExpand, createSetupIntent),
    route("GET", byId("setup_intents"), A.intentRetrieveFields, siExpand, retrieveSetupIntent),
    route("POST", byId("setup_intents"), A.setupIntentUpdateFields, siExpand, updateSetupIntent),
    route("POST", byId("setup_intents", "/confirm"), A.setupIntentConfirmFields, siExpand, confirmExistingSetupIntent),
    route("POST", byId("setup_intents", "/cancel"), A.setupIntentCancelFields, siExpand, cancelSetupIntent),
    route("POST", /^\/v1\/tax\/calculations$/u, A.taxCalculationCreateFields, ["line_items"], createTaxCalculation)
  ]

  return routes
}
