/**
 * Customer tax ids (spec 3.5, `tax/tax_id.py`): a tax id is only meaningful with a billing country, which decides
 * the formats tried, in the reference's order. The reference validates with python-stdnum; we check the formats
 * that matter most here by shape and, where the check digit is simple, by checksum (EU VAT with FR, DE, BE, IT
 * checksums, GB VAT, US EIN). For the other countries the reference supports we accept any plausible compact
 * number (5-20 letters or digits) under the country's first format, so a valid id is never refused; an id for a
 * country without tax ids (e.g. a FR VAT number with a US address) is "Invalid tax ID.".
 */
import { Result } from "effect"
import type { Address, TaxId } from "./Address.ts"
import * as Issue from "./Issue.ts"

/** The formats tried per billing country (the reference's COUNTRY_TAX_ID_MAP). */
const formatsByCountry: Readonly<Record<string, ReadonlyArray<string>>> = {
  AD: ["ad_nrt"], AE: ["ae_trn"], AR: ["ar_cuit"], AT: ["eu_vat"], AU: ["au_abn", "au_arn"], BE: ["eu_vat"],
  BG: ["eu_vat"], BH: ["bh_vat"], BO: ["bo_tin"], BR: ["br_cnpj", "br_cpf"],
  CA: ["ca_gst_hst", "ca_pst_bc", "ca_pst_mb", "ca_pst_sk", "ca_qst", "ca_bn"], CH: ["ch_uid", "ch_vat"],
  CL: ["cl_tin"], CN: ["cn_tin"], CO: ["co_nit"], CR: ["cr_tin"], CY: ["eu_vat"], CZ: ["eu_vat"], DE: ["eu_vat"],
  DK: ["eu_vat"], DO: ["do_rcn"], EC: ["ec_ruc"], EE: ["eu_vat"], EG: ["eg_tin"], ES: ["eu_vat"], FI: ["eu_vat"],
  FR: ["eu_vat"], GB: ["gb_vat"], GE: ["ge_vat"], GR: ["eu_vat"], HK: ["hk_br"], HR: ["eu_vat"], HU: ["eu_vat"],
  ID: ["id_npwp"], IE: ["eu_vat"], IL: ["il_vat"], IN: ["in_gst"], IS: ["is_vat"], IT: ["eu_vat"],
  JP: ["jp_cn", "jp_rn", "jp_trn"], KE: ["ke_pin"], KR: ["kr_brn"], KZ: ["kz_bin"], LI: ["li_uid"], LT: ["eu_vat"],
  LU: ["eu_vat"], LV: ["eu_vat"], MT: ["eu_vat"], MK: ["mk_vat"], MU: ["mu_tan"], MX: ["mx_rfc"],
  MY: ["my_frp", "my_itn", "my_sst"], NG: ["ng_tin"], NL: ["eu_vat"], NO: ["no_vat", "no_voec"], NZ: ["nz_gst"],
  OM: ["om_vat"], PE: ["pe_ruc"], PH: ["ph_tin"], PL: ["eu_vat"], PT: ["eu_vat"], RO: ["eu_vat"], RS: ["rs_pib"],
  RU: ["ru_inn", "ru_kpp"], SA: ["sa_vat"], SE: ["eu_vat"], SG: ["sg_gst", "sg_uen"], SI: ["eu_vat"], SK: ["eu_vat"],
  SV: ["sv_nit"], TH: ["th_vat"], TR: ["tr_tin"], TW: ["tw_vat"], UA: ["ua_vat"], US: ["us_ein"], UY: ["uy_ruc"],
  VE: ["ve_rif"], VN: ["vn_tin"], ZA: ["za_vat"]
}

/** Separators people type inside numbers, removed before checking (stdnum's `compact`). */
const compact = (number: string): string => number.replace(/[\s\-./,:]/gu, "").toUpperCase()

const digitsOnly = (s: string): boolean => /^\d+$/u.test(s)

const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** ISO 7064 Mod 11,10 (German USt-IdNr.). */
const mod11_10 = (digits: string): boolean => {
  let product = 10
  for (let i = 0; i < digits.length - 1; i++) {
    let sum = (Number(digits[i]) + product) % 10
    if (sum === 0) sum = 10
    product = (2 * sum) % 11
  }
  return (11 - product) % 10 === Number(digits[digits.length - 1])
}

const mod97 = (digits: string): bigint => BigInt(digits) % 97n

