/**
 * The embedded PostgreSQL harness: the path-permission check (as root PostgreSQL runs as `postgres`, which must be
 * able to enter every directory above its data), a postmaster orphaned by a SIGKILLed owner (stopped by the
 * next start when its owner is dead, refused ("in use") while its owner lives), and a postmaster that dies under its
 * owner (the owner's scope still closes). The clusters live under
 * <repo>/.data/test-embedded (kept between runs, so only the first run pays for initdb; see Scratch.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { chmodSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { userInfo } from "node:os"
import { fileURLToPath } from "node:url"
import * as Embedded from "../src/Embedded.ts"
import { scratchDir } from "../src/testing/Scratch.ts"

const root = scratchDir("test-embedded")

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const postmasterPid = (dataDir: string): number => Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0])

/** A separate Node process that starts the embedded server on `dataDir` and prints "ready <port>". */
const owner = (dataDir: string): Effect.Effect<ChildProcess> =>
  Effect.callback<ChildProcess>((resume) => {
    const script = `import * as E from ${JSON.stringify(fileURLToPath(new URL("../src/Embedded.ts", import.meta.url)))};
      import { Effect } from "effect";
      Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const pg = yield* E.start({ dataDir: ${JSON.stringify(dataDir)}, ephemeralSettings: true });
        console.log("ready " + pg.port);
        yield* Effect.never;
      }))).catch((e) => { console.error(String(e?.message ?? e)); process.exit(1) })`
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["ignore", "pipe", "inherit"]
    })
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resume(Effect.succeed(child))
    })
    child.on("exit", (code) => resume(Effect.die(new Error(`owner exited with ${code}`))))
  })

describe("embedded PostgreSQL", () => {
  it("names the first directory the postgres user cannot enter", () => {
    const base = `${root}/perm`
    rmSync(base, { recursive: true, force: true })
    mkdirSync(`${base}/locked/inner`, { recursive: true })
    const stranger = { uid: 54321, gid: 54321 }
    chmodSync(`${base}/locked`, 0o700)
    assert.strictEqual(Embedded.untraversableAncestor(`${base}/locked/inner/data`, stranger), `${base}/locked`)
    chmodSync(`${base}/locked`, 0o711)
    assert.isUndefined(Embedded.untraversableAncestor(`${base}/locked/inner/data`, stranger))
  })

  it.live("as root, a data directory under a mode-700 directory fails with a message naming the fix", () =>
    Effect.gen(function*() {
      const base = `${root}/private`
      rmSync(base, { recursive: true, force: true })
      mkdirSync(base, { recursive: true })
      chmodSync(base, 0o700)
      const exit = yield* Effect.exit(Effect.scoped(Embedded.start({ dataDir: `${base}/pg`, ephemeralSettings: true })))
      if (userInfo().uid === 0) {
        assert.isTrue(exit._tag === "Failure")
        const message = exit._tag === "Failure" ? String((exit.cause.reasons[0] as { error?: { message: string } }).error?.message) : ""
        assert.include(message, `cannot enter ${base}`)
        assert.include(message, `chmod o+x ${base}`)
      } else {
        // Not root: PostgreSQL runs as this user, who owns the directory.
        assert.isTrue(exit._tag === "Success")
      }
    }))

  it.live("closing the scope does not hang when the postmaster died underneath it, and stops a live one", () =>
    Effect.gen(function*() {
      const dataDir = `${root}/died`
      // A live postmaster: the scope's close stops it.
      let pid = 0
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Embedded.start({ dataDir, ephemeralSettings: true })
        pid = postmasterPid(dataDir)
        assert.isTrue(alive(pid))
      }))
      assert.isFalse(alive(pid), "the scope's close stopped it")
      // A postmaster killed from outside (a crash, an operator's kill -9): the close must still finish. (The close
      // is uninterruptible, so a hang shows as this test's own timeout.)
      let killedAt = 0
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Embedded.start({ dataDir, ephemeralSettings: true })
        pid = postmasterPid(dataDir)
        process.kill(pid, "SIGKILL")
        while (alive(pid)) yield* Effect.sleep(20)
        killedAt = Date.now()
      }))
      assert.isBelow(Date.now() - killedAt, 5_000, "the scope closed at once instead of waiting for an exit that never comes")
    }), 60_000)

  it.live("a postmaster left by a SIGKILLed owner is stopped by the next start; a live owner's is refused", () =>
    Effect.gen(function*() {
      const dataDir = `${root}/stale`
      const first = yield* owner(dataDir)
      const orphan = postmasterPid(dataDir)
      assert.isTrue(alive(orphan))
      // While the owner lives, a second start refuses to share or stop its server.
      const refused = yield* Effect.exit(Effect.scoped(Embedded.start({ dataDir, ephemeralSettings: true })))
      assert.strictEqual(refused._tag, "Failure")
      first.kill("SIGKILL")
      yield* Effect.promise(() => new Promise((resolve) => first.once("exit", resolve)))
      assert.isTrue(alive(orphan), "SIGKILL of Node leaves PostgreSQL running")
      yield* Effect.scoped(Effect.gen(function*() {
        const pg = yield* Embedded.start({ dataDir, ephemeralSettings: true })
        assert.isFalse(alive(orphan), "the orphan was stopped")
        const current = postmasterPid(dataDir)
        assert.notStrictEqual(current, orphan)
        assert.isTrue(alive(current))
        assert.isAbove(pg.port, 0)
      }))
      // The scope closed: nothing left running.
      yield* Effect.sleep(100)
      assert.isFalse(alive(orphan))
    }), 60_000)
})
