/**
 * `ConfirmPlan`: the pure decisions of a confirm (spec 5 steps 2-15). The load phase (confirm.ts) reads and asks
 * everything first: the discount the body names, the body applied (`CheckoutPatch.decide`), inside transaction 1
 * the discount's redemption, the repriced checkout with its tax, and the confirmation token's preview when
 * `tokenPreviewWanted` says so. Then:
 * - `evaluate` validates (every problem at once, or the organization's PaymentNotReady) and settles the checkout
 *   to confirm (reset payment-form fields, the cardholder name from the token);
 * - `plan` adds the customer and decides what transaction 1 writes: the confirmed checkout of a free checkout, or
 *   the confirmed checkout with its recorded attempt and the processor request to send under its idempotency key.
 */
import { type DateTime, Option, Result } from "effect"
import * as Checkout from "../../Checkout.ts"
import * as CheckoutStatus from "../../CheckoutStatus.ts"
import * as Confirmation from "../../Confirmation.ts"
import type * as Customer from "../../Customer.ts"
import type * as Discount from "../../Discount.ts"
import * as Errors from "../../Errors.ts"
import type * as Organization from "../../Organization.ts"
import type { ConfirmationTokenPreview, ConfirmInput as ChargeRequest } from "../../ports/PaymentProcessor.ts"
import type * as Pricing from "../../Pricing.ts"
import type * as CheckoutPatch from "./CheckoutPatch.ts"
import type { Loaded, Repriced } from "./Kit.ts"
import {
  flagsOf,
  type Issue,
  invalid,
  issue,
  Reason,
  requiredFieldIssues,
  resetPaymentFormFields,
  type Selection
} from "./Rules.ts"

/** What the load phase of a confirm found and was answered. */
export interface Found {
  readonly loaded: Loaded
  /** The body applied to the loaded checkout as a confirm (`CheckoutPatch.decide`, mode `confirm`). */
  readonly decision: CheckoutPatch.Decision
  /** Whether the discount's redemption was refused (asked inside transaction 1 only; false when not asked). */
  readonly redemptionRefused: boolean
  /** The decision's draft repriced, with the tax calculator's refusal if any. */
  readonly priced: Repriced
  /** The body's confirmation token (an empty one is none). */
  readonly tokenId: string | null
  /** The processor's preview of `tokenPreviewWanted(found)` (none when not wanted or not found). */
  readonly tokenPreview: Option.Option<ConfirmationTokenPreview>
}

/** A confirmable checkout: validated, settled, with what it charges. */
export interface Evaluated {
  readonly checkout: Checkout.Checkout
  readonly selection: Selection
  readonly flags: Pricing.Flags
  readonly tokenId: string | null
}

/** What transaction 1 writes (the checkout moved to `confirmed`), and what follows its commit. */
export type Plan =
  /** Nothing to charge: the success step runs right after the commit. */
  | { readonly _tag: "Free"; readonly checkout: Checkout.Checkout; readonly discount: Discount.Discount | null }
  /** The attempt is recorded on the checkout; `request` is sent after the commit. */
  | { readonly _tag: "Charge"; readonly checkout: Checkout.Checkout; readonly request: ChargeRequest }

/** What `plan` needs besides the load: the customer prepared for the buyer, the clock, the frontend's base URL. */
export interface Context {
  readonly customer: Customer.Customer
  readonly now: DateTime.Utc
  readonly frontendBaseUrl: string
}

const notReady = (organization: Organization.Organization, flags: Pricing.Flags): boolean =>
  !organization.canAcceptPayments && (flags.isPaymentRequired || flags.isPaymentSetupRequired)

/**
 * The token whose preview the load phase should ask (step 8: a wallet hides the name field, so the cardholder name
 * comes from the token), or null: no token, a name already given, or a confirm refused before that step.
 */
export const tokenPreviewWanted = (found: Omit<Found, "tokenPreview">): string | null => {
  const { checkout } = found.priced
  if (found.tokenId === null || checkout.customerName !== null) return null
  return notReady(found.loaded.organization, flagsOf(checkout, found.decision.selection)) ? null : found.tokenId
}

/**
 * Steps 2-12 on what was loaded: the body's issues, the refused redemption, the tax refusal, the archived price,
 * payments readiness, the token's name, the required fields. Fails with every validation problem at once.
 */
