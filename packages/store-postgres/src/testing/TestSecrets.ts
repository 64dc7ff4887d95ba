/**
 * A `Secrets` for this adapter's tests and benchmarks, so store-postgres needs no other adapter (store-memory) to
 * run them: ids from `crypto.randomUUID`, client secrets in the reference shape (prefix, 37 random [A-Za-z0-9],
 * 6-character base62 CRC32). A bridge until the domain owns `ClientSecret` (issue 14 item 5, second half); servers
 * use store-memory's `ClientSecret.layer`.
 */
import { Secrets } from "@checkout-kit/domain"
import { Effect, Layer } from "effect"
import { randomInt, randomUUID } from "node:crypto"
import { crc32 } from "node:zlib"

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
const checksumAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** The 6-character base62 CRC32 of the random part. */
export const checksum = (random: string): string => {
  let n = crc32(random) >>> 0
  let out = ""
  while (n > 0) {
    out = checksumAlphabet[n % 62] + out
    n = Math.floor(n / 62)
  }
  return out.padStart(6, "0")
}

/** A fresh client secret with `prefix`. */
export const clientSecret = (prefix: string): string => {
  let random = ""
  for (let i = 0; i < 37; i++) random += alphabet[randomInt(62)]
  return prefix + random + checksum(random)
}

export const layer: Layer.Layer<Secrets> = Layer.succeed(
  Secrets,
  Secrets.of({
    clientSecret: (prefix) => Effect.sync(() => clientSecret(prefix)),
    newId: Effect.sync(() => randomUUID())
  })
)
