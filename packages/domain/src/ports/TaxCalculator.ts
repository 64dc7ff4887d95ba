/**
 * Port: tax calculation (spec 3.5). The checkout asks for tax on its net amount once it has a billing address; a
 * logical error (bad address, invalid tax id) is swallowed at create/update and becomes a 422 at confirm.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { Address, TaxId } from "../Address.ts"
import type { TaxBehavior, TaxBreakdownItem } from "../Checkout.ts"
import type { TaxCalculationLogicalError, TaxCalculationTechnicalError } from "../Errors.ts"
import type { TaxBehaviorOption } from "../Price.ts"

export interface TaxRequest {
  readonly checkoutId: string
  readonly currency: string
  /** Amount after discount, in minor units. For inclusive behaviour it includes the tax to extract. */
  readonly netAmount: number
  readonly taxBehaviorOption: TaxBehaviorOption
  readonly taxCode: string
  readonly address: Address
  readonly taxIds: ReadonlyArray<TaxId>
  readonly customerExempt: boolean
}

export interface TaxQuote {
  readonly amount: number
  /** The resolved behaviour (`location` resolves to exclusive in CA, IN, US and inclusive elsewhere). */
  readonly taxBehavior: TaxBehavior
  readonly processor: string
  readonly processorId: string | null
  readonly breakdown: ReadonlyArray<TaxBreakdownItem>
}

export class TaxCalculator extends Context.Service<TaxCalculator, {
  readonly calculate: (request: TaxRequest) => Effect.Effect<TaxQuote, TaxCalculationLogicalError | TaxCalculationTechnicalError>
}>()("@checkout-kit/domain/TaxCalculator") {}
