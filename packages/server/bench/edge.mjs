// A/B of the HTTP edge (issue 14 item 3, docs/adr/0002): server CPU per request and req/s of this build (printed as
// "off": no export) against a baseline build of another commit (default `main`) in the same run, alternating, for
// client GET and create POST. It is telemetry.mjs without its export-on variant; read that script's header.
// Usage (from the repo root, after `pnpm exec tsc -b`):
//   node packages/server/bench/edge.mjs [seconds=5] [rounds=3]     (BASELINE_REF / BASELINE_DIST as telemetry.mjs)
// The ratios to a raw node:http server are load.mjs's.
process.env.EXPORT_ON = "0"
await import("./telemetry.mjs")
