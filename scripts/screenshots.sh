#!/usr/bin/env bash
# Regenerates the checkout page screenshots in docs/screenshots/ (headless Chromium from npm, server in-process).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pnpm exec tsc -b
exec node --conditions=@checkout-kit/source packages/server/scripts/screenshots.ts
