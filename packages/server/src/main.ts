/**
 * Entry point of `node packages/server/dist/main.js` (scripts/start.sh): reads the configuration from the
 * environment, installs the JSON logger (LogOutput: one write per event-loop turn), and runs the application until
 * SIGTERM/SIGINT, on which NodeRuntime interrupts the main fiber and every layer's finalizer runs (in-flight
 * requests finish first) before the process exits with code 0. Start-up failures people cause (a bad variable, a bad seed file, a busy port) are one clear log
 * line and exit code 1, not a stack trace.
 *
 * `node packages/server/dist/main.js migrate` (scripts/migrate.sh) only applies the schema migrations and exits
 * (Migrate.ts): it prints which ran (plain lines on stdout), exit code 0; a failure is one line on stderr, code 1.
 */
// First, so that V8's flags are set before any other module runs (see GcTuning.ts).
import "./TuneGc.ts"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Data, Effect, Exit, Layer, Logger, References, Runtime } from "effect"
import * as App from "./App.ts"
import * as LogOutput from "./LogOutput.ts"
import * as ServerConfig from "./Config.ts"
import * as Memory from "./Memory.ts"
import * as Migrate from "./Migrate.ts"

const output = LogOutput.make()

class StartupFailed extends Data.TaggedError("StartupFailed")<{ readonly message: string }> {}

const main = Effect.gen(function*() {
  const config = yield* ServerConfig.fromEnv.pipe(
    Effect.mapError((invalid) => new StartupFailed({ message: invalid.message }))
  )
  return yield* Layer.launch(App.layer(config, { onReady: Memory.compactAfterStartup })).pipe(
    Effect.catchTag("SeedError", (error) => Effect.fail(new StartupFailed({ message: error.message }))),
    Effect.catchTag("StoreStartError", (error) => Effect.fail(new StartupFailed({ message: error.message }))),
    Effect.catchTag("EmbeddedPostgresError", (error) => Effect.fail(new StartupFailed({ message: error.message }))),
    Effect.catchTag("ServeError", (error) => {
      const reason = error.cause instanceof Error ? error.cause.message : String(error.cause)
      return Effect.fail(new StartupFailed({ message: `Cannot listen on ${config.host}:${config.port}: ${reason}` }))
    }),
    Effect.provideService(References.MinimumLogLevel, config.logLevel)
  )
}).pipe(
  Effect.onExit((exit) => {
    if (Exit.isSuccess(exit)) return Effect.void
    const cause = exit.cause
    if (Cause.hasInterruptsOnly(cause)) return Effect.logInfo("checkout-kit server stopped")
    const failure = Cause.findErrorOption(cause)
    return failure._tag === "Some" && failure.value instanceof StartupFailed
      ? Effect.logFatal(failure.value.message)
      : Effect.logFatal("checkout-kit server failed", cause)
  }),
  Effect.provide(Logger.layer([output.logger])),
  Effect.provideService(Console.Console, output.console as Console.Console)
)

const migrate = Effect.gen(function*() {
  const config = yield* ServerConfig.fromEnv.pipe(
    Effect.mapError((invalid) => new Migrate.MigrateFailed({ message: invalid.message }))
  )
  const lines = yield* Migrate.run(config.store)
  for (const line of lines) yield* Console.log(line)
}).pipe(
  Effect.tapError((failed) => Console.error(`migrate: ${failed.message}`))
)

if (process.argv[2] === "migrate") {
  NodeRuntime.runMain(migrate, {
    disableErrorReporting: true,
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? 0 : 1)
  })
} else {
  NodeRuntime.runMain(main, {
    disableErrorReporting: true,
    // A signal-initiated stop that completed its shutdown is a clean exit.
    teardown: (exit, onExit) =>
      Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
  })
}
