#!/usr/bin/env bash
# Runs every check: the TypeScript build (tsc -b, strict) and all vitest projects (unit, property, contract,
# HTTP in-process, real-socket, end-to-end with the official Polar SDK, Stripe adapter against the fake Stripe).
# Ends with one plain summary line, "vitest: N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
echo "== tsc -b"
pnpm exec tsc -b
echo "== vitest run"
REPORT="$ROOT/node_modules/.vitest-report.json"
rm -f "$REPORT"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" || status=$?
if [ -f "$REPORT" ]; then
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests + r.numTodoTests > 0 ? `, ${r.numPendingTests + r.numTodoTests} skipped` : ""))' "$REPORT"
fi
exit $status
