/**
 * SetupIntents: create (optionally confirming), retrieve, update, confirm and cancel, saving the payment method
 * to the customer on success.
 */
import type * as ConfirmationTokens from "./ConfirmationTokens.ts"
import { type Store, randomId, newId, nowSeconds } from "./State.ts"
import type * as P from "../ParamSpec.ts"
import type { SetupIntent, LoggedRequest } from "./Objects.ts"
import {
  type Reply,
  type Ctx,
  returnUrlRequired,
  errorReply,
  invalid,
  missing,
  ok,
  byId,
  str,
  obj,
  toMetadata
} from "./Reply.ts"
import { nextActionFor } from "./ConfirmationTokens.ts"
import { declineError } from "./PaymentIntents.ts"

/** The SetupIntent handlers, over one fake's state and the shared payment-source resolution. */
export const make = (store: Store, sources: ConfirmationTokens.Sources) => {
  const { customers, setupIntents, emit, expansions, renderSetupIntent } = store

  const { storeNewIntent, attachSource, resolveSource } = sources

  const confirmSetupIntent = (si: SetupIntent, params: P.TypedObject, returnUrl: string | null, log: LoggedRequest): Reply => {
    const expand = expansions(params)
    if (si.status !== "requires_payment_method" && si.status !== "requires_confirmation") {
      return invalid(
        si.status === "succeeded"
          ? "You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed."
          : `You cannot confirm this SetupIntent because it has a status of ${si.status}.`,
        { code: "setup_intent_unexpected_state" }
      )
    }
    const source = resolveSource(params, "setup_intent")
    if (source._tag === "Failed") return source.reply
    if (source._tag === "None" && si.payment_method === null) {
      return invalid("You cannot confirm this SetupIntent because it's missing a payment method.", {
        code: "setup_intent_unexpected_state"
      })
    }
    if (si.automatic_payment_methods?.enabled === true && returnUrl === null) {
      return invalid(
        returnUrlRequired("Setup Intent"),
        { param: "return_url" }
      )
    }
    const { pm, scenario } = attachSource(source, si, params, "setup_intent")
    switch (scenario) {
      case "success":
      case "insufficient_funds": {
        si.status = "succeeded"
        if (si.customer !== null) pm.customer = si.customer
        emit("setup_intent.succeeded", si, log)
        return ok(renderSetupIntent(si, expand))
      }
      case "processing": {
        si.status = "processing"
        return ok(renderSetupIntent(si, expand))
      }
      case "requires_action": {
        si.status = "requires_action"
        si.next_action = nextActionFor(returnUrl, si.id)
        emit("setup_intent.requires_action", si, log)
        return ok(renderSetupIntent(si, expand))
      }
      case "decline": {
        const error = declineError("decline")
        si.status = "requires_payment_method"
        si.last_setup_error = { ...error, payment_method: pm }
        emit("setup_intent.setup_failed", si, log)
        return errorReply(402, { ...error, setup_intent: renderSetupIntent(si, expand), payment_method: pm })
      }
    }
  }

  const createSetupIntent = (ctx: Ctx): Reply => {
    const { params } = ctx
    const customer = str(params.customer)
    if (customer !== null && !customers.has(customer)) return missing("customer", customer, "customer", 400)
    const apm = obj(params.automatic_payment_methods)
    const id = newId("seti")
    const si: SetupIntent = {
      id,
      object: "setup_intent",
      status: "requires_payment_method",
      client_secret: `${id}_secret_${randomId(25)}`,
      customer,
      description: str(params.description),
      metadata: toMetadata(params.metadata),
      usage: (str(params.usage) ?? "off_session") as SetupIntent["usage"],
      automatic_payment_methods: apm === null ? null : { enabled: apm.enabled === true, allow_redirects: "always" },
      payment_method: null,
      next_action: null,
      last_setup_error: null,
      cancellation_reason: null,
      payment_method_types: ["card", "us_bank_account"],
      created: nowSeconds(),
      livemode: false
    }
    return storeNewIntent(si, ctx, {
      kind: "setup_intent",
      objects: setupIntents,
      missingMessage: "You cannot confirm this SetupIntent because it's missing a payment method.",
      render: (intent) => renderSetupIntent(intent, expansions(params)),
      confirm: confirmSetupIntent
    })
  }

  const retrieveSetupIntent = byId(setupIntents, "setup_intent", (si, { params }) =>
    ok(renderSetupIntent(si, expansions(params))))

  const updateSetupIntent = byId(setupIntents, "setup_intent", (si, { params }) => {
    if ("metadata" in params) si.metadata = toMetadata(params.metadata, si.metadata)
    if ("description" in params) si.description = str(params.description)
    return ok(renderSetupIntent(si, expansions(params)))
  })

  const confirmExistingSetupIntent = byId(setupIntents, "setup_intent", (si, { params, log }) =>
    confirmSetupIntent(si, params, str(params.return_url), log))

  const cancelSetupIntent = byId(setupIntents, "setup_intent", (si, { params, log }) => {
    if (si.status === "succeeded" || si.status === "canceled" || si.status === "processing") {
      return invalid(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, {
        code: "setup_intent_unexpected_state"
      })
    }
    si.status = "canceled"
    si.cancellation_reason = str(params.cancellation_reason)
    si.next_action = null
    emit("setup_intent.canceled", si, log)
    return ok(renderSetupIntent(si, expansions(params)))
  })

  return { createSetupIntent, retrieveSetupIntent, updateSetupIntent, confirmExistingSetupIntent, cancelSetupIntent }
}
