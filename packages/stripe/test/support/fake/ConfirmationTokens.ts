/**
 * ConfirmationTokens (magic and minted, single-use) and PaymentMethods: retrieval, the test helper that mints
 * tokens, and turning a confirm's `confirmation_token` / `payment_method` into a PaymentMethod and its scenario.
 */
import { type Store, newId, nowSeconds, emptyAddress } from "./State.ts"
import type * as P from "../ParamSpec.ts"
import { type TestMethod, TestPaymentMethods, magicTokens, fingerprintOf } from "./Scenarios.ts"
import type { Address, PaymentMethod, ConfirmationToken, LoggedRequest, NextAction } from "./Objects.ts"
import type { FakeStripe } from "./Api.ts"
import { type Reply, type Ctx, byId, errorReply, returnUrlRequired, invalid, missing, ok, str, obj, toAddress } from "./Reply.ts"

/** The `card` and `us_bank_account` details of a test payment method (the one its type has; the other is null). */
const instrumentOf = (method: string): Pick<PaymentMethod, "card" | "us_bank_account"> => {
  const test = TestPaymentMethods[method]!
  const fingerprint = fingerprintOf(method)
  return {
    card: test.type === "card"
      ? {
        brand: test.brand,
        last4: test.last4,
        exp_month: 12,
        exp_year: new Date().getUTCFullYear() + 8,
        fingerprint,
        funding: "credit",
        country: "US"
      }
      : null,
    us_bank_account: test.type === "us_bank_account"
      ? { bank_name: "STRIPE TEST BANK", last4: test.last4, fingerprint }
      : null
  }
}

const buildToken = (
  method: string,
  billing: { readonly name: string | null; readonly email: string | null; readonly address: Address | null },
  extra: { readonly returnUrl: string | null; readonly setupFutureUsage: string | null; readonly id?: string }
): ConfirmationToken => {
  const test = TestPaymentMethods[method]!
  const created = nowSeconds()
  return {
    id: extra.id ?? newId("ctoken"),
    object: "confirmation_token",
    created,
    expires_at: created + 12 * 3600,
    livemode: false,
    payment_intent: null,
    setup_intent: null,
    return_url: extra.returnUrl,
    setup_future_usage: extra.setupFutureUsage,
    use_stripe_sdk: true,
    payment_method_preview: {
      type: test.type,
      billing_details: {
        address: billing.address ?? emptyAddress,
        email: billing.email,
        name: billing.name,
        phone: null
      },
      ...instrumentOf(method),
      customer: null,
      allow_redisplay: "unspecified"
    }
  }
}

export const nextActionFor = (returnUrl: string | null, intentId: string): NextAction =>
  returnUrl !== null
    ? {
      type: "redirect_to_url",
      redirect_to_url: { url: `https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=${intentId}`, return_url: returnUrl }
    }
    : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } }

/** The token and payment-method handlers and the payment-source resolution the intent modules share. */
/** What storeNewIntent reads and writes of a PaymentIntent or SetupIntent. */
interface NewIntent {
  readonly id: string
  status: string
  payment_method: string | null
  readonly automatic_payment_methods: { readonly enabled: boolean } | null
}

