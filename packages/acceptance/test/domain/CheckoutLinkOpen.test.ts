/**
 * Opening a checkout link (the redirect flow, spec 4.3): the reference's TestCheckoutLinkCreate (7.1) and
 * TestRedirect (7.5) by name, against the real CheckoutLinkService and CheckoutService on a memory store.
 */
import { assert, describe, it } from "@effect/vitest"
import { MemoryEvents } from "@checkout-kit/store-memory"
import { DateTime, Effect } from "effect"
import * as CheckoutLinkService from "../../../domain/src/CheckoutLinkService.ts"
import type { CheckoutLink } from "../../../domain/src/CheckoutLink.ts"
import type * as Errors from "../../../domain/src/Errors.ts"
import * as F from "../../../domain/src/testing/Fixtures.ts"
import { makeLink } from "../../../domain/src/testing/RepositoryContract.ts"
import { callerA, discounts, env, insertLink, orgA, orgB, products } from "./CheckoutLinkTestKit.ts"

const Service = CheckoutLinkService.CheckoutLinkService

let linkCounter = 0
const link = (productIds: readonly [string, ...Array<string>], overrides: Partial<CheckoutLink> = {}) =>
  insertLink(makeLink(F.uuidOf(0x10000 + ++linkCounter), overrides.organizationId ?? orgA.id, productIds, overrides))

/** Opens `l` with a prefill (what the HTTP adapter reads off the link URL's query; see http-api LinkRedirect). */
const open = (l: CheckoutLink, prefill: CheckoutLinkService.Prefill = {}, ipAddress: string | null = "203.0.113.7") =>
  Service.use((s) => s.openLink({ clientSecret: l.clientSecret, prefill, ipAddress }))

const openFlip = (l: CheckoutLink, prefill: CheckoutLinkService.Prefill = {}) => Effect.flip(open(l, prefill))

const enforcedOrg = F.organization({ id: F.uuidOf(0xa10), embedHosts: ["*.example.com"] })
const newOrg = F.organization({ id: F.uuidOf(0xa11), embedHosts: [] })
const blockedOrg = F.organization({ id: F.uuidOf(0xa12), isBlocked: true })
const eurOrg = F.organization({ id: F.uuidOf(0xa13), defaultPresentmentCurrency: "eur" })
const productOf = (organizationId: string, n: number) =>
  F.product({ organizationId, id: F.uuidOf(0xb100 + n), prices: [F.fixed(1000), F.fixed(900, { currency: "eur" })] })
const enforcedProduct = productOf(enforcedOrg.id, 1)
const newOrgProduct = productOf(newOrg.id, 2)
const blockedProduct = productOf(blockedOrg.id, 3)
const eurOrgProduct = productOf(eurOrg.id, 4)
const world = env({
  organizations: [enforcedOrg, newOrg, blockedOrg, eurOrg],
  products: [enforcedProduct, newOrgProduct, blockedProduct, eurOrgProduct]
})

