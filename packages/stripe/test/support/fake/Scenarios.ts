/**
 * Which test payment method and magic ConfirmationToken produces which outcome (success, decline, 3DS, ...),
 * and the derived card fingerprints.
 */
import { createHash } from "node:crypto"

export type Scenario = "success" | "decline" | "insufficient_funds" | "requires_action" | "processing" | "expired"

/** Reusable scenario tokens, accepted as `confirmation_token` without minting. */
export const Tokens = {
  success: "ctoken_success",
  decline: "ctoken_decline",
  insufficientFunds: "ctoken_insufficient_funds",
  requiresAction: "ctoken_requires_action",
  processing: "ctoken_processing",
  expired: "ctoken_expired"
} as const

export interface TestMethod {
  readonly scenario: Exclude<Scenario, "expired">
  readonly type: "card" | "us_bank_account"
  readonly brand: string
  readonly last4: string
}

/** Stripe's test payment methods the fake understands (as `payment_method` when minting a token or on an intent). */
export const TestPaymentMethods: { readonly [id: string]: TestMethod } = {
  pm_card_visa: { scenario: "success", type: "card", brand: "visa", last4: "4242" },
  pm_card_mastercard: { scenario: "success", type: "card", brand: "mastercard", last4: "4444" },
  pm_card_chargeDeclined: { scenario: "decline", type: "card", brand: "visa", last4: "0002" },
  pm_card_chargeDeclinedInsufficientFunds: {
    scenario: "insufficient_funds",
    type: "card",
    brand: "visa",
    last4: "9995"
  },
  pm_card_authenticationRequired: { scenario: "requires_action", type: "card", brand: "visa", last4: "3184" },
  pm_card_authenticationRequiredOnSetup: { scenario: "requires_action", type: "card", brand: "visa", last4: "3155" },
  /** Not a Stripe id: a US bank debit that stays `processing` until `resolveIntent`. */
  pm_usBankAccount_processing: { scenario: "processing", type: "us_bank_account", brand: "bank", last4: "6789" }
}

export const magicTokens: { readonly [id: string]: { readonly method: string; readonly expired: boolean } } = {
  [Tokens.success]: { method: "pm_card_visa", expired: false },
  [Tokens.decline]: { method: "pm_card_chargeDeclined", expired: false },
  [Tokens.insufficientFunds]: { method: "pm_card_chargeDeclinedInsufficientFunds", expired: false },
  [Tokens.requiresAction]: { method: "pm_card_authenticationRequired", expired: false },
  [Tokens.processing]: { method: "pm_usBankAccount_processing", expired: false },
  [Tokens.expired]: { method: "pm_card_visa", expired: true }
}

/** Same card, same fingerprint (as on Stripe), so per-card rules can be tested; derived, not random. */
export const fingerprintOf = (testMethod: string): string =>
  createHash("sha256").update(`fake-stripe:${testMethod}`).digest("base64url").replace(/[-_]/gu, "x").slice(0, 16)
