/**
 * Client secrets in the reference format (`server/polar/kit/crypto.py`): a prefix (`polar_c_` for checkouts,
 * `polar_cl_` for links, `polar_whs_` for webhook signing secrets), 37 characters drawn uniformly from [A-Za-z0-9]
 * (~220 bits) and the CRC32 of those 37 characters in base62, left-padded with "0" to 6 characters, so a secret can
 * be recognised (e.g. by secret scanners) and a typo rejected without a lookup.
 *
 * The format is pure; randomness comes from the `RandomBytes` port: `layer` is the `Secrets` port on top of it. The
 * composition root provides a cryptographically secure source (the server's `Randomness`, node:crypto);
 * `seededBytes` is a deterministic one for reproducible tests.
 */
import { Effect, Layer } from "effect"
import { RandomBytes } from "./ports/RandomBytes.ts"
import { Secrets } from "./ports/Secrets.ts"

/** The alphabet of the random part, in the reference's order (`string.ascii_letters + string.digits`). */
export const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
/** The alphabet of the checksum digits. */
export const checksumAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
export const randomLength = 37
export const checksumLength = 6

export type Prefix = Parameters<Secrets["Service"]["clientSecret"]>[0]
export const prefixes: ReadonlyArray<Prefix> = ["polar_c_", "polar_cl_", "polar_whs_"]

/** CRC-32 (IEEE 802.3, reflected, the polynomial of zlib and Python's `zlib.crc32`) lookup table. */
const crcTable = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

/** The UTF-8 bytes of a code point (a lone surrogate becomes U+FFFD, as Node encodes it). */
const utf8 = (cp: number): ReadonlyArray<number> => {
  if (cp < 0x80) return [cp]
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)]
  if (cp >= 0xd800 && cp <= 0xdfff) return [0xef, 0xbf, 0xbd]
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
}

/** CRC-32 of the string's UTF-8 bytes, as an unsigned 32-bit integer (zlib's `crc32`). */
export const crc32 = (text: string): number => {
  let crc = -1
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) {
      crc = crcTable[(crc ^ code) & 0xff]! ^ (crc >>> 8)
      continue
    }
    // Not ASCII (never the case in a secret's random part): the code point's UTF-8 bytes.
    const cp = text.codePointAt(i)!
    if (cp > 0xffff) i++
    for (const byte of utf8(cp)) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  }
  return (crc ^ -1) >>> 0
}

/** The 6-character base62 CRC32 of the random part. */
export const checksum = (random: string): string => {
  let n = crc32(random)
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

const alphabetCodes = Array.from(alphabet, (c) => c.charCodeAt(0))

/**
 * Draws `length` characters uniformly from the 62-character alphabet. A byte maps to a character only when it is
 * below 248 (= 4 x 62); bytes 248..255 are discarded, because `byte % 62` over all 256 values would favour the
 * first 8 characters.
 */
const draw = (length: number, nextByte: () => number): string => {
  const codes = new Array<number>(length)
  for (let i = 0; i < length;) {
    const b = nextByte()
    if (b < 248) codes[i++] = alphabetCodes[b % 62]!
  }
  return String.fromCharCode(...codes)
}

/** A client secret with `prefix`, its random part drawn from `nextByte` (which must be uniform and unpredictable). */
export const make = (prefix: Prefix, nextByte: () => number): string => {
  const random = draw(randomLength, nextByte)
  return prefix + random + checksum(random)
}

const hex = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"))

/** A UUID v4 (RFC 9562: version and variant bits set) from 16 bytes of `nextByte`. */
export const uuidV4 = (nextByte: () => number): string => {
  const b = Array.from({ length: 16 }, nextByte)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.map((x) => hex[x]!).join("")
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * Bytes served one at a time from blocks of `blockSize` that `fill` returns: a source backed by a system call (e.g.
 * node:crypto's `randomBytes`) pays it once per block instead of once per byte.
 */
export const pooled = (fill: (size: number) => Uint8Array, blockSize = 4096): () => number => {
  let pool: Uint8Array = new Uint8Array(0)
  let at = 0
  return () => {
    if (at >= pool.length) {
      pool = fill(blockSize)
      at = 0
    }
    return pool[at++]!
  }
}

/**
 * A deterministic byte stream (splitmix32, every byte of each 32-bit output used, lowest first): the same seed
 * yields the same ids and secrets. Not secure: never use it to serve real checkouts.
 */
export const seededBytes = (seed: number): () => number => {
  let state = seed >>> 0
  let word = 0
  let left = 0
  return () => {
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
}

/**
 * The `Secrets` port on a `RandomBytes` source: client secrets in the format above, UUID v4 ids. Wrap it in
 * `Layer.fresh` when one layer graph builds it twice on different sources.
 */
export const layer: Layer.Layer<Secrets, never, RandomBytes> = Layer.effect(
  Secrets,
  Effect.gen(function*() {
    const source = yield* RandomBytes
    const nextByte = source.nextByte
    const uuid = source.uuid ?? (() => uuidV4(nextByte))
    return Secrets.of({
      clientSecret: (prefix) => Effect.sync(() => make(prefix, nextByte)),
      newId: Effect.sync(uuid)
    })
  })
)

/** `layer` on `seededBytes(seed)`, fresh per build: reproducible ids and secrets for tests and demos (not secure). */
export const layerSeeded = (seed: number): Layer.Layer<Secrets> =>
  Layer.fresh(layer).pipe(Layer.provide(Layer.sync(RandomBytes, () => RandomBytes.of({ nextByte: seededBytes(seed) }))))
