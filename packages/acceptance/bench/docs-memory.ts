/**
 * Resident memory of the routes with and without the API reference page (`docsPath`): builds the routes layer over a
 * memory store in a fresh process per variant and prints the RSS after the first /docs (or /openapi.json) request.
 * Run: `node --conditions=@checkout-kit/source packages/acceptance/bench/docs-memory.ts` (from the repository root).
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const variant = process.argv[2]

if (variant === undefined) {
  const self = fileURLToPath(import.meta.url)
  const measure = (v: string) =>
    Number(execFileSync(process.execPath, ["--conditions=@checkout-kit/source", "--expose-gc", self, v], { encoding: "utf8" }).trim())
  const without = measure("plain")
  const withDocs = measure("docs")
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1)
  console.log(`routes without /docs: ${mib(without)} MiB RSS`)
  console.log(`routes with /docs:    ${mib(withDocs)} MiB RSS (+${mib(withDocs - without)} MiB)`)
} else {
  const { CheckoutLinkService, CheckoutService, WebhookService } = await import("@checkout-kit/domain")
  const { FakePaymentProcessor, FakeTaxCalculator } = await import("@checkout-kit/domain/testing")
  const { MemoryStore } = await import("@checkout-kit/store-memory")
  const { Layer } = await import("effect")
  const { HttpRouter, HttpServer } = await import("effect/http")
  const Routes = await import("../../http-api/src/Routes.ts")
  const services = Layer.merge(CheckoutLinkService.CheckoutLinkService.layer, WebhookService.layer).pipe(
    Layer.provideMerge(CheckoutService.CheckoutService.layer),
    Layer.provideMerge(Layer.mergeAll(MemoryStore.layer(), FakePaymentProcessor.layer(), FakeTaxCalculator.layer()))
  )
  const routes = Routes.layer(variant === "docs" ? { docsPath: "/docs" } : {})
  const { handler, dispose } = HttpRouter.toWebHandler(
    routes.pipe(Layer.provide(services), Layer.provide(HttpServer.layerServices)),
    { disableLogger: true }
  )
  const response = await handler(new Request(`http://localhost${variant === "docs" ? "/docs" : "/openapi.json"}`))
  await response.text()
  ;(globalThis as { gc?: () => void }).gc?.()
  console.log(process.memoryUsage().rss)
  await dispose()
}
