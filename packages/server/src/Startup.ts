/**
 * What the server knows about its seed for the start-up banner, and the one piece of demo data it creates itself:
 * a checkout link, so the README's link example works on a fresh start. The seed file is read once; the document
 * goes to http-api's `Seed.decode` (which validates it and keeps token digests only; the store loads the domain
 * values) and is also searched for a plaintext access token to print. A production seed holds `token_sha256`, and then no token is printed.
 */
import { CheckoutLinkService, Price, Product } from "@checkout-kit/domain"
import type { Organization } from "@checkout-kit/domain"
import { Seed } from "@checkout-kit/http-api"
import { Effect, Option } from "effect"
import type * as Banner from "./Banner.ts"

/** The first plaintext token with `checkouts:write` of the first organization that has one (null if none). */
export const plaintextToken = (document: unknown): { readonly token: string; readonly organizationId: string } | null => {
  if (typeof document !== "object" || document === null) return null
  const organizations = (document as { organizations?: unknown }).organizations
  if (!Array.isArray(organizations)) return null
  for (const organization of organizations as ReadonlyArray<{ id?: unknown; access_tokens?: unknown }>) {
    if (!Array.isArray(organization.access_tokens) || typeof organization.id !== "string") continue
    for (const grant of organization.access_tokens as ReadonlyArray<{ token?: unknown; scopes?: unknown }>) {
      if (typeof grant.token === "string" && Array.isArray(grant.scopes) && grant.scopes.includes("checkouts:write")) {
        return { token: grant.token, organizationId: organization.id }
      }
    }
  }
  return null
}

/** "usd 19.99", "pay what you want (usd)", "free", "seat based (usd)", ... for the banner. */
export const priceLabel = (price: Price.Price): string => {
  switch (price.amountType) {
    case "fixed":
      return price.priceAmount === 0 ? "free" : `${price.priceCurrency} ${(price.priceAmount / 100).toFixed(2)}`
    case "custom":
      return `pay what you want, ${price.priceCurrency}`
    case "seat_based":
      return `per seat, ${price.priceCurrency}`
    case "metered_unit":
      return `metered, ${price.priceCurrency}`
  }
}

export const productLine = (product: Product.Product): Banner.ProductLine => {
  const [price] = Product.catalogPrices(product)
  const recurring = product.recurringInterval === null ? "" : `, every ${product.recurringInterval}`
  return {
    id: product.id,
    name: product.name,
    amountType: price?.amountType ?? "none",
    priceLabel: price === undefined ? "no price" : `${priceLabel(price)}${recurring}`
  }
}

export interface SeedFacts {
  readonly seed: Seed.Seed
  readonly accessToken: string | null
  /** The organization the printed token belongs to, else the first one. */
  readonly organization: Organization.Organization | null
  readonly products: ReadonlyArray<Product.Product>
}

/** Loads the seed (failing with http-api's SeedError, which names the file and every problem). */
export const loadSeed = (path: string): Effect.Effect<SeedFacts, Seed.SeedError> =>
  Effect.gen(function*() {
    const document = yield* Seed.readJson(path)
    const seed = yield* Seed.decode(document, `file ${path}`)
    const raw = plaintextToken(document)
    const organization = seed.organizations.find((o) => o.id.toLowerCase() === raw?.organizationId.toLowerCase()) ??
      seed.organizations[0] ?? null
    const products = seed.products.filter((p) =>
      organization !== null && p.organizationId === organization.id && !p.isArchived && p.visibility !== "draft"
    )
    return { seed, accessToken: raw?.token ?? null, organization, products }
  })

/**
 * The organization's first checkout link, created from its first one-time fixed-price product (else its first
 * product) when it has none. Null when there is nothing to link to.
 */
export const ensureCheckoutLink = (facts: SeedFacts) =>
  Effect.gen(function*() {
    if (facts.organization === null) return null
    const links = yield* CheckoutLinkService.CheckoutLinkService
    const caller = { organizationId: facts.organization.id }
    const existing = yield* links.list(caller, { page: 1, limit: 1 })
    const [first] = existing.items
    if (first !== undefined) return first
    const product = facts.products.find((p) =>
      !Product.isRecurring(p) && Product.catalogPrices(p)[0]?.amountType === "fixed"
    ) ?? facts.products[0]
    if (product === undefined) return null
    return yield* links.create(caller, { products: [product.id], label: "Demo checkout link" }).pipe(
      Effect.map(Option.some),
      Effect.catchTag("RequestValidationError", (error) =>
        Effect.logWarning("Could not create the demo checkout link").pipe(
          Effect.annotateLogs({ issues: error.issues }),
          Effect.as(Option.none())
        )),
      Effect.map(Option.getOrNull)
    )
  })
