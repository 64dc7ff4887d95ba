/**
 * Request-side field codecs with the reference's normalisations: empty strings that mean "not given", e-mail
 * syntax, http(s) URLs, IP addresses, BCP-47 locales, discount codes. Each failing check carries a `pydanticType`
 * annotation and a message so that `Validation` can answer with FastAPI-like 422 items.
 */
import { Email as EmailRule } from "@checkout-kit/domain"
import { Effect, Schema, SchemaIssue, SchemaTransformation } from "effect"
import * as M from "../internal/Messages.ts"

/** Optional key on the wire that decodes to `value` when absent (a reference default). */
export const withDefault = <S extends Schema.Top>(schema: S, value: S["Encoded"]) =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema)

/** Optional nullable key on the wire that decodes to `null` when absent. */
export const nullByDefault = <S extends Schema.Top>(schema: S) =>
  Schema.withDecodingDefaultKey<Schema.NullOr<S>>(Effect.succeed(null))(Schema.NullOr(schema))

const identity = <A>(a: A): A => a

/**
 * A rule on every key of a map. Effect's `Record` silently drops keys that fail a refined key schema, so keys are
 * checked on the whole map instead; failures are reported at `[<key>, "[key]"]`, as pydantic does.
 */
export const isEveryKey = (
  accept: (key: string) => boolean,
  message: string,
  pydanticType: string,
  pydanticCtx?: Record<string, unknown>
) =>
  Schema.makeFilter<{ readonly [key: string]: unknown }>(
    (record) => {
      const issues = Object.keys(record).filter((key) => !accept(key)).map((key) => ({
        path: [key, "[key]"],
        issue: message
      }))
      return issues.length === 0 ? undefined : issues
    },
    { expected: message, pydanticType, ...(pydanticCtx === undefined ? {} : { pydanticCtx }) }
  )

const nullWhenBlank = (s: string | null): string | null => (s !== null && s.trim() === "" ? null : s)

const NullableString = Schema.NullOr(Schema.String)

/**
 * `string | null` where a blank string decodes to `null` (the reference's `EmptyStrToNone`). `inner` may carry
 * checks (e.g. a maximum length); they run before the blank check.
 */
export const blankAsNull = (inner: Schema.Codec<string, string> = Schema.String) =>
  Schema.NullOr(inner).pipe(
    Schema.decodeTo(NullableString, SchemaTransformation.transform({ decode: nullWhenBlank, encode: identity }))
  )

/** A plain `string | null` whose blank value means `null`. */
export const BlankAsNull = blankAsNull()

/**
 * The reference's `EmailStr` (domain `Email.problem`: syntax and lengths). The 422 item carries email-validator's
 * reason in `msg` and in `ctx.reason`, as pydantic's does.
 */
const isEmail = Schema.makeFilter<string>(
  (s) => {
    const reason = EmailRule.problem(s)
    return reason === undefined
      ? undefined
      : new SchemaIssue.InvalidValue({ message: M.invalidEmail(reason).msg, pydanticCtx: { reason } })
  },
  { expected: "an email address", format: "email", pydanticType: "value_error" }
)

/** The domain part is case-insensitive; the reference stores it lowercased (email-validator normalisation). */
const normaliseEmail = (s: string): string => {
  const at = s.lastIndexOf("@")
  return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`
}

/** E-mail address (syntax only), domain lowercased. */
export const Email = Schema.String.check(isEmail).pipe(
  Schema.decodeTo(Schema.String, SchemaTransformation.transform({ decode: normaliseEmail, encode: identity }))
)

const isHttpUrl = Schema.makeFilter<string>(
  (s) => {
    let url: URL
    try {
      url = new URL(s)
    } catch {
      return M.urlRelative.msg
    }
    return url.protocol === "http:" || url.protocol === "https:"
      ? undefined
      : "URL scheme should be 'http' or 'https'"
  },
  { expected: "an http(s) URL", format: "uri", pydanticType: "url_parsing" }
)

/**
 * Absolute http(s) URL of at most 2083 characters. The text is kept as sent, so a `{CHECKOUT_ID}` placeholder in a
 * success URL stays unescaped.
 */
export const HttpUrl = Schema.String.check(
  Schema.isMinLength(1),
  Schema.isMaxLength(2083, { pydanticType: M.urlTooLong(2083).type, message: M.urlTooLong(2083).msg }),
  isHttpUrl
)

const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/u

const isIpv6 = (s: string): boolean => {
  if (!s.includes(":") || !/^[0-9A-Fa-f:.]+$/u.test(s)) return false
  try {
    new URL(`http://[${s}]/`)
    return true
  } catch {
    return false
  }
}

/** IPv4 or IPv6 address. */
export const IpAddress = Schema.String.check(
  Schema.makeFilter<string>((s) => ipv4Pattern.test(s) || isIpv6(s), {
    expected: "an IPv4 or IPv6 address",
    format: "ipvanyaddress",
    pydanticType: "ip_any_address",
    message: "value is not a valid IPv4 or IPv6 address"
  })
)

const canonicalLocale = (s: string): string | undefined => {
  try {
    return Intl.getCanonicalLocales(s.replaceAll("_", "-"))[0]
  } catch {
    return undefined
  }
}

/**
 * Locale tag, canonicalised when it is a valid BCP-47 tag (`en-us` → `en-US`, `en_GB` → `en-GB`) and kept as sent
 * otherwise: the contract types it as a plain string, so nothing is rejected.
 */
export const Locale = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String,
    SchemaTransformation.transform({ decode: (s) => canonicalLocale(s) ?? s, encode: identity })
  )
)

/** Discount code as typed by a buyer: surrounding whitespace dropped, blank means none. */
export const DiscountCode = Schema.NullOr(Schema.String).pipe(
  Schema.decodeTo(
    NullableString,
    SchemaTransformation.transform({
      decode: (s) => (s === null ? null : s.trim() === "" ? null : s.trim()),
      encode: identity
    })
  )
)
