/**
 * Catalog on PostgreSQL: products (with their prices in `data`), discounts, and discount redemptions.
 *
 * Redemption, in the caller's transaction (or its own):
 * 1. `pg_try_advisory_xact_lock` on the checkout: while another unfinished transaction is redeeming for the same
 *    checkout the call fails DiscountNotRedeemable at once (the reference's NOWAIT), without aborting ours;
 * 2. the checkout's current redemption: the same discount is a no-op; another one is given back (count - 1);
 * 3. the cap as a guarded `UPDATE discounts SET redemptions_count = redemptions_count + 1 WHERE <window> AND
 *    redemptions_count < max_redemptions`: concurrent redeemers of the last slot serialize on the discount's row
 *    lock and the loser matches nothing, so the cap holds across transactions, processes and nodes; a rollback
 *    returns the slot.
 */
import { Catalog, type Discount, Errors, type Price, type Product } from "@checkout-kit/domain"
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { CatalogCache } from "./CatalogCache.ts"
import * as Codec from "./Codec.ts"
import { transactional } from "./Sql.ts"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient
  const cache = yield* CatalogCache

  // Products by id through the catalog cache (CatalogCache.ts: at most its ttl old, cleared by local writes).
  const getProduct = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : cache.products.get(
        id.toLowerCase(),
        sql<{ data: unknown }>`SELECT data::text AS data FROM products WHERE id = ${id}`.pipe(
          Effect.map((rows) => Option.map(Option.fromUndefinedOr(rows[0]), (r) => Codec.product.decode(r.data))),
          Effect.orDie
        )
      )

  const getPrice = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : sql<{ data: unknown }>`SELECT p.data::text AS data FROM prices pr JOIN products p ON p.id = pr.product_id WHERE pr.id = ${id}`.pipe(
        Effect.map((rows) =>
          Option.flatMap(Option.fromUndefinedOr(rows[0]), (r) => {
            const product = Codec.product.decode(r.data)
            const price = product.prices.find((p: Price.Price) => p.id.toLowerCase() === id.toLowerCase())
            return price === undefined ? Option.none() : Option.some({ price, product })
          })
        ),
        Effect.orDie
      )

  type DiscountRow = { data: unknown; redemptions_count: number }
  const oneDiscount = (rows: ReadonlyArray<DiscountRow>): Option.Option<Discount.Discount> =>
    Option.map(Option.fromUndefinedOr(rows[0]), Codec.decodeDiscount)

  const getDiscount = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : sql<DiscountRow>`SELECT data, redemptions_count FROM discounts WHERE id = ${id}`.pipe(
        Effect.map(oneDiscount),
        Effect.orDie
      )

  const getDiscountByCode = (organizationId: string, code: string) =>
    !Codec.isUuid(organizationId)
      ? Effect.succeedNone
      : sql<DiscountRow>`SELECT data, redemptions_count FROM discounts
          WHERE organization_id = ${organizationId} AND lower(code) = lower(${code})`.pipe(Effect.map(oneDiscount), Effect.orDie)

  const releaseIn = (checkoutId: string) =>
    sql`WITH gone AS (DELETE FROM discount_redemptions WHERE checkout_id = ${checkoutId} RETURNING discount_id)
      UPDATE discounts d SET redemptions_count = d.redemptions_count - 1 FROM gone WHERE d.id = gone.discount_id`

  const redeemDiscount = (input: { readonly discountId: string; readonly checkoutId: string; readonly now: { readonly epochMilliseconds: number } }) => {
    // Made only when refused: an error value validates its fields and captures a stack.
    const refused = () => new Errors.DiscountNotRedeemable({ discountId: input.discountId })
    if (!Codec.isUuid(input.discountId) || !Codec.isUuid(input.checkoutId)) return Effect.fail(refused())
    const now = new Date(input.now.epochMilliseconds)
    return transactional(
      sql,
      Effect.gen(function*() {
        const [exists] = yield* sql<{ id: string }>`SELECT id FROM discounts WHERE id = ${input.discountId}`
        if (exists === undefined) return yield* Effect.fail(refused())
        const [lock] = yield* sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(hashtextextended(${input.checkoutId}::uuid::text, 16)) AS ok`
        const [current] = yield* sql<{ discount_id: string }>`SELECT discount_id FROM discount_redemptions
          WHERE checkout_id = ${input.checkoutId}`
        if (current !== undefined && current.discount_id === exists.id) return
        if (lock?.ok !== true) return yield* Effect.fail(refused())
        const taken = yield* sql<{ id: string }>`UPDATE discounts SET redemptions_count = redemptions_count + 1
          WHERE id = ${input.discountId}
            AND (starts_at IS NULL OR starts_at <= ${now}) AND (ends_at IS NULL OR ends_at >= ${now})
            AND (max_redemptions IS NULL OR redemptions_count < max_redemptions)
          RETURNING id`
        if (taken.length === 0) return yield* Effect.fail(refused())
        if (current !== undefined) yield* releaseIn(input.checkoutId)
        yield* sql`INSERT INTO discount_redemptions (checkout_id, discount_id) VALUES (${input.checkoutId}, ${input.discountId})`
      }).pipe(Effect.catchTag("SqlError", (e) => Effect.die(e)))
    )
  }

  const releaseRedemption = (checkoutId: string) =>
    !Codec.isUuid(checkoutId) ? Effect.void : transactional(sql, Effect.orDie(Effect.asVoid(releaseIn(checkoutId))))

  const findRedemption = (checkoutId: string) =>
    !Codec.isUuid(checkoutId)
      ? Effect.succeedNone
      : sql<{ data: unknown }>`SELECT d.data FROM discount_redemptions r JOIN discounts d ON d.id = r.discount_id
          WHERE r.checkout_id = ${checkoutId}`.pipe(
        Effect.map((rows) =>
          Option.map(Option.fromUndefinedOr(rows[0]), (r) => ({ discountId: (r.data as { id: string }).id }))
        ),
        Effect.orDie
      )

  return Catalog.of({ getProduct, getPrice, getDiscount, getDiscountByCode, redeemDiscount, releaseRedemption, findRedemption })
})

export const layer: Layer.Layer<Catalog, never, SqlClient | CatalogCache> = Layer.effect(Catalog, make)

/** The rows a product occupies, for the admin writes. */
export const productRow = (product: Product.Product) => ({
  id: product.id,
  organization_id: product.organizationId,
  data: Codec.product.encode(product),
  prices: product.prices.map((p: Price.Price) => p.id)
})
