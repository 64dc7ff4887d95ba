/**
 * Port: unguessable values. Client secrets follow the reference format (`ClientSecret`: a prefix, `polar_c_` for
 * checkouts, `polar_cl_` for links, `polar_whs_` for webhook signing secrets, 37 random characters of [A-Za-z0-9],
 * over 200 bits of entropy, and a 6-character base62 CRC32 checksum). `ClientSecret.layer` implements it on a
 * `RandomBytes` source, which must be cryptographically secure in production; tests may use a seeded one.
 */
import type { Effect } from "effect"
import { Context } from "effect"

export class Secrets extends Context.Service<Secrets, {
  readonly clientSecret: (prefix: "polar_c_" | "polar_cl_" | "polar_whs_") => Effect.Effect<string>
  /** A fresh UUID (v4) for a new entity. */
  readonly newId: Effect.Effect<string>
}>()("@checkout-kit/domain/Secrets") {}
