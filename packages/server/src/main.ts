/**
 * Entry point of `node packages/server/dist/main.js` (scripts/start.sh): reads the configuration from the
 * environment, installs the JSON logger, and runs the application until SIGTERM/SIGINT, on which NodeRuntime
 * interrupts the main fiber and every layer's finalizer runs (in-flight requests finish first) before the process
 * exits with code 0. A bad configuration is one clear log line and exit code 1, not a stack trace.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit, Layer, Logger, References, Runtime } from "effect"
import * as App from "./App.ts"
import * as ServerConfig from "./Config.ts"
import * as Memory from "./Memory.ts"

const main = Effect.gen(function*() {
  const config = yield* ServerConfig.fromEnv
  return yield* Layer.launch(App.layer(config, { onReady: Memory.compactAfterStartup })).pipe(
    Effect.provideService(References.MinimumLogLevel, config.logLevel)
  )
}).pipe(
  Effect.tapCause((cause) => {
    if (Cause.hasInterruptsOnly(cause)) return Effect.logInfo("checkout-kit server stopped")
    const invalid = Cause.findErrorOption(cause)
    return invalid._tag === "Some" && invalid.value instanceof ServerConfig.InvalidConfig
      ? Effect.logFatal(invalid.value.message)
      : Effect.logFatal("checkout-kit server failed", cause)
  }),
  Effect.provide(Logger.layer([Logger.consoleJson]))
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  // A signal-initiated stop that completed its shutdown is a clean exit.
  teardown: (exit, onExit) =>
    Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
})
