/**
 * Port: a source of uniformly random bytes, what `ClientSecret.layer` turns into the `Secrets` port. Production
 * adapters back it with a cryptographically secure generator (the server's `Randomness` on node:crypto); tests may
 * use `ClientSecret.seededBytes` for reproducible runs.
 */
import { Context } from "effect"

export class RandomBytes extends Context.Service<RandomBytes, {
  /** The next random byte (0..255). Called synchronously, from inside an effect. */
  readonly nextByte: () => number
  /**
   * A fresh UUID v4 from the source's native generator, when it has one; without it, ids are formatted from
   * `nextByte`'s bytes (`ClientSecret.uuidV4`).
   */
  readonly uuid?: (() => string) | undefined
}>()("@checkout-kit/domain/RandomBytes") {}
