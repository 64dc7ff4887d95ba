/**
 * The server's batched log output: the same lines `Logger.formatJson` produces, in order, one write per event-loop
 * turn, and an Error line written at once together with what was buffered before it; console output (the banner)
 * shares the buffer and keeps its place among the log lines.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Console, Effect, Logger } from "effect"
import * as LogOutput from "../src/LogOutput.ts"

const nextTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve))))

const capture = () => {
  const writes: Array<string> = []
  return { writes, ...LogOutput.make({ write: (text) => void writes.push(text) }) }
}

const lines = (writes: ReadonlyArray<string>) =>
  writes.join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { message: unknown; level: string })

describe("LogOutput.make", () => {
  it.live("the lines of one turn are one write, in order, in Logger.formatJson's shape", () =>
    Effect.gen(function*() {
      const { logger, writes } = capture()
      yield* Effect.gen(function*() {
        yield* Effect.logInfo("first")
        yield* Effect.logWarning("second")
        yield* Effect.logInfo("third")
      }).pipe(Effect.provide(Logger.layer([logger])))
      assert.deepStrictEqual(writes, [], "nothing is written before the turn ends")
      yield* nextTurn
      assert.strictEqual(writes.length, 1)
      assert.isTrue(writes[0]!.endsWith("\n"))
      assert.deepStrictEqual(lines(writes).map((l) => [l.message, l.level]), [
        ["first", "INFO"],
        ["second", "WARN"],
        ["third", "INFO"]
      ])
    }))

  it.live("an Error line is written at once, after the lines buffered before it", () =>
    Effect.gen(function*() {
      const { logger, writes } = capture()
      yield* Effect.gen(function*() {
        yield* Effect.logInfo("before")
        yield* Effect.logError("boom")
        assert.strictEqual(writes.length, 1, "written synchronously")
        yield* Effect.logInfo("after")
      }).pipe(Effect.provide(Logger.layer([logger])))
      assert.deepStrictEqual(lines(writes).map((l) => l.message), ["before", "boom"])
      yield* nextTurn
      assert.deepStrictEqual(lines(writes).map((l) => l.message), ["before", "boom", "after"])
      assert.strictEqual(writes.length, 2)
    }))

  it.live("each line is exactly what Logger.formatJson makes of the entry, on the plain path and off it", () =>
    Effect.gen(function*() {
      const { logger, writes } = capture()
      const expected: Array<string> = []
      const reference = Logger.map(Logger.formatJson, (line) => void expected.push(line))
      const entries = [
        // The plain path: a string message with scalar annotations (the request log line).
        Effect.logInfo("http request").pipe(
          Effect.annotateLogs({ method: "GET", route: "/v1/checkouts/", status: 200, durationMs: 3, ok: true, none: null })
        ),
        Effect.logWarning("quote \" and \u2028 and \ud800"),
        // Off it: several message parts, an object annotation, a span, a cause, a non-finite number.
        Effect.logInfo("same", { n: 1 }).pipe(Effect.annotateLogs("requestId", "r-1")),
        Effect.logInfo("object").pipe(Effect.annotateLogs("facts", { a: [1, 2], b: "x" })),
        Effect.logInfo("in a span").pipe(Effect.withLogSpan("outer")),
        Effect.logError("failed", Cause.fail("boom")),
        Effect.logInfo("nan").pipe(Effect.annotateLogs("value", Number.NaN))
      ]
      for (const entry of entries) yield* entry.pipe(Effect.provide(Logger.layer([logger, reference])))
      yield* nextTurn
      assert.strictEqual(expected.length, entries.length)
      assert.deepStrictEqual(writes.join("").split("\n").filter((l) => l !== ""), expected)
    }))

  it.live("console.log text keeps its place among the log lines", () =>
    Effect.gen(function*() {
      const { logger, console, writes } = capture()
      yield* Effect.gen(function*() {
        yield* Effect.logInfo("ready")
        yield* Console.log("BANNER line 1\nline 2")
        yield* Effect.logInfo("after")
      }).pipe(Effect.provide(Logger.layer([logger])), Effect.provideService(Console.Console, console as Console.Console))
      yield* nextTurn
      assert.strictEqual(writes.length, 1)
      const text = writes[0]!.split("\n")
      assert.strictEqual(JSON.parse(text[0]!).message, "ready")
      assert.deepStrictEqual(text.slice(1, 3), ["BANNER line 1", "line 2"])
      assert.strictEqual(JSON.parse(text[3]!).message, "after")
    }))
})
