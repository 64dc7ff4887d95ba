/**
 * The server's log output: Effect's JSON log lines (`Logger.formatJson`, the same text `Logger.consoleJson` prints),
 * written to stdout in batches instead of one synchronous write per line. Node writes to files and pipes
 * synchronously, so with one request-log line per request a write per line is a system call per request; here the
 * lines of one turn of the event loop are joined and written once, at `setImmediate`.
 *
 * Nothing waits longer than the current turn: lines at Error level or above, and every line on process exit, are
 * written at once together with what is buffered before them, so order is kept and a crash report is never held
 * back. What a SIGKILL can lose is the lines of the turn it interrupts, which a per-line write loses too when the
 * kill lands before the write.
 */
import { Logger, LogLevel } from "effect"

export interface Sink {
  readonly write: (text: string) => void
}

const stdout: Sink = { write: (text) => void process.stdout.write(text) }

/** A logger printing `Logger.formatJson` lines to `sink`, batched per event-loop turn. */
export const batchedJson = (sink: Sink = stdout): Logger.Logger<unknown, void> => {
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
  return Logger.make((options) => {
    buffer.push(Logger.formatJson.log(options))
    if (LogLevel.isGreaterThanOrEqualTo(options.logLevel, "Error")) return flush()
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  })
}
