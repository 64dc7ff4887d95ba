/**
 * Real server processes for multi-process tests: `node src/main.ts` (sources, no build step) on a free port, its
 * base URL read from the banner; a helper for the API with the demo token and the confirm body of the demo product.
 */
import { TestDatabase } from "@checkout-kit/store-postgres/testing"
import { Effect, Redacted } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export const token = "polar_oat_demo_checkout_kit_local_only"
export const starterKit = "22222222-2222-4222-8222-000000000001"
const serverDir = fileURLToPath(new URL("..", import.meta.url))

/**
 * The environment of Stripe-mode nodes sharing one PostgreSQL database, with the in-repo fake Stripe as processor;
 * `extra` adds or overrides settings.
 */
export const sharedDatabaseEnv = (
  fake: { readonly url: string; readonly webhookSecret: string },
  database: string,
  extra: Record<string, string> = {}
): Record<string, string> => ({
  CHECKOUT_STORE: "postgres",
  DATABASE_URL: Redacted.value(TestDatabase.urlOf(database)),
  STRIPE_SECRET_KEY: "sk_test_fake",
  STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
  STRIPE_API_BASE: fake.url,
  ...extra
})

export interface Node {
  readonly url: string
  readonly child: ChildProcess
  /** Its stdout (JSON log lines and the banner) so far. */
  readonly output: () => string
}

/** Starts `node src/main.ts` with `env`; resolves with its base URL once the banner says it is ready. Stopped (SIGTERM) with the scope. */
export const startNode = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.callback<Node, Error>((resume) => {
      const child = spawn(process.execPath, ["--conditions=@checkout-kit/source", "src/main.ts"], {
        cwd: serverDir,
        env: { ...process.env, PORT: "0", LOG_LEVEL: "Warn", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      // Never outlive the test run, whatever happens to the scope.
      const reap = () => child.kill("SIGKILL")
      process.once("exit", reap)
      child.once("exit", () => process.off("exit", reap))
      let buffer = ""
      let errors = ""
      child.stderr!.on("data", (chunk: Buffer) => void (errors += chunk.toString()))
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString()
        const match = /checkout-kit is ready at (http:\/\/\S+)/.exec(buffer)
        if (match !== null) {
          child.stdout!.off("data", onData)
          child.stdout!.on("data", (more: Buffer) => void (buffer = (buffer + more.toString()).slice(-200_000)))
          resume(Effect.succeed({ url: match[1]!, child, output: () => buffer }))
        }
      }
      child.stdout!.on("data", onData)
      child.once("exit", (code, signal) =>
        resume(Effect.fail(new Error(`server exited with ${code ?? signal}: ${buffer.slice(-2000)}${errors.slice(-2000)}`))))
    }),
    ({ child }) =>
      Effect.callback<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  )

export const call = (url: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  Effect.promise(() =>
    fetch(`${url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
    }).then(async (r) => ({ status: r.status, body: await r.text() }), (e) => ({ status: 0, body: String(e) }))
  )

export const json = (r: { status: number; body: string }) => JSON.parse(r.body) as Record<string, any>

export const confirmBody = (confirmationTokenId: string, email: string) => ({
  confirmation_token_id: confirmationTokenId,
  custom_field_data: { team_size: "1" },
  customer_name: "Ada Lovelace",
  customer_email: email,
  customer_billing_address: { country: "US", line1: "1 Main St", city: "Springfield", postal_code: "12345", state: "IL" }
})
