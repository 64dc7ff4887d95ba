/**
 * Currencies: lowercase ISO 4217 codes, as the reference stores and serialises them, with the per-currency bounds
 * that the custom-amount rules use (spec 3.2: the processor's minimum charge and the maximum amount) and the
 * formatting those rules put in their messages ("Amount must be 0 or at least $0.50.").
 *
 * The tables are the reference's (polar `server/polar/kit/currency.py` at commit c6c3645, 2026-08-22), committed as
 * test data (`test/data/polar-currency-table.json`) and compared entry by entry, including the formatted bounds.
 */
import { Schema } from "effect"

/** A lowercase three-letter ISO 4217 code such as `usd`. */
export const Code = Schema.String.check(Schema.isPattern(/^[a-z]{3}$/u))
export type Code = typeof Code.Type

/** The currencies a checkout may be presented in (the contract's `PresentmentCurrency` enum, 126 codes). */
export const presentmentCurrencies = [
  "aed", "all", "amd", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd", "bdt", "bif", "bmd", "bnd", "bob", "brl",
  "bsd", "bwp", "bzd", "cad", "cdf", "chf", "clp", "cny", "cop", "crc", "cve", "czk", "djf", "dkk", "dop", "dzd",
  "egp", "etb", "eur", "fjd", "fkp", "gbp", "gel", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl", "htg", "huf",
  "idr", "ils", "inr", "isk", "jmd", "jpy", "kes", "kgs", "khr", "kmf", "krw", "kyd", "kzt", "lak", "lkr", "lrd",
  "lsl", "mad", "mdl", "mga", "mkd", "mnt", "mop", "mur", "mvr", "mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio",
  "nok", "npr", "nzd", "pab", "pen", "pgk", "php", "pkr", "pln", "pyg", "qar", "ron", "rsd", "rwf", "sar", "sbd",
  "scr", "sek", "sgd", "shp", "sos", "srd", "szl", "thb", "tjs", "top", "try", "ttd", "twd", "tzs", "uah", "ugx",
  "usd", "uyu", "uzs", "vnd", "vuv", "wst", "xaf", "xcd", "xcg", "xof", "xpf", "yer", "zar", "zmw"
] as const

export const PresentmentCurrency = Schema.Literals(presentmentCurrencies)
export type PresentmentCurrency = typeof PresentmentCurrency.Type

const presentmentSet: ReadonlySet<string> = new Set(presentmentCurrencies)

export const isPresentmentCurrency = (code: string): code is PresentmentCurrency => presentmentSet.has(code)

/**
 * Currencies whose minor unit is the major unit (the reference's `_ZERO_DECIMAL_CURRENCIES`). UGX left this set in
 * 2026-05 (polar #11557, to match Stripe): its amounts are hundredths, like ISK, HUF and TWD.
 */
const zeroDecimal: ReadonlySet<string> = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "vnd", "vuv", "xaf", "xof", "xpf"
])

export const isZeroDecimal = (code: string): boolean => zeroDecimal.has(code.toLowerCase())

/** Minor units per major unit: 1 for zero-decimal currencies, 100 otherwise (as the reference assumes). */
export const decimalFactor = (code: string): 1 | 100 => (isZeroDecimal(code) ? 1 : 100)

/**
 * Smallest positive amount a buyer may pay, in minor units: the processor's minimum charge, raised where the
 * reference raises it so that a converted charge still clears 0.50 USD. Unknown currencies fall back to 50.
 */
