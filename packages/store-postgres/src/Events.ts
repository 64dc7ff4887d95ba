/**
 * The event outbox on PostgreSQL. `Events.publish` inserts into `checkout_events` on the connection of the current
 * transaction, so an event exists exactly when the change that raised it committed (never on rollback, never lost
 * after a commit, whichever process crashes when). `PostgresEvents` reads the outbox in commit order (`seq`) for a
 * dispatcher, tests and diagnostics; `unseenChangesAfter` lets a tailer that re-reads a window (for late committers)
 * fetch only the events it has not seen yet, as status changes.
 */
import { type Checkout, type CheckoutEvent, type CheckoutEventType, Events } from "@checkout-kit/domain"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Codec from "./Codec.ts"

export interface StoredEvent extends CheckoutEvent {
  /** Position in the outbox (increasing with commit order of inserts; gaps are possible after rollbacks). */
  readonly seq: number
}

export class PostgresEvents extends Context.Service<PostgresEvents, {
  /** Every committed event, oldest first. */
  readonly all: Effect.Effect<ReadonlyArray<StoredEvent>>
  /** Committed events after `seq`, oldest first, at most `limit`. */
  readonly after: (seq: number, limit: number) => Effect.Effect<ReadonlyArray<StoredEvent>>
  /**
   * Committed events after `seq` whose position is not in `seen`, oldest first, at most `limit`, each reduced to
   * what a change feed needs (the checkout's id, client secret and status after the event), read from the stored
   * JSON without decoding the checkout.
   */
  readonly unseenChangesAfter: (seq: number, seen: ReadonlyArray<number>, limit: number) => Effect.Effect<ReadonlyArray<StoredChange>>
}>()("@checkout-kit/store-postgres/PostgresEvents") {}

/** A committed event as a status change of its checkout. */
export interface StoredChange {
  readonly seq: number
  readonly checkoutId: string
  readonly clientSecret: string
  readonly status: Checkout.Checkout["status"]
}

type Row = { seq: string | number | bigint; type: string; checkout: unknown; refund: CheckoutEvent["refund"] | null }

const decode = (row: Row): StoredEvent => ({
  seq: Number(row.seq),
  type: row.type as CheckoutEventType,
  checkout: Codec.checkout.decode(row.checkout) as Checkout.Checkout,
  ...(row.refund === null || row.refund === undefined ? {} : { refund: row.refund })
})

export const layer: Layer.Layer<Events | PostgresEvents, never, SqlClient> = Layer.effectContext(
  Effect.gen(function*() {
    const sql = yield* SqlClient
    const events = Events.of({
      publish: (event) =>
        sql`INSERT INTO checkout_events (type, checkout_id, checkout, refund)
          VALUES (${event.type}, ${event.checkout.id}, ${Codec.checkoutJson(event.checkout)}::jsonb,
            ${event.refund === undefined ? null : JSON.stringify(event.refund)}::jsonb)`.pipe(
          Effect.asVoid,
          Effect.orDie
        )
    })
    const reader = PostgresEvents.of({
      all: sql<Row>`SELECT seq, type, checkout, refund FROM checkout_events ORDER BY seq`.pipe(
        Effect.map((rows) => rows.map(decode)),
        Effect.orDie
      ),
      after: (seq, limit) =>
        sql<Row>`SELECT seq, type, checkout, refund FROM checkout_events WHERE seq > ${seq} ORDER BY seq LIMIT ${limit}`.pipe(
          Effect.map((rows) => rows.map(decode)),
          Effect.orDie
        ),
      unseenChangesAfter: (seq, seen, limit) =>
        sql<{ seq: string; id: string; client_secret: string; status: StoredChange["status"] }>`SELECT seq,
            checkout->>'id' AS id, checkout->>'clientSecret' AS client_secret, checkout->>'status' AS status
          FROM checkout_events WHERE seq > ${seq} AND seq <> ALL(${seen.map(String)}::bigint[]) ORDER BY seq LIMIT ${limit}`.pipe(
          Effect.map((rows) =>
            rows.map((r) => ({ seq: Number(r.seq), checkoutId: r.id, clientSecret: r.client_secret, status: r.status }))
          ),
          Effect.orDie
        )
    })
    return Context.make(Events, events).pipe(Context.add(PostgresEvents, reader))
  })
)
