/**
 * @checkout-kit/server: the composition root. `main.ts` runs it; the modules are exported for embedding the
 * whole server in another process (App.layer with a ServerConfig) and for tests.
 */
export * as App from "./App.ts"
export * as Banner from "./Banner.ts"
export * as Config from "./Config.ts"
export * as Randomness from "./Randomness.ts"
export * as RateTableTaxCalculator from "./RateTableTaxCalculator.ts"
export * as Server from "./Server.ts"
export * as Startup from "./Startup.ts"
export * as ZeroTaxCalculator from "./ZeroTaxCalculator.ts"
