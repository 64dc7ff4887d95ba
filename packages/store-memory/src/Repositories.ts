/**
 * The domain's storage ports over one MemoryDatabase: thin wrappers that read the current transaction and call
 * the tables. Each layer needs the `Database` service, so that every port of a store shares one state and one
 * unit of work; `MemoryStore.layer` wires them together.
 */
import {
  Catalog,
  CheckoutLinkRepository,
  CheckoutRepository,
  Customers,
  Errors,
  Organizations,
  UnitOfWork
} from "@checkout-kit/domain"
import { Effect, Layer, Option, Redacted } from "effect"
import { Database } from "./Database.ts"

export const layerCheckoutRepository: Layer.Layer<CheckoutRepository, never, Database> = Layer.effect(
  CheckoutRepository,
  Effect.gen(function*() {
    const db = yield* Database
    return CheckoutRepository.of({
      findById: (id) => db.read((tx) => Option.fromUndefinedOr(db.checkouts.findById(tx, id))),
      findByClientSecret: (secret) => db.read((tx) => Option.fromUndefinedOr(db.checkouts.findByClientSecret(tx, secret))),
      lockForUpdate: (id) => db.lockCheckout(id),
      insert: (checkout) => db.insertCheckout(checkout),
      update: (checkout, expectedVersion) => db.updateCheckout(checkout, expectedVersion),
      list: (query) => db.read((tx) => db.checkouts.list(tx, query, (customer) => db.customers.findById(tx, customer)?.externalId)),
      listExpirable: (now, limit) => db.read((tx) => db.checkouts.listExpirable(tx, now.epochMilliseconds, limit)),
      listConfirmed: (before, limit) => db.read((tx) => db.checkouts.listConfirmed(tx, before.epochMilliseconds, limit))
    })
  })
)

export const layerCheckoutLinkRepository: Layer.Layer<CheckoutLinkRepository, never, Database> = Layer.effect(
  CheckoutLinkRepository,
  Effect.gen(function*() {
    const db = yield* Database
    return CheckoutLinkRepository.of({
      findById: (id) => db.read((tx) => Option.fromUndefinedOr(db.links.findById(tx, id))),
      findByClientSecret: (secret) => db.read((tx) => Option.fromUndefinedOr(db.links.findByClientSecret(tx, secret))),
      insert: (link) => db.insertLink(link),
      update: (link, expectedVersion) => db.updateLink(link, expectedVersion),
      list: (query) => db.read((tx) => db.links.list(tx, query))
    })
  })
)

export const layerCatalog: Layer.Layer<Catalog, never, Database> = Layer.effect(
  Catalog,
  Effect.gen(function*() {
    const db = yield* Database
    return Catalog.of({
      getProduct: (id) => db.read(() => Option.fromUndefinedOr(db.catalog.getProduct(id))),
      getPrice: (id) => db.read(() => Option.fromUndefinedOr(db.catalog.getPrice(id))),
      getDiscount: (id) => db.read((tx) => Option.fromUndefinedOr(db.catalog.getDiscount(tx, id))),
      getDiscountByCode: (organizationId, code) => db.read((tx) => Option.fromUndefinedOr(db.catalog.getDiscountByCode(tx, organizationId, code))),
      redeemDiscount: ({ checkoutId, discountId, now }) =>
        db.withTransaction((tx) =>
          db.catalog.redeem(tx, discountId, checkoutId, now.epochMilliseconds)
            ? Effect.void
            : Effect.fail(new Errors.DiscountNotRedeemable({ discountId }))
        ),
      releaseRedemption: (checkoutId) => db.read((tx) => db.catalog.release(tx, checkoutId)),
      findRedemption: (checkoutId) =>
        db.read((tx) => {
          const discount = db.catalog.redemptionOf(tx, checkoutId)
          return discount === null ? Option.none() : Option.some({ discountId: db.catalog.discounts.get(discount)?.id ?? discount })
        })
    })
  })
)

export const layerCustomers: Layer.Layer<Customers, never, Database> = Layer.effect(
  Customers,
  Effect.gen(function*() {
    const db = yield* Database
    return Customers.of({
      findById: (id) => db.read((tx) => Option.fromUndefinedOr(db.customers.findById(tx, id))),
      findByEmail: (organizationId, email) => db.read((tx) => Option.fromUndefinedOr(db.customers.findByEmail(tx, organizationId, email))),
      findByExternalId: (organizationId, externalId) =>
        db.read((tx) => Option.fromUndefinedOr(db.customers.findByExternalId(tx, organizationId, externalId))),
      insert: (customer) => db.insertCustomer(customer),
      insertOrGet: (customer) => db.insertOrGetCustomer(customer),
      update: (customer) => db.updateCustomer(customer)
    })
  })
)

export const layerOrganizations: Layer.Layer<Organizations, never, Database> = Layer.effect(
  Organizations,
  Effect.gen(function*() {
    const db = yield* Database
    return Organizations.of({
      findById: (id) => db.read(() => Option.fromUndefinedOr(db.organizations.get(id))),
      authenticate: (token) => db.read(() => Option.fromUndefinedOr(db.organizations.authenticate(Redacted.value(token))))
    })
  })
)

export const layerUnitOfWork: Layer.Layer<UnitOfWork, never, Database> = Layer.effect(
  UnitOfWork,
  Effect.gen(function*() {
    const db = yield* Database
    return UnitOfWork.of({ transaction: (effect) => db.transaction(effect) })
  })
)
