/**
 * The stripe package's test support (not published): an in-repo fake Stripe HTTP server for tests of this adapter and of anything that
 * embeds it (end-to-end suites), driven by the real `stripe` client.
 */
export * as FakeStripe from "./FakeStripe.ts"
