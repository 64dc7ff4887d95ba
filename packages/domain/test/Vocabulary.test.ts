/**
 * The domain speaks its own vocabulary: no HTTP location (`"body"`, `"query"`) and no snake_case key in
 * domain/src. Issue paths are camelCase domain field names; the HTTP adapter (http-api DomainIssues) writes the
 * wire's `loc`. The allow-list below holds only snake_case strings that are the domain's own data, each group
 * with why.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"

const root = join(import.meta.dirname, "..", "src")

const sources = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : []
  })

/** Snake_case strings that are domain data, not field names of a wire format. */
const allowed: ReadonlySet<string> = new Set([
  // Enumerated values of the domain model (the reference's own value spellings, stored and compared as data):
  // price amount types, confirmation and status-machine outcome codes, a tax code.
  "seat_based",
  "metered_unit",
  "ad_hoc",
  "already_open",
  "already_succeeded",
  "already_paid",
  "not_due",
  "not_open",
  "in_flight",
  "checkout_not_confirmed",
  "superseded_attempt",
  "superseded_intent",
  "general_electronically_supplied_services",
  // Keys of the payment-processor metadata maps (keyed data the processor and the reference share, like metadata
  // keys chosen by a user): the intent metadata written at confirm and the stored processor metadata.
  "customer_id",
  "publishable_key",
  "intent_client_secret",
  "intent_status",
  "organization_id",
  "checkout_id",
  "tax_amount",
  "tax_country",
  "tax_state",
  // Test support: processor decline codes, test tokens and fake processor ids used as data.
  "card_declined",
  "generic_decline",
  "insufficient_funds",
  "lost_response",
  "test_card",
  "tok_processing",
  "requires_action",
  "standard_rated",
  "pk_test_fake",
  "ctok_1",
  "cus_1",
  "pi_1",
  "pi_old",
  "re_1",
  "polar_c_unknown",
  "polar_cl_unknown"
])

/** Tax-id type codes (`eu_vat`, `ca_gst_hst`, ...) are data like currency codes; they live in TaxId.ts only. */
const taxIdFormat = (file: string, s: string) => file === "TaxId.ts" && /^[a-z]{2}_[a-z]+(_[a-z]+)*$/u.test(s)

const snake = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/u
const stringLiteral = /(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1/gu

const withoutComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//gu, "").replace(/(^|[^:"'`])\/\/.*$/gmu, "$1")

/** What a source says in a wire vocabulary: `"body"`/`"query"` literals and snake_case keys or string literals. */
export const findings = (file: string, source: string): Array<string> => {
  const code = withoutComments(source)
  const found: Array<string> = []
  for (const match of code.matchAll(stringLiteral)) {
    const s = match[2]!
    if (s === "body" || s === "query") found.push(`wire location "${s}"`)
    else if (snake.test(s) && !allowed.has(s) && !taxIdFormat(file, s)) found.push(`snake_case string "${s}"`)
  }
  const noStrings = code.replace(stringLiteral, "\"\"")
  for (const match of noStrings.matchAll(/[{,]\s*([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s*:/gu)) {
    if (!allowed.has(match[1]!)) found.push(`snake_case key ${match[1]}`)
  }
  return found
}

describe("the domain's vocabulary", () => {
  it("the scanner finds wire locations and snake_case keys", () => {
    expect(findings("X.ts", `issue(["body", "customer_email"], reason)`)).toEqual([
      "wire location \"body\"",
      "snake_case string \"customer_email\""
    ])
    expect(findings("X.ts", `const q = { postal_code: 1, ok: 2 } // "body" in a comment is fine`)).toEqual([
      "snake_case key postal_code"
    ])
    expect(findings("X.ts", `const loc = ['query', "sorting"]`)).toEqual(["wire location \"query\""])
    expect(findings("X.ts", `Issue.make(["customerEmail"], Reason.Missing())`)).toEqual([])
    expect(findings("X.ts", `const f = "eu_vat"`)).toEqual(["snake_case string \"eu_vat\""])
    expect(findings("TaxId.ts", `const f = "eu_vat"`)).toEqual([])
  })

  it("domain/src has no wire location and no snake_case key outside the allow-list", () => {
    const files = sources(root)
    expect(files.length).toBeGreaterThan(30)
    const report = files.flatMap((path) => {
      const file = relative(root, path)
      return findings(file, readFileSync(path, "utf8")).map((f) => `${file}: ${f}`)
    })
    expect(report).toEqual([])
  })
})
