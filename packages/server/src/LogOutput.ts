/**
 * The server's log output: Effect's JSON log lines (`Logger.formatJson`, the same text `Logger.consoleJson` prints),
 * written to stdout in batches instead of one synchronous write per line. Node writes to files and pipes
 * synchronously, so with one request-log line per request a write per line is a system call per request; here the
 * lines of one turn of the event loop are joined and written once, at `setImmediate`.
 *
 * The same writer serves `Console.log` (the start-up banner), so printed text and log lines keep their order.
 *
 * Nothing waits longer than the current turn: lines at Error level or above, and every line on process exit, are
 * written at once together with what is buffered before them, so order is kept and a crash report is never held
 * back. What a SIGKILL can lose is the lines of the turn it interrupts, which a per-line write loses too when the
 * kill lands before the write.
 */
import { Logger, LogLevel, References } from "effect"
import { format } from "node:util"

export interface Sink {
  readonly write: (text: string) => void
}

const stdout: Sink = { write: (text) => void process.stdout.write(text) }

const isScalar = (value: unknown): boolean =>
  typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean" ||
  value === null

/**
 * `Logger.formatJson`'s line for the common entry, a string message with scalar annotations, no spans and no cause
 * (the request log line), written by `JSON.stringify` without `formatJson`'s replacer (which looks up every key's
 * property descriptor for redactable values, which such an entry cannot hold). `undefined` for any other entry.
 */
const plainLine = (options: Logger.Options<unknown>): string | undefined => {
  const { cause, date, fiber, logLevel, message } = options
  if (cause.reasons.length > 0) return undefined
  const text = Array.isArray(message) ? (message.length === 1 ? message[0] : undefined) : message
  if (typeof text !== "string") return undefined
  if (fiber.getRef(References.CurrentLogSpans).length > 0) return undefined
  const annotations = fiber.getRef(References.CurrentLogAnnotations)
  for (const key in annotations) if (key === "__proto__" || !isScalar(annotations[key])) return undefined
  return JSON.stringify({
    message: text,
    level: logLevel.toUpperCase(),
    timestamp: date.toISOString(),
    annotations,
    spans: {},
    fiberId: `#${fiber.id}`
  })
}

export interface Output {
  /** `Logger.formatJson` lines. */
  readonly logger: Logger.Logger<unknown, void>
  /** The global console with `log` going through the same buffer (for `Console.Console`). */
  readonly console: Console
}

/** One batched writer to `sink`: a JSON logger and a console, flushed together once per event-loop turn. */
export const make = (sink: Sink = stdout): Output => {
  let buffer: Array<string> = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (buffer.length === 0) return
    const text = buffer.join("\n") + "\n"
    buffer = []
    sink.write(text)
  }
  process.once("exit", flush)
  const append = (line: string) => {
    buffer.push(line)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
  const logger = Logger.make<unknown, void>((options) => {
    append(plainLine(options) ?? Logger.formatJson.log(options))
    if (LogLevel.isGreaterThanOrEqualTo(options.logLevel, "Error")) flush()
  })
  const console = { ...globalThis.console, log: (...args: ReadonlyArray<unknown>) => append(format(...args)) }
  return { logger, console }
}
