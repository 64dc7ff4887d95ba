/**
 * Embed origins (spec 4.3 step 2): the page that embeds a checkout in an iframe announces its origin, which the
 * checkout stores and the frontend uses to talk back to the parent window. The value comes from a query string,
 * so it is normalised to `scheme://host[:port]` (lowercase host, default port dropped) or dropped when it cannot
 * name a real web origin (`*`, `null`, garbage). Organizations that restrict embedding list allowed hosts, with
 * `*.example.com` wildcards.
 *
 * Parsed by hand rather than with the WHATWG `URL` global: the domain compiles without DOM or Node typings, and an
 * origin is a small grammar.
 */
import { Option, Result } from "effect"
import { EmbedHostNotAllowed } from "./Errors.ts"

/** A normalised origin, split into its parts. `port` is null when it is the scheme's default. */
export interface Origin {
  readonly scheme: "http" | "https"
  readonly host: string
  readonly port: number | null
}

const DEFAULT_PORTS = { http: 80, https: 443 } as const

const SCHEME_AND_AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/u
const HOSTNAME = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$/u
const IPV6 = /^\[[0-9a-f:.]+\]$/u
const PORT = /^[0-9]{1,5}$/u

/**
 * Parses an origin-like string (`https://Example.com:443/path?x` included). None when it is not an http(s) URL
 * with a valid host: browsers only embed from web origins, and the literal `null` origin (sandboxed frames, file
 * URLs) cannot be answered to.
 */
export const parse = (raw: string): Option.Option<Origin> => {
  const match = SCHEME_AND_AUTHORITY.exec(raw.trim())
  if (match === null) return Option.none()
  const scheme = match[1]!.toLowerCase()
  if (scheme !== "http" && scheme !== "https") return Option.none()
  // Credentials are never part of an origin.
  const authority = match[2]!.slice(match[2]!.lastIndexOf("@") + 1).toLowerCase()
  let host: string
  let portText: string | null
  if (authority.startsWith("[")) {
    const end = authority.indexOf("]")
    if (end < 0) return Option.none()
    host = authority.slice(0, end + 1)
    const rest = authority.slice(end + 1)
    if (rest === "") portText = null
    else if (rest.startsWith(":")) portText = rest.slice(1)
    else return Option.none()
    if (!IPV6.test(host)) return Option.none()
  } else {
    const colon = authority.lastIndexOf(":")
    host = colon < 0 ? authority : authority.slice(0, colon)
    portText = colon < 0 ? null : authority.slice(colon + 1)
    if (!HOSTNAME.test(host)) return Option.none()
  }
  let port: number | null = null
  // An empty port (`https://x.com:`) means the default one, as in URL parsers.
  if (portText !== null && portText !== "") {
    if (!PORT.test(portText)) return Option.none()
    const value = Number(portText)
    if (value > 65_535) return Option.none()
    port = value === DEFAULT_PORTS[scheme] ? null : value
  }
  return Option.some({ scheme, host, port })
}

export const format = (origin: Origin): string =>
  `${origin.scheme}://${origin.host}${origin.port === null ? "" : `:${origin.port}`}`

/** `https://Example.com:443/` -> `https://example.com`; `*`, `null` and unparseable values -> None. */
export const normalize = (raw: string): Option.Option<string> => Option.map(parse(raw), format)

/**
 * Whether an allowed-host entry covers the origin. Entries are hosts (`example.com`), wildcards (`*.example.com`:
 * any subdomain, not the apex), `*` (anything), optionally with a port (`localhost:3000`: that port only; without a
 * port every port of the host matches) or a scheme, which is ignored (hosts are what organizations list).
 */
export const hostMatches = (pattern: string, origin: Origin): boolean => {
  let entry = pattern.trim().toLowerCase()
  const schemeEnd = entry.indexOf("://")
  if (schemeEnd >= 0) entry = entry.slice(schemeEnd + 3)
  const pathStart = entry.search(/[/?#]/u)
  if (pathStart >= 0) entry = entry.slice(0, pathStart)
  if (entry === "*") return true
  let entryHost = entry
  let entryPort: number | null = null
  const portMatch = /^(.*[^:]):([0-9]{1,5})$/u.exec(entry)
  if (portMatch !== null && !entry.endsWith("]")) {
    entryHost = portMatch[1]!
    entryPort = Number(portMatch[2])
  }
  if (entryPort !== null) {
    const effectivePort = origin.port ?? DEFAULT_PORTS[origin.scheme]
    if (effectivePort !== entryPort) return false
  }
  if (entryHost.startsWith("*.")) {
    const suffix = entryHost.slice(1)
    return origin.host.endsWith(suffix) && origin.host.length > suffix.length
  }
  return entryHost === origin.host
}

/** Null `embedHosts` means embedding is unrestricted; an empty list allows nothing. */
export const isAllowed = (origin: Origin, embedHosts: ReadonlyArray<string> | null): boolean =>
  embedHosts === null || embedHosts.some((pattern) => hostMatches(pattern, origin))

/**
 * The embed origin a checkout opened from a link stores: None when the query gave none or an unusable one (never
 * an error: a bad value is dropped), the normalised origin when the organization allows it, and
 * EmbedHostNotAllowed (carrying the normalised origin) when the organization restricts embedding and does not
 * list it.
 */
export const resolve = (
  raw: string | null | undefined,
  embedHosts: ReadonlyArray<string> | null
): Result.Result<Option.Option<string>, EmbedHostNotAllowed> => {
  if (raw === null || raw === undefined) return Result.succeed(Option.none())
  const parsed = parse(raw)
  if (Option.isNone(parsed)) return Result.succeed(Option.none())
  const origin = format(parsed.value)
  return isAllowed(parsed.value, embedHosts)
    ? Result.succeed(Option.some(origin))
    : Result.fail(new EmbedHostNotAllowed({ origin }))
}
