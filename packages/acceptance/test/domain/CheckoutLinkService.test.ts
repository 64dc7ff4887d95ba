/**
 * The reference's checkout-link service catalogue (spec 7.4, 7.3 TestArchiveProduct, and the organization checks
 * of 7.5), by name, against the real service on a memory store.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as CheckoutLinkService from "../../../domain/src/CheckoutLinkService.ts"
import type * as Errors from "../../../domain/src/Errors.ts"
import { CheckoutLinkRepository } from "../../../domain/src/ports/CheckoutLinkRepository.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import { makeLink } from "../../../domain/src/testing/RepositoryContract.ts"
import { callerA, callerB, discounts, env, insertLink, orgA, products } from "./CheckoutLinkTestKit.ts"

const Service = CheckoutLinkService.CheckoutLinkService

const issues = (error: Errors.RequestValidationError) => error.errors.map((e) => ({ loc: e.loc, msg: e.msg }))

const expectInvalid = <A, R>(
  effect: Effect.Effect<A, Errors.RequestValidationError | Errors.ResourceNotFound | Errors.VersionConflict, R>
) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(effect)
    assert.strictEqual(error._tag, "RequestValidationError")
    return issues(error as Errors.RequestValidationError)
  })

const create = (input: CheckoutLinkService.CreateInput, caller = callerA) =>
  Service.use((s) => s.create(caller, input))

describe("CheckoutLinkService.create (7.4 TestCreate)", () => {
  it.effect("test_not_existing_product", () =>
    Effect.gen(function*() {
      const found = yield* expectInvalid(create({ products: [F.uuidOf(0xdead)] }))
      assert.deepStrictEqual(found, [{ loc: ["body", "products", 0], msg: "Product does not exist." }])
    }).pipe(Effect.provide(env())))

  it.effect("test_not_writable_product", () =>
    Effect.gen(function*() {
      const found = yield* expectInvalid(create({ products: [products.otherOrg.id] }))
      assert.deepStrictEqual(found, [{ loc: ["body", "products", 0], msg: "Product does not exist." }])
    }).pipe(Effect.provide(env())))

  it.effect("test_archived_product", () =>
    Effect.gen(function*() {
      const found = yield* expectInvalid(create({ products: [products.archived.id] }))
      assert.deepStrictEqual(found, [{ loc: ["body", "products", 0], msg: "Product is archived." }])
    }).pipe(Effect.provide(env())))

  it.effect("draft product", () =>
    Effect.gen(function*() {
      const found = yield* expectInvalid(create({ products: [products.fixed.id, products.draft.id] }))
      assert.deepStrictEqual(found, [{ loc: ["body", "products", 1], msg: "Product is a draft." }])
    }).pipe(Effect.provide(env())))

  it.effect("test_products_different_organizations", () =>
    Effect.gen(function*() {
      const found = yield* expectInvalid(create({ products: [products.fixed.id, products.otherOrg.id, products.archived.id] }))
      // Every problem is reported at once; another organization's product does not exist for the caller.
      assert.deepStrictEqual(found, [
        { loc: ["body", "products", 1], msg: "Product does not exist." },
        { loc: ["body", "products", 2], msg: "Product is archived." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("test_valid", () =>
    Effect.gen(function*() {
      const link = yield* create({
        products: [products.recurring.id, products.fixed.id],
        successUrl: "https://example.com/success?checkout_id={CHECKOUT_ID}",
        metadata: { key: "value" },
        label: "Spring"
      })
      assert.deepStrictEqual(link.productIds, [products.recurring.id, products.fixed.id])
      assert.strictEqual(link.successUrl, "https://example.com/success?checkout_id={CHECKOUT_ID}")
      assert.deepStrictEqual(link.metadata, { key: "value" })
      assert.isTrue(link.clientSecret.startsWith("polar_cl_"))
      assert.strictEqual(link.organizationId, orgA.id)
      assert.strictEqual(link.version, 1)
      assert.strictEqual(link.label, "Spring")
      // Reference defaults.
      assert.deepStrictEqual(
        [link.paymentProcessor, link.allowDiscountCodes, link.requireBillingAddress, link.discountId, link.seats, link.deletedAt],
        ["stripe", true, false, null, null, null]
      )
      const stored = yield* (yield* Service).get(callerA, link.id)
      assert.strictEqual(stored.clientSecret, link.clientSecret)
    }).pipe(Effect.provide(env())))

  it.effect("test_valid_discount", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.fixed.id], discountId: discounts.fixedOnly.id })
      assert.strictEqual(link.discountId, discounts.fixedOnly.id)
      // Redeemability is not checked on links: a used-up discount can be attached.
      const ended = yield* create({ products: [products.fixed.id], discountId: discounts.ended.id })
      assert.strictEqual(ended.discountId, discounts.ended.id)
    }).pipe(Effect.provide(env())))

  it.effect("discount not covering every product, unknown, or of another organization -> 422", () =>
    Effect.gen(function*() {
      const expected = [{ loc: ["body", "discount_id"], msg: "Discount does not exist or is not applicable to this product." }]
      assert.deepStrictEqual(
        yield* expectInvalid(create({ products: [products.fixed.id, products.recurring.id], discountId: discounts.fixedOnly.id })),
        expected
      )
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.fixed.id], discountId: F.uuidOf(0xbad) })), expected)
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.fixed.id], discountId: discounts.otherOrg.id })), expected)
    }).pipe(Effect.provide(env())))

  it.effect("deprecated product_id variant", () =>
    Effect.gen(function*() {
      const link = yield* create({ productId: products.fixed.id })
      assert.deepStrictEqual(link.productIds, [products.fixed.id])
      assert.deepStrictEqual(yield* expectInvalid(create({ productId: products.archived.id })), [
        { loc: ["body", "products", 0], msg: "Product is archived." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("deprecated product_price_id variant and its messages", () =>
    Effect.gen(function*() {
      const link = yield* create({ productPriceId: products.fixed4242.prices[0]!.id })
      assert.deepStrictEqual(link.productIds, [products.fixed4242.id])
      const loc = ["body", "product_price_id"]
      assert.deepStrictEqual(yield* expectInvalid(create({ productPriceId: F.uuidOf(0xbad) })), [{ loc, msg: "Price does not exist." }])
      assert.deepStrictEqual(yield* expectInvalid(create({ productPriceId: products.otherOrg.prices[0]!.id })), [
        { loc, msg: "Price does not exist." }
      ])
      assert.deepStrictEqual(yield* expectInvalid(create({ productPriceId: F.uuidOf(0xd01) })), [{ loc, msg: "Price is archived." }])
      assert.deepStrictEqual(yield* expectInvalid(create({ productPriceId: products.archived.prices[0]!.id })), [
        { loc, msg: "Product is archived." }
      ])
      assert.deepStrictEqual(yield* expectInvalid(create({ productPriceId: products.draft.prices[0]!.id })), [
        { loc, msg: "Product is a draft." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("each link gets its own client secret", () =>
    Effect.gen(function*() {
      const a = yield* create({ products: [products.fixed.id] })
      const b = yield* create({ products: [products.fixed.id] })
      assert.notStrictEqual(a.clientSecret, b.clientSecret)
      assert.notStrictEqual(a.id, b.id)
    }).pipe(Effect.provide(env())))
})

describe("CheckoutLinkService.create seats (7.4 TestCreateSeats)", () => {
  const loc = ["body", "seats"]

  it.effect("test_valid", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.seat2to20.id], seats: 5 })
      assert.strictEqual(link.seats, 5)
    }).pipe(Effect.provide(env())))

  it.effect("test_non_seat_based_product", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.fixed.id], seats: 5 })), [
        { loc, msg: "Seats can only be preconfigured when all products use seat-based pricing." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("test_mixed_seat_and_non_seat_products", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.seat2to20.id, products.fixed.id], seats: 5 })), [
        { loc, msg: "Seats can only be preconfigured when all products use seat-based pricing." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("test_seats_below_minimum", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.seat2to20.id], seats: 1 })), [
        { loc, msg: "Product 'Team' allows between 2 and 20 seats." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("test_seats_above_maximum", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.seat2to20.id], seats: 21 })), [
        { loc, msg: "Product 'Team' allows between 2 and 20 seats." }
      ])
      assert.deepStrictEqual(yield* expectInvalid(create({ products: [products.seat2to20.id, products.seatMin3.id], seats: 2 })), [
        { loc, msg: "Product 'Team min 3' allows between 3 and unlimited seats." }
      ])
    }).pipe(Effect.provide(env())))
})

describe("CheckoutLinkService.get / list (7.4 TestList, 7.5 other organization)", () => {
  it.effect("test_user_cannot_access_other_organization_checkout_link -> ResourceNotFound", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const link = yield* create({ products: [products.fixed.id] })
      const error = yield* Effect.flip(service.get(callerB, link.id))
      assert.strictEqual(error._tag, "ResourceNotFound")
      assert.strictEqual((yield* Effect.flip(service.get(callerA, F.uuidOf(0xbad))))._tag, "ResourceNotFound")
    }).pipe(Effect.provide(env())))

  it.effect("test_product_filter", () =>
    Effect.gen(function*() {
      const service = yield* Service
      yield* create({ products: [products.fixed.id] })
      const withRecurring = yield* create({ products: [products.recurring.id] })
      const page = yield* service.list(callerA, { productIds: [products.recurring.id] })
      assert.deepStrictEqual(page.items.map((l) => l.id), [withRecurring.id])
      assert.strictEqual(page.totalCount, 1)
    }).pipe(Effect.provide(env())))

  it.effect("list is organization-scoped; an organization_id filter cannot widen it", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const mine = yield* create({ products: [products.fixed.id] })
      yield* create({ products: [products.otherOrg.id] }, callerB)
      assert.deepStrictEqual((yield* service.list(callerA, {})).items.map((l) => l.id), [mine.id])
      assert.deepStrictEqual(yield* service.list(callerA, { organizationIds: [callerB.organizationId] }), { items: [], totalCount: 0 })
      assert.strictEqual((yield* service.list(callerA, { organizationIds: [orgA.id, callerB.organizationId] })).totalCount, 1)
    }).pipe(Effect.provide(env())))

  it.effect("default order is created_at ascending; sorting and pagination are passed through", () =>
    Effect.gen(function*() {
      const service = yield* Service
      // Same creation instant (TestClock): ties fall back to id.
      const created = [
        yield* create({ products: [products.fixed.id], label: "b" }),
        yield* create({ products: [products.fixed.id], label: "c" }),
        yield* create({ products: [products.fixed.id], label: "a" })
      ]
      const byId = [...created].sort((x, y) => (x.id < y.id ? -1 : 1)).map((l) => l.id)
      assert.deepStrictEqual((yield* service.list(callerA, {})).items.map((l) => l.id), byId)
      const byLabelDesc = yield* service.list(callerA, { sorting: [{ field: "label", descending: true }] })
      assert.deepStrictEqual(byLabelDesc.items.map((l) => l.label), ["c", "b", "a"])
      const page2 = yield* service.list(callerA, { sorting: [{ field: "label", descending: false }], page: 2, limit: 2 })
      assert.deepStrictEqual(page2.items.map((l) => l.label), ["c"])
      assert.strictEqual(page2.totalCount, 3)
    }).pipe(Effect.provide(env())))
})

describe("CheckoutLinkService.update (7.4 TestUpdate)", () => {
  const update = (id: string, input: CheckoutLinkService.UpdateInput, caller = callerA) =>
    Service.use((s) => s.update(caller, id, input))

  it.effect("test_metadata", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.fixed.id], metadata: { a: "1" } })
      const updated = yield* update(link.id, { metadata: { key: "value" } })
      assert.deepStrictEqual(updated.metadata, { key: "value" })
      assert.strictEqual(updated.version, 2)
    }).pipe(Effect.provide(env())))

  it.effect("test_label", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.fixed.id], label: "old" })
      assert.strictEqual((yield* update(link.id, { label: "new" })).label, "new")
      assert.strictEqual((yield* update(link.id, {})).label, "new")
      assert.isNull((yield* update(link.id, { label: null })).label)
    }).pipe(Effect.provide(env())))

  it.effect("test_discount", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.fixed.id] })
      assert.strictEqual((yield* update(link.id, { discountId: discounts.fixedOnly.id })).discountId, discounts.fixedOnly.id)
      // Absent: untouched; explicit null: cleared.
      assert.strictEqual((yield* update(link.id, { label: "x" })).discountId, discounts.fixedOnly.id)
      assert.isNull((yield* update(link.id, { discountId: null })).discountId)
      const onRecurring = yield* create({ products: [products.recurring.id] })
      assert.deepStrictEqual(yield* expectInvalid(update(onRecurring.id, { discountId: discounts.fixedOnly.id })), [
        { loc: ["body", "discount_id"], msg: "Discount does not exist or is not applicable to this product." }
      ])
    }).pipe(Effect.provide(env())))

  it.effect("discount validated against the products of the same update", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.recurring.id] })
      const updated = yield* update(link.id, { products: [products.fixed.id], discountId: discounts.fixedOnly.id })
      assert.strictEqual(updated.discountId, discounts.fixedOnly.id)
    }).pipe(Effect.provide(env())))

  it.effect("test_products", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.fixed.id] })
      const updated = yield* update(link.id, { products: [products.recurring.id, products.fixed4242.id, products.fixed.id] })
      assert.deepStrictEqual(updated.productIds, [products.recurring.id, products.fixed4242.id, products.fixed.id])
    }).pipe(Effect.provide(env())))

  it.effect("test_products_different_organization -> 422 and the link is unchanged", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const link = yield* create({ products: [products.fixed.id] })
      // Caller B can read its own product, but the link belongs to organization A... and is invisible to B.
      assert.strictEqual((yield* Effect.flip(update(link.id, { products: [products.otherOrg.id] }, callerB)))._tag, "ResourceNotFound")
      // Caller A cannot see organization B's product.
      assert.deepStrictEqual(yield* expectInvalid(update(link.id, { products: [products.otherOrg.id] })), [
        { loc: ["body", "products", 0], msg: "Product does not exist." }
      ])
      const unchanged = yield* service.get(callerA, link.id)
      assert.deepStrictEqual(unchanged.productIds, [products.fixed.id])
      assert.strictEqual(unchanged.version, 1)
    }).pipe(Effect.provide(env())))

  it.effect("test_products_to_one_time_clears_trial", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.recurring.id], trialInterval: "day", trialIntervalCount: 7 })
      const stillRecurring = yield* update(link.id, { products: [products.fixed.id, products.recurring.id] })
      assert.deepStrictEqual([stillRecurring.trialInterval, stillRecurring.trialIntervalCount], ["day", 7])
      const oneTime = yield* update(link.id, { products: [products.fixed.id] })
      assert.deepStrictEqual([oneTime.trialInterval, oneTime.trialIntervalCount], [null, null])
    }).pipe(Effect.provide(env())))

  it.effect("test_seats_valid", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.seat2to20.id], seats: 5 })
      assert.strictEqual((yield* update(link.id, { seats: 10 })).seats, 10)
    }).pipe(Effect.provide(env())))

  it.effect("test_seats_invalid", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const link = yield* create({ products: [products.seat2to20.id], seats: 5 })
      assert.deepStrictEqual(yield* expectInvalid(update(link.id, { seats: 21 })), [
        { loc: ["body", "seats"], msg: "Product 'Team' allows between 2 and 20 seats." }
      ])
      assert.strictEqual((yield* service.get(callerA, link.id)).seats, 5)
    }).pipe(Effect.provide(env())))

  it.effect("test_seats_explicit_clear", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.seat2to20.id], seats: 5 })
      assert.strictEqual((yield* update(link.id, { label: "x" })).seats, 5)
      assert.isNull((yield* update(link.id, { seats: null })).seats)
    }).pipe(Effect.provide(env())))

  it.effect("test_products_change_auto_clears_incompatible_seats", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.seat2to20.id], seats: 15 })
      // To a fixed product: the lock no longer applies.
      assert.isNull((yield* update(link.id, { products: [products.fixed.id] })).seats)
      const other = yield* create({ products: [products.seat2to20.id], seats: 15 })
      // To a seat product whose tiers stop at 10.
      assert.isNull((yield* update(other.id, { products: [products.seat1to10.id] })).seats)
    }).pipe(Effect.provide(env())))

  it.effect("test_products_change_keeps_compatible_seats", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.seat2to20.id], seats: 5 })
      const updated = yield* update(link.id, { products: [products.seat1to10.id, products.seatMin3.id] })
      assert.strictEqual(updated.seats, 5)
    }).pipe(Effect.provide(env())))

  it.effect("explicit seats are validated strictly against the new products", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.seat2to20.id], seats: 5 })
      assert.deepStrictEqual(yield* expectInvalid(update(link.id, { products: [products.seat1to10.id], seats: 15 })), [
        { loc: ["body", "seats"], msg: "Product 'Small team' allows between 1 and 10 seats." }
      ])
      assert.strictEqual((yield* update(link.id, { products: [products.seat1to10.id], seats: 8 })).seats, 8)
    }).pipe(Effect.provide(env())))

  it.effect("other fields: absent untouched, present replaced", () =>
    Effect.gen(function*() {
      const link = yield* create({ products: [products.recurring.id], successUrl: "https://a.example", returnUrl: "https://r.example" })
      const updated = yield* update(link.id, {
        allowDiscountCodes: false,
        requireBillingAddress: true,
        successUrl: null,
        trialInterval: "week",
        trialIntervalCount: 2
      })
      assert.deepStrictEqual(
        [updated.allowDiscountCodes, updated.requireBillingAddress, updated.successUrl, updated.returnUrl, updated.trialInterval, updated.trialIntervalCount],
        [false, true, null, "https://r.example", "week", 2]
      )
    }).pipe(Effect.provide(env())))
})

describe("CheckoutLinkService.delete (7.4 TestDelete, 7.5)", () => {
  it.effect("test_valid: soft delete, then invisible", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const repo = yield* CheckoutLinkRepository
      const link = yield* create({ products: [products.fixed.id] })
      yield* service.delete(callerA, link.id)
      assert.strictEqual((yield* Effect.flip(service.get(callerA, link.id)))._tag, "ResourceNotFound")
      assert.isTrue(Option.isNone(yield* repo.findById(link.id)))
      assert.strictEqual((yield* service.list(callerA, {})).totalCount, 0)
      assert.strictEqual((yield* Effect.flip(service.delete(callerA, link.id)))._tag, "ResourceNotFound")
    }).pipe(Effect.provide(env())))

  it.effect("another organization's link -> ResourceNotFound, and it stays", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const link = yield* create({ products: [products.fixed.id] })
      assert.strictEqual((yield* Effect.flip(service.delete(callerB, link.id)))._tag, "ResourceNotFound")
      assert.strictEqual((yield* service.get(callerA, link.id)).id, link.id)
    }).pipe(Effect.provide(env())))
})

describe("CheckoutLinkService.archiveProduct (7.3 TestArchiveProduct)", () => {
  it.effect("link soft-deleted when its only product is archived; kept with the rest otherwise", () =>
    Effect.gen(function*() {
      const service = yield* Service
      const only = yield* insertLink(makeLink(F.uuidOf(0xf01), orgA.id, [products.fixed.id]))
      const two = yield* insertLink(makeLink(F.uuidOf(0xf02), orgA.id, [products.fixed.id, products.recurring.id]))
      const unrelated = yield* insertLink(makeLink(F.uuidOf(0xf03), orgA.id, [products.recurring.id]))
      assert.strictEqual(yield* service.archiveProduct(products.fixed.id), 2)
      assert.strictEqual((yield* Effect.flip(service.get(callerA, only.id)))._tag, "ResourceNotFound")
      assert.deepStrictEqual((yield* service.get(callerA, two.id)).productIds, [products.recurring.id])
      assert.deepStrictEqual((yield* service.get(callerA, unrelated.id)).version, 1)
      assert.strictEqual(yield* service.archiveProduct(F.uuidOf(0xbad)), 0)
    }).pipe(Effect.provide(env())))
})
