#!/usr/bin/env bash
# Builds the workspace and starts the checkout-kit server on the embedded in-memory store (demo seed).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pnpm exec tsc -b
exec node packages/server/dist/main.js "$@"
