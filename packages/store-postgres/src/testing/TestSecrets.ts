/**
 * A `Secrets` for this adapter's tests and benchmarks, so store-postgres needs no other adapter to run them: the
 * domain's `ClientSecret.layer` (the reference's secret format) on node:crypto bytes, ids from `crypto.randomUUID`.
 * The same thing the server's `Randomness.secrets` provides.
 */
import { ClientSecret, RandomBytes, type Secrets } from "@checkout-kit/domain"
import { Layer } from "effect"
import { randomBytes, randomUUID } from "node:crypto"

export const layer: Layer.Layer<Secrets> = ClientSecret.layer.pipe(
  Layer.provide(Layer.succeed(RandomBytes, RandomBytes.of({ nextByte: ClientSecret.pooled((size) => randomBytes(size)), uuid: () => randomUUID() })))
)