export const evaluate = (
  found: Found
): Result.Result<Evaluated, Errors.RequestValidationError | Errors.PaymentNotReady> => {
  const { decision, loaded, priced, tokenId } = found
  const organization = loaded.organization
  const { selection } = decision
  const issues: Array<Issue> = [...decision.issues]
  if (found.redemptionRefused && selection.discount !== null) {
    issues.push(issue(["discountId"], Reason.DiscountNotRedeemable(), selection.discount.id))
  }
  if (priced.taxError !== null) {
    issues.push(issue(["customerBillingAddress"], Reason.TaxRejected({ message: priced.taxError }), decision.draft.customerBillingAddress))
  }
  const flags = flagsOf(priced.checkout, selection)
  let checkout = resetPaymentFormFields(priced.checkout, flags)
  if (selection.selectedPrice !== null && selection.selectedPrice.isArchived) {
    issues.push(issue(["productPriceId"], Reason.PriceArchived(), selection.selectedPrice.id))
  }
  if (notReady(organization, flags)) return Result.fail(new Errors.PaymentNotReady({ organizationId: organization.id }))
  if (tokenId !== null && checkout.customerName === null) {
    const preview = found.tokenPreview
    if (Option.isSome(preview) && preview.value.billingName !== null) checkout = { ...checkout, customerName: preview.value.billingName }
  }
  issues.push(...requiredFieldIssues(checkout, flags, tokenId))
  if (issues.length > 0) return Result.fail(invalid(issues))
  return Result.succeed({ checkout, selection, flags, tokenId })
}

/** The request a confirm sends for the checkout in its current state (spec 5 step 15). */
export const requestOf = (
  checkout: Checkout.Checkout,
  organization: Organization.Organization,
  evaluated: Pick<Evaluated, "selection" | "flags">,
  tokenId: string,
  processorCustomerId: string,
  frontendBaseUrl: string
): ChargeRequest => ({
  kind: evaluated.flags.isPaymentRequired ? "payment" : "setup",
  checkoutId: checkout.id,
  organizationId: organization.id,
  confirmationTokenId: tokenId,
  amount: checkout.totalAmount,
  currency: checkout.currency,
  processorCustomerId,
  metadata: Checkout.intentMetadata(checkout),
  returnUrl: Checkout.confirmationUrl(checkout, frontendBaseUrl),
  description: Checkout.description(organization.name, evaluated.selection.product?.name ?? null),
  statementDescriptorSuffix: organization.slug.slice(0, 15),
  setupFutureUsage: evaluated.flags.shouldSavePaymentMethod,
  idempotencyKey: Checkout.idempotencyKey(checkout)
})

/**
 * Transaction 1's decision: `evaluate`, the customer set on the checkout, and the `Confirm` transition of the
 * status machine, with the attempt recorded (`Confirmation.pendingOf`) when there is something to charge.
 */
export const plan = (
  found: Found,
  context: Context
): Result.Result<
  Plan,
  Errors.RequestValidationError | Errors.PaymentNotReady | Errors.NotOpenCheckout | Errors.ExpiredCheckoutError
> => {
  const evaluated = evaluate(found)
  if (Result.isFailure(evaluated)) return Result.fail(evaluated.failure)
  const { customer, now } = context
  const checkout: Checkout.Checkout = {
    ...evaluated.success.checkout,
    customerId: customer.id,
    paymentProcessorMetadata: {
      ...evaluated.success.checkout.paymentProcessorMetadata,
      ...(customer.processorCustomerId === null ? {} : { customer_id: customer.processorCustomerId })
    }
  }
  const { flags, selection } = evaluated.success
  if (!flags.isPaymentFormRequired) {
    const t = CheckoutStatus.transition(checkout, { _tag: "Confirm", intentId: null, pending: null }, now)
    if (Result.isFailure(t)) return Result.fail(t.failure)
    return Result.succeed({ _tag: "Free", checkout: t.success.checkout, discount: selection.discount })
  }
  const request = requestOf(
    checkout,
    found.loaded.organization,
    evaluated.success,
    evaluated.success.tokenId ?? "",
    customer.processorCustomerId ?? "",
    context.frontendBaseUrl
  )
  const pending = Confirmation.pendingOf(request, checkout, now)
  const t = CheckoutStatus.transition(checkout, { _tag: "Confirm", intentId: null, pending }, now)
  if (Result.isFailure(t)) return Result.fail(t.failure)
  return Result.succeed({ _tag: "Charge", checkout: t.success.checkout, request })
}
