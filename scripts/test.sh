#!/usr/bin/env bash
# Runs every check: the TypeScript build (tsc -b, strict) and all vitest projects (unit, property, contract,
# HTTP in-process, real-socket, end-to-end with the official Polar SDK, Stripe adapter against the fake Stripe).
# Ends with one plain summary line, "vitest: N passed, N failed" (scripts/summary.mjs: a test file that fails to
# load, a suite-level error or an unhandled error counts as failed), and exits non-zero when anything failed.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
echo "== tsc -b"
pnpm exec tsc -b
echo "== vitest run"
exec "$ROOT/scripts/vitest.sh" "$@"
