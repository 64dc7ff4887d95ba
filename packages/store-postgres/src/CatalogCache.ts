/**
 * A short-lived cache of catalog reads (products by id, organizations by id) shared by one store's ports, so a
 * request does not read the same product and organization again in each of its transactions (a confirm loaded both
 * three times) and hot products are not read per request.
 *
 * What it may serve, and for how long: a value read at most `ttl` (default 1 s) ago. Only found rows are kept (a
 * product or organization created on another node is seen at once); this process's own catalog writes (Admin) clear
 * it. What that bounds, on other nodes, for `ttl`: a product's name, description, archived flag or price list, and an
 * organization's settings or blocked status, can be `ttl` old. Prices themselves are immutable (a changed price is
 * a new price id; a checkout keeps the price ids it was created with), so no amount a checkout charges comes from
 * the cache's staleness: at worst a product archived within the last `ttl` can still be put in a new checkout, as it
 * could by a request that read it just before the archive. Not cached: access tokens (a revoked token stops at once),
 * discounts (their redemption count is the cap's source of truth), checkouts, customers.
 */
import type { Organization, Product } from "@checkout-kit/domain"
import { Clock, Context, Duration, Effect, Layer, Option } from "effect"

interface Entry<A> {
  readonly value: A
  readonly until: number
}

export interface Table<A> {
  /** The cached value if fresh, else `load`'s (kept only when Some). */
  readonly get: <E, R>(key: string, load: Effect.Effect<Option.Option<A>, E, R>) => Effect.Effect<Option.Option<A>, E, R>
}

export interface Service {
  readonly products: Table<Product.Product>
  readonly organizations: Table<Organization.Organization>
  /** Forgets everything (after a local catalog write). */
  readonly clear: Effect.Effect<void>
}

export class CatalogCache extends Context.Service<CatalogCache, Service>()("@checkout-kit/store-postgres/CatalogCache") {}

/** Default time a cached row is served. */
export const defaultTtl: Duration.Duration = Duration.seconds(1)

/** At most this many rows per table; past it the table is emptied (a flood of distinct ids cannot grow it). */
const maxEntries = 10_000

export const make = (ttl: Duration.Input = defaultTtl): Service => {
  const ttlMs = Duration.toMillis(Duration.fromInputUnsafe(ttl))
  const tables: Array<Map<string, Entry<unknown>>> = []
  const table = <A>(): Table<A> => {
    const entries = new Map<string, Entry<A>>()
    tables.push(entries as Map<string, Entry<unknown>>)
    return {
      get: (key, load) =>
        ttlMs <= 0 ? load : Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const hit = entries.get(key)
          if (hit !== undefined && hit.until > now) return Effect.succeed(Option.some(hit.value))
          return Effect.tap(load, (loaded) =>
            Effect.sync(() => {
              if (Option.isNone(loaded)) return void entries.delete(key)
              if (entries.size >= maxEntries) entries.clear()
              entries.set(key, { value: loaded.value, until: now + ttlMs })
            }))
        })
    }
  }
  return {
    products: table(),
    organizations: table(),
    clear: Effect.sync(() => { for (const t of tables) t.clear() })
  }
}

export const layer = (ttl: Duration.Input = defaultTtl): Layer.Layer<CatalogCache> => Layer.sync(CatalogCache, () => make(ttl))
