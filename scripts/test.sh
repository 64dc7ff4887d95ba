#!/usr/bin/env bash
# Runs every check: the TypeScript build (tsc -b, strict) and all vitest projects (unit, property, contract,
# HTTP in-process, real-socket, end-to-end with the official Polar SDK, Stripe adapter against the fake Stripe).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
echo "== tsc -b"
pnpm exec tsc -b
echo "== vitest run"
pnpm exec vitest run "$@"
