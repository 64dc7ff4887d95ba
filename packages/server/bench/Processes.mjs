// Child processes for the benchmark scripts (load.mjs, cpu.mjs): a free loopback port, spawning a server and
// waiting for a line of its stdout (read through a pipe, or from a log file with startLogged), stopping it, and reading its memory from /proc. Children still running when
// the script exits are killed.
import { spawn } from "node:child_process"
import { closeSync, openSync, readFileSync } from "node:fs"
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

const children = new Set()
process.on("exit", () => { for (const child of children) child.kill("SIGKILL") })
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1))

/** Spawns a server and resolves once `ready(line)` returns a value for one of its stdout lines. */
export const start = (args, env, ready) => new Promise((resolve, reject) => {
  // The script, also when node arguments (SERVER_NODE_ARGS) come first.
  const script = args[args.length - 1]
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] })
  children.add(child)
  let buffer = ""
  const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${script} did not become ready`)) }, 30_000)
  child.stdout.on("data", (chunk) => {
    buffer += chunk
    let nl
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      const value = ready(line)
      if (value !== undefined) { clearTimeout(timer); resolve({ child, value }) }
    }
  })
  child.on("exit", (code) => reject(new Error(`${script} exited with ${code}`)))
})

/**
 * Like `start`, but the server's stdout goes to the file `logFile` (opened by the child directly, as a log shipper
 * or `> file` would), and this process polls that file for the ready line. A server logging one line per request
 * into a pipe read by this process would stall whenever this process's event loop is busy driving the load (Node
 * writes to pipes synchronously), so throughput would measure the reader, not the server.
 */
export const startLogged = (args, env, ready, logFile) => new Promise((resolve, reject) => {
  const script = args[args.length - 1]
  const fd = openSync(logFile, "w")
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", fd, "inherit"] })
  closeSync(fd)
  children.add(child)
  let seen = 0
  const finish = (f) => { clearInterval(poll); clearTimeout(timer); f() }
  const poll = setInterval(() => {
    const text = readFileSync(logFile, "utf8")
    const end = text.lastIndexOf("\n") + 1
    for (const line of text.slice(seen, end).split("\n")) {
      const value = line === "" ? undefined : ready(line)
      if (value !== undefined) return finish(() => resolve({ child, value }))
    }
    seen = end
  }, 50)
  const timer = setTimeout(() => finish(() => { child.kill("SIGKILL"); reject(new Error(`${script} did not become ready`)) }), 30_000)
  child.on("exit", (code) => finish(() => reject(new Error(`${script} exited with ${code}`))))
})

export const stop = (child) => new Promise((resolve) => {
  child.removeAllListeners("exit")
  child.once("exit", () => { children.delete(child); resolve() })
  child.kill("SIGTERM")
})

export const parseJson = (line) => { try { return JSON.parse(line) } catch { return undefined } }
