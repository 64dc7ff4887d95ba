/**
 * The in-memory store as one layer: every storage port of the domain (CheckoutRepository, CheckoutLinkRepository,
 * Catalog, Customers, Organizations, Events, UnitOfWork) over one shared database, plus Secrets, the MemoryEvents
 * outbox reader and the MemoryStore service for putting catalog data in at run time. It is what the server runs
 * on by default and what tests and embedding services swap in; its semantics are those of the SQL adapter.
 */
import type {
  AccessTokenGrant,
  Checkout,
  CheckoutEvent,
  CommittedEvents,
  Customer,
  Discount,
  Organization,
  Product,
  Secrets,
  StorePorts
} from "@checkout-kit/domain"
import { ClientSecret } from "@checkout-kit/domain"
import { Context, Effect, Layer, PubSub, Redacted } from "effect"
import * as Randomness from "./Randomness.ts"
import { Database, MemoryDatabase } from "./Database.ts"
import * as MemoryEvents from "./MemoryEvents.ts"
import { tokenDigest } from "./OrganizationTable.ts"
import { Outbox } from "./Outbox.ts"
import * as Repositories from "./Repositories.ts"
import * as WebhookStore from "./WebhookStore.ts"

/** Administration of a running store: catalog data the ports cannot write. Changes apply at once (no transaction). */
export class MemoryStore extends Context.Service<MemoryStore, {
  readonly putOrganization: (organization: Organization.Organization) => Effect.Effect<void>
  /** Registers an access token (only its SHA-256 digest is kept). */
  readonly putAccessToken: (token: Redacted.Redacted<string>, grant: AccessTokenGrant) => Effect.Effect<void>
  /** Adds or replaces a product together with its prices. */
  readonly putProduct: (product: Product.Product) => Effect.Effect<void>
  /** Adds or replaces a discount (its redemptionsCount is taken as given). */
  readonly putDiscount: (discount: Discount.Discount) => Effect.Effect<void>
  /** Loads a seed on top of what the store holds. */
  readonly load: (seed: Fixtures) => Effect.Effect<void>
  /** Stored checkouts, links and customers (soft-deleted ones included): for benchmarks and diagnostics. */
  readonly size: Effect.Effect<{ readonly checkouts: number; readonly links: number; readonly customers: number }>
}>()("@checkout-kit/store-memory/MemoryStore") {}

/** An access token as the store keeps it: its SHA-256 digest (lowercase hex) and what it grants. */
export interface TokenGrant {
  readonly digest: string
  readonly grant: AccessTokenGrant
}

/**
 * Initial data as domain values; every part is optional. A decoded seed file (http-api's `Seed.Seed`, decoded by
 * the server or a test) is one: this package does not know the seed format.
 */
export interface Fixtures {
  readonly organizations?: ReadonlyArray<Organization.Organization>
  readonly tokens?: ReadonlyArray<TokenGrant>
  readonly products?: ReadonlyArray<Product.Product>
  readonly discounts?: ReadonlyArray<Discount.Discount>
  readonly customers?: ReadonlyArray<Customer.Customer>
  readonly checkouts?: ReadonlyArray<Checkout.Checkout>
}

export interface Options {
  /** How many committed events `MemoryEvents.all` keeps (older ones are dropped). Default 10 000. */
  readonly eventRetention?: number
  /** The Secrets implementation. Default: node:crypto (`Randomness.secrets`). */
  readonly secrets?: Layer.Layer<Secrets>
}

/** Every service `layer` provides. */
export type Services =
  | StorePorts
  | Secrets
  | MemoryEvents.MemoryEvents
  | MemoryStore
  | CommittedEvents

const load = (db: MemoryDatabase, seed: Fixtures): void => {
  for (const o of seed.organizations ?? []) db.organizations.put(o)
  for (const t of seed.tokens ?? []) db.organizations.putTokenDigest(t.digest, t.grant)
  for (const p of seed.products ?? []) db.catalog.putProduct(p)
  for (const d of seed.discounts ?? []) db.catalog.putDiscount(d)
  // Seeded customers are committed directly; the database checks nothing here (a seed file was validated).
  for (const c of seed.customers ?? []) db.customers.put(c)
  for (const c of seed.checkouts ?? []) db.checkouts.put(c)
}

/** The shared database, empty; each build of the layer is a fresh store. */
export const layerDatabase = (options: Pick<Options, "eventRetention"> = {}): Layer.Layer<Database> =>
  Layer.effect(
    Database,
    Effect.gen(function*() {
      const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<CheckoutEvent>(), PubSub.shutdown)
      return new MemoryDatabase(new Outbox(pubsub, Math.max(1, options.eventRetention ?? 10_000)))
    })
  )

const layerAdmin: Layer.Layer<MemoryStore, never, Database> = Layer.effect(
  MemoryStore,
  Effect.gen(function*() {
    const db = yield* Database
    return MemoryStore.of({
      putOrganization: (o) => Effect.sync(() => db.organizations.put(o)),
      putAccessToken: (token, grant) => Effect.sync(() => db.organizations.putTokenDigest(tokenDigest(Redacted.value(token)), grant)),
      putProduct: (p) => Effect.sync(() => db.catalog.putProduct(p)),
      putDiscount: (d) => Effect.sync(() => db.catalog.putDiscount(d)),
      load: (seed) => Effect.sync(() => load(db, seed)),
      size: Effect.sync(() => ({ checkouts: db.checkouts.size, links: db.links.rows.size, customers: db.customers.rows.size }))
    })
  })
)

/** Every port over the `Database` in context (compose your own store from the pieces). */
export const layerPorts: Layer.Layer<Exclude<Services, Secrets>, never, Database> = Layer.mergeAll(
  Repositories.layerCheckoutRepository,
  Repositories.layerCheckoutLinkRepository,
  Repositories.layerCatalog,
  Repositories.layerCustomers,
  Repositories.layerOrganizations,
  Repositories.layerUnitOfWork,
  MemoryEvents.layer,
  WebhookStore.layer,
  layerAdmin
)

/** A fresh store holding `seed` (domain values, e.g. test fixtures), with cryptographically random secrets. */
export const layer = (seed: Fixtures = {}, options: Options = {}): Layer.Layer<Services> => {
  const seeded = Layer.effect(
    Database,
    Effect.gen(function*() {
      const db = yield* Database
      load(db, seed)
      return db
    })
  ).pipe(Layer.provide(layerDatabase(options)))
  // Fresh: the port layers are module constants, and two stores built in one layer graph must not share them.
  return Layer.merge(Layer.fresh(layerPorts.pipe(Layer.provide(seeded))), options.secrets ?? Randomness.secrets)
}

/** `layer` with deterministic secrets and ids (`ClientSecret.layerSeeded`): reproducible tests. */
export const layerTest = (seed: Fixtures = {}, options: Omit<Options, "secrets"> & { readonly randomSeed?: number } = {}): Layer.Layer<Services> =>
  layer(seed, { ...options, secrets: ClientSecret.layerSeeded(options.randomSeed ?? 1) })

/**
 * A fresh store holding what `fixtures` produces, e.g. a decoded seed file (`MemoryStore.layerFrom(Seed.demo)` with
 * http-api's `Seed`); its failure (a `SeedError` naming the file and every problem) is the layer's.
 */
export const layerFrom = <E, R>(fixtures: Effect.Effect<Fixtures, E, R>, options: Options = {}): Layer.Layer<Services, E, R> =>
  Layer.unwrap(Effect.map(fixtures, (seed) => layer(seed, options)))
