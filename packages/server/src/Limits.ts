/**
 * The server's abuse-limit settings (read with the rest of the configuration): the reference's production rules by
 * default, numbers overridable, `RATE_LIMITS=off` for tests and local tools that need unlimited calls; and the
 * proxies whose `X-Forwarded-For` is believed (for the limits' client address and the address recorded when a
 * link is opened).
 *
 * | variable                          | default | meaning                                                   |
 * | --------------------------------- | ------- | --------------------------------------------------------- |
 * | RATE_LIMITS                       | on      | `off` turns every limit off                               |
 * | RATE_LIMIT_CONFIRM_PER_MINUTE     | 6       | confirms per identity per minute                          |
 * | RATE_LIMIT_CONFIRM_PER_HOUR       | 20      | confirms per identity per hour                            |
 * | RATE_LIMIT_CONFIRM_BLOCK_SECONDS  | 1800    | how long an identity over a confirm limit is refused      |
 * | RATE_LIMIT_API_PER_MINUTE         | 500     | requests per identity per minute on every other /v1 route |
 * | TRUSTED_PROXIES                   | (none)  | comma-separated IPs/CIDRs of your load balancers          |
 */
import type { RateLimit } from "@checkout-kit/http-api"
import { Config, Option, Schema } from "effect"
import { IpNetwork } from "effect/net"

export interface LimitSettings {
  /** None: limits off. */
  readonly rules: Option.Option<ReadonlyArray<RateLimit.PathRule>>
  readonly trustedProxies: ReadonlyArray<IpNetwork.IpNetwork>
  /** The proxies as configured, for the start-up log. */
  readonly trustedProxiesText: ReadonlyArray<string>
}

const Count = Schema.Int.check(Schema.isGreaterThan(0))
const OnOff = Schema.Literals(["on", "off", "ON", "OFF", "On", "Off"])

/** `10.0.0.0/8`, `192.0.2.1` (a single address is its /32 or /128). */
const parseNetwork = (text: string): IpNetwork.IpNetwork | undefined => {
  const withPrefix = text.includes("/") ? text : `${text}/${text.includes(":") ? 128 : 32}`
  try {
    return IpNetwork.fromStringUnsafe(withPrefix)
  } catch {
    return undefined
  }
}

const Proxies = Schema.String.check(Schema.makeFilter((text: string) =>
  text.split(",").map((s) => s.trim()).filter((s) => s !== "").every((s) => parseNetwork(s) !== undefined)
))

export const config: Config.Config<LimitSettings> = Config.all({
  on: Config.schema(OnOff, "RATE_LIMITS").pipe(Config.withDefault("on" as const)),
  confirmPerMinute: Config.schema(Count, "RATE_LIMIT_CONFIRM_PER_MINUTE").pipe(Config.withDefault(6)),
  confirmPerHour: Config.schema(Count, "RATE_LIMIT_CONFIRM_PER_HOUR").pipe(Config.withDefault(20)),
  confirmBlockSeconds: Config.schema(Count, "RATE_LIMIT_CONFIRM_BLOCK_SECONDS").pipe(Config.withDefault(1800)),
  apiPerMinute: Config.schema(Count, "RATE_LIMIT_API_PER_MINUTE").pipe(Config.withDefault(500)),
  proxies: Config.schema(Proxies, "TRUSTED_PROXIES").pipe(Config.withDefault(""))
}).pipe(Config.map((c): LimitSettings => {
  const proxies = c.proxies.split(",").map((s) => s.trim()).filter((s) => s !== "")
  const rules: ReadonlyArray<RateLimit.PathRule> = [
    {
      pattern: /^\/v1\/checkouts\/.+\/confirm/u,
      rule: {
        zone: "checkout-confirm",
        windows: [{ seconds: 60, limit: c.confirmPerMinute }, { seconds: 3600, limit: c.confirmPerHour }],
        blockSeconds: c.confirmBlockSeconds
      }
    },
    { pattern: /^\/v1/u, rule: { zone: "api", windows: [{ seconds: 60, limit: c.apiPerMinute }], blockSeconds: null } }
  ]
  return {
    rules: c.on.toLowerCase() === "off" ? Option.none() : Option.some(rules),
    trustedProxies: proxies.map((p) => parseNetwork(p)!),
    trustedProxiesText: proxies
  }
}))

/** What each variable must look like (merged into Config's error messages). */
export const expectations: Readonly<Record<string, string>> = {
  RATE_LIMITS: "on or off",
  RATE_LIMIT_CONFIRM_PER_MINUTE: "a whole number greater than 0",
  RATE_LIMIT_CONFIRM_PER_HOUR: "a whole number greater than 0",
  RATE_LIMIT_CONFIRM_BLOCK_SECONDS: "a whole number of seconds greater than 0",
  RATE_LIMIT_API_PER_MINUTE: "a whole number greater than 0",
  TRUSTED_PROXIES: "comma-separated IP addresses or CIDR networks (e.g. 10.0.0.0/8,192.0.2.10)"
}

/** For the start-up log. */
export const describe = (settings: LimitSettings) => ({
  rateLimits: Option.match(settings.rules, {
    onNone: () => "off",
    onSome: (rules) => rules.map((r) => `${r.rule.zone}: ${r.rule.windows.map((w) => `${w.limit}/${w.seconds}s`).join(" + ")}${r.rule.blockSeconds === null ? "" : `, block ${r.rule.blockSeconds}s`}`).join("; ")
  }),
  trustedProxies: settings.trustedProxiesText
})