export const make = (store: Store) => {
  const { confirmationTokens, tokenMethods, usedTokens, paymentMethods } = store

  const mintConfirmationToken: FakeStripe["mintConfirmationToken"] = (options) => {
    const method = options.paymentMethod ??
      Object.entries(TestPaymentMethods).find(([, m]) => m.scenario === (options.scenario ?? "success"))![0]
    if (TestPaymentMethods[method] === undefined) {
      throw new Error(`FakeStripe: unknown test payment method ${method}`)
    }
    const token = buildToken(method, { name: options.billingName ?? null, email: options.email ?? null, address: null }, {
      returnUrl: null,
      setupFutureUsage: null
    })
    confirmationTokens.set(token.id, token)
    tokenMethods.set(token.id, method)
    return token
  }

  const createConfirmationToken = ({ params }: Ctx): Reply => {
    const method = str(params.payment_method)
    const data = obj(params.payment_method_data)
    if (method === null && data === null) {
      return invalid("You must provide either payment_method or payment_method_data.", {
        code: "parameter_missing",
        param: "payment_method"
      })
    }
    const resolved = method ?? "pm_card_visa"
    if (TestPaymentMethods[resolved] === undefined) return missing("PaymentMethod", resolved, "payment_method", 400)
    const billing = obj(data?.billing_details)
    const token = buildToken(resolved, {
      name: str(billing?.name),
      email: str(billing?.email),
      address: toAddress(billing?.address)
    }, { returnUrl: str(params.return_url), setupFutureUsage: str(params.setup_future_usage) })
    confirmationTokens.set(token.id, token)
    tokenMethods.set(token.id, resolved)
    return ok(token)
  }

  const lookupToken = (id: string): { token: ConfirmationToken; method: string; magic: boolean; expired: boolean } | undefined => {
    const stored = confirmationTokens.get(id)
    if (stored !== undefined) return { token: stored, method: tokenMethods.get(id)!, magic: false, expired: false }
    const magic = magicTokens[id]
    if (magic === undefined) return undefined
    return {
      token: buildToken(magic.method, { name: null, email: null, address: null }, {
        id,
        returnUrl: null,
        setupFutureUsage: null
      }),
      method: magic.method,
      magic: true,
      expired: magic.expired
    }
  }

  const retrieveConfirmationToken = ({ path }: Ctx): Reply => {
    const found = lookupToken(path[0]!)
    return found === undefined ? missing("confirmation_token", path[0]!) : ok(found.token)
  }

  const retrievePaymentMethod = byId(paymentMethods, "PaymentMethod", (pm) => ok(pm))

  const materialisePaymentMethod = (method: string, preview: ConfirmationToken["payment_method_preview"] | null) => {
    const test = TestPaymentMethods[method]!
    const instrument = instrumentOf(method)
    const pm: PaymentMethod = {
      id: newId("pm"),
      object: "payment_method",
      type: test.type,
      billing_details: preview?.billing_details ?? { address: emptyAddress, email: null, name: null, phone: null },
      card: instrument.card === null ? null : preview?.card ?? instrument.card,
      us_bank_account: instrument.us_bank_account,
      customer: null,
      created: nowSeconds(),
      livemode: false,
      metadata: {}
    }
    paymentMethods.set(pm.id, pm)
    return pm
  }

  type Source =
    | { readonly _tag: "Resolved"; readonly pm: PaymentMethod; readonly scenario: TestMethod["scenario"] }
    | { readonly _tag: "Failed"; readonly reply: Reply }
    | { readonly _tag: "None" }

  /** Why `confirmation_token` / `payment_method` cannot be used, without consuming anything; null when usable. */
  const checkSource = (params: P.TypedObject, intentKind: "payment_intent" | "setup_intent"): Reply | null => {
    const tokenId = str(params.confirmation_token)
    const methodId = str(params.payment_method)
    if (tokenId !== null && methodId !== null) {
      return invalid("You cannot provide both confirmation_token and payment_method.", {
        code: "parameters_exclusive",
        param: "confirmation_token"
      })
    }
    if (tokenId !== null) {
      const found = lookupToken(tokenId)
      if (found === undefined || found.expired) {
        return errorReply(400, {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "confirmation_token",
          message: found === undefined
            ? `No such confirmation_token: '${tokenId}'`
            : `No such confirmation_token: '${tokenId}'; it has expired. Create a new ConfirmationToken.`
        })
      }
      if (!found.magic && usedTokens.has(tokenId)) {
        const noun = intentKind === "payment_intent" ? "PaymentIntent" : "SetupIntent"
        return invalid(
          `This ConfirmationToken (${tokenId}) has already been used to confirm a ${noun}. You cannot confirm this ${noun} with a ConfirmationToken that was already used.`,
          { code: `${intentKind}_unexpected_state`, param: "confirmation_token" }
        )
      }
    }
    if (methodId !== null && !paymentMethods.has(methodId) && TestPaymentMethods[methodId] === undefined) {
      return missing("PaymentMethod", methodId, "payment_method", 400)
    }
    return null
  }

  /**
   * The payment method and scenario a confirm uses (the resolved source, else the intent's own method), recorded on
   * the intent, and the confirmation token linked to the intent it confirmed.
   */
  const attachSource = (
    source: Source,
    intent: { readonly id: string; payment_method: string | null },
    params: P.TypedObject,
    intentKind: "payment_intent" | "setup_intent"
  ) => {
    const pm = source._tag === "Resolved" ? source.pm : paymentMethods.get(intent.payment_method!)!
    const scenario = source._tag === "Resolved" ? source.scenario : "success"
    const tokenId = str(params.confirmation_token)
    if (tokenId !== null) {
      const stored = confirmationTokens.get(tokenId)
      if (stored !== undefined) stored[intentKind] = intent.id
    }
    intent.payment_method = pm.id
    return { pm, scenario }
  }

  /**
   * Why an intent created with `confirm=true` cannot be (Stripe then creates nothing): no payment method, no
   * return_url while automatic payment methods are on, or an unusable source; null when it can. `missing` is the
   * intent's own no-payment-method message.
   */
  const refuseConfirmOnCreate = (
    params: P.TypedObject,
    intentKind: "payment_intent" | "setup_intent",
    automaticPaymentMethods: boolean,
    missing: string
  ): Reply | null => {
    if (str(params.confirmation_token) === null && str(params.payment_method) === null) {
      return invalid(missing, { code: `${intentKind}_unexpected_state` })
    }
    if (automaticPaymentMethods && str(params.return_url) === null) {
      return invalid(returnUrlRequired(intentKind === "payment_intent" ? "Payment Intent" : "Setup Intent"), { param: "return_url" })
    }
    return checkSource(params, intentKind)
  }

  /**
   * The end of an intent's create: without `confirm`, the source given (if any) attached and the intent stored
   * (requires_confirmation when it has one); with `confirm=true`, refuseConfirmOnCreate's checks, then the intent
   * stored and confirmed at once. `payment_intent.created` / `setup_intent.created` is emitted when it is stored.
   */
  const storeNewIntent = <I extends NewIntent>(
    intent: I,
    { params, log }: Ctx,
    how: {
      readonly kind: "payment_intent" | "setup_intent"
      readonly objects: Map<string, I>
      readonly missingMessage: string
      readonly render: (intent: I) => unknown
      readonly confirm: (intent: I, params: P.TypedObject, returnUrl: string | null, log: LoggedRequest) => Reply
    }
  ): Reply => {
    if (params.confirm === true) {
      const refused = refuseConfirmOnCreate(params, how.kind, intent.automatic_payment_methods?.enabled === true, how.missingMessage)
      if (refused !== null) return refused
      how.objects.set(intent.id, intent)
      store.emit(`${how.kind}.created`, intent, log)
      return how.confirm(intent, params, str(params.return_url), log)
    }
    const source = resolveSource(params, how.kind)
    if (source._tag === "Failed") return source.reply
    if (source._tag === "Resolved") {
      const attached: NewIntent = intent
      attached.payment_method = source.pm.id
      attached.status = "requires_confirmation"
    }
    how.objects.set(intent.id, intent)
    store.emit(`${how.kind}.created`, intent, log)
    return ok(how.render(intent))
  }

  /** Turns `confirmation_token` / `payment_method` into a PaymentMethod and its scenario, consuming the token. */
  const resolveSource = (params: P.TypedObject, intentKind: "payment_intent" | "setup_intent"): Source => {
    const problem = checkSource(params, intentKind)
    if (problem !== null) return { _tag: "Failed", reply: problem }
    const tokenId = str(params.confirmation_token)
    const methodId = str(params.payment_method)
    if (tokenId !== null) {
      const found = lookupToken(tokenId)!
      if (!found.magic) usedTokens.add(tokenId)
      return {
        _tag: "Resolved",
        pm: materialisePaymentMethod(found.method, found.token.payment_method_preview),
        scenario: TestPaymentMethods[found.method]!.scenario
      }
    }
    if (methodId !== null) {
      const stored = paymentMethods.get(methodId)
      if (stored === undefined) {
        return {
          _tag: "Resolved",
          pm: materialisePaymentMethod(methodId, null),
          scenario: TestPaymentMethods[methodId]!.scenario
        }
      }
      const fingerprint = stored.card?.fingerprint ?? stored.us_bank_account?.fingerprint
      const origin = Object.keys(TestPaymentMethods).find((m) => fingerprintOf(m) === fingerprint) ?? "pm_card_visa"
      return { _tag: "Resolved", pm: stored, scenario: TestPaymentMethods[origin]!.scenario }
    }
    return { _tag: "None" }
  }

  return {
    mintConfirmationToken,
    createConfirmationToken,
    retrieveConfirmationToken,
    retrievePaymentMethod,
    checkSource,
    storeNewIntent,
    attachSource,
    resolveSource
  }
}

/** What the intent modules use to resolve a confirm's payment source. */
export type Sources = ReturnType<typeof make>
