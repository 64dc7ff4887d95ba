/**
 * The confirm decider (internal/checkout/ConfirmPlan.ts) without a store: what a loaded, repriced checkout makes of a
 * confirm (every validation problem at once, PaymentNotReady first, the cardholder name from the token), what
 * transaction 1 writes (a free checkout confirmed; a paid one confirmed with its attempt and the request under its
 * idempotency key), and properties (a recorded attempt replays its request byte for byte; `plan` succeeds exactly
 * when `evaluate` does on an open checkout; the charge is the checkout's total).
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option, Result } from "effect"
import * as fc from "fast-check"
import * as Checkout from "../src/Checkout.ts"
import * as Confirmation from "../src/Confirmation.ts"
import type * as Discount from "../src/Discount.ts"
import * as CheckoutPatch from "../src/internal/checkout/CheckoutPatch.ts"
import * as ConfirmPlan from "../src/internal/checkout/ConfirmPlan.ts"
import type { Loaded } from "../src/internal/checkout/Kit.ts"
import { selectionOf } from "../src/internal/checkout/Rules.ts"
import type * as Organization from "../src/Organization.ts"
import * as Fixtures from "../src/testing/Fixtures.ts"

const now = DateTime.add(Fixtures.epoch, { hours: 1 })
const org = Fixtures.organization()
const paid = Fixtures.product({ organizationId: org.id, name: "Pro", prices: [Fixtures.fixed(1000)] })
const free = Fixtures.product({ organizationId: org.id, prices: [Fixtures.free()] })
const archivedPrice = Fixtures.product({ organizationId: org.id, prices: [Fixtures.fixed(1000, { isArchived: true })] })
const discount = Fixtures.percentageDiscount({ organizationId: org.id })
const customer = Fixtures.customer({ organizationId: org.id, processorCustomerId: "cus_1" })
const address = { line1: "1 Rue", line2: null, postalCode: "75001", city: "Paris", state: null, country: "FR" }
const frontendBaseUrl = "https://shop.test"

interface Setup {
  readonly product?: typeof paid
  readonly organization?: Organization.Organization
  readonly fields?: Partial<Checkout.Checkout>
  readonly discount?: Discount.Discount | null
  readonly redemptionRefused?: boolean
  readonly taxError?: string | null
  readonly tokenId?: string | null
  readonly preview?: string | null
}

const loadedOf = (s: Setup): Loaded => {
  const product = s.product ?? paid
  const amount = product === free ? 0 : 1000
  return {
    checkout: Fixtures.checkout({
      organizationId: org.id,
      productIds: [product.id],
      productId: product.id,
      productPriceId: product.prices[0]!.id,
      amount,
      netAmount: amount,
      totalAmount: amount,
      customerEmail: "buyer@example.com",
      customerBillingAddress: address,
      discountId: s.discount?.id ?? null,
      ...s.fields
    }),
    organization: s.organization ?? org,
    products: [product],
    discount: s.discount ?? null
  }
}

const foundOf = (s: Setup = {}): ConfirmPlan.Found => {
  const loaded = loadedOf(s)
  const decision = CheckoutPatch.decide({
    loaded,
    current: selectionOf(loaded),
    patch: {},
    mode: "confirm",
    now,
    foundDiscount: Option.none()
  })
  const tokenId = s.tokenId === undefined ? "ctok_1" : s.tokenId
  return {
    loaded,
    decision,
    redemptionRefused: s.redemptionRefused ?? false,
    priced: { checkout: decision.draft, taxError: s.taxError ?? null },
    tokenId,
    tokenPreview: s.preview === undefined || s.preview === null
      ? Option.none()
      : Option.some({ billingName: s.preview, cardFingerprint: null })
  }
}

const context: ConfirmPlan.Context = { customer, now, frontendBaseUrl }

/** "ok", or the error's tag, or the issues as `path:reason`. */
const outcome = (r: Result.Result<unknown, { readonly _tag: string }>): string | ReadonlyArray<string> => {
  if (Result.isSuccess(r)) return "ok"
  const e = r.failure
  return e._tag === "RequestValidationError"
    ? (e as unknown as { issues: ReadonlyArray<{ path: ReadonlyArray<unknown>; reason: { _tag: string } }> }).issues
      .map((i) => `${i.path.join(".")}:${i.reason._tag}`)
    : e._tag
}

