#!/usr/bin/env bash
# Builds the workspace and applies the pending schema migrations to the server's database (DATABASE_URL, or the
# embedded PostgreSQL under CHECKOUT_DATA_DIR / .data/postgres), printing which ran; exits 0 when the schema is at
# the latest migration (a second run prints "nothing to do").
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pnpm exec tsc -b
exec node packages/server/dist/main.js migrate "$@"
