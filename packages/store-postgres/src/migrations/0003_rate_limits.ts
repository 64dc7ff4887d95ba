/**
 * Migration 3: the counters and blocks of the rate limits (the `RateLimitStore` port), shared by every process on
 * the database, and `rate_limit_hit`, which applies the port's rules in one statement (one round trip per request;
 * its row locks serialize concurrent hits on the same counters, so no two requests take the last slot). The tables are
 * ordinary (not UNLOGGED) on purpose: a block must survive a crash and a restart.
 */
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export const statements: ReadonlyArray<string> = [
  `CREATE TABLE rate_limit_counters (
    zone text NOT NULL,
    identity text NOT NULL,
    window_seconds integer NOT NULL CHECK (window_seconds > 0),
    count integer NOT NULL CHECK (count >= 0),
    ends_at timestamptz NOT NULL,
    PRIMARY KEY (zone, identity, window_seconds)
  )`,
  `CREATE INDEX rate_limit_counters_ends_at ON rate_limit_counters (ends_at)`,
  `CREATE TABLE rate_limit_blocks (
    identity text PRIMARY KEY,
    blocked_until timestamptz NOT NULL
  )`,
  `CREATE INDEX rate_limit_blocks_blocked_until ON rate_limit_blocks (blocked_until)`,
  // 0: allowed (and counted in every window); > 0: refused, retry after that many seconds.
  `CREATE FUNCTION rate_limit_hit(
    p_zone text, p_identity text, p_seconds integer[], p_limits integer[], p_block_seconds integer, p_now timestamptz
  ) RETURNS integer LANGUAGE plpgsql AS $$
  DECLARE
    v_until timestamptz;
    v_full_end timestamptz;
  BEGIN
    SELECT blocked_until INTO v_until FROM rate_limit_blocks
      WHERE identity = p_identity AND blocked_until > p_now;
    IF FOUND THEN
      RETURN greatest(1, ceil(extract(epoch FROM v_until - p_now)))::integer;
    END IF;
    WITH windows AS (
      INSERT INTO rate_limit_counters AS c (zone, identity, window_seconds, count, ends_at)
      SELECT p_zone, p_identity, s, 0, p_now + make_interval(secs => s)
        FROM unnest(p_seconds) AS s ORDER BY s
      ON CONFLICT (zone, identity, window_seconds) DO UPDATE SET
        count = CASE WHEN c.ends_at <= p_now THEN 0 ELSE c.count END,
        ends_at = CASE WHEN c.ends_at <= p_now THEN EXCLUDED.ends_at ELSE c.ends_at END
      RETURNING c.window_seconds, c.count, c.ends_at
    )
    SELECT max(w.ends_at) INTO v_full_end
      FROM windows w JOIN unnest(p_seconds, p_limits) AS l(s, lim) ON l.s = w.window_seconds
      WHERE w.count >= l.lim;
    IF v_full_end IS NOT NULL THEN
      IF p_block_seconds IS NOT NULL THEN
        INSERT INTO rate_limit_blocks (identity, blocked_until)
          VALUES (p_identity, p_now + make_interval(secs => p_block_seconds))
          ON CONFLICT (identity) DO UPDATE SET blocked_until = EXCLUDED.blocked_until;
        RETURN p_block_seconds;
      END IF;
      RETURN greatest(1, ceil(extract(epoch FROM v_full_end - p_now)))::integer;
    END IF;
    UPDATE rate_limit_counters SET count = count + 1
      WHERE zone = p_zone AND identity = p_identity AND window_seconds = ANY (p_seconds);
    RETURN 0;
  END
  $$`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
