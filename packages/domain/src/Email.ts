/**
 * E-mail address syntax as the reference checks it (pydantic `EmailStr`, i.e. email-validator with deliverability
 * off): one @-sign, something on both sides, the length limits (local part <= 64 characters, each domain label
 * <= 63, domain <= 255, whole address <= 254), allowed characters and a period in the domain. `problem` answers
 * email-validator's reason text; `issue` the domain issue for it (`InvalidEmail`
 * with that reason; the HTTP adapter renders the reference's `value_error` item). One rule for every place an address is accepted:
 * the HTTP body codecs, the use cases (create, update, client update, confirm) and the link prefill.
 *
 * Lengths are counted in code points; email-validator counts the IDNA ASCII form of an internationalized domain,
 * which can be longer: such an address may pass here and be refused by the reference (documented in docs/http-api.md).
 */
import { Result } from "effect"
import * as Issue from "./Issue.ts"

/** pydantic's own cap, checked before email-validator runs. */
export const MAX_INPUT_LENGTH = 2048
export const LOCAL_PART_MAX_LENGTH = 64
export const DNS_LABEL_MAX_LENGTH = 63
export const DOMAIN_MAX_LENGTH = 255
export const EMAIL_MAX_LENGTH = 254

// Close to what email-validator accepts syntactically (no quoted local parts, no domain literals).
const pattern = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+\.[^\s@"(),:;<>[\\\]]+$/u

const codePoints = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** email-validator's "(N character(s) too many)". */
const tooMany = (length: number, limit: number): string => {
  const diff = length - limit
  return `(${diff} character${diff > 1 ? "s" : ""} too many)`
}

/** Why `s` is not an e-mail address the reference accepts (email-validator's message), or undefined if it is one. */
export const problem = (s: string): string | undefined => {
  const length = codePoints(s)
  if (length > MAX_INPUT_LENGTH) return `Length must not exceed ${MAX_INPUT_LENGTH} characters`
  const at = s.indexOf("@")
  if (at === -1) return "An email address must have an @-sign."
  if (s.indexOf("@", at + 1) !== -1) return "The email address is not valid. It must have exactly one @-sign."
  if (at === 0) return "There must be something before the @-sign."
  const localLength = codePoints(s.slice(0, at))
  if (localLength > LOCAL_PART_MAX_LENGTH) {
    return `The email address is too long before the @-sign ${tooMany(localLength, LOCAL_PART_MAX_LENGTH)}.`
  }
  const domain = s.slice(at + 1)
  if (domain === "") return "There must be something after the @-sign."
  if (!domain.includes(".")) return "The part after the @-sign is not valid. It should have a period."
  if (!pattern.test(s)) return "The email address contains invalid characters."
  const domainLength = codePoints(domain)
  if (domainLength > DOMAIN_MAX_LENGTH) {
    return `The email address is too long after the @-sign ${tooMany(domainLength, DOMAIN_MAX_LENGTH)}.`
  }
  for (const label of domain.split(".")) {
    const labelLength = codePoints(label)
    if (labelLength > DNS_LABEL_MAX_LENGTH) {
      return `After the @-sign, periods cannot be separated by so many characters ${tooMany(labelLength, DNS_LABEL_MAX_LENGTH)}.`
    }
  }
  if (length > EMAIL_MAX_LENGTH) return `The email address is too long ${tooMany(length, EMAIL_MAX_LENGTH)}.`
  return undefined
}

/** The issue of a refused address at `path` (`InvalidEmail` with email-validator's reason text). */
export const issue = (s: string, reason: string, path: Issue.Path): Issue.Issue =>
  Issue.make(path, Issue.Reason.InvalidEmail({ reason }), s)

/** `s` if it is an address the reference accepts, else its issue at `path`. */
export const validate = (s: string, path: Issue.Path): Result.Result<string, Issue.Issue> => {
  const reason = problem(s)
  return reason === undefined ? Result.succeed(s) : Result.fail(issue(s, reason, path))
}
