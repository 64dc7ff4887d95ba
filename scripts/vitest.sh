#!/usr/bin/env bash
# Runs vitest (arguments are passed on, e.g. a file or `--project domain`) and ends with the summary line of
# scripts/summary.mjs, "vitest: N passed, N failed", which counts files that failed to load and failed runs too.
# Exits non-zero when anything failed. Called by scripts/test.sh after the TypeScript build.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
REPORT="$(mktemp "${TMPDIR:-/tmp}/vitest-report.XXXXXX")"
trap 'rm -f "$REPORT"' EXIT
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" || status=$?
node "$ROOT/scripts/summary.mjs" "$REPORT" "$status"
