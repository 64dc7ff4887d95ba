/**
 * Pricing benchmark (a script, not a test): prices a fixed pseudo-random corpus through the full pure pipeline
 * (`Pricing.price`: upfront amount with tiers, discount, tax, flags) and, in the same run, through a minimal
 * hand-written baseline doing the same arithmetic on flat records. Checks that both agree on every result, then
 * prints ops/s of each and the ratio (target: ours >= 0.5x the baseline). Passes alternate so that load from
 * other processes affects both sides alike.
 *
 *   node packages/domain/bench/pricing.ts [corpusSize=20000] [secondsPerRound=2]
 *
 * Node 22.18+ strips the TypeScript types itself. Exit code 1 on any disagreement.
 */
import { DateTime } from "effect"
import type * as Discount from "../src/Discount.ts"
import type * as Price from "../src/Price.ts"
import * as Pricing from "../src/Pricing.ts"
import type * as Product from "../src/Product.ts"
import * as Tax from "../src/Tax.ts"

const CORPUS_SIZE = Number(process.argv[2] ?? 20_000)
const SECONDS = Number(process.argv[3] ?? 2)
const ROUNDS = 5

// ---------------------------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32): the same corpus on every run.
// ---------------------------------------------------------------------------------------------------------------
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}
const random = prng(20_260_115)
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(0, xs.length - 1)]!

// ---------------------------------------------------------------------------------------------------------------
// The flat record the baseline reads: everything as plain numbers and strings.
// ---------------------------------------------------------------------------------------------------------------
type Kind = "fixed" | "custom" | "seat_volume" | "seat_graduated" | "fixed_seat" | "custom_metered"
interface Flat {
  kind: Kind
  fixedAmount: number
  customAmount: number | null
  preset: number | null
  minimum: number
  bounds: Array<number>
  rates: Array<number>
  seats: number
  discountType: "none" | "fixed" | "percentage"
  discountValue: number
  discountForever: boolean
  taxMode: "unknown" | "exclusive" | "inclusive" | "unchanged"
  taxAmount: number
  recurring: boolean
  taxApplicable: boolean
  trial: boolean
}

const NOW = DateTime.makeUnsafe("2026-01-15T12:00:00Z")
const TRIAL_END = DateTime.add(NOW, { days: 14 })
const ID = "00000000-0000-4000-8000-000000000001"

// --- baseline: the arithmetic only -----------------------------------------------------------------------------
const tiersAmount = (graduated: boolean, bounds: Array<number>, rates: Array<number>, qty: number): number => {
  if (qty <= 0) return 0
  if (!graduated) {
    for (let i = 0; i < rates.length; i++) if (i >= bounds.length || qty <= bounds[i]!) return rates[i]! * qty
    return rates[rates.length - 1]! * qty
  }
  let total = 0
  let remaining = qty
  let previous = 0
  for (let i = 0; i < rates.length && remaining > 0; i++) {
    const inTier = i >= bounds.length ? remaining : Math.min(remaining, bounds[i]! - previous)
    total += inTier * rates[i]!
    remaining -= inTier
    if (i < bounds.length) previous = bounds[i]!
  }
  return total
}

const halfAwayFromZero = (x: number) => (x - Math.trunc(x) >= 0.5 ? Math.ceil(x) : Math.floor(x))

interface Out {
  amount: number
  discount: number
  net: number
  tax: number | null
  total: number
  payment: boolean
  setup: boolean
}

const baseline = (f: Flat): Out => {
  const seatAmount = () => tiersAmount(f.kind === "seat_graduated", f.bounds, f.rates, f.seats)
  let amount: number
  switch (f.kind) {
    case "fixed":
      amount = f.fixedAmount
      break
    case "custom":
    case "custom_metered":
      amount = f.customAmount ?? f.preset ?? f.minimum
      break
    case "seat_volume":
    case "seat_graduated":
      amount = seatAmount()
      break
    case "fixed_seat":
      amount = f.fixedAmount + seatAmount()
      break
  }
  const discount = f.discountType === "fixed"
    ? Math.min(f.discountValue, amount)
    : f.discountType === "percentage"
    ? halfAwayFromZero(amount * (f.discountValue / 10_000))
    : 0
  const taxable = amount - discount
  const isFree = f.kind === "fixed" ? f.fixedAmount === 0 : f.kind === "seat_volume" || f.kind === "seat_graduated" ? f.rates.every((r) => r === 0) : f.kind === "fixed_seat" ? f.fixedAmount === 0 && f.rates.every((r) => r === 0) : false
  const metered = f.kind === "custom_metered"
  const fullForever = f.discountType === "percentage" && f.discountForever && f.discountValue === 10_000
  const trial = f.trial && f.recurring
  const setup = !isFree && !(amount === 0 && !metered) && !fullForever && f.recurring
  // The reference's gate: the previous tax (here the kept one, "unchanged") is still in the total.
  const previousTax = f.taxMode === "unchanged" ? f.taxAmount : 0
  const formBeforeTax = (taxable + previousTax > 0 && !trial) || setup
  let net = taxable
  let tax: number | null = 0
  let total = taxable
  if (formBeforeTax && f.taxApplicable) {
    if (f.taxMode === "unknown") tax = null
    else if (f.taxMode === "unchanged") {
      tax = f.taxAmount
      total = taxable + f.taxAmount
    } else if (f.taxMode === "exclusive") {
      tax = f.taxAmount
      total = taxable + f.taxAmount
    } else {
      tax = f.taxAmount
      net = taxable - f.taxAmount
    }
  }
  return { amount, discount, net, tax, total, payment: total > 0 && !trial, setup }
}