describe("ConfirmPlan.evaluate", () => {
  const cases: ReadonlyArray<[string, Setup, string | ReadonlyArray<string>]> = [
    ["a paid checkout with e-mail, address and token", {}, "ok"],
    ["a free checkout needs no token", { product: free, tokenId: null }, "ok"],
    ["no e-mail and no customer", { fields: { customerEmail: null } }, ["customerEmail:RequiredToConfirm"]],
    ["no token for a payment", { tokenId: null }, ["confirmationTokenId:ConfirmationTokenRequired"]],
    ["no address for a payment", { fields: { customerBillingAddress: null } }, [
      "customerBillingAddress:RequiredToConfirm",
      "customerBillingAddress.country:RequiredToConfirm"
    ]],
    ["the tax calculator refused the address", { taxError: "bad zip" }, ["customerBillingAddress:TaxRejected"]],
    ["the discount's redemption was refused", { discount, redemptionRefused: true }, ["discountId:DiscountNotRedeemable"]],
    ["a selected price archived since", { product: archivedPrice }, ["productPriceId:PriceArchived"]],
    ["every problem at once, in the reference's order", {
      discount,
      redemptionRefused: true,
      taxError: "bad zip",
      tokenId: null,
      fields: { customerEmail: null }
    }, [
      "discountId:DiscountNotRedeemable",
      "customerBillingAddress:TaxRejected",
      "customerEmail:RequiredToConfirm",
      "confirmationTokenId:ConfirmationTokenRequired"
    ]],
    ["an organization that cannot take payments, before any other problem", {
      organization: { ...org, canAcceptPayments: false },
      tokenId: null
    }, "PaymentNotReady"],
    ["an organization that cannot take payments, for a free checkout", {
      organization: { ...org, canAcceptPayments: false },
      product: free,
      tokenId: null
    }, "ok"]
  ]
  for (const [name, setup, expected] of cases) {
    it(name, () => assert.deepStrictEqual(outcome(ConfirmPlan.evaluate(foundOf(setup))), expected))
  }

  it("the cardholder name comes from the token when the buyer gave none, never over a given one", () => {
    const named = ConfirmPlan.evaluate(foundOf({ preview: "Ada Lovelace" }))
    assert.strictEqual(Result.isSuccess(named) ? named.success.checkout.customerName : "refused", "Ada Lovelace")
    const kept = ConfirmPlan.evaluate(foundOf({ preview: "Ada Lovelace", fields: { customerName: "Grace" } }))
    assert.strictEqual(Result.isSuccess(kept) ? kept.success.checkout.customerName : "refused", "Grace")
  })

  it("tokenPreviewWanted: only a token, without a name, on a confirm not refused before the name step", () => {
    const { tokenPreview: _, ...base } = foundOf()
    assert.strictEqual(ConfirmPlan.tokenPreviewWanted(base), "ctok_1")
    const { tokenPreview: _a, ...named } = foundOf({ fields: { customerName: "Grace" } })
    assert.isNull(ConfirmPlan.tokenPreviewWanted(named))
    const { tokenPreview: _b, ...noToken } = foundOf({ tokenId: null })
    assert.isNull(ConfirmPlan.tokenPreviewWanted(noToken))
    const { tokenPreview: _c, ...notReady } = foundOf({ organization: { ...org, canAcceptPayments: false } })
    assert.isNull(ConfirmPlan.tokenPreviewWanted(notReady))
  })
})

