/**
 * A `TaxCalculator` from a configured rate table (`TAX_RATES`), for deployments without Stripe Tax and for the demo
 * server. It lives in the server, not the stripe package, so using a table never loads the Stripe SDK. Rates
 * are basis points per jurisdiction: a country (`FR`) or a country-subdivision (`US-CA`), the subdivision winning.
 * It resolves the `location` behaviour as the reference's processors do (exclusive in US, CA and IN, inclusive
 * elsewhere; spec 3.5) and rounds like a processor, on the amount it is given, halves away from zero:
 * exclusive `tax = round(net × rate)`, inclusive `tax = net − round(net / (1 + rate))`.
 * It does not model reverse charge or other tax-id rules: a tax id does not change the tax.
 */
import { type Address, Tax, type TaxQuote, type TaxRequest, TaxCalculator } from "@checkout-kit/domain"
import { Config, Effect, Layer, Schema } from "effect"

export interface RateTable {
  /** Basis points (2000 = 20 %) by `COUNTRY` or `COUNTRY-SUBDIVISION`. A jurisdiction not listed is taxed at 0. */
  readonly rates: Readonly<Record<string, number>>
  /** Shown as the breakdown's display name. Default "Tax". */
  readonly displayName?: string
}

export const processorName = "rate_table"

/**
 * `numerator / denominator` rounded to the nearest integer, halves away from zero, computed exactly on BigInt (a
 * processor rounds the exact value; there is no float product to reproduce here). `denominator` must be positive.
 */
const divideRounded = (numerator: bigint, denominator: bigint): number => {
  const negative = numerator < 0n
  const n = negative ? -numerator : numerator
  const q = (2n * n + denominator) / (2n * denominator)
  return Number(negative ? -q : q)
}

/** Exclusive tax on `net` (minor units, tax not included) at `basisPoints`: `round(net × bp / 10000)`. */
export const exclusiveTax = (net: number, basisPoints: number): number =>
  divideRounded(BigInt(net) * BigInt(basisPoints), 10_000n)

/**
 * Inclusive tax inside `gross` (minor units, tax included) at `basisPoints`: `gross − round(gross / (1 + bp/10000))`,
 * so the net-of-tax part and the tax always add up to `gross` exactly.
 */
export const inclusiveTax = (gross: number, basisPoints: number): number =>
  gross - divideRounded(BigInt(gross) * 10_000n, 10_000n + BigInt(basisPoints))

const unprefixed = (state: string) => state.replace(/^[A-Z]{2}-/u, "")

/** The applicable rate: the subdivision's if listed, else the country's; `null` when neither is. */
export const lookupRate = (
  table: RateTable,
  address: Pick<Address.Address, "country" | "state">
): { readonly basisPoints: number; readonly state: string | null } | null => {
  const country = address.country.toUpperCase()
  if (address.state !== null) {
    const state = unprefixed(address.state.toUpperCase())
    const sub = table.rates[`${country}-${state}`]
    if (sub !== undefined) return { basisPoints: sub, state }
  }
  const national = table.rates[country]
  return national === undefined ? null : { basisPoints: national, state: null }
}

/** The quote for one request; pure (a rate table has no technical failures and no logical ones). */
export const quote = (table: RateTable, request: TaxRequest): TaxQuote => {
  const taxBehavior = Tax.resolveBehavior(request.taxBehaviorOption, request.address.country)
  const rate = request.customerExempt ? null : lookupRate(table, request.address)
  if (rate === null) return { amount: 0, taxBehavior, processor: processorName, processorId: null, breakdown: [] }
  const amount = taxBehavior === "exclusive"
    ? exclusiveTax(request.netAmount, rate.basisPoints)
    : inclusiveTax(request.netAmount, rate.basisPoints)
  return {
    amount,
    taxBehavior,
    processor: processorName,
    processorId: null,
    breakdown: [{
      rateType: "percentage",
      rate: rate.basisPoints / 10_000,
      displayName: table.displayName ?? "Tax",
      country: request.address.country.toUpperCase(),
      state: rate.state,
      subdivision: null,
      amount,
      taxabilityReason: "standard_rated"
    }]
  }
}

export const make = (table: RateTable): TaxCalculator["Service"] =>
  TaxCalculator.of({
    calculate: (request) => Effect.sync(() => quote(table, request))
  })

export const layer = (table: RateTable): Layer.Layer<TaxCalculator> => Layer.succeed(TaxCalculator, make(table))

const BasisPoints = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 10_000 }))

/**
 * `TAX_RATES`: comma-separated `JURISDICTION=basis points`, e.g. `FR=2000,DE=1900,US-CA=725` (default: empty, so no
 * tax anywhere). `TAX_DISPLAY_NAME` optional.
 */
export const config: Config.Config<RateTable> = Config.all({
  rates: Config.Record(Schema.String, BasisPoints, "TAX_RATES", { trim: true }).pipe(Config.withDefault({})),
  displayName: Config.String("TAX_DISPLAY_NAME").pipe(Config.withDefault("Tax"))
}).pipe(
  Config.map((c): RateTable => ({
    rates: Object.fromEntries(Object.entries(c.rates).map(([k, v]) => [k.toUpperCase(), v])),
    displayName: c.displayName
  }))
)

export const layerConfig: Layer.Layer<TaxCalculator, Config.ConfigError> = Layer.effect(
  TaxCalculator,
  Effect.map(config, make)
)