describe("CheckoutLinkService.openLink (7.1 TestCheckoutLinkCreate)", () => {
  it.effect("test_all_archived_products", () =>
    Effect.gen(function*() {
      const l = yield* link([products.archived.id, products.draft.id])
      const error = yield* openFlip(l)
      assert.strictEqual(error._tag, "RequestValidationError")
      assert.deepStrictEqual(
        (error as Errors.RequestValidationError).errors.map((e) => [e.loc, e.msg]),
        [[["body", "products"], "No valid products."]]
      )
    }).pipe(Effect.provide(world)))

  it.effect("test_some_archived_products", () =>
    Effect.gen(function*() {
      const l = yield* link([products.archived.id, products.fixed4242.id])
      const { checkout } = yield* open(l)
      assert.strictEqual(checkout.product?.id, products.fixed4242.id)
      assert.deepStrictEqual(checkout.products.map((p) => p.id), [products.fixed4242.id])
      assert.deepStrictEqual(checkout.checkout.productIds, [products.fixed4242.id])
      assert.strictEqual(checkout.checkout.amount, 4242)
    }).pipe(Effect.provide(world)))

  it.effect("test_valid", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id, products.recurring.id], {
        successUrl: "https://example.com/success?checkout_id={CHECKOUT_ID}",
        returnUrl: "https://example.com/back",
        metadata: { key: "value" },
        allowDiscountCodes: false,
        requireBillingAddress: true
      })
      const { checkout: view } = yield* open(l)
      const c = view.checkout
      assert.strictEqual(view.product?.id, products.fixed.id)
      assert.strictEqual(view.productPrice?.id, products.fixed.prices[0]!.id)
      assert.deepStrictEqual(view.products.map((p) => p.id), [products.fixed.id, products.recurring.id])
      assert.strictEqual(c.successUrl, "https://example.com/success?checkout_id={CHECKOUT_ID}")
      assert.strictEqual(view.successUrl, `https://example.com/success?checkout_id=${c.id}`)
      assert.strictEqual(c.returnUrl, "https://example.com/back")
      assert.deepStrictEqual(c.metadata, { key: "value" })
      assert.deepStrictEqual([c.allowDiscountCodes, c.requireBillingAddress, c.allowTrial], [false, true, true])
      assert.deepStrictEqual([c.status, c.organizationId, c.currency, c.amount], ["open", orgA.id, "usd", 1000])
      assert.strictEqual(c.customerIpAddress, "203.0.113.7")
      assert.isTrue(c.clientSecret.startsWith("polar_c_"))
      assert.isNull(c.embedOrigin)
    }).pipe(Effect.provide(world)))

  it.effect("?product_id= selects a product of the link; an unknown one is ignored", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id, products.fixed4242.id])
      assert.strictEqual((yield* open(l, { productId: products.fixed4242.id })).checkout.product?.id, products.fixed4242.id)
      assert.strictEqual((yield* open(l, { productId: products.recurring.id })).checkout.product?.id, products.fixed.id)
      assert.strictEqual((yield* open(l, { productId: "not-a-uuid" })).checkout.product?.id, products.fixed.id)
    }).pipe(Effect.provide(world)))

  it.effect("test_dropped_embed_origin", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      assert.isNull((yield* open(l, { embedOrigin: "*" })).checkout.checkout.embedOrigin)
    }).pipe(Effect.provide(world)))

  it.effect("test_normalized_embed_origin", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      assert.strictEqual((yield* open(l, { embedOrigin: "https://Example.com:443/" })).checkout.checkout.embedOrigin, "https://example.com")
    }).pipe(Effect.provide(world)))

  it.effect("test_allowed_embed_origin", () =>
    Effect.gen(function*() {
      const l = yield* link([enforcedProduct.id], { organizationId: enforcedOrg.id })
      const { checkout } = yield* open(l, { embedOrigin: "https://www.example.com/checkout" })
      assert.strictEqual(checkout.checkout.embedOrigin, "https://www.example.com")
    }).pipe(Effect.provide(world)))

  it.effect("test_refused_embed_origin", () =>
    Effect.gen(function*() {
      const l = yield* link([enforcedProduct.id], { organizationId: enforcedOrg.id })
      const error = yield* openFlip(l, { embedOrigin: "https://evil.com" })
      assert.strictEqual(error._tag, "EmbedHostNotAllowed")
      assert.strictEqual((error as Errors.EmbedHostNotAllowed).origin, "https://evil.com")
    }).pipe(Effect.provide(world)))

  it.effect("test_unlisted_embed_origin_before_the_cutoff (unrestricted organization)", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      assert.strictEqual((yield* open(l, { embedOrigin: "https://evil.com" })).checkout.checkout.embedOrigin, "https://evil.com")
    }).pipe(Effect.provide(world)))

  it.effect("test_refused_embed_origin_for_new_organization (empty allow-list)", () =>
    Effect.gen(function*() {
      const l = yield* link([newOrgProduct.id], { organizationId: newOrg.id })
      assert.strictEqual((yield* openFlip(l, { embedOrigin: "https://shop.example.com" }))._tag, "EmbedHostNotAllowed")
      // Without an embed origin the link opens normally.
      assert.isNull((yield* open(l)).checkout.checkout.embedOrigin)
    }).pipe(Effect.provide(world)))

  it.effect("test_dropped_embed_origin_when_enforced", () =>
    Effect.gen(function*() {
      const l = yield* link([enforcedProduct.id], { organizationId: enforcedOrg.id })
      assert.isNull((yield* open(l, { embedOrigin: "null" })).checkout.checkout.embedOrigin)
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_custom_price_honors_zero_prefill", () =>
    Effect.gen(function*() {
      const l = yield* link([products.pwywZeroPreset700.id])
      assert.strictEqual((yield* open(l, { amount: 0 })).checkout.checkout.amount, 0)
      assert.strictEqual((yield* open(l)).checkout.checkout.amount, 700)
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_seat_based_defaults_to_minimum_seats", () =>
    Effect.gen(function*() {
      const l = yield* link([products.seat2to20.id])
      const c = (yield* open(l)).checkout.checkout
      assert.deepStrictEqual([c.seats, c.minSeats, c.maxSeats, c.amount], [2, null, null, 2000])
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_seat_lock", () =>
    Effect.gen(function*() {
      const l = yield* link([products.seat2to20.id], { seats: 5 })
      const c = (yield* open(l)).checkout.checkout
      assert.deepStrictEqual([c.seats, c.minSeats, c.maxSeats, c.amount], [5, 5, 5, 5000])
    }).pipe(Effect.provide(world)))

  it.effect("test_seat_lock_drift_falls_back_to_minimum", () =>
    Effect.gen(function*() {
      const l = yield* link([products.seatMin3.id], { seats: 2 })
      const c = (yield* open(l)).checkout.checkout
      assert.deepStrictEqual([c.seats, c.minSeats, c.maxSeats, c.amount], [3, null, null, 1500])
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_with_discount", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id], { discountId: discounts.half.id })
      const view = (yield* open(l)).checkout
      assert.strictEqual(view.discount?.id, discounts.half.id)
      assert.deepStrictEqual([view.checkout.amount, view.checkout.discountAmount, view.checkout.netAmount], [1000, 500, 500])
    }).pipe(Effect.provide(world)))

  it.effect("a link discount that is no longer valid is dropped silently", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id], { discountId: discounts.ended.id })
      const view = (yield* open(l)).checkout
      assert.isNull(view.discount)
      assert.deepStrictEqual([view.checkout.discountId, view.checkout.discountAmount], [null, 0])
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_with_metadata", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id], { metadata: { key: "value", utm_source: "link" } })
      const c = (yield* open(l, { tracking: { reference_id: "ref-1", utm_campaign: "spring", utm_source: "query" } })).checkout.checkout
      assert.deepStrictEqual(c.metadata, { key: "value", utm_source: "link", reference_id: "ref-1", utm_campaign: "spring" })
    }).pipe(Effect.provide(world)))

  it.effect("test_custom_price_amount", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* open(yield* link([products.pwywMin2500.id]))).checkout.checkout.amount, 2500)
      assert.strictEqual((yield* open(yield* link([products.pwywPreset5000.id]))).checkout.checkout.amount, 5000)
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_product_trial", () =>
    Effect.gen(function*() {
      const c = (yield* open(yield* link([products.recurringTrial.id]))).checkout.checkout
      assert.isNotNull(c.trialEnd)
      assert.deepStrictEqual([c.trialInterval, c.trialIntervalCount], [null, null])
    }).pipe(Effect.provide(world)))

  it.effect("test_valid_set_trial", () =>
    Effect.gen(function*() {
      const l = yield* link([products.recurring.id], { trialInterval: "day", trialIntervalCount: 7 })
      const view = (yield* open(l)).checkout
      const c = view.checkout
      assert.deepStrictEqual([c.trialInterval, c.trialIntervalCount], ["day", 7])
      const expectedEnd = DateTime.add(c.createdAt, { days: 7 })
      assert.strictEqual(c.trialEnd === null ? null : DateTime.toEpochMillis(c.trialEnd), DateTime.toEpochMillis(expectedEnd))
    }).pipe(Effect.provide(world)))

  it.effect("test_query_prefill_discount_code_invalid", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      const view = (yield* open(l, { discountCode: "NOPE" })).checkout
      assert.isNull(view.discount)
      assert.isNull(view.checkout.discountId)
    }).pipe(Effect.provide(world)))

  it.effect("test_query_prefill_customer_email_invalid", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      assert.isNull((yield* open(l, { customerEmail: "not-an-email" })).checkout.checkout.customerEmail)
    }).pipe(Effect.provide(world)))

  it.effect("test_query_prefill_amount_custom_price", () =>
    Effect.gen(function*() {
      const l = yield* link([products.pwywMin2500.id])
      // (`?amount=3000.9` reads as 3000 and `?amount=lots` as no amount: see http-api LinkRedirect.test.ts.)
      assert.strictEqual((yield* open(l, { amount: 3000 })).checkout.checkout.amount, 3000)
      // Below the minimum: ignored, the minimum applies.
      assert.strictEqual((yield* open(l, { amount: 1000 })).checkout.checkout.amount, 2500)
      assert.strictEqual((yield* open(l, { amount: null })).checkout.checkout.amount, 2500)
    }).pipe(Effect.provide(world)))

  it.effect("test_query_prefill_multiple_fields", () =>
    Effect.gen(function*() {
      const l = yield* link([products.withFields.id])
      const view = (yield* open(l, {
        customerEmail: "buyer@example.com",
        customerName: "Ada Lovelace",
        discountCode: "spring",
        customFieldData: { company: "Analytical Engines", size: "xl", unknown: "dropped" }
      })).checkout
      const c = view.checkout
      assert.deepStrictEqual([c.customerEmail, c.customerName], ["buyer@example.com", "Ada Lovelace"])
      assert.strictEqual(view.discount?.id, discounts.half.id)
      // Valid field kept; invalid select value and unknown slug dropped.
      assert.deepStrictEqual(c.customFieldData, { company: "Analytical Engines" })
    }).pipe(Effect.provide(world)))

  it.effect("a discount code prefill is ignored when the link disallows codes", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id], { allowDiscountCodes: false })
      assert.isNull((yield* open(l, { discountCode: "SPRING" })).checkout.discount)
    }).pipe(Effect.provide(world)))

  it.effect("test_multi_currencies_auto (organization default currency)", () =>
    Effect.gen(function*() {
      const usd = (yield* open(yield* link([products.multiCurrency.id]))).checkout.checkout
      assert.deepStrictEqual([usd.currency, usd.amount], ["usd", 1000])
      const eur = (yield* open(yield* link([eurOrgProduct.id], { organizationId: eurOrg.id }))).checkout.checkout
      assert.deepStrictEqual([eur.currency, eur.amount], ["eur", 900])
    }).pipe(Effect.provide(world)))

  it.effect("product not available in the organization's currency -> 422", () =>
    Effect.gen(function*() {
      const error = yield* openFlip(yield* link([products.eurOnly.id]))
      assert.strictEqual(error._tag, "RequestValidationError")
      assert.deepStrictEqual(
        (error as Errors.RequestValidationError).errors.map((e) => e.msg),
        ["Product is not available in the specified currency."]
      )
    }).pipe(Effect.provide(world)))
})