// --- ours: the same scenario as domain data ----------------------------------------------------------------------
const common = { id: ID, createdAt: NOW, modifiedAt: null, source: "catalog" as const, priceCurrency: "usd", taxBehavior: null, isArchived: false, productId: ID }

const seatTiersOf = (f: Flat): Price.SeatTiers => {
  let min = 1
  const tiers = f.rates.map((rate, i) => {
    const max = i < f.bounds.length ? f.bounds[i]! : null
    const tier = { minSeats: min, maxSeats: max, pricePerSeat: rate }
    if (max !== null) min = max + 1
    return tier
  })
  return {
    seatTierType: f.kind === "seat_graduated" ? "graduated" : "volume",
    tiers: tiers as unknown as Price.SeatTiers["tiers"],
    minimumSeats: 1,
    maximumSeats: null
  }
}

const pricesOf = (f: Flat): [Price.Price, ...Array<Price.Price>] => {
  const fixed: Price.Fixed = { ...common, amountType: "fixed", priceAmount: f.fixedAmount }
  const custom: Price.Custom = { ...common, amountType: "custom", minimumAmount: f.minimum, maximumAmount: null, presetAmount: f.preset }
  const seat: Price.SeatBased = { ...common, amountType: "seat_based", seatTiers: seatTiersOf(f) }
  const metered: Price.MeteredUnit = { ...common, amountType: "metered_unit", unitAmount: "1", capAmount: null, meterId: ID, meter: { id: ID, name: "m" } }
  switch (f.kind) {
    case "fixed":
      return [fixed]
    case "custom":
      return [custom]
    case "custom_metered":
      return [custom, metered]
    case "seat_volume":
    case "seat_graduated":
      return [seat]
    case "fixed_seat":
      return [fixed, seat]
  }
}

const discountOf = (f: Flat): Discount.Discount | null => {
  if (f.discountType === "none") return null
  const base = {
    id: ID, createdAt: NOW, modifiedAt: null, organizationId: ID, name: "d", code: null,
    duration: f.discountForever ? "forever" as const : "once" as const, durationInMonths: null, startsAt: null, endsAt: null,
    maxRedemptions: null, maxRedemptionsPerCustomer: null, redemptionsCount: 0, productIds: [], metadata: {}
  }
  return f.discountType === "fixed"
    ? { ...base, type: "fixed", amounts: { usd: f.discountValue } }
    : { ...base, type: "percentage", basisPoints: f.discountValue }
}

const taxOf = (f: Flat): Tax.TaxInput =>
  f.taxMode === "unknown"
    ? Tax.unknown
    : f.taxMode === "unchanged"
    ? Tax.unchanged(f.taxAmount)
    : Tax.quote(f.taxAmount, f.taxMode)

const inputOf = (f: Flat): Pricing.PriceInput => {
  const prices = pricesOf(f)
  const product: Pick<Product.Product, "recurringInterval" | "isTaxApplicable"> = {
    recurringInterval: f.recurring ? "month" : null,
    isTaxApplicable: f.taxApplicable
  }
  return {
    product,
    productPrices: prices,
    priceSet: { currency: "usd", prices },
    customAmount: f.customAmount,
    seats: f.seats,
    discount: discountOf(f),
    tax: taxOf(f),
    trialEnd: f.trial && f.recurring ? TRIAL_END : null
  }
}

