/**
 * Client secrets in the reference format (`server/polar/kit/crypto.py`): a prefix (`polar_c_` for checkouts,
 * `polar_cl_` for links, `polar_whs_` for webhook signing secrets), 37 characters drawn uniformly from [A-Za-z0-9] (~220 bits) and the CRC32 of those 37
 * characters in base62, left-padded with "0" to 6 characters, so a secret can be recognised (e.g. by secret
 * scanners) and a typo rejected without a lookup. Also the `Secrets` port backed by node:crypto, and a seeded
 * variant for deterministic tests.
 */
import { randomBytes, randomUUID } from "node:crypto"
import { crc32 } from "node:zlib"
import { Effect, Layer } from "effect"
import { Secrets } from "@checkout-kit/domain"

/** The alphabet of the random part, in the reference's order (`string.ascii_letters + string.digits`). */
export const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
/** The alphabet of the checksum digits. */
export const checksumAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
export const randomLength = 37
export const checksumLength = 6

export type Prefix = "polar_c_" | "polar_cl_" | "polar_whs_"

/** The 6-character base62 CRC32 of the random part. */
export const checksum = (random: string): string => {
  let n = crc32(random) >>> 0
  let out = ""
  while (n > 0) {
    out = checksumAlphabet[n % 62] + out
    n = Math.floor(n / 62)
  }
  return out.padStart(checksumLength, "0")
}

const shape = /^(polar_c_|polar_cl_|polar_whs_)([A-Za-z0-9]{37})([A-Za-z0-9]{6})$/u

/** True when `secret` has the format (and, if given, the prefix) and its checksum matches. */
export const isValid = (secret: string, prefix?: Prefix): boolean => {
  const m = shape.exec(secret)
  if (m === null) return false
  if (prefix !== undefined && m[1] !== prefix) return false
  return checksum(m[2]!) === m[3]
}

/**
 * Draws `length` characters uniformly from the 62-character alphabet. A byte maps to a character only when it is
 * below 248 (= 4 x 62); bytes 248..255 are discarded, because `byte % 62` over all 256 values would favour the
 * first 8 characters.
 */
const alphabetCodes = Array.from(alphabet, (c) => c.charCodeAt(0))

const drawRandom = (length: number, nextByte: () => number): string => {
  const codes = new Array<number>(length)
  for (let i = 0; i < length;) {
    const b = nextByte()
    if (b < 248) codes[i++] = alphabetCodes[b % 62]!
  }
  return String.fromCharCode(...codes)
}

/** Random bytes from node:crypto, fetched in blocks to amortise the system call. */
const cryptoBytes = (() => {
  let pool = randomBytes(0)
  let at = 0
  return (): number => {
    if (at >= pool.length) {
      pool = randomBytes(4096)
      at = 0
    }
    return pool[at++]!
  }
})()

/** A fresh client secret from the cryptographically secure source. */
export const generate = (prefix: Prefix): string => {
  const random = drawRandom(randomLength, cryptoBytes)
  return prefix + random + checksum(random)
}

/** The `Secrets` port on node:crypto: client secrets as above, ids from `crypto.randomUUID` (v4). */
export const layer: Layer.Layer<Secrets> = Layer.succeed(
  Secrets,
  Secrets.of({
    clientSecret: (prefix) => Effect.sync(() => generate(prefix)),
    newId: Effect.sync(() => randomUUID())
  })
)

/**
 * A deterministic `Secrets` for tests and reproducible demos: the same seed yields the same ids and secrets, in
 * the same formats. Not secure: never use it to serve real checkouts.
 */
export const layerSeeded = (seed: number): Layer.Layer<Secrets> =>
  Layer.sync(Secrets, () => {
    // splitmix32: small, fast and well distributed; every byte of its output is used.
    let state = seed >>> 0
    let word = 0
    let left = 0
    const nextByte = (): number => {
      if (left === 0) {
        state = (state + 0x9e3779b9) >>> 0
        let z = state
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
        word = (z ^ (z >>> 16)) >>> 0
        left = 4
      }
      const b = word & 0xff
      word >>>= 8
      left--
      return b
    }
    const uuid = (): string => {
      const bytes = Array.from({ length: 16 }, nextByte)
      bytes[6] = (bytes[6]! & 0x0f) | 0x40
      bytes[8] = (bytes[8]! & 0x3f) | 0x80
      const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("")
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    }
    return Secrets.of({
      clientSecret: (prefix) =>
        Effect.sync(() => {
          const random = drawRandom(randomLength, nextByte)
          return prefix + random + checksum(random)
        }),
      newId: Effect.sync(uuid)
    })
  })
