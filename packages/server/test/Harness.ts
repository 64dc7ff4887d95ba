/**
 * Starts the whole application in-process on a free loopback port, the way main does (same App.layer), with the
 * configuration taken from a given environment record instead of process.env, its log messages captured and its
 * banner kept off the test output.
 */
import { Console, ConfigProvider, Effect, Layer, Logger, References, Scope } from "effect"
import * as App from "../src/App.ts"
import * as ServerConfig from "../src/Config.ts"
import * as Server from "../src/Server.ts"

export interface CapturedLog {
  readonly message: unknown
  readonly level: string
  readonly annotations: Readonly<Record<string, unknown>>
}

export interface Started {
  readonly url: string
  /** Closing it shuts the server down (what SIGTERM does in main). */
  readonly scope: Scope.Closeable
  readonly logs: ReadonlyArray<CapturedLog>
  /** What the banner printed. */
  readonly printed: ReadonlyArray<string>
  /** The "checkout-kit ready" log entry's fields (access token, products, link...). */
  readonly ready: Readonly<Record<string, unknown>>
}

export const startApp = (env: Record<string, string> = {}): Effect.Effect<Started, unknown> =>
  Effect.gen(function*() {
    // The memory store unless a test asks for PostgreSQL: these tests are about the HTTP surface, not storage.
    const config = yield* ServerConfig.load(ConfigProvider.fromEnv({ env: { PORT: "0", CHECKOUT_STORE: "memory", ...env } }))
    const logs: Array<CapturedLog> = []
    const printed: Array<string> = []
    const capture = Logger.make<unknown, void>(({ fiber, logLevel, message }) => {
      logs.push({
        message: Array.isArray(message) && message.length === 1 ? message[0] : message,
        level: logLevel,
        annotations: fiber.getRef(References.CurrentLogAnnotations)
      })
    })
    const console = { ...globalThis.console, log: (...args: ReadonlyArray<unknown>) => void printed.push(args.join(" ")) }
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(
      App.layer(config).pipe(
        Layer.provide(Logger.layer([capture])),
        Layer.provide(Layer.succeed(Console.Console, console as Console.Console))
      ),
      scope
    )
    const url = yield* Server.baseUrl.pipe(Effect.provideContext(context))
    const ready = logs.find((l) => l.message === "checkout-kit ready")?.annotations ?? {}
    return { url, scope, logs, printed, ready }
  })
