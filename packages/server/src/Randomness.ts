/**
 * The process's randomness: the domain's `RandomBytes` port on node:crypto (bytes fetched in 4 KiB blocks, ids from
 * `crypto.randomUUID`), and the `Secrets` port on it (`ClientSecret.layer`: the format is the domain's).
 */
import { ClientSecret, RandomBytes, type Secrets } from "@checkout-kit/domain"
import { Layer } from "effect"
import { randomBytes, randomUUID } from "node:crypto"

/** Cryptographically secure random bytes and UUID v4 ids. */
export const layer: Layer.Layer<RandomBytes> = Layer.sync(RandomBytes, () =>
  RandomBytes.of({ nextByte: ClientSecret.pooled((size) => randomBytes(size)), uuid: () => randomUUID() }))

/** The `Secrets` port (ids and client secrets) on node:crypto. */
export const secrets: Layer.Layer<Secrets> = ClientSecret.layer.pipe(Layer.provide(layer))
