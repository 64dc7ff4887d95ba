/**
 * A real headless Chromium from npm (@sparticuz/chromium) driven by playwright-core, for the browser tests. The
 * browser is unpacked into `.browser/` at the repository root (git-ignored), not a shared /tmp path: the package
 * unpacks into $TMPDIR and reuses whatever Chromium it finds there. When the machine lacks libnss3 the package's
 * own copies are unpacked (AWS_LAMBDA_JS_RUNTIME) and put on LD_LIBRARY_PATH. Launched with `--no-sandbox` only
 * (tests run as root; the package's own args include `--single-process`, which breaks closing pages).
 */
import { existsSync, mkdirSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { type Browser, chromium } from "playwright-core"

const unpackDir = fileURLToPath(new URL("../../../../.browser/", import.meta.url))

const hasSystemNss = () =>
  ["/usr/lib/x86_64-linux-gnu/libnss3.so", "/usr/lib64/libnss3.so", "/usr/lib/libnss3.so", "/usr/lib/aarch64-linux-gnu/libnss3.so"]
    .some((path) => existsSync(path))

export const launch = async (): Promise<Browser> => {
  mkdirSync(unpackDir, { recursive: true })
  const previous = process.env["TMPDIR"]
  process.env["TMPDIR"] = unpackDir
  const bundledLibs = !hasSystemNss()
  if (bundledLibs) process.env["AWS_LAMBDA_JS_RUNTIME"] ??= "nodejs22.x"
  try {
    const { default: Chromium } = await import("@sparticuz/chromium")
    const executablePath = await Chromium.executablePath()
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
    if (bundledLibs) env["LD_LIBRARY_PATH"] = [`${unpackDir}al2023/lib`, env["LD_LIBRARY_PATH"]].filter(Boolean).join(":")
    return await chromium.launch({ executablePath, args: ["--no-sandbox"], env })
  } finally {
    if (previous === undefined) delete process.env["TMPDIR"]
    else process.env["TMPDIR"] = previous
  }
}

/** A second origin (another port) serving fixed pages: a merchant's site embedding the checkout, a success URL. */
export const otherOrigin = async (pages: Readonly<Record<string, (url: URL) => string>>) => {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    const page = pages[url.pathname]
    if (page === undefined) {
      res.writeHead(404).end("not found")
      return
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(url))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  // "localhost" is a different origin from the checkout server's "127.0.0.1", whatever the ports.
  return { origin: `http://localhost:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