describe("ConfirmPlan.plan", () => {
  it("a free checkout: confirmed for the customer, no attempt, the discount kept for the view", () => {
    const r = ConfirmPlan.plan(foundOf({ product: free, tokenId: null, discount }), context)
    assert.isTrue(Result.isSuccess(r))
    if (Result.isFailure(r) || r.success._tag !== "Free") return assert.fail("expected Free")
    assert.strictEqual(r.success.checkout.status, "confirmed")
    assert.strictEqual(r.success.checkout.customerId, customer.id)
    assert.isNull(r.success.checkout.pendingPayment)
    assert.strictEqual(r.success.discount, discount)
  })

  it("a paid checkout: confirmed with its attempt recorded, and the request to send under its key", () => {
    const found = foundOf()
    const r = ConfirmPlan.plan(found, context)
    if (Result.isFailure(r) || r.success._tag !== "Charge") return assert.fail("expected Charge")
    const { checkout, request } = r.success
    assert.strictEqual(checkout.status, "confirmed")
    assert.strictEqual(checkout.customerId, customer.id)
    assert.strictEqual(checkout.paymentProcessorMetadata["customer_id"], "cus_1")
    assert.deepStrictEqual(request, {
      kind: "payment",
      checkoutId: found.loaded.checkout.id,
      organizationId: org.id,
      confirmationTokenId: "ctok_1",
      amount: 1000,
      currency: "usd",
      processorCustomerId: "cus_1",
      metadata: Checkout.intentMetadata(checkout),
      returnUrl: Checkout.confirmationUrl(checkout, frontendBaseUrl),
      description: Checkout.description("Acme", "Pro"),
      statementDescriptorSuffix: "acme",
      setupFutureUsage: false,
      idempotencyKey: Checkout.idempotencyKey(found.loaded.checkout)
    })
    assert.strictEqual(checkout.pendingPayment?.state, "sending")
    assert.deepStrictEqual(checkout.pendingPayment?.sentAt, now)
  })

  it("a checkout no longer open is refused by the status machine", () => {
    assert.deepStrictEqual(outcome(ConfirmPlan.plan(foundOf({ fields: { status: "confirmed" } }), context)), "NotOpenCheckout")
  })

  it("validation comes before the transition", () => {
    assert.deepStrictEqual(
      outcome(ConfirmPlan.plan(foundOf({ fields: { status: "confirmed" }, tokenId: null }), context)),
      ["confirmationTokenId:ConfirmationTokenRequired"]
    )
  })

  const setups: fc.Arbitrary<Setup> = fc.record({
    product: fc.constantFrom(paid, free, archivedPrice),
    organization: fc.constantFrom(org, { ...org, canAcceptPayments: false }),
    fields: fc.record({
      customerEmail: fc.constantFrom("buyer@example.com", null),
      customerName: fc.constantFrom("Grace", null),
      customerBillingAddress: fc.constantFrom(address, null)
    }),
    discount: fc.constantFrom(discount, null),
    redemptionRefused: fc.boolean(),
    taxError: fc.constantFrom("bad zip", null),
    tokenId: fc.constantFrom("ctok_1", null),
    preview: fc.constantFrom("Ada", null)
  })

  it("property: plan succeeds exactly when evaluate does (on an open checkout), and Free exactly without a payment form", () => {
    fc.assert(fc.property(setups, (s) => {
      const found = foundOf(s)
      const evaluated = ConfirmPlan.evaluate(found)
      const planned = ConfirmPlan.plan(found, context)
      assert.deepStrictEqual(outcome(planned), outcome(evaluated))
      if (Result.isFailure(evaluated) || Result.isFailure(planned)) return
      assert.strictEqual(planned.success._tag, evaluated.success.flags.isPaymentFormRequired ? "Charge" : "Free")
      assert.strictEqual(planned.success.checkout.status, "confirmed")
      assert.strictEqual(planned.success.checkout.version, found.loaded.checkout.version)
    }))
  })

  it("property: a recorded attempt replays its request byte for byte, charging the checkout's total", () => {
    fc.assert(fc.property(setups, fc.constantFrom("cus_1", null), (s, processorCustomerId) => {
      const planned = ConfirmPlan.plan(foundOf(s), { ...context, customer: { ...customer, processorCustomerId } })
      if (Result.isFailure(planned) || planned.success._tag !== "Charge") return
      const { checkout, request } = planned.success
      const pending = checkout.pendingPayment
      assert.isNotNull(pending)
      assert.deepStrictEqual(Confirmation.requestOf(checkout, pending!), request)
      assert.strictEqual(request.amount, checkout.totalAmount)
      assert.strictEqual(request.idempotencyKey, pending!.idempotencyKey)
      assert.strictEqual(request.processorCustomerId, processorCustomerId ?? "")
    }))
  })
})