// --- corpus ------------------------------------------------------------------------------------------------------
const makeFlat = (): Flat => {
  const kind = pick<Kind>(["fixed", "custom", "seat_volume", "seat_graduated", "fixed_seat", "custom_metered"])
  const tierCount = int(1, 4)
  const bounds: Array<number> = []
  let bound = 0
  for (let i = 0; i < tierCount - 1; i++) bounds.push((bound += int(1, 20)))
  const rates = Array.from({ length: tierCount }, () => (random() < 0.05 ? 0 : int(100, 5000)))
  const discountType = pick(["none", "none", "fixed", "percentage"] as const)
  const f: Flat = {
    kind,
    fixedAmount: random() < 0.05 ? 0 : int(100, 200_000),
    customAmount: random() < 0.5 ? int(0, 100_000) : null,
    preset: random() < 0.5 ? int(0, 50_000) : null,
    minimum: int(0, 5000),
    bounds,
    rates,
    seats: int(1, 100),
    discountType,
    discountValue: discountType === "fixed" ? int(1, 50_000) : random() < 0.1 ? 10_000 : int(1, 10_000),
    discountForever: random() < 0.3,
    taxMode: pick(["unknown", "exclusive", "inclusive", "unchanged"] as const),
    taxAmount: 0,
    recurring: random() < 0.5,
    taxApplicable: random() < 0.9,
    trial: random() < 0.2
  }
  // The tax processor's answer for this scenario: ~20 % of the taxable amount (inclusive: the share inside it).
  const taxable = baseline({ ...f, taxMode: "unknown" }).amount - baseline({ ...f, taxMode: "unknown" }).discount
  f.taxAmount = f.taxMode === "inclusive" ? Math.round(taxable / 6) : Math.round(taxable * 0.2)
  return f
}

const flats = Array.from({ length: CORPUS_SIZE }, makeFlat)
const inputs = flats.map(inputOf)

// --- agreement -----------------------------------------------------------------------------------------------------
let disagreements = 0
for (let i = 0; i < CORPUS_SIZE; i++) {
  const a = Pricing.price(inputs[i]!)
  const b = baseline(flats[i]!)
  const same = a.amount === b.amount && a.discountAmount === b.discount && a.netAmount === b.net &&
    a.taxAmount === b.tax && a.totalAmount === b.total && a.flags.isPaymentRequired === b.payment &&
    a.flags.isPaymentSetupRequired === b.setup
  if (!same) {
    if (disagreements < 5) console.error("disagreement", JSON.stringify(flats[i]), JSON.stringify(a), JSON.stringify(b))
    disagreements++
  }
}

// --- timing ------------------------------------------------------------------------------------------------------
// The two are interleaved pass by pass (one pass = the whole corpus), so background load on a shared machine hits
// both alike; each round reports its ratio and the run reports the median round.
let sink = 0
const passOurs = (): number => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < CORPUS_SIZE; i++) sink += Pricing.price(inputs[i]!).totalAmount
  return Number(process.hrtime.bigint() - start)
}
const passBaseline = (): number => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < CORPUS_SIZE; i++) sink += baseline(flats[i]!).total
  return Number(process.hrtime.bigint() - start)
}
const round = (seconds: number) => {
  let oursNs = 0
  let baseNs = 0
  let passes = 0
  while (oursNs + baseNs < seconds * 1e9) {
    // Alternate which goes first so neither always runs on a warmer cache.
    if (passes % 2 === 0) {
      oursNs += passOurs()
      baseNs += passBaseline()
    } else {
      baseNs += passBaseline()
      oursNs += passOurs()
    }
    passes++
  }
  return { ours: (passes * CORPUS_SIZE) / (oursNs / 1e9), base: (passes * CORPUS_SIZE) / (baseNs / 1e9) }
}

round(Math.min(1, SECONDS)) // warm-up (JIT)
const rounds = Array.from({ length: ROUNDS }, () => round(SECONDS))
const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ours = median(rounds.map((r) => r.ours))
const base = median(rounds.map((r) => r.base))
const ratio = median(rounds.map((r) => r.ours / r.base))
const fmt = (n: number) => Math.round(n).toLocaleString("en-US")

console.log(`corpus: ${CORPUS_SIZE} scenarios (seeded); ${ROUNDS} rounds of ~${SECONDS}s, passes interleaved; medians`)
console.log(`ours     (Pricing.price): ${fmt(ours)} ops/s`)
console.log(`baseline (hand-written) : ${fmt(base)} ops/s`)
console.log(`ratio ours/baseline     : ${ratio.toFixed(2)}x (per-round: ${rounds.map((r) => (r.ours / r.base).toFixed(2)).join(" ")}) (target >= 0.5x) ${ratio >= 0.5 ? "OK" : "BELOW TARGET"}`)
console.log(`agreement               : ${CORPUS_SIZE - disagreements}/${CORPUS_SIZE} (checksum ${sink > 0 ? "ok" : "empty"})`)
if (disagreements > 0) process.exit(1)