/** Per member state, the shape of the number after its prefix (stdnum's country modules), and checksums we verify. */
const euVatRules: Readonly<Record<string, (n: string) => boolean>> = {
  AT: (n) => /^U\d{8}$/u.test(n),
  BE: (n) => /^[01]\d{9}$/u.test(n) && 97n - mod97(n.slice(0, 8)) === BigInt(n.slice(8)),
  BG: (n) => /^\d{9,10}$/u.test(n),
  CY: (n) => /^\d{8}[A-Z]$/u.test(n),
  CZ: (n) => /^\d{8,10}$/u.test(n),
  DE: (n) => /^[1-9]\d{8}$/u.test(n) && mod11_10(n),
  DK: (n) => /^[1-9]\d{7}$/u.test(n),
  EE: (n) => /^\d{9}$/u.test(n),
  EL: (n) => /^\d{9}$/u.test(n),
  ES: (n) => /^[A-Z0-9]\d{7}[A-Z0-9]$/u.test(n),
  FI: (n) => /^\d{8}$/u.test(n),
  // Two check characters then the 9-digit SIREN; numeric keys are (SIREN || "12") mod 97.
  FR: (n) =>
    /^[0-9A-HJ-NP-Z]{2}\d{9}$/u.test(n) &&
    (!digitsOnly(n.slice(0, 2)) || (BigInt(`${n.slice(2)}12`) % 97n === BigInt(n.slice(0, 2)) && luhn(n.slice(2)))),
  HR: (n) => /^\d{11}$/u.test(n),
  HU: (n) => /^\d{8}$/u.test(n),
  IE: (n) => /^\d[A-Z0-9+*]\d{5}[A-Z]{1,2}$/u.test(n),
  IT: (n) => /^\d{11}$/u.test(n) && luhn(n),
  LT: (n) => /^(\d{9}|\d{12})$/u.test(n),
  LU: (n) => /^\d{8}$/u.test(n),
  LV: (n) => /^\d{11}$/u.test(n),
  MT: (n) => /^[1-9]\d{7}$/u.test(n),
  NL: (n) => /^\d{9}B\d{2}$/u.test(n),
  PL: (n) => /^\d{10}$/u.test(n),
  PT: (n) => /^\d{9}$/u.test(n),
  RO: (n) => /^[1-9]\d{1,9}$/u.test(n),
  SE: (n) => /^\d{10}01$/u.test(n),
  SI: (n) => /^[1-9]\d{7}$/u.test(n),
  SK: (n) => /^[1-9]\d{9}$/u.test(n),
  XI: (n) => /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/u.test(n)
}

/** stdnum's eu.vat: the number carries its member-state prefix (GR is written EL); the prefix picks the rule. */
const validateEuVat = (number: string): string | null => {
  const prefix = number.slice(0, 2) === "GR" ? "EL" : number.slice(0, 2)
  const rule = euVatRules[prefix]
  return rule !== undefined && rule(number.slice(2)) ? `${prefix}${number.slice(2)}` : null
}

const validateFormat = (format: string, number: string): string | null => {
  switch (format) {
    case "eu_vat":
      return validateEuVat(number)
    case "gb_vat": {
      const n = number.startsWith("GB") ? number.slice(2) : number
      return /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/u.test(n) ? n : null
    }
    case "us_ein":
      return /^\d{9}$/u.test(number) && !number.startsWith("00") ? number : null
    default:
      return /^[A-Z0-9]{5,20}$/u.test(number) ? number : null
  }
}

/**
 * Validates a tax id against the billing address's country; returns it with its detected format, e.g.
 * `{ number: "FR61954506077", format: "eu_vat" }`. No address -> `CountryRequiredForTaxId` at
 * ["customerBillingAddress"]; no format of the country accepts it -> `InvalidTaxId` at `path` (default
 * ["customerTaxId"]).
 */
export const validate = (
  number: string,
  address: Pick<Address, "country"> | null,
  path: Issue.Path = ["customerTaxId"]
): Result.Result<TaxId, Issue.Issue> => {
  if (address === null) {
    return Result.fail(Issue.make(["customerBillingAddress"], Issue.Reason.CountryRequiredForTaxId(), null))
  }
  const compacted = compact(number)
  for (const format of formatsByCountry[address.country] ?? []) {
    const valid = validateFormat(format, compacted)
    if (valid !== null) return Result.succeed({ number: valid, format })
  }
  return Result.fail(Issue.make(path, Issue.Reason.InvalidTaxId(), number))
}