describe("CheckoutLinkService.openLink (7.5 TestRedirect)", () => {
  it.effect("test_not_existing -> ResourceNotFound", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Service.use((s) => s.openLink({ clientSecret: "polar_cl_nope", prefill: {}, ipAddress: null })))
      assert.strictEqual(error._tag, "ResourceNotFound")
    }).pipe(Effect.provide(world)))

  it.effect("a deleted link -> ResourceNotFound", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      yield* Service.use((s) => s.delete(callerA, l.id))
      assert.strictEqual((yield* openFlip(l))._tag, "ResourceNotFound")
    }).pipe(Effect.provide(world)))

  it.effect("test_blocked_organization -> ResourceNotFound", () =>
    Effect.gen(function*() {
      const l = yield* link([blockedProduct.id], { organizationId: blockedOrg.id })
      assert.strictEqual((yield* openFlip(l))._tag, "ResourceNotFound")
    }).pipe(Effect.provide(world)))

  it.effect("test_valid: the opened checkout's page is where the buyer goes", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      const opened = yield* open(l)
      assert.isTrue(opened.checkout.url.includes("polar_c_"))
      assert.isTrue(opened.checkout.url.endsWith(`/checkout/${opened.checkout.checkout.clientSecret}`))
      // Every opening creates a fresh checkout.
      const again = yield* open(l)
      assert.notStrictEqual(again.checkout.checkout.id, opened.checkout.checkout.id)
    }).pipe(Effect.provide(world)))

  it.effect("opening emits one checkout.created event for the new checkout (and a failed opening none)", () =>
    Effect.gen(function*() {
      const events = yield* MemoryEvents.MemoryEvents
      const before = (yield* events.all).length
      const opened = yield* open(yield* link([products.fixed.id]))
      yield* openFlip(yield* link([products.archived.id]))
      const after = (yield* events.all).slice(before)
      assert.deepStrictEqual(after.map((e) => [e.type, e.checkout.id]), [["checkout.created", opened.checkout.checkout.id]])
    }).pipe(Effect.provide(world)))

  it.effect("test_wildcard_embed_origin", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id])
      const opened = yield* open(l, { embedOrigin: "*" })
      assert.isNull(opened.checkout.checkout.embedOrigin)
    }).pipe(Effect.provide(world)))

  it.effect("test_refused_embed_origin -> EmbedHostNotAllowed (403)", () =>
    Effect.gen(function*() {
      const l = yield* link([enforcedProduct.id], { organizationId: enforcedOrg.id })
      assert.strictEqual((yield* openFlip(l, { embedOrigin: "https://evil.com" }))._tag, "EmbedHostNotAllowed")
    }).pipe(Effect.provide(world)))

  it.effect("test_allowed_metadata", () =>
    Effect.gen(function*() {
      const l = yield* link([products.fixed.id], { metadata: { key: "value" } })
      const c = (yield* open(l, { tracking: { reference_id: "ref", utm_campaign: "camp" } })).checkout.checkout
      assert.deepStrictEqual(c.metadata, { key: "value", reference_id: "ref", utm_campaign: "camp" })
    }).pipe(Effect.provide(world)))

  it.effect("another organization's link opens for anyone (public endpoint) with its own organization", () =>
    Effect.gen(function*() {
      const l = yield* link([products.otherOrg.id], { organizationId: orgB.id })
      assert.strictEqual((yield* open(l)).checkout.checkout.organizationId, orgB.id)
    }).pipe(Effect.provide(world)))
})
