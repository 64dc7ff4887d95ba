// Child processes for the benchmark scripts (load.mjs, cpu.mjs): a free loopback port, spawning a server and
// waiting for a line of its stdout (read through a pipe, or from a log file), stopping it, and reading its memory and
// CPU time from /proc; the build of another commit to measure against (baselineBuild). Children still running when
// the script exits are killed.
import { execFileSync, spawn } from "node:child_process"
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { createServer } from "node:net"

export const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)) })
})

/**
 * Node arguments for the real server from SERVER_NODE_ARGS (space-separated), put before main.js, e.g.
 * SERVER_NODE_ARGS=--allocation-site-pretenuring to measure it with V8's default GC setting (see GcTuning.ts).
 */
export const serverNodeArgs = (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "")

/** Resident memory of a process in MiB. */
export const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/u.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024

/**
 * A process's counters from /proc/<pid>/stat: its parent, its minor page faults, and its user and system CPU time
 * (utime, stime) and its waited-for children's (cutime, cstime) in µs (clock ticks of 10 ms).
 */
export const procStat = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
  return {
    ppid: Number(fields[1]),
    minorFaults: Number(fields[7]),
    userUs: Number(fields[11]) * 10_000,
    systemUs: Number(fields[12]) * 10_000,
    childrenUs: (Number(fields[13]) + Number(fields[14])) * 10_000
  }
}

/** User + system CPU time of a process in µs. */
export const cpuMicros = (pid) => {
  const stat = procStat(pid)
  return stat.userUs + stat.systemUs
}

const children = new Set()
const files = new Set()
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL")
  for (const file of files) rmSync(file, { force: true })
})
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1))

/**
 * Spawns a server and resolves once `ready(line)` returns a value for one of its stdout lines.
 *
 * With `logFile`, the server's stdout goes to that file (opened by the child directly, as a log shipper or `> file`
 * would) and this process polls the file for the ready line; without it, stdout is a pipe this process reads. A server
 * that logs one line per request should be given a file: Node writes to pipes synchronously, so its writes would
 * stall whenever this process's event loop is busy driving the load.
 */
export const start = (args, env, ready, logFile) => new Promise((resolve, reject) => {
  // The script, also when node arguments (SERVER_NODE_ARGS) come first.
  const script = args[args.length - 1]
  const fd = logFile === undefined ? "pipe" : openSync(logFile, "w")
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", fd, "inherit"] })
  if (logFile !== undefined) closeSync(fd)
  children.add(child)
  let poll
  const finish = (f) => { clearInterval(poll); clearTimeout(timer); f() }
  // Feeds each complete line of output to `ready` (`text`: output not fed before).
  let buffer = ""
  const feed = (text) => {
    buffer += text
    const lines = buffer.split("\n")
    buffer = lines.pop()
    for (const line of lines) {
      const value = ready(line)
      if (value !== undefined) return finish(() => resolve({ child, value }))
    }
  }
  if (logFile === undefined) child.stdout.on("data", (chunk) => feed(String(chunk)))
  else {
    let read = 0
    poll = setInterval(() => {
      const text = readFileSync(logFile, "utf8")
      feed(text.slice(read))
      read = text.length
    }, 50)
  }
  const timer = setTimeout(() => finish(() => { child.kill("SIGKILL"); reject(new Error(`${script} did not become ready`)) }), 30_000)
  child.on("exit", (code) => finish(() => reject(new Error(`${script} exited with ${code}`))))
})

export const stop = (child) => new Promise((resolve) => {
  child.removeAllListeners("exit")
  child.once("exit", () => { children.delete(child); resolve() })
  child.kill("SIGTERM")
})

/**
 * Writes `value` as JSON to a file of $TMPDIR named after `name` and this process, removed when the script exits;
 * answers its path (the baseline servers read their captured responses from it: TEMPLATES).
 */
export const writeTemplates = (name, value) => {
  const file = join(tmpdir(), `checkout-kit-${name}-${process.pid}.json`)
  writeFileSync(file, JSON.stringify(value))
  files.add(file)
  return file
}

/**
 * The server of another build, to measure in the same run as this one: `BASELINE_DIST` (a built
 * `<dir>/packages/server/dist/main.js`), else `BASELINE_REF` (else `defaultRef`; `undefined` when neither is set and
 * there is no default) `git archive`d into $TMPDIR/checkout-kit-baseline-<sha> (kept for reruns), installed from
 * pnpm's store (--offline) and built with tsc -b. Answers `{ main, label }`.
 */
export const baselineBuild = (defaultRef) => {
  if (process.env.BASELINE_DIST !== undefined) return { main: process.env.BASELINE_DIST, label: process.env.BASELINE_DIST }
  const ref = process.env.BASELINE_REF ?? defaultRef
  if (ref === undefined) return undefined
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
  const sha = execFileSync("git", ["rev-parse", "--short=12", ref], { cwd: root, stdio: ["ignore", "pipe", "inherit"] }).toString().trim()
  const dir = join(tmpdir(), `checkout-kit-baseline-${sha}`)
  const main = join(dir, "packages", "server", "dist", "main.js")
  if (!existsSync(main)) {
    console.error(`building the baseline ${ref} (${sha}) in ${dir}`)
    execFileSync("bash", ["-c", `mkdir -p '${dir}' && git archive ${sha} | tar -x -C '${dir}'`], { cwd: root, stdio: "inherit" })
    execFileSync("pnpm", ["install", "--frozen-lockfile", "--offline", "--config.confirmModulesPurge=false"], { cwd: dir, stdio: "inherit" })
    execFileSync("pnpm", ["exec", "tsc", "-b"], { cwd: dir, stdio: "inherit" })
  }
  return { main, label: `${ref} (${sha})` }
}

export const parseJson = (line) => { try { return JSON.parse(line) } catch { return undefined } }
