/**
 * The memory store's default randomness: the domain's `RandomBytes` port on node:crypto, for embedders that do not
 * provide their own, and the `Secrets` port on it (`ClientSecret.layer`: the format is the domain's).
 */
import { ClientSecret, RandomBytes, type Secrets } from "@checkout-kit/domain"
import { Layer } from "effect"
import { randomBytes, randomUUID } from "node:crypto"

/** Cryptographically secure random bytes, fetched in 4 KiB blocks. */
export const nextByte: () => number = ClientSecret.pooled((size) => randomBytes(size))

/** Random bytes and UUID v4 ids from node:crypto. */
export const layer: Layer.Layer<RandomBytes> = Layer.succeed(RandomBytes, RandomBytes.of({ nextByte, uuid: () => randomUUID() }))

/** The `Secrets` port (ids and client secrets) on node:crypto. */
export const secrets: Layer.Layer<Secrets> = ClientSecret.layer.pipe(Layer.provide(layer))
