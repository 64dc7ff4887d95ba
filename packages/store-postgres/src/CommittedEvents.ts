/**
 * `CommittedEvents` on PostgreSQL: the outbox (`checkout_events`) read by `seq`. A `seq` is drawn when a transaction
 * inserts, so a row with a lower `seq` can become visible after higher ones (its transaction committed later) or
 * never (it rolled back). The reader therefore stops at a gap and waits for it to fill; a gap still open after
 * `gapGrace` is taken for a rollback and passed. Use cases keep transactions short (no remote call inside one), so
 * a commit later than the grace does not happen in practice; if it did, that event would be missed by the stream
 * (webhooks do not depend on this: their relay reads unrelayed rows, not a cursor).
 */
import { type Checkout, CommittedEvents, type CheckoutEventType } from "@checkout-kit/domain"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Codec from "./Codec.ts"

type Row = { seq: string | number | bigint; type: string; checkout: unknown }

export const layer = (options: { readonly gapGraceMs?: number } = {}): Layer.Layer<CommittedEvents, never, SqlClient> =>
  Layer.effect(
    CommittedEvents,
    Effect.gen(function*() {
      const sql = yield* SqlClient
      const grace = options.gapGraceMs ?? 5_000
      /** When each missing position was first seen missing. */
      const gaps = new Map<number, number>()
      return CommittedEvents.of({
        read: (after, limit) =>
          sql<Row>`SELECT seq, type, checkout FROM checkout_events WHERE seq > ${after} ORDER BY seq LIMIT ${limit}`.pipe(
            Effect.map((rows) => {
              const out = []
              let expected = after + 1
              const now = Date.now()
              for (const row of rows) {
                const seq = Number(row.seq)
                while (expected < seq) {
                  const seen = gaps.get(expected) ?? now
                  gaps.set(expected, seen)
                  if (now - seen < grace) return out
                  gaps.delete(expected)
                  expected++
                }
                gaps.delete(seq)
                out.push({
                  position: seq,
                  event: { type: row.type as CheckoutEventType, checkout: Codec.checkout.decode(row.checkout) as Checkout.Checkout }
                })
                expected = seq + 1
              }
              return out
            }),
            Effect.orDie
          ),
        head: sql<{ seq: string | null }>`SELECT max(seq)::text AS seq FROM checkout_events`.pipe(
          Effect.map((rows) => rows[0]?.seq === null || rows[0] === undefined ? -1 : Number(rows[0].seq)),
          Effect.orDie
        )
      })
    })
  )
