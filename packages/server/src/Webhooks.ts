/**
 * Merchant webhooks in the server: the delivery worker over the store's `WebhookQueue`, with bodies rendered by the
 * HTTP API's checkout encoder from the snapshot each event carries, and the domain's `WebhookService.Settings`
 * (private targets allowed or not) from the configuration.
 */
import { WebhookService } from "@checkout-kit/domain"
import type { WebhookQueue } from "@checkout-kit/domain"
import { WebhookPayload } from "@checkout-kit/http-api"
import { Worker } from "@checkout-kit/webhooks"
import { Effect, Layer } from "effect"
import type * as ServerConfig from "./Config.ts"

/** `Worker.Payloads` over `WebhookService.checkoutView` and the API's encoder. */
export const layerPayloads: Layer.Layer<Worker.Payloads, never, WebhookService.WebhookService> = Layer.effect(
  Worker.Payloads,
  Effect.gen(function*() {
    const service = yield* WebhookService.WebhookService
    return Worker.Payloads.of({
      render: (claimed) =>
        Effect.map(service.checkoutView(claimed.checkout), (view) =>
          WebhookPayload.render(claimed.event.type, claimed.event.timestamp, view))
    })
  })
)

export const settings = (config: ServerConfig.WebhookSettings) =>
  Layer.succeed(WebhookService.Settings, { allowPrivateTargets: config.allowPrivateTargets })

export const workerOptions = (config: ServerConfig.WebhookSettings): Worker.Options => ({
  allowPrivateTargets: config.allowPrivateTargets,
  timeoutMs: config.timeoutMs,
  disableAfterFailures: config.disableAfterFailures,
  concurrency: config.concurrency,
  shutdownGraceMs: config.shutdownGraceMs,
  retry: { maxAttempts: config.maxAttempts, baseDelayMs: config.retryBaseMs, maxDelayMs: config.retryMaxMs }
})

/** The worker, running for the lifetime of the layer. */
export const layerWorker = (
  config: ServerConfig.WebhookSettings
): Layer.Layer<never, never, WebhookService.WebhookService | WebhookQueue> =>
  Worker.layer(workerOptions(config)).pipe(Layer.provide(layerPayloads))
