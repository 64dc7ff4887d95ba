/**
 * Seed data: the organizations (with access tokens), custom fields, products, discounts, customers and checkouts a
 * store starts with, as a JSON document in the wire vocabulary (`seed/Document.ts`: the wire schemas' fields with
 * defaults), decoded here into domain values that any store loads (store-memory's `MemoryStore.layer`,
 * store-postgres's `seed`). A bad seed stops start-up with every problem listed as "file, path inside it, what was
 * expected", because a half-loaded catalog would fail later in confusing ways. Tokens are kept only as SHA-256
 * digests and never appear in error messages.
 */
import { Checkout, Customer, Discount, Organization, Product } from "@checkout-kit/domain"
import { Data, DateTime, Effect, Schema, SchemaIssue, SchemaParser } from "effect"
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import * as Catalog from "./seed/Catalog.ts"
import * as Checkouts from "./seed/Checkouts.ts"
import { SeedDocument } from "./seed/Document.ts"
import * as Issues from "./seed/Issues.ts"
import * as Parties from "./seed/Parties.ts"

export {
  AccessToken,
  CheckoutSeed,
  CustomerSeed,
  CustomFieldSeed,
  defaultOpenExpiry,
  DiscountSeed,
  OrganizationSeed,
  PriceSeed,
  ProductSeed,
  ScopeName,
  SeedDocument
} from "./seed/Document.ts"
export type { SeedIssue } from "./seed/Issues.ts"
export type { TokenGrant } from "./seed/Catalog.ts"

/** A seed turned into domain values, ready to be put into a store. */
export interface Seed {
  readonly organizations: ReadonlyArray<Organization.Organization>
  readonly tokens: ReadonlyArray<Catalog.TokenGrant>
  readonly products: ReadonlyArray<Product.Product>
  readonly discounts: ReadonlyArray<Discount.Discount>
  readonly customers: ReadonlyArray<Customer.Customer>
  readonly checkouts: ReadonlyArray<Checkout.Checkout>
}

/** The seed could not be read or is invalid; `message` names the source, each path and what was expected. */
export class SeedError extends Data.TaggedError("SeedError")<{
  readonly source: string
  readonly issues: ReadonlyArray<Issues.SeedIssue>
}> {
  override get message(): string {
    const lines = this.issues.map((i) => `  at ${i.path}: ${i.message}`)
    return `Invalid seed ${this.source}:\n${lines.join("\n")}`
  }
}

export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/u.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out === "" ? "(root)" : out
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const decodeDocument = SchemaParser.decodeUnknownEffect(Schema.toCodecJson(SeedDocument), { errors: "all", onExcessProperty: "error" })

/** Validates a seed document (already parsed JSON) and converts it to domain values. */
export const decode = (input: unknown, source = "(inline seed)"): Effect.Effect<Seed, SeedError> =>
  decodeDocument(input).pipe(
    Effect.mapError((issue) =>
      new SeedError({
        source,
        issues: formatter(issue).issues.map((i) => {
          const path = (i.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? (p as { key: PropertyKey }).key : p)) as ReadonlyArray<PropertyKey>
          // Never echo a token back (the formatter quotes the rejected input).
          const secret = path[path.length - 1] === "token"
          return { path: formatPath(path), message: secret ? "Expected a string of at least 16 characters" : i.message }
        })
      })
    ),
    Effect.flatMap((document) =>
      Effect.flatMap(DateTime.now, (now) => {
        const issues = Issues.make()
        const catalog = Catalog.convert(document, issues)
        const seed: Seed = {
          organizations: Array.from(catalog.organizations.values()),
          tokens: catalog.tokens,
          products: Array.from(catalog.products.values()),
          discounts: Parties.discounts(document, catalog, issues),
          customers: Parties.customers(document, catalog, issues),
          checkouts: Checkouts.convert(document, catalog, now, issues)
        }
        return issues.list.length > 0 ? Effect.fail(new SeedError({ source, issues: issues.list })) : Effect.succeed(seed)
      })
    )
  )

/** Reads a seed file and parses its JSON (not yet validated): for callers that also read the document itself. */
export const readJson = (path: string): Effect.Effect<unknown, SeedError> => {
  const failure = (at: string, message: string) => new SeedError({ source: `file ${path}`, issues: [{ path: at, message }] })
  return Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (error) => failure("(file)", `cannot be read: ${error instanceof Error ? error.message : String(error)}`)
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (error) => failure("(root)", `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
      })
    )
  )
}

/** Reads, parses and validates a seed file. */
export const readFileSeed = (path: string): Effect.Effect<Seed, SeedError> =>
  Effect.flatMap(readJson(path), (json) => decode(json, `file ${path}`))

/** The demo seed shipped with this package (`seed/demo.json`): local use only, its tokens are public. */
export const demoSeedPath: string = fileURLToPath(new URL("../seed/demo.json", import.meta.url))

/** The demo seed, decoded: `MemoryStore.layerFrom(Seed.demo)` is the demo store. */
export const demo: Effect.Effect<Seed, SeedError> = Effect.suspend(() => readFileSeed(demoSeedPath))

/** Re-checks the converted values against the domain schemas (a guard against this module drifting from them). */
export const assertDomainShapes = (seed: Seed): Effect.Effect<void, Schema.SchemaError> =>
  Effect.gen(function*() {
    for (const o of seed.organizations) yield* Schema.decodeUnknownEffect(Schema.toType(Organization.Organization))(o)
    for (const p of seed.products) yield* Schema.decodeUnknownEffect(Schema.toType(Product.Product))(p)
    for (const d of seed.discounts) yield* Schema.decodeUnknownEffect(Schema.toType(Discount.Discount))(d)
    for (const c of seed.customers) yield* Schema.decodeUnknownEffect(Schema.toType(Customer.Customer))(c)
    for (const c of seed.checkouts) yield* Schema.decodeUnknownEffect(Schema.toType(Checkout.Checkout))(c)
  })