const minimumByCurrency: Readonly<Record<string, number>> = {
  usd: 50, aed: 200, all: 5000, amd: 20000, aoa: 50000, ars: 75000, aud: 70, awg: 100, azn: 100, bam: 100,
  bbd: 200, bdt: 7000, bif: 2000, bmd: 100, bnd: 100, bob: 500, brl: 250, bsd: 100, bwp: 1000, bzd: 200, cad: 70,
  cdf: 200000, chf: 50, clp: 500, cny: 500, cop: 200000, crc: 30000, cve: 5000, czk: 1500, djf: 100, dkk: 320,
  dop: 4000, dzd: 7000, egp: 3000, etb: 8000, eur: 50, fjd: 200, fkp: 100, gbp: 40, gel: 200, gnf: 5000,
  gip: 100, gmd: 4000, gtq: 500, gyd: 20000, hkd: 400, hnl: 2000, htg: 7000, huf: 17500, idr: 900000, ils: 150,
  inr: 6000, isk: 7000, jmd: 8000, jpy: 80, kes: 7000, kgs: 5000, khr: 300000, kmf: 500, krw: 800, kyd: 100,
  kzt: 30000, lak: 2000000, lkr: 20000, lrd: 10000, lsl: 1000, mad: 500, mdl: 1000, mga: 3000, mkd: 5000,
  mnt: 200000, mop: 500, mur: 5000, mvr: 800, mxn: 900, mwk: 100000, myr: 200, mzn: 5000, nad: 1000, ngn: 70000,
  nio: 2000, nok: 500, npr: 8000, nzd: 90, pab: 100, pen: 200, pgk: 300, php: 3500, pkr: 20000, pln: 200,
  pyg: 4000, qar: 200, ron: 250, rsd: 6000, rwf: 1000, sar: 200, sbd: 400, scr: 800, sek: 500, sgd: 70, shp: 100,
  sos: 50000, srd: 2000, szl: 1000, thb: 2000, tjs: 500, top: 200, try: 3000, ttd: 400, twd: 2000, tzs: 200000,
  uah: 3000, ugx: 200000, uyu: 2000, uzs: 700000, vnd: 20000, vuv: 100, wst: 200, xaf: 500, xcd: 200, xcg: 100,
  xof: 500, xpf: 100, yer: 20000, zar: 900, zmw: 1000
}

export const DEFAULT_MINIMUM_AMOUNT = 50
export const DEFAULT_MAXIMUM_AMOUNT = 99_999_999

/**
 * Largest amount a buyer may pay, in minor units. 99 999 999 (the processor's eight digits) except for the weak
 * currencies the reference gives larger caps (about 1 000 USD each; UGX 3 700 000.00 = 370 000 000 minor units).
 */
const maximumByCurrency: Readonly<Record<string, number>> = {
  ars: 140_000_000, cdf: 280_000_000, cop: 400_000_000, idr: 1_600_000_000, khr: 400_000_000,
  lak: 2_100_000_000, mnt: 350_000_000, mwk: 175_000_000, ngn: 155_000_000, tzs: 250_000_000, ugx: 370_000_000,
  uzs: 1_250_000_000
}

export const minimumAmount = (code: string): number => minimumByCurrency[code.toLowerCase()] ?? DEFAULT_MINIMUM_AMOUNT

export const maximumAmount = (code: string): number => maximumByCurrency[code.toLowerCase()] ?? DEFAULT_MAXIMUM_AMOUNT

/**
 * Fraction digits the reference's messages show (babel 2.18 formats with CLDR 47's currency digits, which are not
 * the minor unit: UGX, ISK and RSD amounts are hundredths but show whole units, so 999 999.99 ISK shows as
 * "ISK1,000,000"). Every other presentment currency shows two digits, or none when it is zero-decimal.
 */
const wholeUnitDisplay: ReadonlySet<string> = new Set([
  "all", "bif", "clp", "djf", "gnf", "isk", "jpy", "kmf", "krw", "lak", "mga", "pyg", "rsd", "rwf", "sos", "ugx",
  "vnd", "vuv", "xaf", "xof", "xpf", "yer"
])

const displayDigits = (code: string): number | undefined =>
  wholeUnitDisplay.has(code.toLowerCase()) ? 0 : isPresentmentCurrency(code.toLowerCase()) ? 2 : undefined

const formatters = new Map<string, Intl.NumberFormat>()

/**
 * Formats minor units the way the reference's messages do (babel `format_currency`, en_US):
 * `format(50, "usd") === "$0.50"`, `format(70, "cad") === "CA$0.70"`, `format(80, "jpy") === "¥80"`,
 * `format(200_000, "ugx") === "UGX2,000"`. babel puts no space between a currency code and the number, and rounds
 * the shown digits half-to-even; this is display only (the amounts compared are integers, never rounded here).
 */
export const format = (amount: number, code: string): string => {
  const upper = code.toUpperCase()
  let formatter = formatters.get(upper)
  if (formatter === undefined) {
    const digits = displayDigits(code)
    try {
      formatter = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency: upper,
        roundingMode: "halfEven",
        ...(digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits })
      })
    } catch {
      // Not an ISO code Intl knows: fall back to "<CODE>1.23" rather than failing a validation message.
      return `${upper}${(amount / decimalFactor(code)).toFixed(decimalFactor(code) === 1 ? 0 : 2)}`
    }
    formatters.set(upper, formatter)
  }
  return formatter
    .formatToParts(amount / decimalFactor(code))
    .filter((part) => part.type !== "literal")
    .map((part) => part.value)
    .join("")
}
