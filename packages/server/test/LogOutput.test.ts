/**
 * The server's batched log output: the same lines `Logger.formatJson` produces, in order, one write per event-loop
 * turn, and an Error line written at once together with what was buffered before it.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger } from "effect"
import * as LogOutput from "../src/LogOutput.ts"

const nextTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve))))

const capture = () => {
  const writes: Array<string> = []
  return { writes, logger: LogOutput.batchedJson({ write: (text) => void writes.push(text) }) }
}

const lines = (writes: ReadonlyArray<string>) =>
  writes.join("").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { message: unknown; level: string })

describe("LogOutput.batchedJson", () => {
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

  it.live("each line is exactly what Logger.formatJson makes of the entry", () =>
    Effect.gen(function*() {
      const { logger, writes } = capture()
      const expected: Array<string> = []
      const reference = Logger.map(Logger.formatJson, (line) => void expected.push(line))
      yield* Effect.logInfo("same", { n: 1 }).pipe(
        Effect.annotateLogs("requestId", "r-1"),
        Effect.provide(Logger.layer([logger, reference]))
      )
      yield* nextTurn
      assert.strictEqual(expected.length, 1)
      assert.deepStrictEqual(writes, [`${expected[0]}\n`])
    }))
})
